//! Readings relative to the publication or to the date the text last named: "the next
//! morning", "last week", "two days ago", vague references ("recently") and durations
//! ("for three weeks").

use super::context::Context;
use super::placement::{named_relation, Relation};
use super::quarters::QUARTER_COMPARISON_REACH;
use super::values::{day_value, month_index, month_value, quarter_value, shift_days, week_value};
use super::{Anaphor, Follow, NamedDate, Reading};
use crate::nlp::document::Granularity;
use crate::nlp::lexicon::{lexicon, SPEECH_VERBS};
use chrono::Datelike;
use regex::Captures;

/// The words of a named group, lowercase and single-spaced ("Later  That" → "later that").
fn words_of(captures: &Captures, group: &str) -> Option<String> {
    let words = captures.name(group)?.as_str().split_whitespace();
    Some(words.collect::<Vec<_>>().join(" ").to_lowercase())
}

/// "that day", "later that year", "the next morning", "the following month", "the previous
/// week": placed from the date the text last named. "The previous" falls back on the
/// publication; the others need a named date.
pub(super) fn read_named_reference(captures: &Captures, context: &Context) -> Option<Reading> {
    let which = words_of(captures, "which")?;
    let unit = captures.name("unit")?.as_str().to_lowercase();
    let granularity = match unit.as_str() {
        "week" => Granularity::Week,
        "month" => Granularity::Month,
        "year" => Granularity::Year,
        _ => Granularity::Day,
    };
    // "said that night shifts were cut", "day-to-day", "year after year": "that" opens a
    // clause, or the unit starts a compound.
    let after = &context.text[context.end..];
    if which.starts_with("that")
        && (after.starts_with('-')
            || context.next_word_is(&["after", "by"])
            || context.previous_word_is(&SPEECH_VERBS)
            || context.previous_word_in(lexicon!("dates/that_conjunction_heads")))
    {
        return None;
    }
    // "the next week" or "the next year" is a length of time; "the next day" is a day.
    if which == "the next" && granularity != Granularity::Day {
        return None;
    }
    let shift = match which.as_str() {
        "the following" | "the next" => 1,
        "the preceding" | "the previous" => -1,
        _ => 0,
    };
    let follow = Follow {
        unit: granularity,
        shift,
        needs_reference: shift >= 0,
    };
    let fallback = context
        .anchor
        .filter(|_| !follow.needs_reference)
        .and_then(|anchor| {
            let named = NamedDate {
                day: Some(anchor),
                month: Some(month_index(anchor)),
                year: Some(anchor.year()),
            };
            named.shifted(follow)
        });
    Some(Reading::date(fallback, granularity).following(follow))
}

/// "last week", "this month", "next year", "earlier this year", "the current quarter",
/// "the end of the year". "the past year" and "the next month" are lengths of time.
pub(super) fn read_relative_unit(captures: &Captures, context: &Context) -> Option<Reading> {
    let relative = words_of(captures, "relative")?;
    let unit = captures.name("unit")?.as_str().to_lowercase();
    let position = captures
        .name("position")
        .map(|position| position.as_str().to_lowercase());
    let at_edge = position
        .as_deref()
        .is_some_and(|position| position.contains(" of"));
    // "This Week" inside a sentence is a title.
    let whole = &context.text[context.start..context.end];
    let titled = whole
        .split_whitespace()
        .all(|word| word.starts_with(char::is_uppercase));
    if titled && whole.contains(' ') && !context.opens_sentence() {
        return None;
    }
    // "for the year", "of the full year": the current year; other uses of "the year" refer
    // to a year this stage does not track, and "the year-ago quarter" is another rule's.
    if relative == "the" && !at_edge {
        // "for the year ended June 30" is a fiscal year: a length of time, not a date.
        let current_year = unit == "year"
            && context.previous_word_in(lexicon!("dates/year_span_prepositions"))
            && !context.text[context.end..].starts_with(['-', '\'', '’'])
            && !context.next_word_is(&["ended", "ending"]);
        if !current_year {
            return None;
        }
    }
    if matches!(
        relative.as_str(),
        "the past" | "the last" | "the next" | "the coming"
    ) && !at_edge
    {
        return Some(Reading::duration());
    }
    // "the previous week" moves like "previous week"; "the year" stays.
    let bare = relative.strip_prefix("the ").unwrap_or(&relative);
    let shift: i64 = match named_relation(bare) {
        Some(Relation::Last) => -1,
        Some(Relation::Next) => 1,
        _ => 0,
    };
    let granularity = match unit.as_str() {
        "week" => Granularity::Week,
        "month" => Granularity::Month,
        "quarter" => Granularity::Quarter,
        "decade" => Granularity::Decade,
        _ => Granularity::Year,
    };
    let value = context.anchor.and_then(|anchor| match granularity {
        Granularity::Week => shift_days(anchor, shift * 7).map(week_value),
        Granularity::Month => Some(month_value(month_index(anchor) + shift)),
        Granularity::Quarter => {
            let current = i64::from(anchor.year()) * 4 + i64::from(anchor.month0() / 3);
            Some(quarter_value(current + shift))
        }
        Granularity::Decade => Some(format!("{:03}", i64::from(anchor.year()) / 10 + shift)),
        _ => Some(format!("{:04}", i64::from(anchor.year()) + shift)),
    });
    Some(Reading::date(value, granularity))
}

