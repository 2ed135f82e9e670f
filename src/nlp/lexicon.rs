//! Word lists as data: the loader for `data/lexicon/`, and the closed-class English words
//! the stages share (determiners, modals, pronouns, month and weekday names, speech verbs).
//!
//! Vocabulary lives in one-entry-a-line files under `data/lexicon/<folder>/<list>.txt` (the
//! folders and the file format: `data/lexicon/README.md`), each opening with a `#` line that
//! says what the list is for and where it comes from, as HeidelTime's `resources/english/`
//! and spaCy's `lang/en/` keep theirs apart from the engine. The crate-internal `lexicon!`
//! macro embeds a file in the binary and parses it once per process into a [`Lexicon`]: the
//! entries in file order (for lists read in order) and a hashed set (for membership tests on
//! every token). The English lists (`data/lexicon/english/`) are defined once here so that
//! the stages agree on them; a list only one stage reads lives in that stage's folder and is
//! loaded where the stage reads it.

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// A fixed word list as a set: one hash per membership test, for lists read on every token
/// (a linear scan compares the word with each entry).
pub type WordSet = FxHashSet<&'static str>;

/// The set of `words`, to be built once (in a `LazyLock`).
pub fn word_set(words: &[&'static str]) -> WordSet {
    words.iter().copied().collect()
}

/// One word list from `data/lexicon/`: its entries in file order and as a hashed set.
/// Dereferences to the entries, so it iterates and indexes like a slice; [`Lexicon::contains`]
/// is the hashed membership test.
#[derive(Debug)]
pub struct Lexicon {
    words: Vec<&'static str>,
    set: WordSet,
    /// One bit per [`sketch`] value of an entry: a word whose bit is clear is not an entry,
    /// which most words a stage asks about are not, and which this tells without hashing
    /// the word or probing the set.
    sketches: Box<[u64; SKETCH_WORDS]>,
}

/// 64-bit words of a [`Lexicon`]'s sketch bitmap (4,096 bits).
const SKETCH_WORDS: usize = 64;

/// A cheap 12-bit fingerprint of a word from its length and three of its bytes.
#[inline]
fn sketch(word: &str) -> usize {
    let bytes = word.as_bytes();
    let Some(&last) = bytes.last() else {
        return 0;
    };
    let mixed = (bytes.len() as u32)
        | u32::from(bytes[0]) << 8
        | u32::from(bytes[bytes.len() / 2]) << 16
        | u32::from(last) << 24;
    (mixed.wrapping_mul(0x9e37_79b1) >> 20) as usize
}

impl Lexicon {
    /// Parses a list file: one entry a line, trimmed; blank lines and lines starting with `#`
    /// are skipped. Entries keep their case and may hold spaces (phrases).
    pub fn parse(text: &'static str) -> Lexicon {
        let words: Vec<&'static str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        let set = word_set(&words);
        let mut sketches = Box::new([0u64; SKETCH_WORDS]);
        for word in &words {
            let bit = sketch(word);
            sketches[bit / 64] |= 1 << (bit % 64);
        }
        Lexicon {
            words,
            set,
            sketches,
        }
    }

    /// Whether `word` is an entry (exact, case-sensitive).
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        let bit = sketch(word);
        self.sketches[bit / 64] & (1 << (bit % 64)) != 0 && self.set.contains(word)
    }

    /// The entries as a hashed set.
    pub fn set(&self) -> &WordSet {
        &self.set
    }
}

impl std::ops::Deref for Lexicon {
    type Target = [&'static str];
    fn deref(&self) -> &[&'static str] {
        &self.words
    }
}

/// The [`Lexicon`] of `data/lexicon/<path>.txt`, embedded in the binary and parsed on first
/// use: `lexicon!("quotes/stance_verbs")` is a `&'static Lexicon`.
macro_rules! lexicon {
    ($path:literal) => {{
        static LEXICON: std::sync::LazyLock<$crate::nlp::lexicon::Lexicon> =
            std::sync::LazyLock::new(|| {
                $crate::nlp::lexicon::Lexicon::parse(include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/data/lexicon/",
                    $path,
                    ".txt"
                )))
            });
        &*LEXICON
    }};
}
pub(crate) use lexicon;

