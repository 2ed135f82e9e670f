//! Temporal expressions: finds dates and durations in every field and resolves each date to
//! a TIMEX3 value (`2022-07-07`, `2022-W31`, `2022-Q3`, `2022-SU`, `199`) anchored on the
//! publication time, so that downstream stages and readers can place events in the calendar.
//!
//! Each rule is a regular expression plus a reading that checks the context and computes the
//! value (`rules.rs`); where matches overlap the longest wins. A year-less date, month or
//! weekday is placed by the tense of its clause (`tense.rs`, `placement.rs`): news reports
//! the past, a future cue looks ahead. Expressions that refer back ("the quarter", "that
//! day", "the following month") take their value from what the text last named, here in
//! [`extract`]'s second pass. Without a publication time the expression is kept and
//! everything that needs the anchor gets a null value. Times of day, sets ("every Monday")
//! and dates anchored on an event ("two days later") are not covered.
//!
//! Files: `rules.rs` (the patterns, in priority order), `context.rs` (the words around a
//! match), `tense.rs` (the clause's tense), `placement.rs` (the occurrence a tense or a
//! relative word picks), `values.rs` (TIMEX3 values), and the readings: `calendar.rs` (full,
//! numeric and month-day dates, months), `years.rs` (years, decades, year-end),
//! `quarters.rs`, `seasons.rs`, `days.rs` (day words, weekdays, weekends), `holidays.rs`,
//! `relative.rs` (relative and anaphoric units, "ago", vague references, durations).

mod calendar;
mod context;
mod days;
mod holidays;
mod placement;
mod quarters;
mod relative;
mod rules;
mod seasons;
mod tense;
mod values;
mod years;

use crate::nlp::document::{DateMention, Document, Granularity, Span, TemporalKind};
use chrono::{Datelike, NaiveDate};
use context::Context;
use rules::{RULES, RULE_SET};
use std::collections::BTreeMap;
use values::{day_value, month_value, parse_quarter, quarter_value, shift_days, week_value};

pub use values::timex_start;

/// Finds temporal expressions in every field and resolves their values, in text order.
pub fn extract(document: &mut Document) {
    let anchor = document.published_at.map(|time| time.date_naive());
    let mut found = Vec::new();
    for field in 0..document.fields.len() {
        let text = document.fields[field].text.as_str();
        let mut candidates = Vec::new();
        // One scan says which rules match anywhere in the field; only those scan it again
        // for their matches (most articles match few of the rules).
        let matching = RULE_SET.matches(text);
        for (priority, rule) in RULES.iter().enumerate() {
            if !matching.matched(priority) {
                continue;
            }
            for captures in rule.pattern.captures_iter(text) {
                let whole = captures.get(0).expect("group 0 always matches");
                let context = Context {
                    document,
                    field,
                    text,
                    start: whole.start(),
                    end: whole.end(),
                    anchor,
                };
                if let Some(reading) = (rule.read)(&captures, &context) {
                    candidates.push((whole.start(), whole.end(), priority, reading));
                }
            }
        }
        // Longest first, then earlier rule: "July 7, 2022" beats "July" and "2022".
        candidates.sort_by_key(|&(start, end, priority, _)| {
            (std::cmp::Reverse(end - start), start, priority)
        });
        let mut kept: Vec<Found> = Vec::new();
        // Start -> end of the kept spans, which never overlap: a span overlaps one of them
        // exactly when it overlaps the last one starting before its end.
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        for (start, end, _, reading) in candidates {
            let span = Span::new(field, start, end);
            let overlaps =
                taken
                    .range(..end)
                    .next_back()
                    .is_some_and(|(&taken_start, &taken_end)| {
                        Span::new(field, taken_start, taken_end).overlaps(&span)
                    });
            if overlaps {
                continue;
            }
            taken.insert(start, end);
            let mention = DateMention {
                span,
                kind: reading.kind,
                value: reading.value,
                granularity: reading.granularity,
            };
            kept.push(Found {
                mention,
                anaphor: reading.anaphor,
                compares_back: reading.compares_back,
                follows: reading.follows,
            });
        }
        kept.sort_by_key(|found| found.mention.span);
        found.extend(kept);
    }
    document.dates = resolve_anaphora(document, found);
}

/// A kept match with what its reading says about the periods around it.
struct Found {
    mention: DateMention,
    anaphor: Option<Anaphor>,
    compares_back: bool,
    follows: Option<Follow>,
}

