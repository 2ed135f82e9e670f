//! The trained name tagger: finds PER / ORG / LOC / MISC names with a statistical model.
//!
//! [`TrainedTagger`] implements [`NameTagger`], the seam the entity stage calls. For each
//! document it gathers the document context (which words appear capitalised or in lower case
//! elsewhere), computes each sentence's features ([`features`]), decodes BIO labels with the
//! model ([`model`]: the name tagger's labels over the shared linear model of
//! [`crate::nlp::linear`], averaged perceptron weights and first-order Viterbi) and then runs
//! a document-level pass ([`harmonise`]) that makes repeated names agree. It adds what the
//! entity stage needs besides the span: the title words before a person ("Foreign
//! Minister"), the nationality or country word that qualifies a name or its title, and the
//! `nationality` subtype of nationality words. Last, the rule tagger
//! ([`crate::nlp::entities::rule_names`]) corrects it where the rules are sure: their
//! organisation names fill the model's gaps, and their misc names with a cue word set the
//! type of the same span.
//!
//! The model file is built by `article-enricher train ner` (the command in
//! `src/commands/train/`, the learning in [`train`]); the one committed in `models/` (card
//! in `models/README.md`) is embedded in the binary and parsed once per process.

pub mod cues;
pub mod features;
pub mod model;
pub mod train;

pub use crate::nlp::linear::{clusters, hashing};

use crate::nlp::document::{Document, EntityType};
use crate::nlp::entities::rule_names::{Evidence, NameCandidate, NameTagger, RuleTagger};
use crate::nlp::gazetteer::{Gazetteer, PlaceKind};
use crate::nlp::text::{is_all_caps, title_case};
use features::{DocumentContext, FeatureExtractor, SentenceFeatures};
use model::{chunks, label, Model, TYPES};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Arc, LazyLock};

/// The committed model, embedded at build time.
const EMBEDDED_MODEL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/ner-tagger.bin"
));

/// The bytes of the embedded model file (for measuring how long parsing takes).
pub fn embedded_model_bytes() -> &'static [u8] {
    EMBEDDED_MODEL
}

/// The embedded model, parsed on first use.
pub fn embedded_model() -> Arc<Model> {
    static MODEL: LazyLock<Arc<Model>> = LazyLock::new(|| {
        Arc::new(
            Model::from_bytes(EMBEDDED_MODEL)
                .expect("the embedded name-tagger model is readable (a build defect otherwise)"),
        )
    });
    Arc::clone(&MODEL)
}

/// Names from a trained model.
#[derive(Debug, Clone, Copy)]
pub struct TrainedTagger<'m> {
    model: &'m Model,
}

