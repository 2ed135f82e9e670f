//! Descriptions of people: "the minister", "his Swedish counterpart", "Nigeria's finance
//! minister" and appositions after a name ("Ngozi Okafor, Nigerian finance minister,").
//!
//! A description opens with a definite determiner or possessive (or, right after a name and
//! a comma, with a nationality or a role), may carry a nationality and modifiers, and ends
//! with a role phrase from the title gazetteer or "counterpart". It describes the person it
//! stands next to, else the person who clearly leads in salience among those whose role and
//! country fit; otherwise it stays unlinked rather than guessed.

use super::{Cluster, Resolver};
use crate::nlp::document::{EntityType, MentionKind};
use crate::nlp::gazetteer::PlaceKind;
use crate::nlp::lexicon::{lexicon, POSSESSIVE_DETERMINERS};
use rustc_hash::FxHashSet;
use std::ops::Range;

/// A definite determiner that opens a description of a known person ("the minister", "his
/// deputy"), as written or capitalised. Indefinite and quantifying determiners ("a minister",
/// "every minister") introduce someone new, so they are left out; so are first- and
/// second-person possessives ("your chancellor"), which stand in quotes and point at people
/// of the conversation rather than of the article.
/// Takes the word's lower-case form.
fn opens_description(lower: &str) -> bool {
    lower == "the"
        || (POSSESSIVE_DETERMINERS.contains(lower) && !matches!(lower, "our" | "my" | "your"))
}

/// A description found in the text: "the Nigerian Foreign Minister".
pub(super) struct Description {
    pub(super) tokens: Range<usize>,
    /// Canonical role, none for "counterpart".
    pub(super) role: Option<String>,
    pub(super) country: Option<String>,
}

impl<'a> Resolver<'a> {
    pub(super) fn cluster_of_name_at(&self, token: usize) -> Option<usize> {
        self.name_clusters.get(&token).copied()
    }

    /// Descriptions of people: determiner, optional nationality and modifiers, a role.
    pub(super) fn find_descriptions(&self, name_tokens: &FxHashSet<usize>) -> Vec<Description> {
        let mut found = Vec::new();
        let count = self.document.tokens.len();
        let same_sentence = |a: usize, b: usize| {
            self.document.tokens[a].sentence == self.document.tokens[b].sentence
        };
        let mut index = 0;
        while index < count {
            let start = index;
            // After a name and a comma an apposition needs no determiner ("Sergei Lavrov,
            // Russian foreign minister,"): a nationality or a role word opens it there.
            let after_name = index >= 2
                && self.word(index - 1) == ","
                && name_tokens.contains(&(index - 2))
                && same_sentence(index - 2, index)
                && (self
                    .gazetteer
                    .country_by_demonym(self.word(index))
                    .is_some()
                    || self
                        .role_at(index, count)
                        .is_some_and(|(_, role)| role.is_some()));
            let opens = opens_description(self.document.token_lower(index))
                || after_name
                || (index + 1 < count
                    && matches!(self.word(index + 1), "'s" | "’s")
                    && self.place_country(self.word(index)).is_some());
            if !opens {
                index += 1;
                continue;
            }
            let mut country = self.place_country(self.word(index));
            let mut probe = if country.is_some() {
                index + 2
            } else if after_name && !opens_description(self.document.token_lower(index)) {
                index
            } else {
                index + 1
            };
            loop {
                if probe >= count || !same_sentence(start, probe) {
                    break;
                }
                let word = self.word(probe);
                if let Some(nationality) = self.gazetteer.country_by_demonym(word) {
                    country = Some(nationality.iso.clone());
                    probe += 1;
                } else if lexicon!("entities/description_modifiers")
                    .contains(self.document.token_lower(probe))
                {
                    // Words between a determiner and a role ("the former foreign minister").
                    probe += 1;
                } else {
                    break;
                }
            }
            let role = self.role_at(probe, count);
            match role {
                Some((words, role)) if same_sentence(start, probe + words - 1) => {
                    let end = probe + words;
                    // A plural or a compound ("the minister's", "minister-level") is no
                    // description of one person; a name part is no description at all.
                    let continues =
                        end < count && same_sentence(start, end) && self.word(end).starts_with('-');
                    let inside_name = (probe..end).any(|token| name_tokens.contains(&token));
                    if !continues && !inside_name {
                        found.push(Description {
                            tokens: start..end,
                            role,
                            country,
                        });
                        index = end;
                        continue;
                    }
                    index = end;
                }
                _ => index += 1,
            }
        }
        found
    }

    pub(super) fn place_country(&self, word: &str) -> Option<String> {
        if !word.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        self.gazetteer
            .place(word)
            .filter(|place| place.kind == PlaceKind::Country)
            .and_then(|place| place.country.clone())
    }

