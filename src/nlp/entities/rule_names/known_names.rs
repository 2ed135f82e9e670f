//! The document-level pass: names typed with evidence somewhere in the document, and the
//! surnames of its people, settle the weak guesses elsewhere ("Okafor" after "Daniel
//! Okafor") and type the names of headlines without case.

use super::{place_prepositions, Evidence, NameCandidate};
use crate::nlp::document::{Document, EntityType};
use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::lexicon::SPEAKER_VERBS;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Names the document has typed with evidence, by lower-cased text, and the surnames of
/// its people.
pub(super) struct KnownNames {
    names: FxHashMap<String, (EntityType, Option<&'static str>)>,
    surnames: FxHashMap<String, usize>,
}

impl KnownNames {
    pub(super) fn from(
        document: &Document,
        gazetteer: &Gazetteer,
        candidates: &[NameCandidate],
    ) -> KnownNames {
        let mut names = FxHashMap::default();
        let mut surnames = FxHashMap::default();
        let text = |tokens: &Range<usize>| document.tokens_text(tokens).to_lowercase();
        for candidate in candidates {
            if candidate.evidence == Evidence::Strong {
                names
                    .entry(text(&candidate.tokens))
                    .or_insert((candidate.entity_type, candidate.subtype));
            }
            // Even a guessed full name makes its last word a surname ("Okonkwo"), unless
            // that word is a place ("Lebed Chechnya peace plan" is two names).
            let last = document.token_text(candidate.tokens.end - 1);
            if candidate.entity_type == EntityType::Person
                && candidate.tokens.len() > 1
                && gazetteer.place(last).is_none()
            {
                let surname = document.token_text(candidate.tokens.end - 1).to_lowercase();
                *surnames.entry(surname).or_insert(0) += 1;
            }
        }
        KnownNames { names, surnames }
    }

    pub(super) fn get(&self, text: &str) -> Option<(EntityType, Option<&'static str>)> {
        let lower = text.to_lowercase();
        if let Some(&found) = self.names.get(&lower) {
            return Some(found);
        }
        self.surnames
            .contains_key(&lower)
            .then_some((EntityType::Person, None))
    }

    /// Gives weak candidates the type their words got elsewhere with evidence, and drops
    /// the single ordinary words ("Today", "Food") nothing else supports.
    pub(super) fn settle_weak(
        &self,
        document: &Document,
        gazetteer: &Gazetteer,
        candidates: Vec<NameCandidate>,
    ) -> Vec<NameCandidate> {
        let mut kept = Vec::with_capacity(candidates.len());
        for mut candidate in candidates {
            if candidate.evidence == Evidence::Weak {
                let text = document.tokens_text(&candidate.tokens);
                if let Some((entity_type, subtype)) = self.get(text) {
                    candidate.entity_type = entity_type;
                    candidate.subtype = subtype;
                } else {
                    let next = document
                        .tokens
                        .get(candidate.tokens.end)
                        .map(|token| document.text(token.span));
                    let speaks = next.is_some_and(|word| SPEAKER_VERBS.contains(word));
                    let after_preposition =
                        candidate.tokens.start.checked_sub(1).is_some_and(|index| {
                            place_prepositions()
                                .contains(document.text(document.tokens[index].span))
                        });
                    let ordinary = candidate.tokens.len() == 1
                        && matches!(
                            candidate.entity_type,
                            EntityType::Person | EntityType::Location
                        )
                        && gazetteer.is_common_word(document.token_lower(candidate.tokens.start));
                    if ordinary && !speaks && !after_preposition {
                        continue;
                    }
                    // A lone unknown word that is no surname of anyone named in full here is
                    // more often a company, team or club than a person.
                    if candidate.tokens.len() == 1
                        && candidate.entity_type == EntityType::Person
                        && !speaks
                        && gazetteer.first_name(text).is_none()
                    {
                        candidate.entity_type = EntityType::Organization;
                    }
                }
            }
            kept.push(candidate);
        }
        kept
    }
}