impl<'m> TrainedTagger<'m> {
    pub fn new(model: &'m Model) -> TrainedTagger<'m> {
        TrainedTagger { model }
    }

    /// Labels for each sentence of a document given as words, after the document pass.
    pub fn label_sentences(&self, sentences: &[Vec<&str>], gazetteer: &Gazetteer) -> Vec<Vec<u8>> {
        let mut context = DocumentContext::default();
        for words in sentences {
            context.add_sentence(words);
        }
        let extractor = FeatureExtractor {
            gazetteer,
            clusters: self.model.clusters(),
        };
        let mut features = SentenceFeatures::default();
        let mut labels: Vec<Vec<u8>> = sentences
            .iter()
            .map(|words| {
                let mut labels = Vec::new();
                if !words.is_empty() {
                    extractor.sentence(words, &context, &mut features);
                    self.model.tag(&features, &mut labels);
                }
                labels
            })
            .collect();
        harmonise(sentences, &mut labels);
        labels
    }
}

/// The words of each sentence of a tokenised document, the tagger's input.
pub fn sentence_words(document: &Document) -> Vec<Vec<&str>> {
    document
        .sentences
        .iter()
        .map(|sentence| {
            sentence
                .tokens
                .clone()
                .map(|token| document.token_text(token))
                .collect()
        })
        .collect()
}

impl NameTagger for TrainedTagger<'_> {
    fn tag(&self, document: &Document, gazetteer: &Gazetteer) -> Vec<NameCandidate> {
        let labels = self.label_sentences(&sentence_words(document), gazetteer);
        let mut found = Vec::new();
        for (sentence, labels) in document.sentences.iter().zip(&labels) {
            let base = sentence.tokens.start;
            for (start, end, type_index) in chunks(labels) {
                let tokens = base + start..base + end;
                found.push(describe(
                    document,
                    gazetteer,
                    tokens,
                    TYPES[type_index],
                    base,
                ));
            }
        }
        // Where the rules are sure (a gazetteer entry or a cue word) the model is corrected
        // in two ways, each neutral on CoNLL dev (within 0.0005 F1) and right on the
        // institutions and documents of political news, which the sports-heavy training text
        // has few of: an organisation name ("Foreign Ministry") is added where the model
        // found nothing, and a misc name with a cue ("Charter", "Treaty", "Cup") takes the
        // misc type and subtype over the model's type for the same span. Letting every sure
        // rule override the model costs 1.5 points.
        let tagged: FxHashSet<usize> = found.iter().flat_map(|c| c.tokens.clone()).collect();
        let by_tokens: FxHashMap<std::ops::Range<usize>, usize> = found
            .iter()
            .enumerate()
            .map(|(index, candidate)| (candidate.tokens.clone(), index))
            .collect();
        for candidate in RuleTagger.tag(document, gazetteer) {
            if candidate.evidence != Evidence::Strong {
                continue;
            }
            match candidate.entity_type {
                EntityType::Misc => {
                    if let Some(&index) = by_tokens.get(&candidate.tokens) {
                        found[index].entity_type = EntityType::Misc;
                        found[index].subtype = candidate.subtype;
                    }
                }
                EntityType::Organization
                    if !candidate
                        .tokens
                        .clone()
                        .any(|token| tagged.contains(&token)) =>
                {
                    found.push(candidate);
                }
                _ => {}
            }
        }
        found.sort_by_key(|candidate| candidate.tokens.start);
        found
    }
}

/// A candidate with the title, qualifier and subtype the entity stage reads.
fn describe(
    document: &Document,
    gazetteer: &Gazetteer,
    tokens: std::ops::Range<usize>,
    entity_type: EntityType,
    sentence_start: usize,
) -> NameCandidate {
    let word = |index: usize| document.token_text(index);
    let mut tokens = tokens;
    let mut title = None;
    if entity_type == EntityType::Person {
        // Names follow CoNLL: a title the model took into the name ("Mr. Lavrov", as GMB
        // annotates) moves out of it.
        let longest = gazetteer.longest_title().min(tokens.len() - 1);
        for length in (1..=longest).rev() {
            let inside = tokens.start..tokens.start + length;
            if gazetteer.title(document.tokens_text(&inside)).is_some() {
                tokens = inside.end..tokens.end;
                break;
            }
        }

        let longest = gazetteer.longest_title().min(tokens.start - sentence_start);
        for length in (1..=longest).rev() {
            let start = tokens.start - length;
            if gazetteer
                .title(document.tokens_text(&(start..tokens.start)))
                .is_some()
            {
                title = Some(start..tokens.start);
                break;
            }
        }
    }
    let before = title.as_ref().map_or(tokens.start, |title| title.start);
    // "Russian Foreign Ministry", "Russia's Foreign Ministry".
    let possessive = before > sentence_start + 1 && matches!(word(before - 1), "'s" | "’s");
    let qualifier_at = if possessive {
        before.checked_sub(2)
    } else {
        before.checked_sub(1)
    };
    let qualifier = qualifier_at
        .filter(|&index| index >= sentence_start)
        .filter(|&index| is_nationality_or_country(gazetteer, word(index)));
    let subtype = (entity_type == EntityType::Misc && tokens.len() == 1)
        .then(|| is_nationality(gazetteer, word(tokens.start)).then_some("nationality"))
        .flatten();
    NameCandidate {
        tokens,
        entity_type,
        subtype,
        title,
        qualifier,
        evidence: Evidence::Strong,
    }
}

fn is_nationality(gazetteer: &Gazetteer, word: &str) -> bool {
    if is_all_caps(word) {
        gazetteer.nationality(&title_case(word)).is_some()
    } else {
        gazetteer.nationality(word).is_some()
    }
}

