//! Temporal expressions: finds dates and durations in every field and resolves each date to
//! a TIMEX3 value (`2022-07-07`, `2022-W31`, `2022-Q3`, `2022-SU`, `199`) anchored on the
//! publication time.
//!
//! Each rule is a regular expression (compiled once) plus a reading that checks the context
//! and computes the value. Where rules overlap the longest match wins. Covered: full and
//! numeric dates, month-day without a year, months, years (only with a temporal cue, so "1500
//! troops" is not a year), decades, quarters, seasons, today/yesterday/tomorrow, weekdays,
//! "last week"-style relative units, "two days ago", vague references ("recently", "now"; kept
//! with a null value) and durations ("less than a month"; kind `duration`, null value, null
//! granularity: a length of time has no place in the calendar).
//!
//! A year-less date, month or weekday is placed by the tense of its clause (a future cue
//! before it in the clause, else the nearest tense-bearing word): on or before the
//! publication in the past tense (news reports the past), on or after it with a future cue
//! ("will", "is due to", "next"), and in the present tense, after an infinitive ("decided to
//! hold the vote on Sept. 3") or after a deadline preposition ("extended until Sept. 9") the
//! nearer of the two when the later one is within a third of its cycle ("is payable
//! Dec. 15"); a participle after "be" or a determiner ("would be held", "the proposed
//! date") is no past tense. "Since" looks back; "planned for" reads like the present; "is
//! to reopen Monday" is a future cue; what was put off ("postponed until Tuesday") lies
//! ahead when the next occurrence is within half its cycle. A date that modifies a noun
//! ("the Jan. 14 deadline") names an occasion, so an occurrence within a month of the
//! publication wins over a farther one the tense would pick. "The quarter", "the latest quarter" and "a year earlier" next to
//! a named quarter refer to the quarter the text last named. Without a publication time the
//! expression is kept and everything that needs the anchor gets a null value.
//!
//! Holidays ("Thanksgiving", "last Christmas", "Easter") are days placed like year-less
//! dates; those that move are computed (US federal days, Easter by the computus). Weekends
//! ("over the weekend") are placed like weekdays and written `2022-W31-WE`; "the week of
//! March 6" is that day's week; "year-end" is December 31.
//!
//! References to a date the text named before take their value from it, in text order and
//! within one field: "that day", "later that year", "the next morning", "the following
//! month", "the previous week" (which falls back on the publication when nothing was
//! named; the others are dropped then). "The quarter a year ago", "last year's quarter" and
//! "the 1988 quarter" are the quarter under discussion moved to another year.
//!
//! Not covered: times of day ("10 p.m. Wednesday" and "this morning" are left out; "the
//! next morning" and "that night" are read as the day they fall on), sets
//! ("every Monday"), dates anchored on an event ("two days later", "the day after the
//! vote"), other holidays, halves and centuries (no value form in the output contract).
//! Spelled-out years ("nineteen ninety-six", "the year two thousand") are read, as broadcast
//! transcripts write them.

use super::document::{DateMention, Document, Granularity, Span, TemporalKind};
use super::lexicon::{
    is_determiner, month_number, weekday_index, ARTICLES, MONTHS, MONTH_ABBREVIATIONS,
    POSSESSIVE_DETERMINERS, SPEECH_VERBS, WEEKDAYS,
};
use chrono::{Datelike, Days, NaiveDate};
use regex::{Captures, Regex};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Finds temporal expressions in every field and resolves their values, in text order.
pub fn extract(document: &mut Document) {
    let anchor = document.published_at.map(|time| time.date_naive());
    let mut found = Vec::new();
    for field in 0..document.fields.len() {
        let text = document.fields[field].text.as_str();
        let mut candidates = Vec::new();
        for (priority, rule) in RULES.iter().enumerate() {
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

/// The first day of the period a TIMEX3 value names: `2022` -> Jan 1, `2022-W30` -> its
/// Monday, `2022-W30-WE` -> its Saturday, `2022-Q3` -> Jul 1, `2022-SU` -> Jun 21 (seasons
/// at their astronomical start), `199` -> 1990-01-01. `None` for other values.
pub fn timex_start(value: &str) -> Option<NaiveDate> {
    let digits = value.chars().take_while(char::is_ascii_digit).count();
    let year: i32 = match digits {
        3 if value.len() == 3 => {
            return NaiveDate::from_ymd_opt(value.parse::<i32>().ok()? * 10, 1, 1)
        }
        4 => value[..4].parse().ok()?,
        _ => return None,
    };
    let rest = &value[4..];
    if rest.is_empty() {
        return NaiveDate::from_ymd_opt(year, 1, 1);
    }
    let part = rest.strip_prefix('-')?;
    if let Some(week) = part.strip_prefix('W') {
        let (number, weekend) = match week.strip_suffix("-WE") {
            Some(number) => (number, true),
            None => (week, false),
        };
        let day = if weekend {
            chrono::Weekday::Sat
        } else {
            chrono::Weekday::Mon
        };
        return NaiveDate::from_isoywd_opt(year, number.parse().ok()?, day);
    }
    if part.starts_with('Q') {
        let quarter = parse_quarter(value)?;
        let month = u32::try_from(quarter.rem_euclid(4) * 3 + 1).ok()?;
        // "2022-Q9" parses, but is no quarter.
        return (quarter.div_euclid(4) == i64::from(year))
            .then(|| NaiveDate::from_ymd_opt(year, month, 1))
            .flatten();
    }
    match part {
        "SP" => return NaiveDate::from_ymd_opt(year, 3, 20),
        "SU" => return NaiveDate::from_ymd_opt(year, 6, 21),
        "FA" => return NaiveDate::from_ymd_opt(year, 9, 22),
        "WI" => return NaiveDate::from_ymd_opt(year, 12, 21),
        _ => {}
    }
    let month: u32 = part.get(..2)?.parse().ok()?;
    match part.get(2..) {
        Some("") => NaiveDate::from_ymd_opt(year, month, 1),
        Some(day) => {
            NaiveDate::from_ymd_opt(year, month, day.strip_prefix('-')?.get(..2)?.parse().ok()?)
        }
        None => None,
    }
}

fn parse_quarter(value: &str) -> Option<i64> {
    let (year, quarter) = value.split_once("-Q")?;
    Some(year.parse::<i64>().ok()? * 4 + quarter.parse::<i64>().ok()? - 1)
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

/// Where a match sits: enough to look at its neighbours and its clause.
struct Context<'a> {
    document: &'a Document,
    field: usize,
    text: &'a str,
    start: usize,
    end: usize,
    anchor: Option<NaiveDate>,
}

impl Context<'_> {
    /// The word right before the match (lowercase compare is up to the caller), or "" when
    /// punctuation or the start of the text comes first.
    fn previous_word(&self) -> &str {
        previous_word(self.text, self.start)
    }

    fn next_word(&self) -> &str {
        next_word(self.text, self.end)
    }

    /// The word before [`Self::previous_word`] ("ahead" in "ahead of tomorrow").
    fn word_before_previous(&self) -> &str {
        let previous = self.previous_word();
        // The previous word is a slice of the text: its offset is the distance between them.
        let previous_start = previous.as_ptr() as usize - self.text.as_ptr() as usize;
        previous_word(self.text, previous_start)
    }

    fn previous_word_is(&self, words: &[&str]) -> bool {
        let previous = self.previous_word();
        words.iter().any(|word| previous.eq_ignore_ascii_case(word))
    }

    fn next_word_is(&self, words: &[&str]) -> bool {
        let next = self.next_word();
        words.iter().any(|word| next.eq_ignore_ascii_case(word))
    }

    /// True when the match opens its sentence (after any opening quotes or brackets).
    fn opens_sentence(&self) -> bool {
        let before = self.text[..self.start].trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\'' | '`' | '(' | '[' | '«')
        });
        match self.document.sentence_at(self.field, self.start) {
            Some(sentence) => {
                let sentence_start = self.document.sentences[sentence].span.start;
                before.len() <= sentence_start
            }
            None => before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':']),
        }
    }

    /// The tense that places the match; "since" always looks back ("since June 1").
    fn tense(&self) -> Tense {
        if self.previous_word_is(&["since"]) {
            return Tense::Past;
        }
        clause_tense(self.document, Span::new(self.field, self.start, self.end))
    }
}

fn previous_word(text: &str, offset: usize) -> &str {
    let before = text[..offset].trim_end();
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map_or(0, |index| {
            index + before[index..].chars().next().map_or(1, char::len_utf8)
        });
    &before[word_start..]
}

fn next_word(text: &str, offset: usize) -> &str {
    let after = text[offset..].trim_start();
    let word_end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .unwrap_or(after.len());
    &after[..word_end]
}

/// Whether an expression points to the past or the future of the publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    /// No verb says past or future: the nearest occurrence either way.
    Present,
    /// Put off ("postponed until Tuesday"): the next occurrence when it lies within half
    /// its cycle (a weekday's always), else the last one.
    Ahead,
    Future,
}

/// Words that make a clause speak about the future.
const FUTURE_CUES: &[&str] = &[
    "will",
    "shall",
    "won't",
    "due",
    "scheduled",
    "expected",
    "expects",
    "upcoming",
    "forthcoming",
    "expect",
    "next",
    "coming",
];

/// Tokens that end a clause for the purpose of the tense check: the date in "said on Monday
/// that he will travel" belongs to "said", not to "will travel".
const CLAUSE_BOUNDARIES: &[&str] = &[
    ";",
    ":",
    "—",
    "–",
    "“",
    "”",
    "\"",
    "(",
    ")",
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "announced",
    "reported",
    "that",
    "which",
    "who",
    "but",
    "while",
    "whereas",
    "although",
    "though",
];

