//! Readings of seasons ("summer 2021", "last fall", "in the spring"): a bare season
//! needs a temporal preposition, so "the fall of Rome" is no date.

use super::context::{previous_word, Context};
use super::placement::{named_relation, resolve_cycle, Relation};
use super::rules::number;
use super::Reading;
use crate::nlp::document::Granularity;
use crate::nlp::lexicon::lexicon;
use chrono::{Datelike, NaiveDate};
use regex::Captures;

const SEASON_CODES: [&str; 4] = ["SP", "SU", "FA", "WI"];

/// Seasons are numbered `year * 4 + season`; a winter belongs to the year it starts in.
fn season_index(date: NaiveDate) -> i64 {
    let (year, season) = match date.month() {
        3..=5 => (date.year(), 0),
        6..=8 => (date.year(), 1),
        9..=11 => (date.year(), 2),
        12 => (date.year(), 3),
        _ => (date.year() - 1, 3),
    };
    i64::from(year) * 4 + season
}

/// "summer 2021", "last fall", "this summer", "in the spring".
pub(super) fn read_season(captures: &Captures, context: &Context) -> Option<Reading> {
    let name = captures.name("season")?.as_str().to_lowercase();
    let season = match name.as_str() {
        "spring" => 0,
        "summer" => 1,
        "autumn" | "fall" => 2,
        _ => 3,
    };
    let year = number(captures, "year");
    let relative = captures
        .name("relative")
        .map(|relative| relative.as_str().to_lowercase());
    let is_relation = relative
        .as_deref()
        .is_some_and(|word| named_relation(word).is_some());
    if year.is_none() && !is_relation {
        // Without a year or "last/this/next" the word needs a temporal preposition before it
        // (or before its article), and must not start a noun phrase ("the fall of Rome").
        let cue_word = if captures.name("article").is_some() {
            previous_word(context.text, captures.name("article")?.start())
        } else {
            context.previous_word()
        };
        let cued = lexicon!("dates/season_cues").contains(&cue_word.to_ascii_lowercase());
        let next = context.next_word().to_lowercase();
        let starts_noun_phrase = lexicon!("dates/season_noun_links").contains(&next);
        let has_article_or_modifier = captures.name("article").is_some() || relative.is_some();
        if !cued || starts_noun_phrase || (season == 2 && !has_article_or_modifier) {
            return None;
        }
    }
    if let Some(year) = year {
        let value = format!("{year:04}-{}", SEASON_CODES[season as usize]);
        return Some(Reading::date(Some(value), Granularity::Season));
    }
    let relation = relative
        .as_deref()
        .and_then(named_relation)
        .unwrap_or_else(|| Relation::Nearest(context.tense()));
    let value = context.anchor.map(|anchor| {
        let current = season_index(anchor);
        let cycle_start = current.div_euclid(4) * 4;
        let index = resolve_cycle(current, season, 4, cycle_start, relation);
        format!(
            "{:04}-{}",
            index.div_euclid(4),
            SEASON_CODES[index.rem_euclid(4) as usize]
        )
    });
    Some(Reading::date(value, Granularity::Season))
}
