//! Runs of capitalised words in a sentence with normal case: which tokens are name words,
//! which connectors join two runs into one name ("Ministry of Foreign Affairs", "Bosnia and
//! Herzegovina"), and how a run splits into a qualifier, a title and the name itself
//! ("Nigerian" + "Foreign Minister" + "Daniel Okafor").

use super::Evidence;
use super::{
    function_words, name_particles, never_names, organization_cues, organization_heads,
    NameCandidate, SentenceTagger,
};
use crate::nlp::document::EntityType;
use crate::nlp::gazetteer::PlaceKind;
use crate::nlp::lexicon::is_calendar_word;
use crate::nlp::text::is_capitalised;
use std::ops::Range;

impl SentenceTagger<'_> {
    pub(super) fn is_name_word(&self, index: usize) -> bool {
        let word = self.word(index);
        if never_names().contains(word) || is_calendar_word(word) {
            // "The Sunday Telegraph", "The March of Dimes": after an article, part of a name.
            let sentence_start = self.document.sentences[self.document.tokens[index].sentence]
                .tokens
                .start;
            let next_is_name = index + 1 < self.document.tokens.len()
                && self.document.tokens[index + 1].sentence == self.document.tokens[index].sentence
                && is_capitalised(self.word(index + 1));
            return index > sentence_start
                && matches!(self.word(index - 1), "The" | "the")
                && next_is_name;
        }
        if function_words().contains(word) {
            return false;
        }
        if let Some((_, last)) = word.rsplit_once('-') {
            // "Moscow-based", "State-owned": adjectives, not names.
            if last.chars().next().is_some_and(char::is_lowercase) {
                return false;
            }
        }
        if is_capitalised(word) {
            return word.chars().any(char::is_alphabetic);
        }
        // "al-Assad", "bin-Salman": a lower-case prefix joined to a capitalised name.
        word.split_once('-')
            .is_some_and(|(prefix, rest)| name_particles().contains(prefix) && is_capitalised(rest))
    }

    /// Whether token `index` opens its sentence (or a quotation or bracket inside it).
    pub(super) fn opens_sentence(&self, index: usize) -> bool {
        let sentence = &self.document.sentences[self.document.tokens[index].sentence];
        let mut probe = index;
        while probe > sentence.tokens.start {
            probe -= 1;
            let word = self.word(probe);
            if word.chars().any(char::is_alphanumeric) {
                return false;
            }
            if matches!(
                word,
                "“" | "\"" | "‘" | "'" | "(" | "[" | ":" | "—" | "–" | "«" | "-" | "--"
            ) {
                return true;
            }
        }
        true
    }

    /// The longest title phrase starting at `start` within `end`.
    pub(super) fn title_at(&self, start: usize, end: usize) -> Option<usize> {
        let longest = self.gazetteer.longest_title().min(end - start);
        (1..=longest).rev().find(|&words| {
            let phrase = self.text(start..start + words);
            is_capitalised(phrase) && self.gazetteer.title(phrase).is_some()
        })
    }

    /// Words that connect two capitalised parts of one name, and how many tokens they take.
    pub(super) fn connector_at(&self, index: usize, end: usize) -> Option<usize> {
        let word = self.word(index);
        let next = |offset: usize| (index + offset < end).then(|| self.word(index + offset));
        if matches!(word, "of" | "for" | "on") && next(1) == Some("the") {
            return Some(2);
        }
        (matches!(word, "of" | "for" | "on" | "and" | "&") || name_particles().contains(word))
            .then_some(1)
    }

    /// Whether `left` (a name so far) may take `connector` and the part after it.
    pub(super) fn may_join(
        &self,
        left: Range<usize>,
        connector: Range<usize>,
        right_end: usize,
    ) -> bool {
        let word = self.word(connector.start);
        if name_particles().contains(word) || word == "&" {
            return true;
        }
        let whole = self.text(left.start..right_end);
        if self.known(whole).is_some() || self.gazetteer.title(whole).is_some() {
            return true;
        }
        if word == "and" {
            // "Food and Agriculture Organisation", "Securities and Exchange Commission".
            let right_last = self.word(right_end - 1);
            return organization_cues().contains(right_last)
                && self.known(self.text(left)).is_none();
        }
        let head = self.word(left.start);
        let last = self.word(left.end - 1);
        // "Ministry of Foreign Affairs of Japan": the second "of" names the owner.
        let has_connector = (left.start..left.end).any(|index| !self.is_name_word(index));
        if has_connector && self.known(self.text(connector.end..right_end)).is_some() {
            return false;
        }
        organization_heads().contains(head)
            || organization_heads().contains(last)
            || self.gazetteer.title(last).is_some()
    }

    /// Finds the names of a sentence with normal capitalisation.
    pub(super) fn tag_cased(&self, tokens: Range<usize>, out: &mut Vec<NameCandidate>) {
        let end = tokens.end;
        let mut index = tokens.start;
        while index < end {
            if !self.is_name_word(index) {
                index += 1;
                continue;
            }
            // Grow a run of capitalised words joined by connectors.
            let mut run = index..index + 1;
            loop {
                while run.end < end && self.is_name_word(run.end) {
                    run.end += 1;
                }
                let connector = run.end;
                let Some(width) = (connector < end)
                    .then(|| self.connector_at(connector, end))
                    .flatten()
                else {
                    break;
                };
                let after = connector + width;
                if after >= end || !self.is_name_word(after) {
                    break;
                }
                let mut right_end = after;
                while right_end < end && self.is_name_word(right_end) {
                    right_end += 1;
                }
                if !self.may_join(run.clone(), connector..after, right_end) {
                    break;
                }
                run.end = right_end;
            }
            self.tag_run(run.clone(), out);
            index = run.end;
        }
    }

    /// Splits a run of capitalised words into qualifier, title and name, and types it.
    pub(super) fn tag_run(&self, run: Range<usize>, out: &mut Vec<NameCandidate>) {
        let mut start = run.start;
        let end = run.end;
        let whole_known = self.well_known(self.text(run.clone()));
        // A sentence opener that is an ordinary word is no part of a name.
        while start < end
            && !whole_known
            && self.opens_or_follows_dropped(start, run.start)
            && self.is_ordinary_opener(start, end)
        {
            start += 1;
        }
        // Articles never start a CoNLL name.
        while start < end && matches!(self.word(start), "The" | "A" | "An") && end - start > 1 {
            if self.known(self.text(start..end)).is_some()
                && self.known(self.text(start + 1..end)).is_none()
            {
                break;
            }
            start += 1;
        }
        if start >= end {
            return;
        }
        if self.known(self.text(start..end)).is_some() {
            out.push(self.typed(start..end, None, None));
            return;
        }
        // A nationality or country qualifying what follows: "Nigerian Foreign Ministry",
        // "U.S. Secretary of State ...".
        let mut qualifier = None;
        if end - start > 1 {
            for width in [2, 1] {
                if start + width >= end {
                    continue;
                }
                let text = self.text(start..start + width);
                let is_nationality = self.gazetteer.nationality(text).is_some();
                let is_country_before_title = self
                    .gazetteer
                    .place(text)
                    .is_some_and(|place| place.kind == PlaceKind::Country)
                    && self.title_at(start + width, end).is_some();
                // "British Airways" is one name; "Nigerian Foreign Ministry" is two.
                let lone_cue = start + width + 1 == end
                    && organization_cues().contains(self.word(start + width));
                if (is_nationality || is_country_before_title) && !lone_cue {
                    out.push(self.typed(start..start + width, None, None));
                    qualifier = Some(start);
                    start += width;
                    break;
                }
            }
        }
        // A title before a name: the name is a person, the title stays outside.
        if let Some(words) = self.title_at(start, end) {
            let title = start..start + words;
            let rest = title.end..end;
            if rest.is_empty() {
                return;
            }
            let rest_text = self.text(rest.clone());
            let last = self.word(end - 1);
            if !is_capitalised(self.word(rest.start)) {
                // "Commissioner for Transport": the whole run is a title.
                return;
            }
            if self.gazetteer.organization(rest_text).is_some()
                || organization_cues().contains(last)
            {
                // "President Hotel", "General Motors": not a title after all.
                out.push(self.typed(start..end, qualifier, None));
                return;
            }
            out.push(NameCandidate {
                tokens: rest,
                entity_type: EntityType::Person,
                subtype: None,
                title: Some(title),
                qualifier,
                evidence: Evidence::Strong,
            });
            return;
        }
        // A title at the end belongs to the words after the run ("NUJ General Secretary
        // Jeremy Dear" split by a comma): the rest is named on its own.
        if end - start > 1 {
            let suffix = (start + 1..end).find(|&from| {
                self.gazetteer
                    .title(self.text(from..end))
                    .is_some_and(|title| !title.is_honorific())
            });
            if let Some(from) = suffix {
                out.push(self.typed(start..from, qualifier, None));
                return;
            }
        }
        out.push(self.typed(start..end, qualifier, None));
    }

    pub(super) fn opens_or_follows_dropped(&self, index: usize, run_start: usize) -> bool {
        index == run_start && self.opens_sentence(index)
    }

    /// A capitalised sentence opener that is an ordinary English word and nothing known.
    pub(super) fn is_ordinary_opener(&self, index: usize, end: usize) -> bool {
        let word = self.word(index);
        if function_words().contains(word) {
            return true;
        }
        if !self
            .gazetteer
            .is_common_word(self.document.token_lower(index))
            || self.well_known(word)
        {
            return false;
        }
        if self.title_at(index, end).is_some() {
            return false;
        }
        // "Mark Smith said" keeps its given name; "Will he ..." does not.
        let given_name = self.gazetteer.first_name(word).is_some();
        !(given_name && end - index >= 2)
    }
}
