//! The type of a name span: from the gazetteers, then cue words, person cues and weak
//! defaults; and, in a sentence without case information (an all-capital or title-case
//! headline), only what the gazetteers and the rest of the document know.

use super::{
    location_cues, misc_subtype, organization_cues, organization_heads, place_prepositions,
    Evidence, Known, KnownNames, NameCandidate, SentenceTagger,
};
use crate::nlp::document::EntityType;
use crate::nlp::gazetteer::PlaceKind;
use crate::nlp::lexicon::SPEAKER_VERBS;
use crate::nlp::text::{is_all_caps, title_case};
use std::ops::Range;

impl SentenceTagger<'_> {
    pub(super) fn known(&self, text: &str) -> Option<Known> {
        if let Some(place) = self.gazetteer.place(text) {
            if place.kind == PlaceKind::Country {
                return Some(Known::Place);
            }
        }
        if self.gazetteer.organization(text).is_some() {
            return Some(Known::Organization);
        }
        if self.gazetteer.nationality(text).is_some() {
            return Some(Known::Nationality);
        }
        self.gazetteer.place(text).map(|_| Known::Place)
    }

    /// Known well enough to be a name even where it is also an ordinary word ("Turkey",
    /// "China", "Reuters"): not a small town or a rare alias.
    pub(super) fn well_known(&self, text: &str) -> bool {
        if self.gazetteer.organization(text).is_some() || self.gazetteer.nationality(text).is_some()
        {
            return true;
        }
        self.gazetteer.places(text).iter().any(|(place, main)| {
            let broad = matches!(
                place.kind,
                PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
            );
            broad || place.population >= 1_000_000 || (*main && place.population >= 100_000)
        })
    }

    /// Types a name span that has no title of its own.
    pub(super) fn typed(
        &self,
        tokens: Range<usize>,
        qualifier: Option<usize>,
        title: Option<Range<usize>>,
    ) -> NameCandidate {
        let candidate = |entity_type, subtype, evidence| NameCandidate {
            tokens: tokens.clone(),
            entity_type,
            subtype,
            title: title.clone(),
            qualifier,
            evidence,
        };
        let text = self.text(tokens.clone());
        match self.known(text) {
            Some(Known::Organization) => {
                return candidate(EntityType::Organization, None, Evidence::Strong)
            }
            Some(Known::Place) => {
                // A town's name is often a surname too ("Clinton"): let the document decide.
                let evidence = if self.well_known(text) || tokens.len() > 1 {
                    Evidence::Strong
                } else {
                    Evidence::Weak
                };
                return candidate(EntityType::Location, None, evidence);
            }
            Some(Known::Nationality) => {
                return candidate(EntityType::Misc, Some("nationality"), Evidence::Strong)
            }
            None => {}
        }
        if tokens.len() == 1 && text.contains('-') {
            // "Russian-Chinese", "Sino-Soviet": compounds of nationality words are misc.
            let parts: Vec<&str> = text.split('-').collect();
            if parts
                .iter()
                .all(|part| self.gazetteer.nationality(part).is_some())
            {
                return candidate(EntityType::Misc, Some("nationality"), Evidence::Strong);
            }
        }
        let first = self.word(tokens.start);
        let last = self.word(tokens.end - 1);
        if let Some(subtype) = misc_subtype(last) {
            if tokens.len() > 1 {
                return candidate(EntityType::Misc, Some(subtype), Evidence::Strong);
            }
        }
        let multiword = tokens.len() > 1;
        if multiword && (organization_cues().contains(last) || organization_heads().contains(first))
        {
            return candidate(EntityType::Organization, None, Evidence::Strong);
        }
        if multiword && location_cues().contains(last) {
            return candidate(EntityType::Location, None, Evidence::Strong);
        }
        if multiword && text.contains(" & ") {
            return candidate(EntityType::Organization, None, Evidence::Strong);
        }
        if multiword && self.gazetteer.first_name(first).is_some() && tokens.len() <= 4 {
            return candidate(EntityType::Person, None, Evidence::Strong);
        }
        // "Air France", "Procter & Gamble": a country or an ampersand inside a longer name
        // makes a company or another organisation, not a person.
        let names_country = (tokens.start..tokens.end).any(|index| {
            self.gazetteer
                .place(self.word(index))
                .is_some_and(|place| place.kind == PlaceKind::Country)
        });
        if multiword && (names_country || text.contains(" & ")) {
            return candidate(EntityType::Organization, None, Evidence::Weak);
        }
        let next = self.next_word(tokens.end);
        if next.is_some_and(|word| SPEAKER_VERBS.contains(word)) && !is_all_caps(text) {
            return candidate(EntityType::Person, None, Evidence::Weak);
        }
        if !multiword {
            if is_all_caps(text) && text.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                return candidate(EntityType::Organization, None, Evidence::Weak);
            }
            let previous = tokens
                .start
                .checked_sub(1)
                .filter(|&index| {
                    self.document.tokens[index].sentence
                        == self.document.tokens[tokens.start].sentence
                })
                .map(|index| self.word(index));
            if previous.is_some_and(|word| place_prepositions().contains(word)) {
                return candidate(EntityType::Location, None, Evidence::Weak);
            }
        }
        // Several words, the first no given name, one an ordinary English word: "Early
        // Warning System", "Trinity Mirror" are organisations more often than people.
        let ordinary_word = (tokens.start..tokens.end).any(|index| {
            self.gazetteer
                .is_common_word(self.document.token_lower(index))
        });
        if multiword && ordinary_word && self.gazetteer.first_name(first).is_none() {
            return candidate(EntityType::Organization, None, Evidence::Weak);
        }
        candidate(EntityType::Person, None, Evidence::Weak)
    }

    /// Tags a sentence without case information: only gazetteer names and names the
    /// document has shown elsewhere, longest first.
    pub(super) fn tag_uncased(
        &self,
        tokens: Range<usize>,
        known: &KnownNames,
        out: &mut Vec<NameCandidate>,
    ) {
        const LONGEST: usize = 4;
        let mut index = tokens.start;
        while index < tokens.end {
            let found = (1..=LONGEST.min(tokens.end - index))
                .rev()
                .find_map(|width| {
                    let span = index..index + width;
                    let edges_are_names =
                        self.is_name_word(span.start) && self.is_name_word(span.end - 1);
                    let all_words = span
                        .clone()
                        .all(|token| self.word(token).chars().any(char::is_alphanumeric));
                    if !edges_are_names || !all_words {
                        return None;
                    }
                    self.uncased_type(span.clone(), known)
                        .map(|(entity_type, subtype)| NameCandidate {
                            tokens: span,
                            entity_type,
                            subtype,
                            title: None,
                            qualifier: None,
                            evidence: Evidence::Strong,
                        })
                });
            match found {
                Some(candidate) => {
                    index = candidate.tokens.end;
                    out.push(candidate);
                }
                None => index += 1,
            }
        }
    }

    pub(super) fn uncased_type(
        &self,
        tokens: Range<usize>,
        known: &KnownNames,
    ) -> Option<(EntityType, Option<&'static str>)> {
        let text = self.text(tokens.clone());
        if let Some(found) = known.get(text) {
            return Some(found);
        }
        let words: Vec<String> = tokens
            .clone()
            .map(|index| title_case(self.word(index)))
            .collect();
        let title_cased = words.join(" ");
        let ordinary = tokens.len() == 1
            && self
                .gazetteer
                .is_common_word(self.document.token_lower(tokens.start));
        if is_all_caps(text) && !ordinary && self.gazetteer.organization(text).is_some() {
            return Some((EntityType::Organization, None));
        }
        if self.gazetteer.nationality(&title_cased).is_some() {
            return Some((EntityType::Misc, Some("nationality")));
        }
        let place = self.gazetteer.place(&title_cased)?;
        let broad = matches!(
            place.kind,
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Region
        );
        (broad || !ordinary).then_some((EntityType::Location, None))
    }
}