/// A shared list as a `static`, for the lists several stages name.
macro_rules! shared_lexicon {
    ($(#[$doc:meta])* $name:ident = $path:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<Lexicon> = LazyLock::new(|| {
            Lexicon::parse(include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/lexicon/",
                $path,
                ".txt"
            )))
        });
    };
}

shared_lexicon!(
    /// Verbs of saying, reporting and stating a belief: the canonical list; every narrower
    /// speech-verb list is a part of it.
    SPEECH_VERBS = "english/speech_verbs"
);
shared_lexicon!(
    /// Speech verbs that follow a speaker's name directly ("Okafor said").
    SPEAKER_VERBS = "english/speaker_verbs"
);
shared_lexicon!(
    /// Speech acts that end a clause's own content: what follows is reported speech.
    SPEECH_ACT_VERBS = "english/speech_act_verbs"
);
shared_lexicon!(
    /// Articles.
    ARTICLES = "english/articles"
);
shared_lexicon!(
    /// Demonstrative determiners.
    DEMONSTRATIVES = "english/demonstratives"
);
shared_lexicon!(
    /// Possessive determiners ("his visit").
    POSSESSIVE_DETERMINERS = "english/possessive_determiners"
);
shared_lexicon!(
    /// Quantifying determiners ("some 2000 people").
    QUANTIFIERS = "english/quantifiers"
);
shared_lexicon!(
    /// Modal verbs, with the clitics "'ll", "'d" and the "wo" of "won't".
    MODALS = "english/modals"
);
shared_lexicon!(
    /// Object pronouns ("told me").
    OBJECT_PRONOUNS = "english/object_pronouns"
);
shared_lexicon!(
    /// Third-person pronouns that stand for one person.
    PERSON_PRONOUNS = "english/person_pronouns"
);
shared_lexicon!(
    /// Pronouns that stand for a group or an institution.
    GROUP_PRONOUNS = "english/group_pronouns"
);
shared_lexicon!(
    /// Month names, capitalised, January first: the index plus one is the month number.
    MONTHS = "english/months"
);
shared_lexicon!(
    /// Abbreviated month names without their full stop.
    MONTH_ABBREVIATIONS = "english/month_abbreviations"
);
shared_lexicon!(
    /// Weekday names, capitalised, Monday first.
    WEEKDAYS = "english/weekdays"
);

/// Words that open a noun phrase: articles, demonstratives, possessives and quantifiers.
pub fn is_determiner(word: &str) -> bool {
    ARTICLES.contains(word)
        || DEMONSTRATIVES.contains(word)
        || POSSESSIVE_DETERMINERS.contains(word)
        || QUANTIFIERS.contains(word)
}

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
    NAMES.contains(word)
        || word
            .strip_suffix('.')
            .is_some_and(|stem| MONTH_ABBREVIATIONS.contains(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrower_speech_verb_lists_are_parts_of_the_canonical_one() {
        for verb in SPEAKER_VERBS.iter().chain(SPEECH_ACT_VERBS.iter()) {
            assert!(SPEECH_VERBS.contains(verb), "{verb} is not in SPEECH_VERBS");
        }
    }

    #[test]
    fn lists_have_no_repeated_words() {
        for list in [&SPEECH_VERBS, &SPEAKER_VERBS, &SPEECH_ACT_VERBS, &MODALS] {
            let mut seen = std::collections::HashSet::new();
            for word in list.iter() {
                assert!(seen.insert(word), "{word} is listed twice");
            }
        }
    }

    #[test]
    fn the_sketch_passes_every_entry_and_stops_most_other_words() {
        let lexicon = Lexicon::parse("# invented\nalpha\nbeta gamma\n\u{e9}t\u{e9}\nx\n");
        for word in lexicon.iter() {
            assert!(lexicon.contains(word), "{word} is an entry");
        }
        for word in ["Alpha", "alph", "beta", "", "xx", "\u{e9}t"] {
            assert!(!lexicon.contains(word), "{word} is not an entry");
        }
        // Words the sketch alone turns away: nearly all, for a list of a few entries.
        let others: Vec<String> = (0..1000).map(|n| format!("word{n}")).collect();
        let stopped = others
            .iter()
            .filter(|word| {
                let bit = sketch(word);
                lexicon.sketches[bit / 64] & (1 << (bit % 64)) == 0
            })
            .count();
        assert!(stopped > 950, "{stopped} of 1000 stopped by the sketch");
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