    /// A role phrase at `start`: (its length in tokens, canonical role or none for
    /// "counterpart").
    pub(super) fn role_at(&self, start: usize, count: usize) -> Option<(usize, Option<String>)> {
        if start >= count {
            return None;
        }
        if self.document.token_lower(start) == "counterpart" {
            return Some((1, None));
        }
        let longest = self.gazetteer.longest_title().min(count - start);
        (1..=longest).rev().find_map(|words| {
            let first = self.document.tokens[start].span;
            let last = self.document.tokens[start + words - 1].span;
            if first.field != last.field {
                return None;
            }
            let phrase = &self.document.fields[first.field].text[first.start..last.end];
            let title = self.gazetteer.title(phrase)?;
            let role = title.role.clone()?;
            Some((words, Some(role)))
        })
    }

    pub(super) fn add_description(&mut self, description: Description) {
        let next = description.tokens.end;
        let sentence = self.document.tokens[description.tokens.start].sentence;
        // Right before a person's name: an apposition ("his Swedish counterpart Lena Lindqvist").
        let is_person = |cluster: &usize| self.clusters[*cluster].entity_type == EntityType::Person;
        let apposed_before = self.cluster_of_name_at(next).filter(is_person);
        // Right after a person's name and a comma: "Sergei Lavrov, Russia's foreign minister,".
        let start = description.tokens.start;
        let apposed_after = (start >= 1 && self.word(start - 1) == ",")
            .then(|| self.name_clusters_by_end.get(&(start - 1)).copied())
            .flatten()
            .filter(is_person)
            .filter(|&cluster| {
                compatible_country(&self.clusters[cluster], description.country.as_deref())
            });
        // Before a comma and a person's name that closes the apposition: "the chancellor,
        // John Roe, said" (not "After meeting the chancellor, John Roe said").
        let apposed_name_after = (next < self.document.tokens.len() && self.word(next) == ",")
            .then(|| self.cluster_of_name_at(next + 1))
            .flatten()
            .filter(is_person)
            .filter(|&cluster| {
                let count = self.document.tokens.len();
                let end = (next + 2..count.min(next + 8))
                    .find(|end| self.name_clusters_by_end.get(end) == Some(&cluster));
                end.is_some_and(|end| {
                    end == count
                        || self.document.tokens[end].sentence != sentence
                        || matches!(self.word(end), "," | "." | ";" | ")")
                })
            });
        let target = apposed_before
            .or(apposed_after)
            .or(apposed_name_after)
            .or_else(|| {
                self.clearly_most_salient(sentence, |cluster| {
                    compatible_role(cluster, description.role.as_deref())
                        && compatible_country(cluster, description.country.as_deref())
                })
            });
        let Some(target) = target else {
            return;
        };
        let roles = match &description.role {
            Some(role) => vec![role.clone()],
            None => self.counterpart_roles(sentence, target),
        };
        let draft = self.draft(&description.tokens, MentionKind::Nominal);
        let cluster = &mut self.clusters[target];
        for role in roles {
            cluster.add_role(&role);
        }
        cluster.set_country(description.country);
        self.push_mention(target, draft);
    }

    /// A counterpart holds the roles of the first other person of its sentence.
    pub(super) fn counterpart_roles(&self, sentence: usize, target: usize) -> Vec<String> {
        let mut candidates: Vec<usize> = self
            .sentence_mentions
            .get(&sentence)
            .into_iter()
            .flatten()
            .map(|&(cluster, _, _)| cluster)
            .filter(|&cluster| {
                cluster != target && self.clusters[cluster].entity_type == EntityType::Person
            })
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .min_by_key(|&cluster| {
                self.clusters[cluster]
                    .mentions
                    .iter()
                    .filter(|m| m.sentence == sentence)
                    .map(|m| m.span.start)
                    .min()
            })
            .map(|cluster| self.clusters[cluster].roles.clone())
            .unwrap_or_default()
    }
}

fn compatible_role(cluster: &Cluster, role: Option<&str>) -> bool {
    let Some(role) = role else {
        // A counterpart is someone other than the subject; any person may be one.
        return true;
    };
    let head = role.rsplit(' ').next().unwrap_or(role).to_lowercase();
    cluster.roles.iter().any(|known| {
        let known = known.to_lowercase();
        known == role.to_lowercase() || known.ends_with(&head)
    })
}

fn compatible_country(cluster: &Cluster, country: Option<&str>) -> bool {
    match (cluster.country.as_deref(), country) {
        (Some(known), Some(wanted)) => known == wanted,
        _ => true,
    }
}