fn is_nationality_or_country(gazetteer: &Gazetteer, word: &str) -> bool {
    is_nationality(gazetteer, word)
        || gazetteer
            .places(word)
            .iter()
            .any(|(place, _)| place.kind == PlaceKind::Country)
}

/// The document-level pass: names the model found in one place are found everywhere.
/// - a name typed by a cue beside one of its mentions ("shares of X", "the novel X") takes
///   that type at every mention ([`cues`]);
/// - an untagged, capitalised occurrence of a tagged name is tagged too, with the type the
///   name got most often;
/// - the last word of a multi-word person name, alone elsewhere, is that person's surname:
///   a person, untagged or tagged as another type.
///
/// Forcing every occurrence of a name to its majority type was tried and dropped: it cost
/// 0.4 F1 on CoNLL dev, where the same word is often a place in one sentence and a team
/// (an organisation) in the next.
pub fn harmonise(sentences: &[Vec<&str>], labels: &mut [Vec<u8>]) {
    cues::apply(sentences, labels);
    let mut votes: FxHashMap<Vec<&str>, [usize; 4]> = FxHashMap::default();
    let mut surnames: FxHashMap<&str, usize> = FxHashMap::default();
    for (words, labels) in sentences.iter().zip(labels.iter()) {
        for (start, end, type_index) in chunks(labels) {
            votes.entry(words[start..end].to_vec()).or_default()[type_index] += 1;
            if type_index == 0 && end - start >= 2 {
                *surnames.entry(words[end - 1]).or_default() += 1;
            }
        }
    }
    let majority = |counts: &[usize; 4]| -> usize {
        let mut best = 0;
        for (index, &count) in counts.iter().enumerate() {
            if count > counts[best] {
                best = index;
            }
        }
        best
    };
    for (words, labels) in sentences.iter().zip(labels.iter_mut()) {
        // A lone surname of a person named in full is that person.
        for (start, end, type_index) in chunks(labels) {
            if end - start == 1 && type_index != 0 && surnames.contains_key(words[start]) {
                set_chunk(labels, start, end, 0);
            }
        }
        // Tag untagged repeats, longest names first.
        let mut position = 0;
        while position < words.len() {
            if labels[position] != 0 || !starts_capitalised(words[position]) {
                position += 1;
                continue;
            }
            let mut matched = None;
            for length in (1..=4.min(words.len() - position)).rev() {
                let span = position..position + length;
                if labels[span.clone()].iter().any(|&label| label != 0) {
                    continue;
                }
                if let Some(counts) = votes.get(&words[span.clone()]) {
                    matched = Some((length, majority(counts)));
                    break;
                }
                if length == 1 && surnames.contains_key(words[position]) {
                    matched = Some((1, 0));
                }
            }
            match matched {
                Some((length, type_index)) => {
                    set_chunk(labels, position, position + length, type_index);
                    position += length;
                }
                None => position += 1,
            }
        }
    }
}

fn starts_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

pub(crate) fn set_chunk(labels: &mut [u8], start: usize, end: usize, type_index: usize) {
    labels[start] = label(type_index, false);
    for value in &mut labels[start + 1..end] {
        *value = label(type_index, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sentence's words, split at spaces (the tagger's tests and its cues' tests).
    pub(super) fn words(text: &str) -> Vec<&str> {
        text.split(' ').collect()
    }

    #[test]
    fn repeated_names_agree_and_surnames_follow_the_person() {
        let sentences = vec![
            words("Anna Berg met Kovac in Brill ."),
            words("Brill hosted Kovac ."),
            words("Later Berg left Brill ."),
        ];
        // "Brill" is untagged once; "Berg" alone is tagged as a place once.
        let mut labels = vec![
            vec![1, 5, 0, 2, 0, 3, 0],
            vec![0, 0, 2, 0],
            vec![0, 3, 0, 3, 0],
        ];
        harmonise(&sentences, &mut labels);
        assert_eq!(labels[0], vec![1, 5, 0, 2, 0, 3, 0]);
        assert_eq!(labels[1], vec![3, 0, 2, 0], "Brill tagged as elsewhere");
        assert_eq!(labels[2], vec![0, 1, 0, 3, 0], "the surname is the person");
    }
}