/// Past forms of common irregular verbs; regular ones are recognised by "-ed".
const IRREGULAR_PAST: &[&str] = &[
    "was", "were", "had", "did", "met", "made", "took", "came", "went", "held", "gave", "began",
    "left", "saw", "got", "became", "fell", "rose", "won", "lost", "paid", "sold", "bought",
    "found", "brought", "thought", "kept", "spent", "led", "ran", "wrote", "spoke", "sent",
    "struck", "told", "said", "knew", "grew", "drew", "flew", "threw", "stood", "sat", "felt",
    "meant", "built", "broke", "chose", "drove", "ate", "forgot", "hid", "rode", "shook", "stole",
    "swore", "tore", "woke", "wore", "fought", "caught", "taught", "sought", "dealt", "fled",
    "slid", "sank", "shot", "sprang", "stuck", "swung",
];

/// Auxiliaries after which an "-ed" word is a present passive or an adjective ("is based").
const PRESENT_AUXILIARIES: &[&str] = &["is", "are", "am", "be", "being", "'s", "’s"];

fn is_past_form(document: &Document, index: usize, clause_start: usize) -> bool {
    let text = document.token_text(index);
    // Capitalised words are names ("United"), not verbs, except at the start.
    if index > clause_start && text.starts_with(char::is_uppercase) {
        return false;
    }
    let word = text.to_lowercase();
    let irregular = IRREGULAR_PAST.contains(&word.as_str());
    // "-eed" words ("need", "proceed") are not past forms.
    let regular = word.len() >= 4
        && word.ends_with("ed")
        && !word.ends_with("eed")
        && word.chars().all(char::is_alphabetic);
    let previous = if index > clause_start {
        document.token_text(index - 1).to_lowercase()
    } else {
        String::new()
    };
    let after_present_auxiliary = PRESENT_AUXILIARIES.contains(&previous.as_str());
    // "would be held", "being paid": a passive participle; the word before "be" tells.
    let passive = matches!(previous.as_str(), "be" | "being" | "been");
    // "the proposed merger", "a newly scheduled date": a participle after a determiner (and
    // perhaps an adverb) is an adjective.
    let adjective = is_determiner(&previous)
        || (index > clause_start + 1
            && (previous.ends_with("ly") || matches!(previous.as_str(), "still" | "yet"))
            && is_determiner(&document.token_text(index - 2).to_lowercase()));
    (irregular || regular) && !after_present_auxiliary && !passive && !adjective
}

/// Prepositions that make the date after them a deadline.
const DEADLINE_PREPOSITIONS: &[&str] = &["until", "till", "through", "to"];

/// A verb after the infinitive "to": a lowercase word that is not a determiner or a number
/// ("to expire", not "to the" or "to 5").
fn is_infinitive(document: &Document, index: usize) -> bool {
    let word = document.token_text(index);
    document.token_text(index - 1).eq_ignore_ascii_case("to")
        && word.len() > 1
        && word.chars().all(|c| c.is_ascii_lowercase())
        && !ARTICLES.contains(word)
        && !POSSESSIVE_DETERMINERS.contains(word)
        && !matches!(word, "this" | "that" | "these" | "those" | "be")
}

/// "has been", "have agreed": a perfect is about the past; "has 500 staff" is present.
fn is_perfect(document: &Document, index: usize, sentence_end: usize) -> bool {
    let word = document.token_text(index);
    let auxiliary = ["has", "have", "had"]
        .iter()
        .any(|form| word.eq_ignore_ascii_case(form));
    auxiliary
        && index + 1 < sentence_end
        && (document.token_text(index + 1).eq_ignore_ascii_case("been")
            || is_past_form(document, index + 1, index))
}

/// The tense of the clause around `span`: a future cue anywhere in it wins, then a past verb
/// (including the reporting verb that closes it, "said Tuesday"), else present.
fn clause_tense(document: &Document, span: Span) -> Tense {
    let Some(sentence) = document.sentence_at(span.field, span.start) else {
        return Tense::Past;
    };
    let tokens = document.sentences[sentence].tokens.clone();
    let word_is = |index: usize, list: &[&str]| {
        let word = document.token_text(index);
        list.iter().any(|entry| word.eq_ignore_ascii_case(entry))
    };
    let is_future_cue = |index: usize| {
        let word = document.token_text(index);
        // "plans to go" looks ahead; "vacation plans" does not.
        let intends = word_is(index, &["plans", "plan", "planning", "intends", "intend"])
            && index + 1 < tokens.end
            && document.token_text(index + 1).eq_ignore_ascii_case("to");
        // "is to resume trading Tuesday": an arrangement ahead.
        // Not "who is to blame", nor "the aim is to know what happened".
        let arranged = word_is(index, &["is", "are"])
            && index + 2 < tokens.end
            && document.token_text(index + 1).eq_ignore_ascii_case("to")
            && is_infinitive(document, index + 2)
            && !word_is(index + 2, &["blame", "be"])
            && !(index > tokens.start && word_is(index - 1, PURPOSE_NOUNS));
        intends
            || arranged
            || word_is(index, FUTURE_CUES)
            || word.ends_with("'ll")
            || word.ends_with("’ll")
    };
    let inside = |index: usize| document.tokens[index].span.overlaps(&span);
    let first = tokens.clone().find(|&index| inside(index));
    let last = tokens.clone().rev().find(|&index| inside(index));
    let (Some(first), Some(last)) = (first, last) else {
        return Tense::Past;
    };
    // The clause: out from the expression to the nearest boundary on each side; a boundary
    // that is a verb ("said") still tells the tense.
    let mut clause_start = first;
    while clause_start > tokens.start && !word_is(clause_start - 1, CLAUSE_BOUNDARIES) {
        clause_start -= 1;
    }
    let mut clause_end = last + 1;
    while clause_end < tokens.end && !word_is(clause_end, CLAUSE_BOUNDARIES) {
        clause_end += 1;
    }
    // The nearest tense-bearing word decides: first looking back to the clause start, then
    // ahead to its end, then the reporting verbs that close it.
    let boundary_verbs = [clause_start.checked_sub(1), Some(clause_end)]
        .into_iter()
        .flatten()
        .filter(|&index| index >= tokens.start && index < tokens.end);
    let nearest_first = (clause_start..first)
        .rev()
        .chain(last + 1..clause_end)
        .chain(boundary_verbs);
    // A future cue anywhere in the clause before the date wins ("will buy back the preferred
    // shares on Sept. 9").
    if (clause_start..first).any(is_future_cue) {
        return Tense::Future;
    }
    // A deadline ("extended to Sept. 9", "until March") may lie on either side, except
    // what was put off ("postponed until Tuesday") lies ahead.
    if first > tokens.start && word_is(first - 1, DEADLINE_PREPOSITIONS) {
        let put_off = (clause_start..first - 1).any(|index| word_is(index, PUT_OFF_VERBS));
        return if put_off {
            Tense::Ahead
        } else {
            Tense::Present
        };
    }
    for index in nearest_first {
        if is_future_cue(index) {
            return Tense::Future;
        }
        // An infinitive ("set to expire Nov. 6", "decided to admit them in March") speaks
        // of something intended, which may lie on either side of the publication.
        if index > tokens.start && index < first && is_infinitive(document, index) {
            return Tense::Present;
        }
        if is_perfect(document, index, tokens.end) {
            return Tense::Past;
        }
        if word_is(index, PRESENT_MARKERS) {
            return Tense::Present;
        }
        // "was planned for March", "is set for Sept. 3": a plan, on either side.
        if word_is(index, PLAN_PARTICIPLES)
            && index + 1 < tokens.end
            && document.token_text(index + 1).eq_ignore_ascii_case("for")
        {
            return Tense::Present;
        }
        if is_past_form(document, index, tokens.start) {
            return Tense::Past;
        }
    }
    Tense::Present
}

/// Nouns whose "is to" states a purpose, not an arrangement ("the aim is to ...").
const PURPOSE_NOUNS: &[&str] = &[
    "aim",
    "goal",
    "plan",
    "idea",
    "task",
    "job",
    "challenge",
    "priority",
    "point",
    "purpose",
    "objective",
    "solution",
    "answer",
    "key",
    "question",
    "hope",
    "intention",
    "mission",
    "role",
    "rule",
    "problem",
    "difficulty",
    "test",
    "trick",
    "what",
    "who",
];

/// Verbs that move something later: a deadline after them lies ahead.
const PUT_OFF_VERBS: &[&str] = &[
    "postponed",
    "postpone",
    "postpones",
    "delayed",
    "delay",
    "delays",
    "deferred",
    "defer",
    "adjourned",
    "adjourn",
    "rescheduled",
];

/// Participles that, before "for", make the date a planned one ("was planned for March").
const PLAN_PARTICIPLES: &[&str] = &["planned", "set", "slated", "timed", "earmarked"];

/// Present-tense auxiliaries, modals and predicates that leave a date on either side of the
/// publication ("is payable Dec. 15", "must be returned by Jan. 14").
const PRESENT_MARKERS: &[&str] = &[
    "is",
    "are",
    "am",
    "has",
    "have",
    "does",
    "do",
    "says",
    "would",
    "must",
    "should",
    "could",
    "might",
    "may",
    "can",
    "payable",
    "effective",
];

