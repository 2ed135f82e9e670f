//! The rules: one regular expression (compiled once, with shared placeholders for months,
//! weekdays and counts) and one reading per kind of expression, in priority order (an
//! earlier rule wins a tie between matches of the same length).

use super::calendar::{
    read_iso_date, read_month, read_month_day, read_month_of_year, read_numeric_date, read_week_of,
};
use super::context::Context;
use super::days::{read_day_word, read_weekday, read_weekend};
use super::holidays::read_holiday;
use super::quarters::{read_quarter, read_referring_quarter, read_year_ago_adjective};
use super::relative::{
    read_ago, read_duration, read_named_reference, read_relative_unit, read_vague,
};
use super::seasons::read_season;
use super::years::{read_decade, read_spelled_year, read_year, read_year_end};
use super::Reading;
use crate::nlp::lexicon::{MONTHS, MONTH_ABBREVIATIONS, WEEKDAYS};
use regex::{Captures, Regex, RegexSet, RegexSetBuilder};
use std::sync::LazyLock;

/// One rule: a pattern and the reading of what it matched (`None` rejects the match).
pub(super) struct Rule {
    pub(super) pattern: Regex,
    pub(super) read: fn(&Captures, &Context) -> Option<Reading>,
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
pub(super) fn pattern(template: &str) -> Regex {
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

pub(super) static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
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

pub(super) fn number(captures: &Captures, name: &str) -> Option<i32> {
    captures.name(name)?.as_str().parse().ok()
}

/// Every rule's pattern in one set, in the order of [`RULES`]: one scan of a text tells
/// which rules can match in it.
pub(super) static RULE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSetBuilder::new(RULES.iter().map(|rule| rule.pattern.as_str()))
        .dfa_size_limit(64 << 20)
        .build()
        .unwrap_or_else(|error| panic!("date rule patterns are invalid: {error}"))
});
