//! Closed-class English words shared by the NLP stages: speech verbs, determiners,
//! modals, pronouns, month and weekday names.
//!
//! These are general English function words and verb classes, written once so that the
//! stages agree on them. The module holds no names of people, places or organisations
//! (those are data in the gazetteer) and no stage-specific cue lists: a list that only one
//! stage reads stays in that stage. Lists are lowercase unless they name months or weekdays,
//! which are written capitalised as they stand in text.

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// A fixed word list as a set: one hash per membership test, for lists read on every token
/// (a linear scan compares the word with each entry).
pub type WordSet = FxHashSet<&'static str>;

/// The set of `words`, to be built once (in a `LazyLock`).
pub fn word_set(words: &[&'static str]) -> WordSet {
    words.iter().copied().collect()
}

/// Verbs of saying, reporting and stating a belief, in the inflected forms news text uses.
/// The canonical list: every narrower speech-verb list below is a part of it.
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "stressed",
    "stresses",
    "noted",
    "notes",
    "warned",
    "warns",
    "insisted",
    "insists",
    "stated",
    "states",
    "explained",
    "explains",
    "argued",
    "argues",
    "claimed",
    "claims",
    "announced",
    "announces",
    "declared",
    "declares",
    "wrote",
    "writes",
    "asked",
    "asks",
    "replied",
    "replies",
    "responded",
    "responds",
    "continued",
    "continues",
    "recalled",
    "recalls",
    "observed",
    "observes",
    "remarked",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "underlined",
    "underscored",
    "predicted",
    "predicts",
    "promised",
    "promises",
    "pledged",
    "vowed",
    "vows",
    "suggested",
    "suggests",
    "tweeted",
    "reported",
    "reports",
    "revealed",
    "disclosed",
    "maintained",
    "maintains",
    "asserted",
    "asserts",
    "contended",
    "contends",
    "complained",
    "alleged",
    "alleges",
    "urged",
    "urges",
    "cautioned",
    "agreed",
    "agrees",
    "joked",
    "quipped",
    "recounted",
    "shouted",
    "yelled",
    "exclaimed",
    "testified",
    "assured",
    "reminded",
    "commented",
    "concluded",
    "mentioned",
    "believes",
    "believe",
    "believed",
    "thinks",
    "think",
    "thought",
    "feels",
    "fears",
    "hopes",
    "estimated",
    "estimates",
    "indicated",
    "indicates",
    "hinted",
    "signaled",
    "signalled",
    "countered",
    "objected",
    "opined",
    "reads",
    "proclaimed",
    "boasted",
    "lamented",
    "charged",
    "retorted",
];

/// The speech verbs that commonly follow a speaker's name directly ("Okafor said"), so a
/// capitalised name before one is a person. Narrower than [`SPEECH_VERBS`] on purpose: the
/// other forms also follow organisations and things ("Informa Media announced", "the report
/// claims", "the sign reads").
pub const SPEAKER_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stressed",
    "noted",
    "asked",
    "explained",
    "wrote",
    "argued",
    "insisted",
    "warned",
    "replied",
];

/// The speech acts that end a clause's own content: what follows them is reported speech.
/// Narrower than [`SPEECH_VERBS`] on purpose: verbs there that also take an infinitive of
/// intention ("agreed to meet", "promised to visit", "urged ... to") must not cut a clause.
pub const SPEECH_ACT_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "stressed",
    "noted",
    "added",
    "announced",
    "stated",
    "reported",
    "explained",
    "claimed",
    "confirmed",
    "emphasized",
    "emphasised",
    "declared",
    "insisted",
    "argued",
    "warned",
    "recalled",
    "mentioned",
    "wrote",
    "asked",
    "replied",
    "believes",
    "believed",
    "thinks",
    "thought",
    "underlined",
    "revealed",
    "disclosed",
    "indicated",
    "suggested",
    "admitted",
    "acknowledged",
];

/// Articles.
pub const ARTICLES: &[&str] = &["a", "an", "the"];

/// Demonstrative determiners.
pub const DEMONSTRATIVES: &[&str] = &["this", "that", "these", "those"];

