//! Placing a cyclic date (a month-day, month, season, weekday, holiday) against the
//! publication: the occurrence the tense or a relative word ("last", "next", "this")
//! picks, within the reach each tense allows.

use super::context::Context;
use super::tense::Tense;
use crate::nlp::lexicon::lexicon;
use chrono::{Datelike, NaiveDate};

/// The occurrence of month/day for the tense: the latest on or before the anchor in the
/// past, the first on or after it in the future, the nearer of the two in the present.
pub(super) fn year_less_day(
    anchor: NaiveDate,
    month: u32,
    day: u32,
    tense: Tense,
) -> Option<NaiveDate> {
    let candidates = || {
        (anchor.year() - 4..=anchor.year() + 4)
            .filter_map(move |year| NaiveDate::from_ymd_opt(year, month, day))
    };
    let before = candidates().filter(|date| *date <= anchor).max();
    let after = candidates().filter(|date| *date >= anchor).min();
    by_tense(anchor, before, after, tense)
}

/// Of the occurrences on or before and on or after the anchor, the one the tense says: the
/// earlier in the past, the later in the future, and in the present the later when it is
/// nearer and within [`PRESENT_REACH_DAYS`].
pub(super) fn by_tense(
    anchor: NaiveDate,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
    tense: Tense,
) -> Option<NaiveDate> {
    match tense {
        Tense::Past => before,
        Tense::Future => after,
        Tense::Ahead => match (before, after) {
            (_, Some(after)) if (after - anchor).num_days() <= AHEAD_REACH_DAYS => Some(after),
            (Some(before), _) => Some(before),
            (None, after) => after,
        },
        Tense::Present => match (before, after) {
            (Some(before), Some(after))
                if after - anchor < anchor - before
                    && (after - anchor).num_days() <= PRESENT_REACH_DAYS =>
            {
                Some(after)
            }
            (Some(before), _) => Some(before),
            (None, after) => after,
        },
    }
}

/// How far ahead a put-off or arranged date may be read as upcoming ("postponed until Aug.
/// 2" a few days after Aug. 2 is the one that passed): half a year.
const AHEAD_REACH_DAYS: i64 = 182;

/// How far ahead a date in a present-tense clause may be read as upcoming: a third of a
/// year, as for month names (a third of their cycle).
const PRESENT_REACH_DAYS: i64 = 122;

/// How a relative word places a cyclic unit (a month name, a season, a weekday) against the
/// anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    /// "last March": the latest one strictly before the current one.
    Last,
    /// "this March": the one in the current year (or week).
    This,
    /// "next March": the first one strictly after the current one.
    Next,
    /// "March": the nearest one on the side the tense says.
    Nearest(Tense),
}

/// The relation a relative word names ("last", "this past", "next", "this"), given in lower
/// case; `None` for other words.
pub(super) fn named_relation(word: &str) -> Option<Relation> {
    if lexicon!("dates/last_words").contains(word) {
        Some(Relation::Last)
    } else if lexicon!("dates/next_words").contains(word) {
        Some(Relation::Next)
    } else if word == "this" {
        Some(Relation::This)
    } else {
        None
    }
}

/// The relation a relative word names, in any case and spacing; without one, the nearest
/// occurrence on the side the tense of the clause says.
pub(super) fn relation_of(word: Option<&str>, context: &Context) -> Relation {
    let word = word.map(|word| word.split_whitespace().collect::<Vec<_>>().join(" "));
    word.as_deref()
        .map(str::to_lowercase)
        .as_deref()
        .and_then(named_relation)
        .unwrap_or_else(|| Relation::Nearest(context.tense()))
}

/// Resolves a cyclic unit. Units are numbered consecutively (months as `year * 12 + month`);
/// `current` is the anchor's unit, `member` any unit of the wanted class (period `period`),
/// `cycle_start` the first unit of the anchor's cycle (its year, or its week).
pub(super) fn resolve_cycle(
    current: i64,
    member: i64,
    period: i64,
    cycle_start: i64,
    relation: Relation,
) -> i64 {
    let residue = member.rem_euclid(period);
    let on_or_before = |unit: i64| unit - (unit - residue).rem_euclid(period);
    let on_or_after = |unit: i64| unit + (residue - unit).rem_euclid(period);
    match relation {
        Relation::Last => on_or_before(current - 1),
        Relation::Next => on_or_after(current + 1),
        Relation::This => cycle_start + (residue - cycle_start).rem_euclid(period),
        Relation::Nearest(Tense::Past) => on_or_before(current),
        Relation::Nearest(Tense::Future) => on_or_after(current),
        // Within half the cycle; a weekday's next occurrence always ("until Tuesday").
        Relation::Nearest(Tense::Ahead) => {
            let after = on_or_after(current);
            if (after - current) * 2 <= period || period == 7 {
                after
            } else {
                on_or_before(current)
            }
        }
        Relation::Nearest(Tense::Present) => {
            let (before, after) = (on_or_before(current), on_or_after(current));
            if after - current < current - before && (after - current) * 3 <= period {
                after
            } else {
                before
            }
        }
    }
}

/// The years a relative word moves from the current one: "last year" -1, "next year" +1.
pub(super) fn year_shift(relative: &str) -> i32 {
    match named_relation(&relative.to_lowercase()) {
        Some(Relation::Last) => -1,
        Some(Relation::Next) => 1,
        _ => 0,
    }
}
