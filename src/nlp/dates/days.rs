//! Readings of days: today/yesterday/tomorrow (not "today's youth"), weekdays (not
//! "Black Monday" nor "Monday nights") and weekends (not "weekend warriors").

use super::context::{follows_clock_time, names_a_set, Context};
use super::placement::{relation_of, resolve_cycle, Relation};
use super::rules::pattern;
use super::values::{day_value, shift_days, week_value};
use super::Reading;
use crate::nlp::document::Granularity;
use crate::nlp::lexicon::{lexicon, weekday_index};
use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// "today", "yesterday morning", "tonight", "the day before yesterday", "last night".
pub(super) fn read_day_word(captures: &Captures, context: &Context) -> Option<Reading> {
    let offset = if let Some(word) = captures.name("word") {
        let text = word.as_str();
        // "USA Today", "the Today show": a capitalised day word inside a sentence is a name.
        if text.starts_with(char::is_uppercase)
            && !text.chars().all(char::is_uppercase)
            && word.start() == context.start
            && !context.opens_sentence()
        {
            return None;
        }
        if is_generic_day_word(context) {
            return None;
        }
        let base = match text.to_lowercase().as_str() {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        let shift = match captures
            .name("shift")
            .map(|shift| shift.as_str().to_lowercase())
        {
            Some(direction) if direction == "before" => -1,
            Some(_) => 1,
            None => 0,
        };
        base + shift
    } else {
        // "last night" is the evening before; "this morning" is today.
        match captures.name("relative")?.as_str().to_lowercase().as_str() {
            "last" => -1,
            _ => 0,
        }
    };
    let value = context
        .anchor
        .and_then(|anchor| shift_days(anchor, offset))
        .map(day_value);
    Some(Reading::date(value, Granularity::Day))
}

/// "today's youth", "the leaders of tomorrow": the present or future age, not a day.
fn is_generic_day_word(context: &Context) -> bool {
    let whole = &context.text[context.start..context.end];
    if whole.contains(char::is_whitespace) {
        return false;
    }
    let after = &context.text[context.end..];
    let possessive = after.starts_with("'s ") || after.starts_with("’s ");
    let following = possessive.then(|| {
        let rest = after[after.find(' ').unwrap_or(0)..].trim_start();
        rest.split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase()
    });
    // "the leaders of tomorrow", but not "as of tomorrow" or "ahead of tomorrow's vote".
    let bare_of_tomorrow = whole.eq_ignore_ascii_case("tomorrow")
        && !possessive
        && context.previous_word_is(&["of"])
        && !lexicon!("dates/of_prepositions")
            .contains(&context.word_before_previous().to_ascii_lowercase());
    following.is_some_and(|word| lexicon!("dates/generic_after_day_word").contains(&word))
        || bare_of_tomorrow
}

/// "Monday nights", "on Monday and Tuesday evenings": recurring times, not dates.
fn before_plural_part_of_day(context: &Context) -> bool {
    static PLURAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"^\s+(?:(?i:and|or)\s+{weekday}\s+)?(?i:mornings|afternoons|evenings|nights)\b")
    });
    PLURAL_AFTER.is_match(&context.text[context.end..])
}

/// "on Tuesday", "last Friday", "next Monday", "Sunday night".
pub(super) fn read_weekday(captures: &Captures, context: &Context) -> Option<Reading> {
    let name = captures.name("weekday")?.as_str();
    let weekday = weekday_index(name)? as i64;
    if captures.name("relative").is_none()
        && lexicon!("dates/named_day_prefixes").contains(context.previous_word())
    {
        return None;
    }
    if names_a_set(context) || follows_clock_time(context) || before_plural_part_of_day(context) {
        return None;
    }
    let relative = captures.name("relative").map(|relative| relative.as_str());
    let relation = relation_of(
        relative.filter(|word| {
            !matches!(
                word.to_lowercase().as_str(),
                "early" | "late" | "earlier" | "later"
            )
        }),
        context,
    );
    let value = context.anchor.map(|anchor| {
        let current = i64::from(anchor.num_days_from_ce());
        let anchor_weekday = i64::from(anchor.weekday().num_days_from_monday());
        let week_start = current - anchor_weekday;
        let member = week_start + weekday;
        let day = resolve_cycle(current, member, 7, week_start, relation);
        let date = NaiveDate::from_num_days_from_ce_opt(day as i32).unwrap_or(anchor);
        day_value(date)
    });
    Some(Reading::date(value, Granularity::Day))
}

/// "the weekend", "last weekend", "this coming weekend": the Saturday and Sunday of a week,
/// `2022-W31-WE`, placed like a weekday.
pub(super) fn read_weekend(captures: &Captures, context: &Context) -> Option<Reading> {
    // "the weekend warrior" is a person; "the weekend of July 4" is read from its date.
    if context.next_word_is(&["of"]) || context.next_word_in(lexicon!("dates/weekend_compounds")) {
        return None;
    }
    let relative = captures.name("relative")?.as_str();
    let relation = match relative
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .as_str()
    {
        "the" => Relation::Nearest(context.tense()),
        "the past" => Relation::Last,
        "the coming" => Relation::Next,
        _ => relation_of(Some(relative), context),
    };
    let value = context.anchor.map(|anchor| {
        let current = i64::from(anchor.num_days_from_ce());
        let week_start = current - i64::from(anchor.weekday().num_days_from_monday());
        let saturday = match relation {
            // The weekend of the week before, even when published on a Saturday or Sunday.
            Relation::Last => week_start - 2,
            _ => resolve_cycle(current, week_start + 5, 7, week_start, relation),
        };
        let date = NaiveDate::from_num_days_from_ce_opt(saturday as i32).unwrap_or(anchor);
        format!("{}-WE", week_value(date))
    });
    Some(Reading::date(value, Granularity::Week))
}
