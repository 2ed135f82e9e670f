//! Readings of quarters: named quarters ("the third quarter of 2022", "Q3") and the
//! anaphoric ones ("the quarter", "the year-ago period", "a year earlier") that take the
//! quarter the text last named.

use super::context::Context;
use super::placement::{resolve_cycle, year_shift, Relation};
use super::rules::number;
use super::tense::Tense;
use super::values::quarter_value;
use super::{Anaphor, Reading};
use crate::nlp::document::Granularity;
use chrono::Datelike;
use regex::Captures;

/// "the third quarter of 2022", "this year's first quarter", "fourth-quarter", "Q3 2022".
pub(super) fn read_quarter(captures: &Captures, context: &Context) -> Option<Reading> {
    let quarter: i64 = if let Some(label) = captures.name("quarter") {
        label.as_str()[1..].parse().ok()?
    } else {
        let ordinal = captures.name("ordinal")?.as_str().to_lowercase();
        match ordinal.as_str() {
            "first" | "1st" => 1,
            "second" | "2nd" => 2,
            "third" | "3rd" => 3,
            _ => 4,
        }
    };
    let explicit_year = ["before_year", "of_year", "after_year", "year"]
        .iter()
        .find_map(|name| number(captures, name))
        .or_else(|| number(captures, "short").map(|short| 2000 + short));
    let relative = captures
        .name("relative")
        .or_else(|| captures.name("of_relative"))
        .map(|relative| relative.as_str());
    let relative = relative.or(captures.name("year_ago").map(|_| "last"));
    let value = match (explicit_year, relative) {
        (Some(year), _) => Some(quarter_value(i64::from(year) * 4 + quarter - 1)),
        (None, Some(relative)) => context.anchor.map(|anchor| {
            let year = i64::from(anchor.year() + year_shift(relative));
            quarter_value(year * 4 + quarter - 1)
        }),
        (None, None) => context.anchor.map(|anchor| {
            let current = i64::from(anchor.year()) * 4 + i64::from(anchor.month0() / 3);
            let cycle_start = i64::from(anchor.year()) * 4;
            // Quarters are reported within their year: "the fourth quarter" is this year's
            // unless the past tense puts it before a quarter that has not begun.
            let relation = match context.tense() {
                Tense::Past => Relation::Nearest(Tense::Past),
                Tense::Present | Tense::Ahead | Tense::Future => Relation::This,
            };
            quarter_value(resolve_cycle(
                current,
                quarter - 1,
                4,
                cycle_start,
                relation,
            ))
        }),
    };
    let compares_back = captures.name("year_ago").is_some()
        || relative.is_some_and(|relative| year_shift(relative) < 0);
    Some(Reading {
        compares_back,
        ..Reading::date(value, Granularity::Quarter)
    })
}

/// How many sentences back a named quarter still sets the period that "a year earlier" or
/// "year-ago" compares with.
pub(super) const QUARTER_COMPARISON_REACH: usize = 2;

/// "the quarter", "the latest quarter", "the year-ago period", "that quarter", "the quarter a
/// year ago", "the 1988 period": the quarter the text last named (a year back, or in the
/// year given), else the last complete quarter.
pub(super) fn read_referring_quarter(captures: &Captures, context: &Context) -> Option<Reading> {
    let modifiers = captures
        .name("modifiers")
        .map_or("", |m| m.as_str())
        .to_lowercase();
    let is_period = captures
        .name("unit")?
        .as_str()
        .eq_ignore_ascii_case("period");
    let has_article = captures.name("article").is_some() || captures.name("relative").is_some();
    // "the year-ago quarter", "last year's quarter", "the same period last year": the named
    // quarter a year back; "the 1988 quarter": its counterpart in 1988.
    let last_years = captures
        .name("relative")
        .is_some_and(|relative| relative.as_str().eq_ignore_ascii_case("last"));
    let years_back =
        i64::from(modifiers.contains("year-") || last_years || captures.name("back").is_some());
    let in_year = number(captures, "year");
    // "a quarter of the shares" and "the quarter of a million" are amounts, "a
    // quarter-century" and "quarter-to-quarter" compounds; a bare "period" is too general to
    // be a quarter.
    if context.next_word().eq_ignore_ascii_case("of")
        || context.text[context.end..].starts_with('-')
        || (!has_article && !modifiers.contains("year-"))
        || (is_period && modifiers.trim().is_empty() && in_year.is_none() && years_back == 0)
    {
        return None;
    }
    // With no quarter named, "the 1988 period" is the year 1988.
    let fallback = match in_year {
        Some(year) => Reading::date(Some(format!("{year:04}")), Granularity::Year),
        None => {
            let value = context.anchor.map(|anchor| {
                let current = i64::from(anchor.year()) * 4 + i64::from(anchor.month0() / 3);
                quarter_value(current - 1 - 4 * years_back)
            });
            Reading::date(value, Granularity::Quarter)
        }
    };
    Some(fallback.referring(Anaphor {
        years_back,
        in_year,
        completed: modifiers.contains("latest") || modifiers.contains("recent"),
        // "the 1988 period" refers to a quarter only when one was named nearby.
        within_sentences: in_year.map(|_| QUARTER_COMPARISON_REACH),
        needs_reference: is_period && in_year.is_none(),
    }))
}

/// "year-earlier profit": the quarter named nearby a year back, else the previous year.
pub(super) fn read_year_ago_adjective(_: &Captures, context: &Context) -> Option<Reading> {
    let value = context
        .anchor
        .map(|anchor| format!("{:04}", anchor.year() - 1));
    Some(Reading::date(value, Granularity::Year).referring(Anaphor {
        years_back: 1,
        in_year: None,
        completed: false,
        within_sentences: Some(QUARTER_COMPARISON_REACH),
        needs_reference: false,
    }))
}
