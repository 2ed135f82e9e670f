//! Readings of calendar dates: ISO and numeric dates, month-day with or without a year,
//! a month with a year, a month alone and "the week of" a date. A year-less date is placed
//! by the tense of its clause unless it modifies a noun.

use super::context::{follows_clock_time, is_attributive, names_a_set, Context};
use super::placement::{named_relation, resolve_cycle, year_less_day, year_shift, Relation};
use super::rules::number;
use super::tense::Tense;
use super::values::{day_value, month_index, month_value, week_value};
use super::Reading;
use crate::nlp::document::Granularity;
use crate::nlp::lexicon::{lexicon, month_number, weekday_index};
use chrono::{Datelike, NaiveDate};
use regex::Captures;

pub(super) fn read_iso_date(captures: &Captures, _: &Context) -> Option<Reading> {
    let date = NaiveDate::from_ymd_opt(
        number(captures, "year")?,
        number(captures, "month")? as u32,
        number(captures, "day")? as u32,
    )?;
    Some(Reading::date(Some(day_value(date)), Granularity::Day))
}

/// "08/05/2022" in US order (month first); day first only when the first number cannot be a
/// month ("25/12/2021").
pub(super) fn read_numeric_date(captures: &Captures, context: &Context) -> Option<Reading> {
    let first = number(captures, "first")? as u32;
    let second = number(captures, "second")? as u32;
    let year_text = captures.name("year")?.as_str();
    let mut year: i32 = year_text.parse().ok()?;
    if year_text.len() == 2 {
        let century_now = context
            .anchor
            .map_or(2000, |anchor| anchor.year() / 100 * 100);
        year += century_now;
        if year > context.anchor.map_or(2099, |anchor| anchor.year() + 10) {
            year -= 100;
        }
    }
    let (month, day) = if first > 12 {
        (second, first)
    } else {
        (first, second)
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Reading::date(Some(day_value(date)), Granularity::Day))
}

/// "July 7", "Aug. 5, 2022", "5 August 2022", "Friday, Oct. 23".
pub(super) fn read_month_day(captures: &Captures, context: &Context) -> Option<Reading> {
    if follows_clock_time(context) {
        return None;
    }
    let month = month_number(captures.name("month")?.as_str())?;
    let day = number(captures, "day")? as u32;
    // "May 5:30" or "Aug 5.5" are not dates; "the 5 Oct" needs no check.
    let after = &context.text[context.end..];
    let time_or_ratio =
        after.starts_with([':', '%', '.']) && after[1..].starts_with(|c: char| c.is_ascii_digit());
    if captures.name("year").is_none() && (time_or_ratio || after.starts_with('%')) {
        return None;
    }
    if !(1..=31).contains(&day) {
        return None;
    }
    if let Some(year) = number(captures, "year") {
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        return Some(Reading::date(Some(day_value(date)), Granularity::Day));
    }
    let weekday = captures
        .name("weekday")
        .and_then(|name| weekday_index(name.as_str()));
    let value = context.anchor.and_then(|anchor| {
        // "Monday, Oct. 26": the nearest year in which that day is that weekday.
        if let Some(weekday) = weekday {
            let matching = (anchor.year() - 6..=anchor.year() + 6)
                .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
                .filter(|date| date.weekday().num_days_from_monday() as usize == weekday)
                .min_by_key(|date| (*date - anchor).num_days().abs());
            if let Some(date) = matching {
                return Some(day_value(date));
            }
        }
        let placed = year_less_day(anchor, month, day, context.tense())?;
        // "the Jan. 14 deadline" a few days ahead in a past-tense clause, "the Aug. 7
        // blasts" a few days back in a future one: a date that modifies a noun names the
        // occasion, not the time of the verb, so an occurrence within a month of the
        // publication wins over a far one (but "since the Oct. 1 attack" looks back).
        let far = |date: NaiveDate| (date - anchor).num_days().abs() > ATTRIBUTIVE_REACH_DAYS;
        let near = [Tense::Past, Tense::Future]
            .into_iter()
            .filter_map(|tense| year_less_day(anchor, month, day, tense))
            .find(|date| !far(*date));
        let attributive = is_attributive(context)
            && !context.word_before_previous().eq_ignore_ascii_case("since");
        Some(day_value(match near {
            Some(near) if attributive && far(placed) => near,
            _ => placed,
        }))
    });
    Some(Reading::date(value, Granularity::Day))
}

/// How far ahead a date that modifies a noun may lie in a past-tense clause ("gave no reason
/// for the Jan. 14 deadline"): a month.
const ATTRIBUTIVE_REACH_DAYS: i64 = 31;

/// "March 2021", "Aug. 2022", "July last year", "early December 1999".
pub(super) fn read_month_of_year(captures: &Captures, context: &Context) -> Option<Reading> {
    let month = month_number(captures.name("month")?.as_str())?;
    let year = match (number(captures, "year"), captures.name("relative")) {
        (Some(year), _) => Some(year),
        (None, Some(relative)) => context
            .anchor
            .map(|anchor| anchor.year() + year_shift(relative.as_str())),
        (None, None) => None,
    };
    let value = year.map(|year| format!("{year:04}-{month:02}"));
    Some(Reading::date(value, Granularity::Month))
}

/// A month name on its own: "in March", "last December", "early June".
pub(super) fn read_month(captures: &Captures, context: &Context) -> Option<Reading> {
    let month_text = captures.name("month")?.as_str();
    let month = month_number(month_text)?;
    let relative = captures.name("relative").map(|relative| relative.as_str());
    if names_a_set(context) {
        return None;
    }
    if relative.is_none() {
        let ambiguous = matches!(month, 3 | 5);
        if ambiguous && !context.previous_word_in(lexicon!("dates/month_cues")) {
            return None;
        }
        // "April Ryan", "June Carter": a month name before another capitalised word is a name.
        let next = context.next_word();
        if next.chars().next().is_some_and(char::is_uppercase)
            && !month_text.chars().all(char::is_uppercase)
        {
            return None;
        }
    }
    let relation = relative
        .map(str::to_lowercase)
        .as_deref()
        .and_then(named_relation)
        .unwrap_or_else(|| Relation::Nearest(context.tense()));
    let value = context.anchor.map(|anchor| {
        let current = month_index(anchor);
        let cycle_start = i64::from(anchor.year()) * 12;
        month_value(resolve_cycle(
            current,
            i64::from(month - 1),
            12,
            cycle_start,
            relation,
        ))
    });
    Some(Reading::date(value, Granularity::Month))
}

/// "the week of March 6": the week holding that day.
pub(super) fn read_week_of(captures: &Captures, context: &Context) -> Option<Reading> {
    let day = read_month_day(captures, context)?;
    let value = day
        .value
        .and_then(|value| NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok())
        .map(week_value);
    Some(Reading::date(value, Granularity::Week))
}