/// One rule: a pattern and the reading of what it matched (`None` rejects the match).
struct Rule {
    pattern: Regex,
    read: fn(&Captures, &Context) -> Option<Reading>,
}

/// Capitalised and all-caps spellings: a lowercase "may" or "march" is a verb.
fn capitalised_alternatives(words: &[&str]) -> String {
    words
        .iter()
        .flat_map(|word| [word.to_string(), word.to_uppercase()])
        .collect::<Vec<_>>()
        .join("|")
}

/// Builds a rule pattern: fills the shared placeholders and makes `\b` ASCII-only, which
/// keeps the regex engine on its fast path for text with curly quotes and accents.
fn pattern(template: &str) -> Regex {
    let full_months = capitalised_alternatives(&MONTHS);
    let abbreviations = capitalised_alternatives(&MONTH_ABBREVIATIONS);
    let filled = template
        // Any month spelling; an abbreviation may drop its period ("Aug 5").
        .replace(
            "{month}",
            &format!("(?:(?:{full_months})\\b|(?:{abbreviations})(?:\\.|\\b))"),
        )
        // A month standing without a day: full names or dotted abbreviations only.
        .replace(
            "{month_named}",
            &format!("(?:(?:{full_months})\\b|(?:{abbreviations})\\.)"),
        )
        .replace("{month_full}", &format!("(?:{full_months})\\b"))
        .replace(
            "{weekday}",
            &format!("(?:{})", capitalised_alternatives(&WEEKDAYS)),
        )
        .replace(
            "{count}",
            "(?:\\d+|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\
             thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|\
             (?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\\s](?:one|two|three|\
             four|five|six|seven|eight|nine))?|a\\s+few|a\\s+couple\\s+of|a\\s+couple|several|\
             many|a\\s+number\\s+of|few))",
        )
        .replace("{part_of_day}", "(?i:morning|afternoon|evening|night)")
        .replace("\\b", "(?-u:\\b)");
    Regex::new(&filled).unwrap_or_else(|error| panic!("date rule pattern is invalid: {error}"))
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        Rule {
            pattern: pattern(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
            read: read_iso_date,
        },
        Rule {
            pattern: pattern(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})\b"),
            read: read_numeric_date,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<weekday>{weekday}),?\s+)?(?P<month>{month})\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?",
            ),
            read: read_month_day,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<weekday>{weekday}),?\s+)?(?:(?i:the)\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:(?i:of)\s+)?(?P<month>{month})(?:,?\s+(?P<year>\d{4})\b)?",
            ),
            read: read_month_day,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<modifier>(?i:early|mid|late|(?:the\s+)?(?:beginning|start|end|middle)\s+of))[-\s]+)?(?P<month>{month_named})(?:,?\s+(?:(?i:of)\s+)?(?P<year>\d{4})\b|\s+(?P<relative>(?i:last|this|next))\s+(?i:year)\b)",
            ),
            read: read_month_of_year,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<relative>(?i:last|this|next|this\s+coming|this\s+past|early|mid|late|(?:the\s+)?(?:beginning|start|end|middle)\s+of))[-\s]+)?(?P<month>{month_full})",
            ),
            read: read_month,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<modifier>(?i:fiscal|early|mid|late|post|pre|the\s+year|(?:the\s+)?(?:beginning|start|end|middle)\s+of))[-\s]+)?(?P<year>(?:1[6-9]|20)\d\d)\b",
            ),
            read: read_year,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<month>{month_full})\s+|(?P<the_year>(?i:the\s+year))\s+)?(?P<century>(?i:nineteen|two\s+thousand))(?:[-\s]+(?i:and\s+)?(?P<rest>(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine)))?\b",
            ),
            read: read_spelled_year,
        },
        Rule {
            pattern: pattern(
                r"(?:\b(?i:the)\s+)?(?:\b(?i:early|mid|late)[-\s]+)?(?:\b(?P<decade>(?:1[6-9]|20)\d)0['’]?s|['’](?P<short>\d)0s)\b",
            ),
            read: read_decade,
        },
        Rule {
            pattern: pattern(
                r"\b(?i:the)\s+(?:(?i:early|mid|late)[-\s]+)?(?P<spelled>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b",
            ),
            read: read_decade,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?i:the|its|a|this|that)\s+)?(?:(?P<before_year>\d{4})\s+|(?P<relative>(?i:this|last|next))\s+(?i:year)['’]s\s+|(?P<year_ago>(?i:year-ago|year-earlier))\s+)?(?:(?i:fiscal|calendar)[-\s]+)?(?P<ordinal>(?i:first|second|third|fourth|final|1st|2nd|3rd|4th))[-\s]+(?:(?i:fiscal|calendar)[-\s]+)?(?i:quarter)\b(?:\s+(?i:of)\s+(?:(?i:fiscal\s+)?(?P<of_year>\d{4})\b|(?i:the\s+)?(?P<of_relative>(?i:this|last|next|current|previous))\s+(?i:(?:fiscal\s+)?year)\b)|\s+(?P<after_year>\d{4})\b)?",
            ),
            read: read_quarter,
        },
        Rule {
            pattern: pattern(
                r"\b(?P<quarter>Q[1-4])(?:\s+(?P<year>\d{4})|\s*['’](?P<short>\d{2}))?\b",
            ),
            read: read_quarter,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<relative>(?i:last|this|next|this\s+past|this\s+coming|early|mid|late))[-\s]+)?(?:(?P<article>(?i:the))\s+(?:(?i:early|mid|late)[-\s]+)?)?(?P<season>(?i:spring|summer|autumn|fall|winter))\b(?:\s+(?:(?i:of)\s+)?(?P<year>\d{4})\b)?",
            ),
            read: read_season,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?i:the\s+day\s+)(?P<shift>(?i:before|after))\s+)?(?:(?i:early|late|earlier|later)\s+)?(?P<word>(?i:today|tonight|yesterday|tomorrow))(?:\s+{part_of_day})?\b",
            ),
            read: read_day_word,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<relative>(?i:last|next|this|this\s+coming|this\s+past|coming|past|previous|early|late|earlier|later))\s+)?(?P<weekday>{weekday})(?:\s+{part_of_day})?\b",
            ),
            read: read_weekday,
        },
        Rule {
            pattern: pattern(
                r"\b(?P<relative>(?i:last|this|next|this\s+past|this\s+coming|the\s+past|the\s+coming|the))\s+(?i:weekend)\b",
            ),
            read: read_weekend,
        },
        Rule {
            pattern: pattern(
                r"\b(?i:the\s+week\s+of)\s+(?P<month>{month})\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?",
            ),
            read: read_week_of,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<position>(?i:early|late|earlier|later))\s+(?:(?i:in|on)\s+)?)?(?P<which>(?i:that(?:\s+same)?|the\s+same|the\s+following|the\s+preceding|the\s+previous|the\s+next))\s+(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year))\b",
            ),
            read: read_named_reference,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<relative>(?i:last|this|next))\s+)?(?i:year[-\s]end|year['’]s\s+end)\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
            ),
            read: read_year_end,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<position>(?i:early|late|earlier|later|(?:the\s+)?(?:end|beginning|start|middle)\s+of))\s+)?(?P<relative>(?i:last|this|next|the\s+coming|the\s+current|the\s+previous|the\s+next|the\s+last|the\s+past|the|coming|current|past|previous))\s+(?:(?P<extent>(?i:full|fiscal|calendar))\s+)?(?P<unit>(?i:week|month|year|quarter|decade))\b",
            ),
            read: read_relative_unit,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<article>(?i:the|its|that))\s+|(?P<relative>(?i:last|this))\s+(?i:year)['’]s\s+)?(?:(?P<year>(?:19|20)\d\d)\s+)?(?P<modifiers>(?:(?i:latest|most\s+recent|same|comparable|corresponding|year-ago|year-earlier|fiscal)\s+)*)(?P<unit>(?i:quarter|period))\b(?:\s+(?P<back>(?i:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|the\s+year\s+before))\b)?",
            ),
            read: read_referring_quarter,
        },
        Rule {
            pattern: pattern(r"\b(?i:year-ago|year-earlier)\b"),
            read: read_year_ago_adjective,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?i:about|nearly|almost|some|roughly|around|more\s+than|less\s+than|over|just|only|barely|exactly|at\s+least)\s+)?(?P<count>{count})\s+(?P<unit>(?i:days?|weeks?|months?|years?|decades?))\s+(?P<direction>(?i:ago|earlier|from\s+now|hence))\b",
            ),
            read: read_ago,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?P<relative>(?i:last|this|next|this\s+past|this\s+coming))\s+)?(?P<holiday>Christmas\s+Eve|Christmas(?:\s+Day)?|New\s+Year['’]s\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?|Halloween|Valentine['’]s\s+Day|Easter(?:\s+Sunday)?|Good\s+Friday|Labor\s+Day|Memorial\s+Day|Election\s+Day)\b",
            ),
            read: read_holiday,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?i:right\s+now|now|currently|more\s+recently|recently|nowadays|these\s+days|at\s+present|the\s+near\s+future|the\s+future|the\s+past|the\s+(?:near|short)\s+term|a\s+later\s+date)|(?i:recent|the\s+coming|coming|past)\s+(?i:days|weeks|months|years))\b",
            ),
            read: read_vague,
        },
        Rule {
            pattern: pattern(
                r"\b(?:(?i:about|nearly|almost|some|roughly|around|more\s+than|less\s+than|fewer\s+than|over|just|only|at\s+least|up\s+to|the\s+past|the\s+last|the\s+next|the\s+first|the\s+coming|another|an\s+additional)\s+)?(?P<count>{count})\s+(?:(?i:more|full|straight|consecutive)\s+)?(?P<unit>(?i:days?|weeks?|months?|years?|decades?|quarters|centuries|century|hours?|minutes?))\b",
            ),
            read: read_duration,
        },
    ]
});