/// The number a count phrase stands for; `None` for vague counts ("several", "a few").
pub(super) fn count_of(phrase: &str) -> Option<i64> {
    if let Ok(number) = phrase.parse() {
        return Some(number);
    }
    if phrase.trim().is_empty() {
        return None;
    }
    let mut total = 0;
    for word in phrase
        .to_lowercase()
        .split(['-', ' '])
        .filter(|word| !word.is_empty())
    {
        total += if word == "a" || word == "an" {
            1
        } else if let Some(unit) = lexicon!("dates/number_units")
            .iter()
            .position(|unit| *unit == word)
        {
            unit as i64
        } else {
            (lexicon!("dates/number_tens")
                .iter()
                .position(|tens| *tens == word)? as i64
                + 2)
                * 10
        };
    }
    Some(total)
}

/// "two days ago", "a year earlier", "three weeks from now".
pub(super) fn read_ago(captures: &Captures, context: &Context) -> Option<Reading> {
    let unit = captures.name("unit")?.as_str().to_lowercase();
    let unit = unit.trim_end_matches('s');
    let granularity = match unit {
        "day" => Granularity::Day,
        "week" => Granularity::Week,
        "month" => Granularity::Month,
        _ => Granularity::Year,
    };
    let Some(count) = count_of(captures.name("count")?.as_str()) else {
        return Some(Reading::vague());
    };
    let direction = captures.name("direction")?.as_str().to_lowercase();
    let sign = if matches!(direction.as_str(), "ago" | "earlier") {
        -1
    } else {
        1
    };
    let value = context.anchor.and_then(|anchor| match unit {
        "day" => shift_days(anchor, sign * count).map(day_value),
        "week" => shift_days(anchor, sign * count * 7).map(week_value),
        "month" => Some(month_value(month_index(anchor) + sign * count)),
        "decade" => Some(format!(
            "{:04}",
            i64::from(anchor.year()) + sign * count * 10
        )),
        _ => Some(format!("{:04}", i64::from(anchor.year()) + sign * count)),
    });
    let reading = Reading::date(value, granularity);
    // "profit rose from $5 million a year earlier": next to a quarter, whole years back
    // compare with the same quarter.
    if unit == "year" && sign < 0 {
        return Some(reading.referring(Anaphor {
            years_back: count,
            in_year: None,
            completed: false,
            within_sentences: Some(QUARTER_COMPARISON_REACH),
            needs_reference: false,
        }));
    }
    Some(reading)
}

/// "recently", "now", "the past", "in recent years": dates with no calendar value.
pub(super) fn read_vague(_: &Captures, context: &Context) -> Option<Reading> {
    // "the past two quarters", "the past century": a length of time, not the past.
    let next = context.next_word().to_lowercase();
    let starts_length = count_of(&next).is_some() || lexicon!("dates/length_words").contains(&next);
    if context.text[context.start..context.end]
        .to_lowercase()
        .ends_with("past")
        && starts_length
    {
        return None;
    }
    Some(Reading::vague())
}

/// "less than a month", "for three weeks", "several months", "the past two years".
pub(super) fn read_duration(captures: &Captures, context: &Context) -> Option<Reading> {
    let count = captures.name("count")?;
    let whole_starts_with_count = count.start() == context.start;
    if whole_starts_with_count
        && matches!(count.as_str().to_lowercase().as_str(), "a" | "an")
        && !context.previous_word_in(lexicon!("dates/duration_prepositions"))
    {
        return None;
    }
    // "two years old" is an age, not a length of time.
    if context.next_word().eq_ignore_ascii_case("old") {
        return None;
    }
    Some(Reading::duration())
}