/// Gives anaphoric expressions their values in text order: "the quarter" and "a year
/// earlier" the quarter the text last named, "that day" and "the following year" the date
/// the text last named in the same field. Those that need a reference and have none are
/// dropped.
fn resolve_anaphora(document: &Document, found: Vec<Found>) -> Vec<DateMention> {
    let mut resolved: Vec<DateMention> = Vec::with_capacity(found.len());
    let mut last_quarter: Option<(i64, usize)> = None;
    let mut last_named = NamedDate::default();
    let mut field = None;
    let last_complete_quarter = document
        .published_at
        .map(|time| time.date_naive())
        .map(|anchor| i64::from(anchor.year()) * 4 + i64::from(anchor.month0() / 3) - 1);
    for Found {
        mut mention,
        anaphor,
        compares_back,
        follows,
    } in found
    {
        if field != Some(mention.span.field) {
            field = Some(mention.span.field);
            last_named = NamedDate::default();
        }
        let sentence = document
            .sentence_at(mention.span.field, mention.span.start)
            .unwrap_or(0);
        if let Some(anaphor) = anaphor {
            let reference = last_quarter.filter(|&(_, named_in)| {
                anaphor
                    .within_sentences
                    .is_none_or(|limit| sentence.saturating_sub(named_in) <= limit)
            });
            match reference {
                Some((quarter, _)) => {
                    let quarter = match anaphor.in_year {
                        Some(year) => i64::from(year) * 4 + quarter.rem_euclid(4),
                        None => quarter - 4 * anaphor.years_back,
                    };
                    let quarter = match last_complete_quarter {
                        Some(complete) if anaphor.completed => quarter.min(complete),
                        _ => quarter,
                    };
                    mention.value = Some(quarter_value(quarter));
                    mention.granularity = Some(Granularity::Quarter);
                }
                None if anaphor.needs_reference => continue,
                None => {}
            }
        }
        if let Some(follow) = follows {
            match last_named.shifted(follow) {
                Some(value) => mention.value = Some(value),
                None if follow.needs_reference => continue,
                None => {}
            }
        }
        let compares_back = anaphor
            .is_some_and(|anaphor| anaphor.years_back > 0 || anaphor.in_year.is_some())
            || compares_back;
        if mention.granularity == Some(Granularity::Quarter) && !compares_back {
            if let Some(quarter) = mention.value.as_deref().and_then(parse_quarter) {
                last_quarter = Some((quarter, sentence));
            }
        }
        if !compares_back {
            last_named.update(&mention);
        }
        resolved.push(mention);
    }
    resolved
}

/// An expression placed from the date the text last named: "that day" and "later that year"
/// (shift 0), "the next morning" (+1 day), "the following month" (+1 month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Follow {
    unit: Granularity,
    shift: i64,
    /// Dropped when the text named no such date before ("that day" alone says nothing);
    /// otherwise the reading's own value, from the publication, stays.
    needs_reference: bool,
}

/// The day, month and year the text last named, each as precise as its mention was: "in
/// 1996" names a year only, "July 7, 1996" all three.
#[derive(Debug, Clone, Copy, Default)]
struct NamedDate {
    day: Option<NaiveDate>,
    month: Option<i64>,
    year: Option<i32>,
}

impl NamedDate {
    fn update(&mut self, mention: &DateMention) {
        let Some(value) = mention.value.as_deref() else {
            return;
        };
        let Some(year) = value.get(..4).and_then(|year| year.parse::<i32>().ok()) else {
            return;
        };
        let month = value
            .get(4..7)
            .and_then(|month| month.strip_prefix('-'))
            .and_then(|month| month.parse::<u32>().ok())
            .filter(|month| (1..=12).contains(month));
        let day = NaiveDate::parse_from_str(value.get(..10).unwrap_or(""), "%Y-%m-%d").ok();
        *self = NamedDate {
            day,
            month: month.map(|month| i64::from(year) * 12 + i64::from(month) - 1),
            year: Some(year),
        };
    }

    fn shifted(&self, follow: Follow) -> Option<String> {
        match follow.unit {
            Granularity::Day => shift_days(self.day?, follow.shift).map(day_value),
            Granularity::Week => shift_days(self.day?, follow.shift * 7).map(week_value),
            Granularity::Month => Some(month_value(self.month? + follow.shift)),
            _ => Some(format!("{:04}", i64::from(self.year?) + follow.shift)),
        }
    }
}

/// An expression whose period is the one the text last named: "the quarter" is the quarter
/// under discussion, "the year-ago quarter" that quarter a year back, and "a year earlier"
/// next to a quarter compares with the same quarter of the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anaphor {
    years_back: i64,
    /// The named quarter's counterpart in this year ("the 1988 quarter").
    in_year: Option<i32>,
    /// "The latest quarter" is one already over: a quarter named ahead of the publication
    /// ("expects a fourth-quarter charge") gives way to the last complete one.
    completed: bool,
    /// How many sentences back the named quarter may be; `None` for anywhere before.
    within_sentences: Option<usize>,
    /// Dropped when no quarter was named ("the latest period" alone says nothing).
    needs_reference: bool,
}

/// What a rule makes of one match.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    kind: TemporalKind,
    value: Option<String>,
    granularity: Option<Granularity>,
    anaphor: Option<Anaphor>,
    /// Names a period only to compare with it ("the year-ago quarter"), so it does not become
    /// the period later anaphora refer to.
    compares_back: bool,
    follows: Option<Follow>,
}

impl Reading {
    fn date(value: Option<String>, granularity: Granularity) -> Reading {
        Reading {
            kind: TemporalKind::Date,
            value,
            granularity: Some(granularity),
            anaphor: None,
            compares_back: false,
            follows: None,
        }
    }

    fn referring(self, anaphor: Anaphor) -> Reading {
        Reading {
            anaphor: Some(anaphor),
            ..self
        }
    }

    fn following(self, follow: Follow) -> Reading {
        Reading {
            follows: Some(follow),
            ..self
        }
    }

    /// A date with no calendar value ("recently", "now").
    fn vague() -> Reading {
        Reading {
            kind: TemporalKind::Date,
            value: None,
            granularity: None,
            anaphor: None,
            compares_back: false,
            follows: None,
        }
    }

    fn duration() -> Reading {
        Reading {
            kind: TemporalKind::Duration,
            value: None,
            granularity: None,
            anaphor: None,
            compares_back: false,
            follows: None,
        }
    }
}