/// Possessive determiners ("his visit", "their talks").
pub const POSSESSIVE_DETERMINERS: &[&str] = &["his", "her", "its", "their", "our", "my", "your"];

/// Quantifying determiners; before a number they count ("some 2000 people").
pub const QUANTIFIERS: &[&str] = &["another", "any", "each", "every", "some", "no"];

/// Words that open a noun phrase: articles, demonstratives, possessives and quantifiers.
pub fn is_determiner(word: &str) -> bool {
    [
        ARTICLES,
        DEMONSTRATIVES,
        POSSESSIVE_DETERMINERS,
        QUANTIFIERS,
    ]
    .iter()
    .any(|list| list.contains(&word))
}

/// Modal verbs, with the clitics "'ll", "'d" and the "wo" of "won't".
pub const MODALS: &[&str] = &[
    "will", "'ll", "shall", "would", "'d", "may", "might", "could", "can", "should", "must", "wo",
];

/// Object pronouns ("told me", "asked them").
pub const OBJECT_PRONOUNS: &[&str] = &["me", "us", "him", "her", "them", "you"];

/// Third-person pronouns that stand for one person.
pub const PERSON_PRONOUNS: &[&str] = &["he", "she", "him", "her"];

/// Pronouns that stand for a group or an institution.
pub const GROUP_PRONOUNS: &[&str] = &["they", "it", "we"];

/// Month names, capitalised; the index plus one is the month number.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Abbreviated month names without their full stop ("Sept" and "Sep" both; "May" is only
/// written in full).
pub const MONTH_ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
];

/// Weekday names, capitalised, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The number (1 to 12) of a month written in full or abbreviated, any case ("Sept." -> 9).
/// Reads only the first three letters, so the caller decides what counts as a month word.
pub fn month_number(word: &str) -> Option<u32> {
    let prefix: String = word.chars().take(3).collect::<String>().to_lowercase();
    MONTHS
        .iter()
        .position(|month| month[..3].eq_ignore_ascii_case(&prefix))
        .map(|index| index as u32 + 1)
}

/// The weekday index (0 for Monday) of a weekday name, any case.
pub fn weekday_index(word: &str) -> Option<usize> {
    WEEKDAYS
        .iter()
        .position(|day| day.eq_ignore_ascii_case(word))
}

/// A month or weekday as it is written capitalised in running text: "March", "Sept.",
/// "Friday" (an abbreviation only with its full stop: a bare "Jan" may be a given name).
pub fn is_calendar_word(word: &str) -> bool {
    static NAMES: LazyLock<WordSet> = LazyLock::new(|| {
        MONTHS
            .iter()
            .chain(WEEKDAYS.iter())
            .copied()
            .collect::<WordSet>()
    });
    static ABBREVIATIONS: LazyLock<WordSet> = LazyLock::new(|| word_set(MONTH_ABBREVIATIONS));
    NAMES.contains(word)
        || word
            .strip_suffix('.')
            .is_some_and(|stem| ABBREVIATIONS.contains(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrower_speech_verb_lists_are_parts_of_the_canonical_one() {
        for verb in SPEAKER_VERBS.iter().chain(SPEECH_ACT_VERBS) {
            assert!(SPEECH_VERBS.contains(verb), "{verb} is not in SPEECH_VERBS");
        }
    }

    #[test]
    fn lists_have_no_repeated_words() {
        for list in [SPEECH_VERBS, SPEAKER_VERBS, SPEECH_ACT_VERBS, MODALS] {
            let mut seen = std::collections::HashSet::new();
            for word in list {
                assert!(seen.insert(word), "{word} is listed twice");
            }
        }
    }

    #[test]
    fn calendar_words() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("DECEMBER"), Some(12));
        assert_eq!(weekday_index("sunday"), Some(6));
        assert!(is_calendar_word("Jan."));
        assert!(!is_calendar_word("Jan"));
        assert!(is_calendar_word("May"));
        assert!(is_determiner("every"));
        assert!(!is_determiner("The"));
    }
}
