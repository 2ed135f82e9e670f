//! Via: the news outlet a quote came through ("quoted by X", "in an interview with X", "X
//! quoted Y as saying", and "told X", "X reported" when X is an outlet: an agency or outlet
//! of the gazetteer, a short outlet name, a name ending in "News", "Agency"..., or an
//! entity whose subtype says it is a news organisation).

use super::*;

impl QuoteFinder<'_> {
    /// The outlet a quote came through, from the attribution's sentence part `from..limit`.
    pub(super) fn find_via(&self, from: usize, limit: usize) -> Option<Range<usize>> {
        let mut index = from;
        while index < limit {
            let low = self.low(index);
            if low == "quoted" && index + 1 < limit && self.low(index + 1) == "by" {
                return self.phrase_after(index + 2, limit);
            }
            if low == "interview"
                && index + 1 < limit
                && self.is_one_of(index + 1, &["with", "on", "to"])
            {
                if let Some(outlet) = self.phrase_after(index + 2, limit) {
                    if self.is_capitalised(outlet.start) || self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if matches!(low, "told" | "tells") {
                if let Some(outlet) = self.phrase_after(index + 1, limit) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if self.is_according_to(index) {
                if let Some(outlet) = self.phrase_after(index + 2, limit) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            if matches!(low, "reported" | "reports" | "reporting") && index > from {
                let subject_end = self.skip_auxiliaries_back(index, from);
                if let Some(outlet) = self.subject_phrase(from, subject_end) {
                    if self.is_outlet(&outlet) {
                        return Some(outlet);
                    }
                }
            }
            index += 1;
        }
        None
    }

    pub(super) fn is_outlet(&self, phrase: &Range<usize>) -> bool {
        let mut start = phrase.start;
        if self.low(start) == "the" {
            start += 1;
        }
        if start >= phrase.end || !self.is_capitalised(start) {
            return false;
        }
        let words: Vec<&str> = (start..phrase.end).map(|index| self.low(index)).collect();
        let name = words.join(" ");
        // The outlet's name may open the phrase ("Reuters TV", "BBC News Online").
        let known = (start + 1..=phrase.end).rev().any(|end| {
            let text: Vec<&str> = (start..end).map(|index| self.text(index)).collect();
            self.gazetteer.news_outlet(&text.join(" ")).is_some()
        }) || short_outlet_names().iter().any(|outlet| {
            name == *outlet
                || name
                    .strip_prefix(outlet)
                    .is_some_and(|rest| rest.starts_with(' '))
        });
        let by_suffix = words.len() >= 2
            && outlet_suffixes().contains(words.last().unwrap_or(&""))
            && self.is_capitalised(phrase.end - 1);
        let by_entity = {
            let span = self.span_of(phrase);
            self.mentions_around(span).into_iter().any(|mention| {
                let mention = &self.document.mentions[mention];
                span.contains(&mention.span)
                    && self.document.entities[mention.entity]
                        .subtype
                        .as_deref()
                        .is_some_and(|subtype| {
                            matches!(
                                subtype,
                                "news_agency"
                                    | "news agency"
                                    | "media"
                                    | "newspaper"
                                    | "outlet"
                                    | "broadcaster"
                                    | "agency"
                            )
                        })
            })
        };
        known || by_suffix || by_entity
    }
}
