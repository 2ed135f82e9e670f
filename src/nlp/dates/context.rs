//! Where a match sits: the words around it, whether it opens its sentence, and the
//! context checks several readings share (a recurring set, a clock time before a day, a
//! date that modifies a noun). The readings look at their neighbours through [`Context`].

use super::tense::{clause_tense, Tense};
use crate::nlp::document::{Document, Span};
use crate::nlp::lexicon::{lexicon, Lexicon, ARTICLES, POSSESSIVE_DETERMINERS};
use chrono::NaiveDate;

/// Where a match sits: enough to look at its neighbours and its clause.
pub(super) struct Context<'a> {
    pub(super) document: &'a Document,
    pub(super) field: usize,
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) anchor: Option<NaiveDate>,
}

impl Context<'_> {
    /// The word right before the match (lowercase compare is up to the caller), or "" when
    /// punctuation or the start of the text comes first.
    pub(super) fn previous_word(&self) -> &str {
        previous_word(self.text, self.start)
    }

    pub(super) fn next_word(&self) -> &str {
        next_word(self.text, self.end)
    }

    /// The word before [`Self::previous_word`] ("ahead" in "ahead of tomorrow").
    pub(super) fn word_before_previous(&self) -> &str {
        let previous = self.previous_word();
        // The previous word is a slice of the text: its offset is the distance between them.
        let previous_start = previous.as_ptr() as usize - self.text.as_ptr() as usize;
        previous_word(self.text, previous_start)
    }

    pub(super) fn previous_word_is(&self, words: &[&str]) -> bool {
        let previous = self.previous_word();
        words.iter().any(|word| previous.eq_ignore_ascii_case(word))
    }

    pub(super) fn next_word_is(&self, words: &[&str]) -> bool {
        let next = self.next_word();
        words.iter().any(|word| next.eq_ignore_ascii_case(word))
    }

    /// Whether the previous word, in any ASCII case, is in `list` (whose entries are lower
    /// case): [`Self::previous_word_is`] as one hashed look-up.
    pub(super) fn previous_word_in(&self, list: &Lexicon) -> bool {
        list.contains(&self.previous_word().to_ascii_lowercase())
    }

    /// Whether the next word, in any ASCII case, is in `list` (whose entries are lower case).
    pub(super) fn next_word_in(&self, list: &Lexicon) -> bool {
        list.contains(&self.next_word().to_ascii_lowercase())
    }

    /// True when the match opens its sentence (after any opening quotes or brackets).
    pub(super) fn opens_sentence(&self) -> bool {
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
    pub(super) fn tense(&self) -> Tense {
        if self.previous_word_is(&["since"]) {
            return Tense::Past;
        }
        clause_tense(self.document, Span::new(self.field, self.start, self.end))
    }
}

pub(super) fn previous_word(text: &str, offset: usize) -> &str {
    let before = text[..offset].trim_end();
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map_or(0, |index| {
            index + before[index..].chars().next().map_or(1, char::len_utf8)
        });
    &before[word_start..]
}

pub(super) fn next_word(text: &str, offset: usize) -> &str {
    let after = text[offset..].trim_start();
    let word_end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .unwrap_or(after.len());
    &after[..word_end]
}

/// "each Monday", "every July": a recurring time, not a date.
pub(super) fn names_a_set(context: &Context) -> bool {
    context.previous_word_is(&["each", "every"])
}

/// Characters enough to hold the longest ending [`follows_clock_time`] looks for.
const CLOCK_ENDING_CHARS: usize = 8;

/// "at 10 p.m. Wednesday", "noon Thursday": part of a time of day, which this stage leaves
/// out rather than reporting the day alone.
pub(super) fn follows_clock_time(context: &Context) -> bool {
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
    let clock_word = lexicon!("dates/clock_words")
        .iter()
        .any(|ending| before.ends_with(ending));
    // A time zone is a word of its own: "9 p.m. EST Friday", not "the latest Friday".
    let time_zone = lexicon!("dates/time_zones").iter().any(|zone| {
        before
            .strip_suffix(zone)
            .is_some_and(|rest| rest.ends_with(' '))
    });
    clock_word || time_zone
}

/// Words after a date that show it does not modify a noun.
pub(super) fn not_nouns() -> &'static Lexicon {
    lexicon!("dates/not_nouns")
}

/// "the Jan. 14 deadline", "a Sept. 3 vote": a date that modifies a noun names the occasion,
/// not the time of the clause's verb, so the clause's tense does not place it.
pub(super) fn is_attributive(context: &Context) -> bool {
    let next = context.next_word();
    (context.previous_word_in(&ARTICLES) || context.previous_word_in(&POSSESSIVE_DETERMINERS))
        && next.chars().next().is_some_and(char::is_lowercase)
        && next.chars().all(char::is_alphabetic)
        && !context.next_word_in(not_nouns())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Context::previous_word_in`] and the token look-ups fold the word to lower case and
    /// test it exactly, so the lists they read must be lower case (only the weekday-name
    /// prefixes are matched as written).
    #[test]
    fn lists_read_in_any_case_are_lower_case() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lexicon/dates");
        for entry in std::fs::read_dir(&folder).expect("the dates lexicon folder") {
            let path = entry.expect("a directory entry").path();
            if path
                .file_stem()
                .is_some_and(|stem| stem == "named_day_prefixes")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a list file");
            let list = Lexicon::parse(Box::leak(text.into_boxed_str()));
            for word in list.iter() {
                assert_eq!(*word, word.to_lowercase(), "{}: {word}", path.display());
            }
        }
    }

    #[test]
    fn a_time_zone_is_a_word_of_its_own() {
        let text = "at 9 p.m. EST Friday, the latest Friday";
        let document = Document::default();
        let context = |start| Context {
            document: &document,
            field: 0,
            text,
            start,
            end: start + 6,
            anchor: None,
        };
        assert!(follows_clock_time(&context(14)));
        assert!(!follows_clock_time(&context(33)));
    }
}