// ---- readings -------------------------------------------------------------------------

fn number(captures: &Captures, name: &str) -> Option<i32> {
    captures.name(name)?.as_str().parse().ok()
}

fn day_value(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn read_iso_date(captures: &Captures, _: &Context) -> Option<Reading> {
    let date = NaiveDate::from_ymd_opt(
        number(captures, "year")?,
        number(captures, "month")? as u32,
        number(captures, "day")? as u32,
    )?;
    Some(Reading::date(Some(day_value(date)), Granularity::Day))
}

/// "08/05/2022" in US order (month first); day first only when the first number cannot be a
/// month ("25/12/2021").
fn read_numeric_date(captures: &Captures, context: &Context) -> Option<Reading> {
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

/// "each Monday", "every July": a recurring time, not a date.
fn names_a_set(context: &Context) -> bool {
    context.previous_word_is(&["each", "every"])
}

/// Characters enough to hold the longest ending [`follows_clock_time`] looks for.
const CLOCK_ENDING_CHARS: usize = 8;

/// "at 10 p.m. Wednesday", "noon Thursday": part of a time of day, which this stage leaves
/// out rather than reporting the day alone.
fn follows_clock_time(context: &Context) -> bool {
    let before = context.text[..context.start]
        .trim_end()
        .trim_end_matches(',');
    // Only the last few characters can match: lowercase those, not the whole text before
    // the match (which made this quadratic in the length of the article).
    let tail_start = before
        .char_indices()
        .rev()
        .nth(CLOCK_ENDING_CHARS - 1)
        .map_or(0, |(at, _)| at);
    let before = before[tail_start..].to_lowercase();
    [
        "a.m.", "p.m.", "a.m", "p.m", "noon", "midnight", " est", " edt", " gmt", " utc", " pst",
        " pdt", " cet",
    ]
    .iter()
    .any(|ending| before.ends_with(ending))
}

/// "July 7", "Aug. 5, 2022", "5 August 2022", "Friday, Oct. 23".
fn read_month_day(captures: &Captures, context: &Context) -> Option<Reading> {
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

/// Words after a date that show it does not modify a noun.
const NOT_NOUNS: &[&str] = &[
    "and", "or", "to", "in", "on", "at", "of", "for", "when", "as", "was", "were", "is", "are",
    "will", "would", "had", "has", "have", "that", "which", "the", "a", "an", "by", "from",
];

/// "the Jan. 14 deadline", "a Sept. 3 vote": a date that modifies a noun names the occasion,
/// not the time of the clause's verb, so the clause's tense does not place it.
fn is_attributive(context: &Context) -> bool {
    let next = context.next_word();
    (context.previous_word_is(&ARTICLES) || context.previous_word_is(&POSSESSIVE_DETERMINERS))
        && next.chars().next().is_some_and(char::is_lowercase)
        && next.chars().all(char::is_alphabetic)
        && !context.next_word_is(NOT_NOUNS)
}

/// The occurrence of month/day for the tense: the latest on or before the anchor in the
/// past, the first on or after it in the future, the nearer of the two in the present.
fn year_less_day(anchor: NaiveDate, month: u32, day: u32, tense: Tense) -> Option<NaiveDate> {
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
fn by_tense(
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
enum Relation {
    /// "last March": the latest one strictly before the current one.
    Last,
    /// "this March": the one in the current year (or week).
    This,
    /// "next March": the first one strictly after the current one.
    Next,
    /// "March": the nearest one on the side the tense says.
    Nearest(Tense),
}

fn relation_of(word: Option<&str>, context: &Context) -> Relation {
    let word = word.map(|word| word.split_whitespace().collect::<Vec<_>>().join(" "));
    match word.as_deref().map(str::to_lowercase).as_deref() {
        Some("last" | "past" | "previous" | "this past") => Relation::Last,
        Some("next" | "coming" | "this coming") => Relation::Next,
        Some("this") => Relation::This,
        _ => Relation::Nearest(context.tense()),
    }
}

/// Resolves a cyclic unit. Units are numbered consecutively (months as `year * 12 + month`);
/// `current` is the anchor's unit, `member` any unit of the wanted class (period `period`),
/// `cycle_start` the first unit of the anchor's cycle (its year, or its week).
fn resolve_cycle(
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

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn month_value(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// "March 2021", "Aug. 2022", "July last year", "early December 1999".
fn read_month_of_year(captures: &Captures, context: &Context) -> Option<Reading> {
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

fn year_shift(relative: &str) -> i32 {
    match relative.to_lowercase().as_str() {
        "last" | "past" | "previous" => -1,
        "next" | "coming" => 1,
        _ => 0,
    }
}

/// Words after which a bare capitalised "May" or "March" is the month, not a verb or a name.
const MONTH_CUES: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "through",
    "during",
    "before",
    "after",
    "of",
    "between",
    "and",
    "or",
    "to",
    "early",
    "late",
    "mid",
    "last",
    "this",
    "next",
    "each",
    "every",
    "end",
    "beginning",
    "start",
    "middle",
    "on",
    "the",
];

/// A month name on its own: "in March", "last December", "early June".
fn read_month(captures: &Captures, context: &Context) -> Option<Reading> {
    let month_text = captures.name("month")?.as_str();
    let month = month_number(month_text)?;
    let relative = captures.name("relative").map(|relative| relative.as_str());
    if names_a_set(context) {
        return None;
    }
    if relative.is_none() {
        let ambiguous = matches!(month, 3 | 5);
        if ambiguous && !context.previous_word_is(MONTH_CUES) {
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
    let relation = match relative.map(str::to_lowercase).as_deref() {
        Some("last" | "this past") => Relation::Last,
        Some("next" | "this coming") => Relation::Next,
        Some("this") => Relation::This,
        _ => Relation::Nearest(context.tense()),
    };
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

/// Words after which a four-digit number is a year ("in 2021", "since 1990", "fiscal 2021").
const STRONG_YEAR_CUES: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "during",
    "through",
    "throughout",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "year",
    "circa",
    "fiscal",
    "from",
    "by",
    "due",
    "into",
    "both",
];

/// Words that make a year likely only when no noun follows the number: "of 2021" but not
/// "of 2000 people".
const WEAK_YEAR_CUES: &[&str] = &[
    "of", "to", "and", "or", "than", "with", "for", "between", "as", "at", "around", "about",
    "the", "vs", "versus", "against",
];

/// Words that may follow a year in running text.
const YEAR_FOLLOWERS: &[&str] = &[
    "and",
    "or",
    "to",
    "through",
    "when",
    "as",
    "but",
    "the",
    "a",
    "was",
    "were",
    "is",
    "will",
    "had",
    "has",
    "have",
    "after",
    "before",
    "while",
    "with",
    "in",
    "on",
    "at",
    "for",
    "from",
    "than",
    "because",
    "compared",
    "levels",
    "level",
    "figures",
    "figure",
    "period",
    "quarter",
    "season",
    "election",
    "elections",
    "budget",
    "census",
    "'s",
    "’s",
    "until",
    "that",
];

/// A four-digit year: "in 2021", "mid-2020", "fiscal 2021", "the end of 1990".
fn read_year(captures: &Captures, context: &Context) -> Option<Reading> {
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
        || context.next_word_is(YEAR_FOLLOWERS)
        || context.text[context.end..].starts_with(['\'', '’']);
    // A determiner before the number makes it an attributive year ("the 1998 bombing") unless
    // it is round or far ahead, as counts are ("the 2000 troops").
    let previous = context.previous_word();
    // Plural demonstratives and quantifiers are left out on purpose: before a number they
    // count ("those 2000 troops", "some 2000 people").
    let determined = context.previous_word_is(&ARTICLES)
        || context.previous_word_is(&POSSESSIVE_DETERMINERS)
        || context.previous_word_is(&["this", "that"])
        || previous.ends_with("'s")
        || previous.ends_with("’s");
    let plausible_attributive = year % 100 != 0
        && context
            .anchor
            .is_none_or(|anchor| year <= anchor.year() + 5);
    let accepted = captures.name("modifier").is_some()
        || context.previous_word_is(STRONG_YEAR_CUES)
        || continues_year_list(context)
        || (context.previous_word_is(WEAK_YEAR_CUES) && next_is_free)
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
fn read_spelled_year(captures: &Captures, _: &Context) -> Option<Reading> {
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
fn read_decade(captures: &Captures, _: &Context) -> Option<Reading> {
    let value = if let Some(decade) = captures.name("decade") {
        decade.as_str().to_string()
    } else if let Some(short) = captures.name("short") {
        format!("19{}", short.as_str())
    } else {
        let spelled = captures.name("spelled")?.as_str().to_lowercase();
        let tens = [
            "twenties",
            "thirties",
            "forties",
            "fifties",
            "sixties",
            "seventies",
            "eighties",
            "nineties",
        ]
        .iter()
        .position(|word| *word == spelled)?;
        format!("19{}", tens + 2)
    };
    Some(Reading::date(Some(value), Granularity::Decade))
}

fn quarter_value(index: i64) -> String {
    format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
}

/// "the third quarter of 2022", "this year's first quarter", "fourth-quarter", "Q3 2022".
fn read_quarter(captures: &Captures, context: &Context) -> Option<Reading> {
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

/// Words before which "the summer" or "the fall" is a season rather than a noun ("the fall in
/// prices").
const SEASON_CUES: &[&str] = &[
    "in",
    "during",
    "by",
    "until",
    "till",
    "since",
    "over",
    "through",
    "throughout",
    "into",
    "before",
    "after",
    "for",
    "of",
    "this",
    "next",
    "last",
];

/// "summer 2021", "last fall", "this summer", "in the spring".
fn read_season(captures: &Captures, context: &Context) -> Option<Reading> {
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
        .is_some_and(|word| matches!(word, "last" | "this" | "next" | "this past" | "this coming"));
    if year.is_none() && !is_relation {
        // Without a year or "last/this/next" the word needs a temporal preposition before it
        // (or before its article), and must not start a noun phrase ("the fall of Rome").
        let cue_word = if captures.name("article").is_some() {
            previous_word(context.text, captures.name("article")?.start())
        } else {
            context.previous_word()
        };
        let cued = SEASON_CUES
            .iter()
            .any(|cue| cue_word.eq_ignore_ascii_case(cue));
        let next = context.next_word().to_lowercase();
        let starts_noun_phrase = matches!(next.as_str(), "of" | "in" | "from" | "to" | "season");
        let has_article_or_modifier = captures.name("article").is_some() || relative.is_some();
        if !cued || starts_noun_phrase || (season == 2 && !has_article_or_modifier) {
            return None;
        }
    }
    if let Some(year) = year {
        let value = format!("{year:04}-{}", SEASON_CODES[season as usize]);
        return Some(Reading::date(Some(value), Granularity::Season));
    }
    let relation = match relative.as_deref() {
        Some("last" | "this past") => Relation::Last,
        Some("next" | "this coming") => Relation::Next,
        Some("this") => Relation::This,
        _ => Relation::Nearest(context.tense()),
    };
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

fn shift_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// "today", "yesterday morning", "tonight", "the day before yesterday", "last night".
fn read_day_word(captures: &Captures, context: &Context) -> Option<Reading> {
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

/// Words after "today's" or "tomorrow's" that make it "our times", not a day: "today's
/// youth", "tomorrow's world".
const GENERIC_AFTER_DAY_WORD: &[&str] = &[
    "world",
    "youth",
    "society",
    "generation",
    "generations",
    "children",
    "kids",
    "young",
    "youngsters",
    "teenagers",
    "families",
    "culture",
    "technology",
    "consumers",
    "students",
    "personal",
    "modern",
];

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
        && !["as", "ahead", "because", "instead", "out"]
            .iter()
            .any(|word| context.word_before_previous().eq_ignore_ascii_case(word));
    following.is_some_and(|word| GENERIC_AFTER_DAY_WORD.contains(&word.as_str()))
        || bare_of_tomorrow
}

/// Capitalised words that make a weekday part of a name ("Black Monday", "Super Tuesday").
const NAMED_DAY_PREFIXES: &[&str] = &[
    "Good", "Black", "Super", "Ash", "Easter", "Cyber", "Holy", "Maundy", "Palm", "Blue",
];

/// "Monday nights", "on Monday and Tuesday evenings": recurring times, not dates.
fn before_plural_part_of_day(context: &Context) -> bool {
    static PLURAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"^\s+(?:(?i:and|or)\s+{weekday}\s+)?(?i:mornings|afternoons|evenings|nights)\b")
    });
    PLURAL_AFTER.is_match(&context.text[context.end..])
}

/// "on Tuesday", "last Friday", "next Monday", "Sunday night".
fn read_weekday(captures: &Captures, context: &Context) -> Option<Reading> {
    let name = captures.name("weekday")?.as_str();
    let weekday = weekday_index(name)? as i64;
    if captures.name("relative").is_none() && NAMED_DAY_PREFIXES.contains(&context.previous_word())
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
fn read_weekend(captures: &Captures, context: &Context) -> Option<Reading> {
    // "the weekend warrior" is a person; "the weekend of July 4" is read from its date.
    if context.next_word_is(&["of"]) || context.next_word_is(WEEKEND_COMPOUNDS) {
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

/// Nouns that make "weekend" a modifier rather than a time ("weekend warriors").
const WEEKEND_COMPOUNDS: &[&str] = &[
    "warrior",
    "warriors",
    "edition",
    "editions",
    "getaway",
    "getaways",
    "trip",
    "trips",
    "break",
    "breaks",
    "shift",
    "shifts",
    "job",
    "jobs",
    "pass",
    "passes",
    "ticket",
    "tickets",
    "visitor",
    "visitors",
    "crowd",
    "crowds",
    "retreat",
    "retreats",
    "supplement",
    "magazine",
    "show",
    "programme",
    "program",
    "anchor",
    "host",
    "staff",
    "rate",
    "rates",
    "special",
    "specials",
    "market",
    "markets",
    "bag",
    "bags",
    "traffic",
    "hours",
    "work",
    "workers",
];

/// "the week of March 6": the week holding that day.
fn read_week_of(captures: &Captures, context: &Context) -> Option<Reading> {
    let day = read_month_day(captures, context)?;
    let value = day
        .value
        .and_then(|value| NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok())
        .map(week_value);
    Some(Reading::date(value, Granularity::Week))
}

/// "that day", "later that year", "the next morning", "the following month", "the previous
/// week": placed from the date the text last named. "The previous" falls back on the
/// publication; the others need a named date.
fn read_named_reference(captures: &Captures, context: &Context) -> Option<Reading> {
    let which = captures
        .name("which")?
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
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
            || context.previous_word_is(&["so", "such", "now", "given", "except"]))
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

/// "by year-end", "since year-end", "next year-end": December 31, placed like a year-less
/// date. "Year-end bonuses" are things, not days.
fn read_year_end(captures: &Captures, context: &Context) -> Option<Reading> {
    // A fiscal year ends when the company says, not on December 31.
    if context.previous_word_is(&["fiscal"]) {
        return None;
    }
    if let Some(year) = number(captures, "year") {
        let date = NaiveDate::from_ymd_opt(year, 12, 31);
        return Some(Reading::date(date.map(day_value), Granularity::Day));
    }
    let next = context.next_word();
    if next.chars().next().is_some_and(char::is_lowercase) && !context.next_word_is(NOT_NOUNS) {
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

fn week_value(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// "last week", "this month", "next year", "earlier this year", "the current quarter",
/// "the end of the year". "the past year" and "the next month" are lengths of time.
fn read_relative_unit(captures: &Captures, context: &Context) -> Option<Reading> {
    let relative = captures
        .name("relative")?
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
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
            && context.previous_word_is(YEAR_SPAN_PREPOSITIONS)
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
    let shift: i64 = match relative.as_str() {
        "last" | "past" | "previous" | "the previous" | "the past" | "the last" => -1,
        "next" | "coming" | "the next" | "the coming" => 1,
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

/// Prepositions before "the year" that make it the current year ("sales for the year").
const YEAR_SPAN_PREPOSITIONS: &[&str] = &["for", "of", "during", "through", "throughout"];

/// The number a count phrase stands for; `None` for vague counts ("several", "a few").
fn count_of(phrase: &str) -> Option<i64> {
    if let Ok(number) = phrase.parse() {
        return Some(number);
    }
    if phrase.trim().is_empty() {
        return None;
    }
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let mut total = 0;
    for word in phrase
        .to_lowercase()
        .split(['-', ' '])
        .filter(|word| !word.is_empty())
    {
        total += if word == "a" || word == "an" {
            1
        } else if let Some(unit) = UNITS.iter().position(|unit| *unit == word) {
            unit as i64
        } else {
            (TENS.iter().position(|tens| *tens == word)? as i64 + 2) * 10
        };
    }
    Some(total)
}

/// "two days ago", "a year earlier", "three weeks from now".
fn read_ago(captures: &Captures, context: &Context) -> Option<Reading> {
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

/// How many sentences back a named quarter still sets the period that "a year earlier" or
/// "year-ago" compares with.
const QUARTER_COMPARISON_REACH: usize = 2;

/// "the quarter", "the latest quarter", "the year-ago period", "that quarter", "the quarter a
/// year ago", "the 1988 period": the quarter the text last named (a year back, or in the
/// year given), else the last complete quarter.
fn read_referring_quarter(captures: &Captures, context: &Context) -> Option<Reading> {
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
fn read_year_ago_adjective(_: &Captures, context: &Context) -> Option<Reading> {
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

/// The day of a holiday in `year`: fixed days, and the US federal and church holidays that
/// move (Thanksgiving, the fourth Thursday of November; Labor Day, the first Monday of
/// September; Memorial Day, the last Monday of May; Election Day, the Tuesday after the
/// first Monday of November; Easter by the Gregorian computus, Good Friday two days before).
fn holiday_date(name: &str, year: i32) -> Option<NaiveDate> {
    use chrono::Weekday;
    let words: Vec<String> = name
        .split_whitespace()
        .map(|word| word.to_lowercase().replace('’', "'"))
        .collect();
    let nth = |month: u32, weekday: Weekday, n: u8| {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    };
    let easter = || {
        // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
        let (a, b, c) = (year % 19, year / 100, year % 100);
        let (d, e) = (b / 4, b % 4);
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let (i, k) = (c / 4, c % 4);
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32)
    };
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["christmas", "eve"] => NaiveDate::from_ymd_opt(year, 12, 24),
        ["christmas"] | ["christmas", "day"] => NaiveDate::from_ymd_opt(year, 12, 25),
        ["new", "year's", "day"] => NaiveDate::from_ymd_opt(year, 1, 1),
        ["new", "year's", "eve"] => NaiveDate::from_ymd_opt(year, 12, 31),
        ["halloween"] => NaiveDate::from_ymd_opt(year, 10, 31),
        ["valentine's", "day"] => NaiveDate::from_ymd_opt(year, 2, 14),
        ["thanksgiving"] | ["thanksgiving", "day"] => nth(11, Weekday::Thu, 4),
        ["labor", "day"] => nth(9, Weekday::Mon, 1),
        ["memorial", "day"] => nth(5, Weekday::Mon, 5).or_else(|| nth(5, Weekday::Mon, 4)),
        ["election", "day"] => nth(11, Weekday::Mon, 1).map(|monday| monday + Days::new(1)),
        ["easter"] | ["easter", "sunday"] => easter(),
        ["good", "friday"] => easter().map(|sunday| sunday - Days::new(2)),
        _ => None,
    }
}

/// "Thanksgiving", "last Christmas", "Election Day": the holiday's day placed like a
/// year-less date (by "last"/"next"/"this", else by the tense of its clause).
fn read_holiday(captures: &Captures, context: &Context) -> Option<Reading> {
    let name = captures.name("holiday")?.as_str();
    // "Christmas trees", "Easter eggs" are things, not days; "Christmas Day" and "last
    // Christmas" are days.
    let next = context.next_word();
    if name.split_whitespace().count() == 1
        && captures.name("relative").is_none()
        && next.chars().next().is_some_and(char::is_lowercase)
        && !context.next_word_is(NOT_NOUNS)
    {
        return None;
    }
    let value = context.anchor.and_then(|anchor| {
        let days: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
            .filter_map(|year| holiday_date(name, year))
            .collect();
        let before = days.iter().copied().filter(|day| *day <= anchor).max();
        let after = days.iter().copied().filter(|day| *day >= anchor).min();
        let relative = captures.name("relative").map(|word| {
            word.as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        });
        match relative.as_deref() {
            Some("last" | "this past") => days.iter().copied().filter(|day| *day < anchor).max(),
            Some("next" | "this coming") => days.iter().copied().filter(|day| *day > anchor).min(),
            Some(_) => days.iter().copied().find(|day| day.year() == anchor.year()),
            None => by_tense(anchor, before, after, context.tense()),
        }
    });
    Some(Reading::date(value.map(day_value), Granularity::Day))
}

/// "recently", "now", "the past", "in recent years": dates with no calendar value.
fn read_vague(_: &Captures, context: &Context) -> Option<Reading> {
    // "the past two quarters", "the past century": a length of time, not the past.
    let next = context.next_word().to_lowercase();
    let starts_length = count_of(&next).is_some()
        || matches!(
            next.as_str(),
            "few" | "several" | "many" | "century" | "decade" | "year" | "month" | "week"
        );
    if context.text[context.start..context.end]
        .to_lowercase()
        .ends_with("past")
        && starts_length
    {
        return None;
    }
    Some(Reading::vague())
}

/// Words before "a"/"an" that make "a year" a length of time rather than a rate ("twice a
/// year", "$5 a day").
const DURATION_PREPOSITIONS: &[&str] = &[
    "for", "in", "within", "over", "after", "during", "than", "about", "nearly", "almost",
    "lasted", "lasting", "spent", "took", "takes", "half",
];

/// "less than a month", "for three weeks", "several months", "the past two years".
fn read_duration(captures: &Captures, context: &Context) -> Option<Reading> {
    let count = captures.name("count")?;
    let whole_starts_with_count = count.start() == context.start;
    if whole_starts_with_count
        && matches!(count.as_str().to_lowercase().as_str(), "a" | "an")
        && !context.previous_word_is(DURATION_PREPOSITIONS)
    {
        return None;
    }
    // "two years old" is an age, not a length of time.
    if context.next_word().eq_ignore_ascii_case("old") {
        return None;
    }
    Some(Reading::duration())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;
    use crate::nlp::text;
    use chrono::DateTime;

    /// One expected expression: its text, kind, value and granularity.
    type Expected = (
        &'static str,
        TemporalKind,
        Option<&'static str>,
        Option<Granularity>,
    );

    struct Case {
        name: &'static str,
        text: &'static str,
        published_at: Option<&'static str>,
        expected: &'static [Expected],
    }

    use Granularity as G;
    use TemporalKind::{Date as D, Duration as P};

    const FRIDAY: Option<&str> = Some("2022-08-05T14:30:00+03:00");

    const CASES: &[Case] = &[
        Case {
            name: "year-less month-day resolves before publication",
            text: "On July 7 the delegations met, and on July 28 they signed.",
            published_at: FRIDAY,
            expected: &[
                ("July 7", D, Some("2022-07-07"), Some(G::Day)),
                ("July 28", D, Some("2022-07-28"), Some(G::Day)),
            ],
        },
        Case {
            name: "a later month-day in the past tense falls in the previous year",
            text: "The plant closed on September 3.",
            published_at: FRIDAY,
            expected: &[("September 3", D, Some("2021-09-03"), Some(G::Day))],
        },
        Case {
            name: "future tense moves a year-less date forward",
            text: "The court will rule on July 7.",
            published_at: FRIDAY,
            expected: &[("July 7", D, Some("2023-07-07"), Some(G::Day))],
        },
        Case {
            name: "full dates in several spellings",
            text: "Filed Aug. 5, 2022, heard 5 August 2022, logged 2022-08-05 and 08/05/2022, due August 5th.",
            published_at: None,
            expected: &[
                ("Aug. 5, 2022", D, Some("2022-08-05"), Some(G::Day)),
                ("5 August 2022", D, Some("2022-08-05"), Some(G::Day)),
                ("2022-08-05", D, Some("2022-08-05"), Some(G::Day)),
                ("08/05/2022", D, Some("2022-08-05"), Some(G::Day)),
                ("August 5th", D, None, Some(G::Day)),
            ],
        },
        Case {
            name: "an infinitive or a deadline lets a near date lie ahead despite a past verb",
            text: "The board decided to hold the vote on September 3. The offer was extended until Sept. 9. The depot closed on September 3.",
            published_at: FRIDAY,
            expected: &[
                ("September 3", D, Some("2022-09-03"), Some(G::Day)),
                ("Sept. 9", D, Some("2022-09-09"), Some(G::Day)),
                ("September 3", D, Some("2021-09-03"), Some(G::Day)),
            ],
        },
        Case {
            name: "a future cue anywhere before the date in its clause wins over a nearer past form",
            text: "The firm will buy back the preferred shares on Sept. 9.",
            published_at: FRIDAY,
            expected: &[("Sept. 9", D, Some("2022-09-09"), Some(G::Day))],
        },
        Case {
            name: "spelled-out years",
            text: "In nineteen ninety-six the city hosted the games; in January nineteen ninety-seven it was bombed. By the year two thousand it had recovered. Nineteen people were hurt and two thousand fled.",
            published_at: FRIDAY,
            expected: &[
                ("nineteen ninety-six", D, Some("1996"), Some(G::Year)),
                ("January nineteen ninety-seven", D, Some("1997-01"), Some(G::Month)),
                ("the year two thousand", D, Some("2000"), Some(G::Year)),
            ],
        },
        Case {
            name: "day before month",
            text: "Talks began on 7 July in Geneva.",
            published_at: FRIDAY,
            expected: &[("7 July", D, Some("2022-07-07"), Some(G::Day))],
        },
        Case {
            name: "months and years",
            text: "Prices fell in March, rose in March 2021 and peaked in 2021.",
            published_at: FRIDAY,
            expected: &[
                ("March", D, Some("2022-03"), Some(G::Month)),
                ("March 2021", D, Some("2021-03"), Some(G::Month)),
                ("2021", D, Some("2021"), Some(G::Year)),
            ],
        },
        Case {
            name: "modal may and verb march are not months",
            text: "Protesters may march to the square. May I ask?",
            published_at: FRIDAY,
            expected: &[],
        },
        Case {
            name: "numbers that are not years",
            text: "About 2,000 people and 1500 troops joined, with 1999 police officers.",
            published_at: FRIDAY,
            expected: &[],
        },
        Case {
            name: "decades, mid-year and fiscal year",
            text: "Growth in the 1990s and the 2010s slowed by mid-2020, as in fiscal 2021.",
            published_at: FRIDAY,
            expected: &[
                ("the 1990s", D, Some("199"), Some(G::Decade)),
                ("the 2010s", D, Some("201"), Some(G::Decade)),
                ("mid-2020", D, Some("2020"), Some(G::Year)),
                ("fiscal 2021", D, Some("2021"), Some(G::Year)),
            ],
        },
        Case {
            name: "quarters and seasons",
            text: "Sales in the first quarter of 2022 beat summer 2021; Q3 looked weak.",
            published_at: FRIDAY,
            expected: &[
                ("the first quarter of 2022", D, Some("2022-Q1"), Some(G::Quarter)),
                ("summer 2021", D, Some("2021-SU"), Some(G::Season)),
                ("Q3", D, Some("2022-Q3"), Some(G::Quarter)),
            ],
        },
        Case {
            name: "relative days",
            text: "Today he flew home; yesterday he spoke, tomorrow he rests and tonight he sleeps.",
            published_at: FRIDAY,
            expected: &[
                ("Today", D, Some("2022-08-05"), Some(G::Day)),
                ("yesterday", D, Some("2022-08-04"), Some(G::Day)),
                ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
                ("tonight", D, Some("2022-08-05"), Some(G::Day)),
            ],
        },
        Case {
            name: "weekdays look back unless the clause looks ahead",
            text: "He resigned on Tuesday. She will travel on Monday. They met last Friday and meet again next Friday.",
            published_at: FRIDAY,
            expected: &[
                ("Tuesday", D, Some("2022-08-02"), Some(G::Day)),
                ("Monday", D, Some("2022-08-08"), Some(G::Day)),
                ("last Friday", D, Some("2022-07-29"), Some(G::Day)),
                ("next Friday", D, Some("2022-08-12"), Some(G::Day)),
            ],
        },
        Case {
            name: "reporting verb ends the clause of the tense check",
            text: "He said on Wednesday that the ministers will meet.",
            published_at: FRIDAY,
            expected: &[("Wednesday", D, Some("2022-08-03"), Some(G::Day))],
        },
        Case {
            name: "relative units",
            text: "Last week rates rose; this week they held, next month they may fall. Last year was calm, this year is not, and next year is unknown.",
            published_at: FRIDAY,
            expected: &[
                ("Last week", D, Some("2022-W30"), Some(G::Week)),
                ("this week", D, Some("2022-W31"), Some(G::Week)),
                ("next month", D, Some("2022-09"), Some(G::Month)),
                ("Last year", D, Some("2021"), Some(G::Year)),
                ("this year", D, Some("2022"), Some(G::Year)),
                ("next year", D, Some("2023"), Some(G::Year)),
            ],
        },
        Case {
            name: "ago and earlier this year",
            text: "Two days ago, three weeks ago and a year ago things differed; earlier this year and last month too.",
            published_at: FRIDAY,
            expected: &[
                ("Two days ago", D, Some("2022-08-03"), Some(G::Day)),
                ("three weeks ago", D, Some("2022-W28"), Some(G::Week)),
                ("a year ago", D, Some("2021"), Some(G::Year)),
                ("earlier this year", D, Some("2022"), Some(G::Year)),
                ("last month", D, Some("2022-07"), Some(G::Month)),
            ],
        },
        Case {
            name: "vague references keep a null value",
            text: "Tensions rose recently and are high now, as in the past.",
            published_at: FRIDAY,
            expected: &[
                ("recently", D, None, None),
                ("now", D, None, None),
                ("the past", D, None, None),
            ],
        },
        Case {
            name: "durations",
            text: "The ferry broke down twice in less than a month; the crew stayed ashore for three weeks, then two years passed and the owners waited several months.",
            published_at: FRIDAY,
            expected: &[
                ("less than a month", P, None, None),
                ("three weeks", P, None, None),
                ("two years", P, None, None),
                ("several months", P, None, None),
            ],
        },
        Case {
            name: "rates and ages are not durations",
            text: "They meet twice a year; the boy is two years old.",
            published_at: FRIDAY,
            expected: &[],
        },
        Case {
            name: "no publication time leaves relative values null",
            text: "Yesterday, on 5 May 2021 and on June 3, prices rose.",
            published_at: None,
            expected: &[
                ("Yesterday", D, None, Some(G::Day)),
                ("5 May 2021", D, Some("2021-05-05"), Some(G::Day)),
                ("June 3", D, None, Some(G::Day)),
            ],
        },
        Case {
            name: "names that contain day words",
            text: "He told USA Today that Black Monday was a shock.",
            published_at: FRIDAY,
            expected: &[],
        },
        Case {
            name: "iso week crosses the year",
            text: "Last week the markets were closed.",
            published_at: Some("2021-01-05T09:00:00Z"),
            expected: &[("Last week", D, Some("2020-W53"), Some(G::Week))],
        },
        Case {
            name: "seasons relative to publication",
            text: "Last summer was dry; this winter will be cold. In the spring prices fell.",
            published_at: FRIDAY,
            expected: &[
                ("Last summer", D, Some("2021-SU"), Some(G::Season)),
                ("this winter", D, Some("2022-WI"), Some(G::Season)),
                ("the spring", D, Some("2022-SP"), Some(G::Season)),
            ],
        },
        Case {
            name: "a quarter sets the period that later anaphora compare with",
            text: "Net income rose in the third quarter. It was $5 million a year earlier. In the quarter, sales fell.",
            published_at: Some("2022-10-20T08:00:00Z"),
            expected: &[
                ("the third quarter", D, Some("2022-Q3"), Some(G::Quarter)),
                ("a year earlier", D, Some("2021-Q3"), Some(G::Quarter)),
                ("the quarter", D, Some("2022-Q3"), Some(G::Quarter)),
            ],
        },
        Case {
            name: "holidays are days placed like year-less dates; things named after them are not",
            text: "Stores reopened after Thanksgiving Day. Prices rose since last Christmas. \
                   Christmas trees sold out.",
            published_at: Some("1999-11-30T08:00:00Z"),
            expected: &[
                ("Thanksgiving Day", D, Some("1999-11-25"), Some(G::Day)),
                ("last Christmas", D, Some("1998-12-25"), Some(G::Day)),
            ],
        },
        Case {
            name: "a participle after a determiner or 'be' is no past tense",
            text: "The vote would be held on a newly scheduled date in January.",
            published_at: Some("2022-10-20T08:00:00Z"),
            expected: &[("January", D, Some("2023-01"), Some(G::Month))],
        },
        Case {
            name: "the latest quarter without a named one is the last complete quarter",
            text: "Profit fell in the latest quarter.",
            published_at: Some("2022-10-20T08:00:00Z"),
            expected: &[("the latest quarter", D, Some("2022-Q3"), Some(G::Quarter))],
        },
        Case {
            name: "a weekday next to a year-less date picks the year",
            text: "The vote was set for Monday, Oct. 26.",
            published_at: Some("2020-10-25T08:00:00Z"),
            expected: &[("Monday, Oct. 26", D, Some("2020-10-26"), Some(G::Day))],
        },
        Case {
            name: "present tense reads a near date ahead",
            text: "The dividend is payable Dec. 15 to holders.",
            published_at: Some("2022-11-02T08:00:00Z"),
            expected: &[("Dec. 15", D, Some("2022-12-15"), Some(G::Day))],
        },
        Case {
            name: "times of day and recurring days are left out",
            text: "The blast came at 10 p.m. Wednesday; flights leave each Monday.",
            published_at: FRIDAY,
            expected: &[],
        },
        Case {
            name: "a clock time is recognised from its last characters only",
            text: "Zürich’s café opened at MIDNIGHT, Friday; at 9 P.M.,, Thursday; not 9 pm. Tuesday.",
            published_at: FRIDAY,
            expected: &[("Tuesday", D, Some("2022-08-02"), Some(G::Day))],
        },
        Case {
            name: "attributive years need a determiner and a plausible year",
            text: "After the 1998 bombing and the 2000 troops, its 1990 invasion was recalled.",
            published_at: FRIDAY,
            expected: &[
                ("1998", D, Some("1998"), Some(G::Year)),
                ("1990", D, Some("1990"), Some(G::Year)),
            ],
        },
        Case {
            name: "a capitalised name is not a past verb",
            text: "The team would fly to the United Kingdom as soon as Tuesday, she said.",
            published_at: Some("2000-04-03T08:00:00Z"),
            expected: &[("Tuesday", D, Some("2000-04-04"), Some(G::Day))],
        },
        Case {
            name: "weekends are placed like weekdays and written as the week's weekend",
            text: "Talks stalled over the weekend. The board meets this weekend, \
                   after the staff left last weekend. Shops will open the coming weekend.",
            published_at: FRIDAY,
            expected: &[
                ("the weekend", D, Some("2022-W30-WE"), Some(G::Week)),
                ("this weekend", D, Some("2022-W31-WE"), Some(G::Week)),
                ("last weekend", D, Some("2022-W30-WE"), Some(G::Week)),
                ("the coming weekend", D, Some("2022-W31-WE"), Some(G::Week)),
            ],
        },
        Case {
            name: "the week of a date is that date's week",
            text: "The hearing will take place the week of Sept. 12.",
            published_at: FRIDAY,
            expected: &[("the week of Sept. 12", D, Some("2022-W37"), Some(G::Week))],
        },
        Case {
            name: "that day, the following year and later that year follow the date last named",
            text: "The mill opened on March 3, 2001, and burned the next morning. He left in \
                   1996; the following year he returned, and later that year he retired. \
                   Sales fell in May 2003, after rising the previous month.",
            published_at: FRIDAY,
            expected: &[
                ("March 3, 2001", D, Some("2001-03-03"), Some(G::Day)),
                ("the next morning", D, Some("2001-03-04"), Some(G::Day)),
                ("1996", D, Some("1996"), Some(G::Year)),
                ("the following year", D, Some("1997"), Some(G::Year)),
                ("later that year", D, Some("1997"), Some(G::Year)),
                ("May 2003", D, Some("2003-05"), Some(G::Month)),
                ("the previous month", D, Some("2003-04"), Some(G::Month)),
            ],
        },
        Case {
            name: "a reference with no date named before is dropped, except 'the previous'",
            text: "That day will come. The following month was calm. Prices fell the previous week.",
            published_at: FRIDAY,
            expected: &[("the previous week", D, Some("2022-W30"), Some(G::Week))],
        },
        Case {
            name: "year-end is December 31, placed by tense; 'since' looks back",
            text: "The sale will close by year-end. Shares are up 4% since year-end. \
                   Year-end bonuses rose.",
            published_at: FRIDAY,
            expected: &[
                ("year-end", D, Some("2022-12-31"), Some(G::Day)),
                ("year-end", D, Some("2021-12-31"), Some(G::Day)),
            ],
        },
        Case {
            name: "a named quarter in another year, a year back, or last year's",
            text: "Net income rose in the third quarter. It was $5 million in the quarter a year \
                   ago and $4 million in the 1999 quarter. Last year's quarter was weak. In the \
                   1998 period sales fell.",
            published_at: Some("2022-10-20T08:00:00Z"),
            expected: &[
                ("the third quarter", D, Some("2022-Q3"), Some(G::Quarter)),
                ("the quarter a year ago", D, Some("2021-Q3"), Some(G::Quarter)),
                ("the 1999 quarter", D, Some("1999-Q3"), Some(G::Quarter)),
                ("Last year's quarter", D, Some("2021-Q3"), Some(G::Quarter)),
                // Three sentences from the named quarter: the year alone.
                ("the 1998 period", D, Some("1998"), Some(G::Year)),
            ],
        },
        Case {
            name: "a year in a list a cue opens is a year; a lone one with no cue is not",
            text: "Floods hit in 1994, 1995 and 1997. Route 1995 was closed.",
            published_at: FRIDAY,
            expected: &[
                ("1994", D, Some("1994"), Some(G::Year)),
                ("1995", D, Some("1995"), Some(G::Year)),
                ("1997", D, Some("1997"), Some(G::Year)),
            ],
        },
        Case {
            name: "'last' makes a holiday a day whatever follows; backquotes open a sentence",
            text: "The boat sank last Thanksgiving following a storm. ``Today is sad,'' he said.",
            published_at: Some("2000-01-05T08:00:00Z"),
            expected: &[
                ("last Thanksgiving", D, Some("1999-11-25"), Some(G::Day)),
                ("Today", D, Some("2000-01-05"), Some(G::Day)),
            ],
        },
        Case {
            name: "a date that modifies a noun is placed nearest, whatever the tense",
            text: "He gave no reason for the Aug. 14 deadline. The Aug. 1 blasts killed nine.",
            published_at: FRIDAY,
            expected: &[
                ("Aug. 14", D, Some("2022-08-14"), Some(G::Day)),
                ("Aug. 1", D, Some("2022-08-01"), Some(G::Day)),
            ],
        },
        Case {
            name: "a plan may lie ahead even in the past tense",
            text: "The launch was planned for early September.",
            published_at: FRIDAY,
            expected: &[("early September", D, Some("2022-09"), Some(G::Month))],
        },
        Case {
            name: "weekdays before plural nights recur; a fiscal year ended is a length",
            text: "Flights leave on Monday and Tuesday nights. Net income for the year ended \
                   June 30 rose.",
            published_at: FRIDAY,
            expected: &[("June 30", D, Some("2022-06-30"), Some(G::Day))],
        },
        Case {
            name: "quarter compounds are not quarters; the latest quarter is a complete one",
            text: "The company expects a fourth-quarter charge. Rates sit near a \
                   quarter-century low. Profit fell in the latest quarter.",
            published_at: Some("2022-10-20T08:00:00Z"),
            expected: &[
                ("a fourth-quarter", D, Some("2022-Q4"), Some(G::Quarter)),
                ("the latest quarter", D, Some("2022-Q3"), Some(G::Quarter)),
            ],
        },
        Case {
            name: "vague terms and seasons after 'into' or with 'early'",
            text: "Risks in the near term and in past years were noted; an offer may come at \
                   a later date. Demand rose well into the summer. Sales were low in the early spring.",
            published_at: FRIDAY,
            expected: &[
                ("the near term", D, None, None),
                ("past years", D, None, None),
                ("a later date", D, None, None),
                ("the summer", D, Some("2022-SU"), Some(G::Season)),
                ("the early spring", D, Some("2022-SP"), Some(G::Season)),
            ],
        },
        Case {
            name: "what was put off or is arranged lies ahead",
            text: "The ruling was postponed until Tuesday. The bank is to reopen Monday. \
                   The audit ended Monday.",
            published_at: FRIDAY,
            expected: &[
                ("Tuesday", D, Some("2022-08-09"), Some(G::Day)),
                ("Monday", D, Some("2022-08-08"), Some(G::Day)),
                ("Monday", D, Some("2022-08-01"), Some(G::Day)),
            ],
        },
        Case {
            name: "today's youth and the leaders of tomorrow are ages, not days",
            text: "It matters to today's youth and to the leaders of tomorrow. Today's vote \
                   and tomorrow's session are days.",
            published_at: FRIDAY,
            expected: &[
                ("Today", D, Some("2022-08-05"), Some(G::Day)),
                ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
            ],
        },
        Case {
            name: "review: no false days from compounds, conjunctions, counts and fiscal years",
            text: "Markets rose ahead of tomorrow's vote. He said that day-to-day work went on. \
                   Officials said that night shifts were cut. In 2008, 1800 workers left. \
                   Sales fell by a quarter last year. The weekend warrior ran. Cash at fiscal \
                   year-end was low. Who is to blame for Monday's crash?",
            published_at: FRIDAY,
            expected: &[
                ("tomorrow", D, Some("2022-08-06"), Some(G::Day)),
                ("2008", D, Some("2008"), Some(G::Year)),
                ("last year", D, Some("2021"), Some(G::Year)),
                ("Monday", D, Some("2022-08-01"), Some(G::Day)),
            ],
        },
        Case {
            name: "review: a far attributive date keeps the tense; 'since' looks back; put off \
                   until a date just past",
            text: "The Oct. 1 attack killed nine. Prices doubled since the Oct. 1 attack. Talks \
                   were postponed until Aug. 2, when they failed. The deadline was extended to \
                   Aug. 1. Closing is set for year-end 2023.",
            published_at: FRIDAY,
            expected: &[
                ("Oct. 1", D, Some("2021-10-01"), Some(G::Day)),
                ("Oct. 1", D, Some("2021-10-01"), Some(G::Day)),
                ("Aug. 2", D, Some("2022-08-02"), Some(G::Day)),
                ("Aug. 1", D, Some("2022-08-01"), Some(G::Day)),
                ("year-end 2023", D, Some("2023-12-31"), Some(G::Day)),
            ],
        },
        Case {
            name: "last weekend from a Sunday is the week before's",
            text: "They left last weekend.",
            published_at: Some("2022-08-07T12:00:00Z"),
            expected: &[("last weekend", D, Some("2022-W30-WE"), Some(G::Week))],
        },
    ];

    #[test]
    fn a_timex_value_starts_on_the_first_day_of_its_period() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(timex_start("2022"), day(2022, 1, 1));
        assert_eq!(timex_start("2022-08"), day(2022, 8, 1));
        assert_eq!(timex_start("2022-08-05"), day(2022, 8, 5));
        assert_eq!(timex_start("2022-W30"), day(2022, 7, 25));
        assert_eq!(timex_start("2022-W30-WE"), day(2022, 7, 30));
        assert_eq!(timex_start("2022-Q3"), day(2022, 7, 1));
        assert_eq!(timex_start("2022-SU"), day(2022, 6, 21));
        assert_eq!(timex_start("199"), day(1990, 1, 1));
        assert_eq!(timex_start("PRESENT_REF"), None);
        assert_eq!(timex_start("2022-Q9"), None);
    }

    fn run(case: &Case) -> Vec<(String, TemporalKind, Option<String>, Option<Granularity>)> {
        let mut document = Document {
            fields: vec![Field {
                name: "body".into(),
                text: case.text.into(),
            }],
            published_at: case
                .published_at
                .map(|time| DateTime::parse_from_rfc3339(time).expect("test time is valid")),
            ..Document::default()
        };
        text::tokenize(&mut document);
        extract(&mut document);
        document
            .dates
            .iter()
            .map(|date| {
                (
                    document.text(date.span).to_string(),
                    date.kind,
                    date.value.clone(),
                    date.granularity,
                )
            })
            .collect()
    }

    #[test]
    fn holidays_fall_on_their_days() {
        let day = |name: &str, year: i32| holiday_date(name, year).map(day_value);
        assert_eq!(day("Easter", 2000).as_deref(), Some("2000-04-23"));
        assert_eq!(day("Easter Sunday", 2024).as_deref(), Some("2024-03-31"));
        assert_eq!(day("Good Friday", 2024).as_deref(), Some("2024-03-29"));
        assert_eq!(day("Thanksgiving", 1999).as_deref(), Some("1999-11-25"));
        assert_eq!(day("Election Day", 1998).as_deref(), Some("1998-11-03"));
        assert_eq!(day("Election Day", 2020).as_deref(), Some("2020-11-03"));
        assert_eq!(day("Memorial Day", 2024).as_deref(), Some("2024-05-27"));
        assert_eq!(day("Labor Day", 2023).as_deref(), Some("2023-09-04"));
        assert_eq!(day("New Year’s Eve", 2023).as_deref(), Some("2023-12-31"));
        assert_eq!(day("Boxing Day", 2023), None);
    }

    #[test]
    fn cases() {
        let mut failures = Vec::new();
        for case in CASES {
            let found = run(case);
            let expected: Vec<_> = case
                .expected
                .iter()
                .map(|(text, kind, value, granularity)| {
                    (
                        text.to_string(),
                        *kind,
                        value.map(str::to_string),
                        *granularity,
                    )
                })
                .collect();
            if found != expected {
                failures.push(format!(
                    "{}:\n  expected {expected:?}\n  found    {found:?}",
                    case.name
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
