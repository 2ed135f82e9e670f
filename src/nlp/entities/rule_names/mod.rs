//! The rule tagger: proper-name spans with CoNLL types, from capitalisation, cue words and
//! the gazetteers, and the [`NameTagger`] trait every name tagger implements.
//!
//! In the pipeline the trained tagger ([`super::tagger`]) finds the names; it runs
//! [`RuleTagger`] beside it and takes only what the rules are sure of (a gazetteer entry or a
//! cue word): organisation names where the model found nothing, and the misc type of a name
//! with a cue ("Charter", "Treaty", "Cup"). Those are the institutions and documents of
//! political news, which the model's sports-heavy training text has few of. On its own it
//! still finds and types every name it can, weak guesses included, and its case table checks
//! it that way.
//!
//! The work is split by step: `runs.rs` finds the runs of capitalised words and splits off
//! titles and qualifiers (names follow CoNLL: "Foreign Minister Daniel Okafor" is the person
//! "Daniel Okafor" with a title), `types.rs` types each span, from evidence first and weak
//! defaults last, and `known_names.rs` is the document pass that settles weak guesses with
//! what the rest of the document shows ("Okafor" after "Daniel Okafor") and tags headlines
//! without case. It does not cluster mentions, resolve descriptions or pronouns, or geocode:
//! that is the resolver of the parent module. Its cases are in
//! `tests/cases/entities/rule_names.json` (run by `tests/cases_entities.rs`).

mod known_names;
mod runs;
mod types;

use known_names::KnownNames;

use crate::nlp::document::{Document, EntityType};
use crate::nlp::gazetteer::{Gazetteer, PlaceKind};
use crate::nlp::lexicon::{lexicon, Lexicon};
use crate::nlp::text::{is_all_caps, is_capitalised};
use std::ops::Range;

/// A proper name found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameCandidate {
    /// Indices into [`Document::tokens`].
    pub tokens: Range<usize>,
    pub entity_type: EntityType,
    /// `nationality`, `law`, `event` for misc names; places are refined by `entities`.
    pub subtype: Option<&'static str>,
    /// The title words right before a person's name ("Foreign Minister").
    pub title: Option<Range<usize>>,
    /// A nationality or country token that qualifies the name or its title ("Nigerian" in
    /// "Nigerian Foreign Ministry" and in "Nigerian Foreign Minister Daniel Okafor").
    pub qualifier: Option<usize>,
    pub evidence: Evidence,
}

/// Why a candidate got its type; a later pass only overrides weak ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A gazetteer entry, a cue word, a title or a layout rule.
    Strong,
    /// The default guess for a capitalised word nothing else explains.
    Weak,
}

/// Anything that finds names in a tokenised document.
pub trait NameTagger: Send + Sync {
    /// Names in text order, not overlapping.
    fn tag(&self, document: &Document, gazetteer: &Gazetteer) -> Vec<NameCandidate>;
}

/// Capitalisation rules, cue words and gazetteers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleTagger;

/// Final words that make a name an organisation.
fn organization_cues() -> &'static Lexicon {
    lexicon!("entities/organization_cues")
}

/// Leading words that make an "X of Y" name an organisation.
fn organization_heads() -> &'static Lexicon {
    lexicon!("entities/organization_heads")
}

/// The misc subtype a final word gives a name ("Treaty" -> law, "Cup" -> event).
fn misc_subtype(last: &str) -> Option<&'static str> {
    [
        ("law", lexicon!("entities/misc_law_cues")),
        ("event", lexicon!("entities/misc_event_cues")),
        ("award", lexicon!("entities/misc_award_cues")),
    ]
    .into_iter()
    .find(|(_, cues)| cues.contains(last))
    .map(|(subtype, _)| subtype)
}

/// Final words that make a name a location.
fn location_cues() -> &'static Lexicon {
    lexicon!("entities/location_cues")
}

/// Capitalised words that are never names by themselves, besides month and weekday names
/// ([`is_calendar_word`](crate::nlp::lexicon::is_calendar_word)).
fn never_names() -> &'static Lexicon {
    lexicon!("entities/never_names")
}

