//! Readings of years: a four-digit number is a year only with a temporal cue (so "1500
//! troops" is not one), in a list of years, or after a determiner; spelled-out years,
//! decades and year-end.

use super::context::{not_nouns, Context};
use super::placement::{year_less_day, year_shift};
use super::relative::count_of;
use super::rules::number;
use super::values::day_value;
use super::Reading;
use crate::nlp::document::Granularity;
use crate::nlp::lexicon::{lexicon, month_number, ARTICLES, POSSESSIVE_DETERMINERS};
use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// A four-digit year: "in 2021", "mid-2020", "fiscal 2021", "the end of 1990".
pub(super) fn read_year(captures: &Captures, context: &Context) -> Option<Reading> {
    let year_match = captures.name("year")?;
    let year: i32 = year_match.as_str().parse().ok()?;
    let before = context.text[..year_match.start()].chars().next_back();
    if before.is_some_and(|c| matches!(c, '$' | '£' | '€' | '#' | '+' | '.' | ',' | '/')) {
        return None;
    }
    let after = &context.text[context.end..];
    if after.starts_with('%')
        || after.starts_with([',', '.', ':'])
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let next = context.next_word();
    let next_is_free = next.is_empty()
        || next.chars().next().is_some_and(char::is_uppercase)
        || context.next_word_in(lexicon!("dates/year_followers"))
        || context.text[context.end..].starts_with(['\'', '’']);
    // A determiner before the number makes it an attributive year ("the 1998 bombing") unless
    // it is round or far ahead, as counts are ("the 2000 troops").
    let previous = context.previous_word();
    // Plural demonstratives and quantifiers are left out on purpose: before a number they
    // count ("those 2000 troops", "some 2000 people").
    let determined = context.previous_word_in(&ARTICLES)
        || context.previous_word_in(&POSSESSIVE_DETERMINERS)
        || context.previous_word_is(&["this", "that"])
        || previous.ends_with("'s")
        || previous.ends_with("’s");
    let plausible_attributive = year % 100 != 0
        && context
            .anchor
            .is_none_or(|anchor| year <= anchor.year() + 5);
    let accepted = captures.name("modifier").is_some()
        || context.previous_word_in(lexicon!("dates/strong_year_cues"))
        || continues_year_list(context)
        || (context.previous_word_in(lexicon!("dates/weak_year_cues")) && next_is_free)
        || (determined && plausible_attributive);
    if !accepted {
        return None;
    }
    Some(Reading::date(Some(format!("{year:04}")), Granularity::Year))
}

/// Characters before a year that [`continues_year_list`] looks at.
const YEAR_LIST_REACH: usize = 80;

/// True inside a list of years that a strong cue opens: "in 1994, 1995 and 1997". The list
/// must be closed by "and"/"or" at this year or go on to another year, so a count after a
/// year ("In 2008, 1800 workers left") is not one.
fn continues_year_list(context: &Context) -> bool {
    static YEAR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*,?\s*(?:(?:and|or)\s+)?(?:1[6-9]|20)\d\d(?-u:\b)")
            .expect("year list pattern is valid")
    });
    static LIST_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:in|since|during|between|from|by)\s+(?:(?:1[6-9]|20)\d\d\s*,\s*)*(?:1[6-9]|20)\d\d\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)$",
        )
        .expect("year list pattern is valid")
    });
    let before = &context.text[..context.start];
    let reach_start = before
        .char_indices()
        .rev()
        .nth(YEAR_LIST_REACH - 1)
        .map_or(0, |(at, _)| at);
    let tail = &before[reach_start..];
    let closed = tail.trim_end().ends_with("and") || tail.trim_end().ends_with("or");
    LIST_BEFORE.is_match(tail) && (closed || YEAR_AFTER.is_match(&context.text[context.end..]))
}

/// A year spelled out, as broadcast transcripts write it: "nineteen ninety-six" -> `1996`,
/// "the year two thousand" -> `2000`, "January nineteen ninety-seven" -> `1997-01`. A lone
/// "nineteen" is a number; "two thousand" alone is a year only after "the year" or a month.
pub(super) fn read_spelled_year(captures: &Captures, _: &Context) -> Option<Reading> {
    let century = captures.name("century")?.as_str().to_lowercase();
    let nineteen = century == "nineteen";
    let within = match captures.name("rest") {
        None => {
            let named = captures.name("month").is_some() || captures.name("the_year").is_some();
            if nineteen || !named {
                return None;
            }
            0
        }
        Some(rest) => count_of(rest.as_str())?,
    };
    // "nineteen" takes two digits ("nineteen ten" .. "nineteen ninety-nine"); "two thousand"
    // only a unit ("two thousand and one").
    let year = match (nineteen, within) {
        (true, 10..=99) => 1900 + within,
        (false, 0..=9) => 2000 + within,
        _ => return None,
    };
    match captures
        .name("month")
        .and_then(|month| month_number(month.as_str()))
    {
        Some(month) => Some(Reading::date(
            Some(format!("{year:04}-{month:02}")),
            Granularity::Month,
        )),
        None => Some(Reading::date(Some(format!("{year:04}")), Granularity::Year)),
    }
}

/// "the 1990s" -> `199`, "the '80s" -> `198` (twentieth century), "the nineties" -> `199`.
pub(super) fn read_decade(captures: &Captures, _: &Context) -> Option<Reading> {
    let value = if let Some(decade) = captures.name("decade") {
        decade.as_str().to_string()
    } else if let Some(short) = captures.name("short") {
        format!("19{}", short.as_str())
    } else {
        let spelled = captures.name("spelled")?.as_str().to_lowercase();
        let tens = lexicon!("dates/decade_words")
            .iter()
            .position(|word| *word == spelled)?;
        format!("19{}", tens + 2)
    };
    Some(Reading::date(Some(value), Granularity::Decade))
}

/// "by year-end", "since year-end", "next year-end": December 31, placed like a year-less
/// date. "Year-end bonuses" are things, not days.
pub(super) fn read_year_end(captures: &Captures, context: &Context) -> Option<Reading> {
    // A fiscal year ends when the company says, not on December 31.
    if context.previous_word_is(&["fiscal"]) {
        return None;
    }
    if let Some(year) = number(captures, "year") {
        let date = NaiveDate::from_ymd_opt(year, 12, 31);
        return Some(Reading::date(date.map(day_value), Granularity::Day));
    }
    let next = context.next_word();
    if next.chars().next().is_some_and(char::is_lowercase) && !context.next_word_in(not_nouns()) {
        return None;
    }
    let value = context.anchor.and_then(|anchor| {
        let year = match captures.name("relative") {
            Some(relative) => anchor.year() + year_shift(relative.as_str()),
            None => return year_less_day(anchor, 12, 31, context.tense()),
        };
        NaiveDate::from_ymd_opt(year, 12, 31)
    });
    Some(Reading::date(value.map(day_value), Granularity::Day))
}