/// Closed-class words: capitalised, they open a sentence or a headline, never a name.
fn function_words() -> &'static Lexicon {
    lexicon!("entities/function_words")
}

/// Lower-case particles inside personal and place names.
fn name_particles() -> &'static Lexicon {
    lexicon!("entities/name_particles")
}

/// Prepositions after which an unknown single name is most likely a place.
fn place_prepositions() -> &'static Lexicon {
    lexicon!("entities/place_prepositions")
}

impl NameTagger for RuleTagger {
    fn tag(&self, document: &Document, gazetteer: &Gazetteer) -> Vec<NameCandidate> {
        let tagger = SentenceTagger {
            document,
            gazetteer,
        };
        let byline = byline_sentence(document);
        let mut cased = Vec::new();
        let mut uncased_sentences = Vec::new();
        for (index, sentence) in document.sentences.iter().enumerate() {
            if Some(index) == byline {
                cased.push(NameCandidate {
                    tokens: first_word(document, sentence.tokens.clone())..sentence.tokens.end,
                    entity_type: EntityType::Person,
                    subtype: None,
                    title: None,
                    qualifier: None,
                    evidence: Evidence::Strong,
                });
            } else if tagger.lacks_case(sentence.tokens.clone()) {
                uncased_sentences.push(index);
            } else {
                tagger.tag_cased(sentence.tokens.clone(), &mut cased);
            }
        }
        let known = KnownNames::from(document, gazetteer, &cased);
        let mut cased = known.settle_weak(document, gazetteer, cased);
        for index in uncased_sentences {
            tagger.tag_uncased(document.sentences[index].tokens.clone(), &known, &mut cased);
        }
        cased.sort_by_key(|candidate| candidate.tokens.start);
        for candidate in &mut cased {
            let sentence = document.tokens[candidate.tokens.start].sentence;
            if candidate.entity_type == EntityType::Location && is_results_line(document, sentence)
            {
                let text = tagger.text(candidate.tokens.clone());
                let country = gazetteer
                    .place(text)
                    .is_some_and(|place| place.kind == PlaceKind::Country);
                if !country {
                    candidate.entity_type = EntityType::Organization;
                }
            }
        }
        cased
    }
}

/// A line of sports results or standings ("Surrey 304-6 , Kent 210", "CHICAGO 63 45 .583"):
/// numbers and names with few ordinary words. There a city names its team, an
/// organisation; a country names its national team, which CoNLL keeps a location.
fn is_results_line(document: &Document, sentence: usize) -> bool {
    let tokens = document.sentences[sentence].tokens.clone();
    let mut numbers = 0;
    let mut words = 0;
    let mut lower_words = 0;
    for index in tokens {
        let word = document.token_text(index);
        let first = word.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() {
            numbers += 1;
        } else if first.is_alphabetic() {
            words += 1;
            if first.is_lowercase() && word.len() > 3 {
                lower_words += 1;
            }
        }
    }
    numbers >= 2 && words > 0 && lower_words * 4 <= words
}

/// The sentence that is a byline: the last paragraph of the last field, 2 or 3 capitalised
/// words (after an optional "By"), no end punctuation.
fn byline_sentence(document: &Document) -> Option<usize> {
    let last = document.sentences.len().checked_sub(1)?;
    let sentence = &document.sentences[last];
    if last == 0 || document.sentences[last - 1].paragraph == sentence.paragraph {
        return None;
    }
    let start = first_word(document, sentence.tokens.clone());
    let words: Vec<&str> = (start..sentence.tokens.end)
        .map(|index| document.token_text(index))
        .collect();
    let capitalised = words.iter().all(|word| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_lowercase() || c == '-')
    });
    (capitalised && (2..=3).contains(&words.len())).then_some(last)
}

/// Skips a leading "By" of a byline.
fn first_word(document: &Document, tokens: Range<usize>) -> usize {
    if tokens.len() > 2 && document.token_text(tokens.start).eq_ignore_ascii_case("by") {
        tokens.start + 1
    } else {
        tokens.start
    }
}

struct SentenceTagger<'a> {
    document: &'a Document,
    gazetteer: &'a Gazetteer,
}

/// How the gazetteers read a sequence of words.
enum Known {
    Organization,
    Place,
    Nationality,
}

impl SentenceTagger<'_> {
    fn word(&self, index: usize) -> &str {
        self.document.token_text(index)
    }

    /// The text from the first token's start to the last token's end.
    fn text(&self, tokens: Range<usize>) -> &str {
        self.document.tokens_text(&tokens)
    }

    /// All-capital or title-case sentences say nothing through capitals.
    fn lacks_case(&self, tokens: Range<usize>) -> bool {
        let words: Vec<(&str, &str)> = tokens
            .map(|index| (self.word(index), self.document.token_lower(index)))
            .filter(|(word, _)| word.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .collect();
        let caps = words.iter().filter(|(word, _)| is_all_caps(word)).count();
        if words.len() >= 3 && caps * 10 >= words.len() * 7 {
            return true;
        }
        // Title case: the ordinary words after the first are capitalised too, at least 8 in
        // 10 of them. The capitalised ones are counted first; the others only until they
        // are too many (each takes a lookup, and in a cased sentence the first few suffice).
        let is_ordinary = |word: &str, lower: &str| {
            word.len() >= 4
                && self.gazetteer.is_common_word(lower)
                && !self.gazetteer.is_title_word(word)
        };
        let (capitals, others): (Vec<_>, Vec<_>) = words
            .iter()
            .skip(1)
            .partition(|(word, _)| is_capitalised(word));
        let capitalised = capitals
            .iter()
            .filter(|(word, lower)| is_ordinary(word, lower))
            .count();
        let mut ordinary = capitalised;
        for (word, lower) in others {
            if capitalised * 10 < ordinary * 8 {
                return false;
            }
            if is_ordinary(word, lower) {
                ordinary += 1;
            }
        }
        ordinary >= 3 && capitalised * 10 >= ordinary * 8
    }

    fn next_word(&self, index: usize) -> Option<&str> {
        (index < self.document.tokens.len()).then(|| self.word(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;
    use crate::nlp::text;

    fn document(fields: &[(&str, &str)]) -> Document {
        let mut document = Document {
            fields: fields
                .iter()
                .map(|(name, text)| Field {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            ..Document::default()
        };
        text::tokenize(&mut document);
        document
    }

    type Found = Vec<(String, &'static str)>;

    /// (text, type) of every name of a body.
    fn names(body: &str) -> Found {
        let document = document(&[("body", body)]);
        RuleTagger
            .tag(&document, Gazetteer::embedded())
            .iter()
            .map(|candidate| {
                let first = document.tokens[candidate.tokens.start].span;
                let last = document.tokens[candidate.tokens.end - 1].span;
                (
                    body[first.start..last.end].to_string(),
                    candidate.entity_type.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn all_capital_headlines_use_gazetteers_and_known_names() {
        let document = document(&[
            ("title", "MERKEL MEETS ITALIAN LEADERS IN ROME"),
            ("body", "Chancellor Angela Merkel flew in on Friday."),
        ]);
        let found: Vec<(String, &str)> = RuleTagger
            .tag(&document, Gazetteer::embedded())
            .iter()
            .map(|c| {
                let span = document.tokens[c.tokens.start].span;
                let end = document.tokens[c.tokens.end - 1].span.end;
                (
                    document.fields[span.field].text[span.start..end].to_string(),
                    c.entity_type.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("MERKEL".to_string(), "person"),
                ("ITALIAN".to_string(), "misc"),
                ("ROME".to_string(), "location"),
                ("Angela Merkel".to_string(), "person"),
            ]
        );
    }

    #[test]
    fn a_short_last_paragraph_is_a_byline() {
        let found = names("Prices rose again in Lagos.\n\nAmara Nwosu\n");
        assert_eq!(
            found.last().unwrap(),
            &("Amara Nwosu".to_string(), "person")
        );
    }
}
