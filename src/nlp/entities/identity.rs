//! One entity per real thing: a name joins the cluster of what it names.
//!
//! Places cluster by their GeoNames place, organisations by gazetteer entry, by acronym
//! initials ("UN" = "United Nations") or, for a generic government body, by its country and
//! short form ("Ministry of Foreign Affairs" = "Foreign Ministry"); nationality words by
//! adjective; people by name or surname ("Okafor" = "Ngozi Okafor"), taking roles, country
//! and gender from titles, honorifics, qualifiers and given names.

use super::NameCandidate;
use super::{Cluster, Resolver};
use crate::nlp::document::{EntityType, Geo, MentionKind};
use crate::nlp::gazetteer::{lookup_key, slug, Gender, PlaceKind};
use crate::nlp::lexicon::{lexicon, Lexicon};
use crate::nlp::text::title_case;

impl<'a> Resolver<'a> {
    /// The country a qualifier token names: "Russian" -> RU, "U.S." -> US.
    pub(super) fn qualifier_country(&self, qualifier: Option<usize>) -> Option<String> {
        let token = qualifier?;
        let word = self.word(token);
        self.gazetteer
            .country_by_demonym(word)
            .map(|country| country.iso.clone())
            .or_else(|| {
                self.gazetteer
                    .place(word)
                    .filter(|place| place.kind == PlaceKind::Country)
                    .and_then(|place| place.country.clone())
            })
    }

    pub(super) fn add_name(&mut self, candidate: &NameCandidate) -> usize {
        let text = self.document.tokens_text(&candidate.tokens);
        let draft = self.draft(&candidate.tokens, MentionKind::Name);
        let index = match candidate.entity_type {
            EntityType::Location => self.add_place(text),
            EntityType::Organization => self.add_organization(text, candidate.qualifier),
            EntityType::Misc => self.add_misc(text, candidate.subtype),
            EntityType::Person => self.add_person(candidate, text),
        };
        self.push_mention(index, draft);
        index
    }

    pub(super) fn find_or_push(&mut self, key: &str, make: impl FnOnce() -> Cluster) -> usize {
        if let Some(&found) = self.clusters_by_key.get(key) {
            return found;
        }
        let mut cluster = make();
        cluster.key = Some(key.to_string());
        self.clusters.push(cluster);
        self.clusters_by_key
            .insert(key.to_string(), self.clusters.len() - 1);
        self.clusters.len() - 1
    }

    pub(super) fn add_place(&mut self, text: &str) -> usize {
        let context: Vec<&str> = self.context_countries.iter().map(String::as_str).collect();
        match self.gazetteer.best_place(text, &context) {
            Some(place) => {
                let place = place.clone();
                // Subdivisions carry local names ("Chechenskaya Respublika"): the article's
                // own English alias names them better.
                let name = if place.kind == PlaceKind::Subdivision
                    && lookup_key(&place.name) != lookup_key(text)
                {
                    text.to_string()
                } else {
                    place.name.clone()
                };
                self.find_or_push(&place.key(), || {
                    let mut cluster = Cluster::new(EntityType::Location, name);
                    cluster.subtype = Some(place.kind.as_str().to_string());
                    cluster.country = place.country.clone();
                    cluster.geo = place.geonames_id.map(|id| Geo {
                        geonames_id: Some(id),
                        country: place.country.clone(),
                        lat: place.lat,
                        lon: place.lon,
                    });
                    cluster
                })
            }
            None => self.find_or_push(&format!("location:{}", slug(text)), || {
                Cluster::new(EntityType::Location, text.to_string())
            }),
        }
    }

    /// Files an organisation cluster under the initials and acronym of its current name.
    pub(super) fn index_organization(&mut self, cluster: usize) {
        let name = &self.clusters[cluster].name;
        let initials = initials(name);
        if !initials.is_empty() {
            self.organizations_by_initials
                .entry(initials)
                .or_default()
                .push(cluster);
        }
        if let Some(letters) = acronym_letters(name) {
            self.organizations_by_acronym
                .entry(letters)
                .or_default()
                .push(cluster);
        }
    }

    pub(super) fn add_organization(&mut self, text: &str, qualifier: Option<usize>) -> usize {
        let known = self.clusters.len();
        let index = self.find_organization(text, qualifier);
        if index >= known {
            self.index_organization(index);
        }
        index
    }

    pub(super) fn find_organization(&mut self, text: &str, qualifier: Option<usize>) -> usize {
        if let Some(organization) = self.gazetteer.organization(text) {
            let organization = organization.clone();
            return self.find_or_push(&organization.key(), || {
                let mut cluster = Cluster::new(EntityType::Organization, organization.name.clone());
                cluster.country = organization.country.clone();
                cluster
            });
        }
        // An acronym of a name seen before, or a name whose acronym was seen before.
        let initials = initials(text);
        let letters = acronym_letters(text);
        let by_initials = letters
            .as_ref()
            .and_then(|letters| self.organizations_by_initials.get(letters));
        let by_acronym = (initials.len() >= 2)
            .then(|| self.organizations_by_acronym.get(&initials))
            .flatten();
        let matched = by_initials
            .into_iter()
            .chain(by_acronym)
            .flatten()
            .copied()
            .filter(|&index| {
                let cluster = &self.clusters[index];
                cluster.entity_type == EntityType::Organization
                    && ((letters.is_some() && letters == Some(initials_of_cluster(cluster)))
                        || (initials.len() >= 2
                            && acronym_letters(&cluster.name).as_deref()
                                == Some(initials.as_str())))
            })
            .min();
        if let Some(found) = matched {
            if letters.is_none()
                && text.split_whitespace().count() > self.clusters[found].name_words
            {
                self.clusters[found].name = text.to_string();
                self.clusters[found].name_words = text.split_whitespace().count();
                self.index_organization(found);
            }
            return found;
        }
        let country = self.qualifier_country(qualifier);
        // A generic name ("Foreign Ministry") is only an identity with its country; its two
        // forms ("Ministry of Foreign Affairs") are one name.
        let generic = text
            .split_whitespace()
            .all(|word| self.gazetteer.is_common_word(&word.to_lowercase()));
        if !generic {
            let key = format!("organization:{}", slug(text));
            let index = self.find_or_push(&key, || {
                Cluster::new(EntityType::Organization, text.to_string())
            });
            self.clusters[index].set_country(country);
            return index;
        }
        let body = government_body(text).unwrap_or_else(|| text.to_string());
        let body_slug = slug(&body);
        let index = match (&country, qualifier) {
            (Some(iso), Some(token)) => {
                let word = self.word(token);
                let name = if self.gazetteer.nationality(word).is_some() {
                    format!("{word} {body}")
                } else {
                    format!("{word}'s {body}")
                };
                let key = format!("organization:{}-{body_slug}", iso.to_lowercase());
                self.find_or_push(&key, || Cluster::new(EntityType::Organization, name))
            }
            // A bare generic name joins the one body of that name the article has named
            // with its country ("the Foreign Ministry" after "the Russian Foreign Ministry").
            _ => match self.generic_bodies.get(&body_slug).map(Vec::as_slice) {
                Some([only]) => *only,
                _ => self.find_or_push(&format!("organization:{body_slug}"), || {
                    Cluster::new(EntityType::Organization, body.clone())
                }),
            },
        };
        let bodies = self.generic_bodies.entry(body_slug).or_default();
        if country.is_some() && !bodies.contains(&index) {
            bodies.push(index);
        }
        self.clusters[index].set_country(country);
        index
    }

    pub(super) fn add_misc(&mut self, text: &str, subtype: Option<&str>) -> usize {
        let nationality = self
            .gazetteer
            .nationality(text)
            .or_else(|| self.gazetteer.nationality(&title_case(text)))
            .cloned();
        match nationality {
            Some(nationality) => {
                let key = format!("misc:{}", slug(&nationality.adjective));
                self.find_or_push(&key, || {
                    let mut cluster = Cluster::new(EntityType::Misc, nationality.adjective.clone());
                    cluster.subtype = Some("nationality".to_string());
                    cluster.country = nationality.country.clone();
                    cluster
                })
            }
            None => self.find_or_push(&format!("misc:{}", slug(text)), || {
                let mut cluster = Cluster::new(EntityType::Misc, text.to_string());
                cluster.subtype = subtype.map(str::to_string);
                cluster
            }),
        }
    }

    pub(super) fn add_person(&mut self, candidate: &NameCandidate, text: &str) -> usize {
        let words: Vec<&str> = text.split_whitespace().collect();
        let lower: Vec<String> = words.iter().map(|word| word.to_lowercase()).collect();
        let cluster_words = |cluster: &Cluster| -> Vec<String> {
            cluster
                .name
                .split_whitespace()
                .map(str::to_lowercase)
                .collect()
        };
        // The same person: same name, or one name ends the other ("Okafor", "Ngozi Okafor").
        let surname = lower.last().cloned().unwrap_or_default();
        let found = self
            .people_by_surname
            .get(&surname)
            .into_iter()
            .flatten()
            .map(|&index| (index, &self.clusters[index]))
            .filter(|(_, cluster)| {
                let known = cluster_words(cluster);
                known.ends_with(&lower) || lower.ends_with(&known)
            })
            .max_by_key(|(_, cluster)| {
                cluster
                    .mentions
                    .last()
                    .map(|mention| (mention.span.field, mention.span.start))
            })
            .map(|(index, _)| index);
        let index = match found {
            Some(index) => {
                if words.len() > self.clusters[index].name_words {
                    self.clusters[index].name = words.join(" ");
                    self.clusters[index].name_words = words.len();
                }
                index
            }
            None => {
                self.clusters
                    .push(Cluster::new(EntityType::Person, words.join(" ")));
                let index = self.clusters.len() - 1;
                self.people_by_surname
                    .entry(surname)
                    .or_default()
                    .push(index);
                index
            }
        };
        let title = candidate.title.as_ref().and_then(|title| {
            self.gazetteer
                .title(self.document.tokens_text(title))
                .cloned()
        });
        let country = self.qualifier_country(candidate.qualifier);
        let given_name_gender = (words.len() > 1)
            .then(|| self.gazetteer.first_name(words[0]))
            .flatten()
            .unwrap_or_default();
        let honorific = self.honorific_before(candidate.tokens.start);
        let cluster = &mut self.clusters[index];
        if let Some(title) = title {
            if let Some(role) = &title.role {
                cluster.add_role(role);
            }
            if title.gender != Gender::Unknown {
                cluster.gender = title.gender;
            }
        }
        if honorific != Gender::Unknown {
            cluster.gender = honorific;
        }
        if cluster.gender == Gender::Unknown {
            cluster.gender = given_name_gender;
        }
        cluster.set_country(country);
        index
    }

    /// The gender an honorific right before a name implies ("Mr. Okafor").
    pub(super) fn honorific_before(&self, token: usize) -> Gender {
        let Some(previous) = token.checked_sub(1) else {
            return Gender::Unknown;
        };
        self.gazetteer
            .title(self.word(previous))
            .filter(|title| title.is_honorific())
            .map(|title| title.gender)
            .unwrap_or_default()
    }
}

/// Heads of government bodies that also appear as "<Head> of <topic>".
fn body_heads() -> &'static Lexicon {
    lexicon!("entities/body_heads")
}

/// The short form of a government body written "<Head> of (the) <topic> (Affairs)":
/// "Ministry of Foreign Affairs" -> "Foreign Ministry", "Department of State" -> "State
/// Department", "Ministry of the Interior" -> "Interior Ministry".
pub(super) fn government_body(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (head, rest) = words.split_first()?;
    if !body_heads().contains(head) || rest.first() != Some(&"of") {
        return None;
    }
    let mut topic = &rest[1..];
    if topic
        .first()
        .is_some_and(|word| word.eq_ignore_ascii_case("the"))
    {
        topic = &topic[1..];
    }
    if topic.len() > 1 && topic.last() == Some(&"Affairs") {
        topic = &topic[..topic.len() - 1];
    }
    (!topic.is_empty()).then(|| format!("{} {head}", topic.join(" ")))
}

/// "UN" and "U.N." -> "UN"; none unless the text is one all-capital word.
fn acronym_letters(text: &str) -> Option<String> {
    let letters: String = text.chars().filter(|c| *c != '.').collect();
    (letters.len() >= 2 && !text.contains(' ') && letters.chars().all(|c| c.is_ascii_uppercase()))
        .then_some(letters)
}

/// Initials of a multi-word name, function words left out: "United Nations" -> "UN".
fn initials(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 {
        return String::new();
    }
    words
        .iter()
        .filter(|word| !lexicon!("entities/initials_skipped_words").contains(word))
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn initials_of_cluster(cluster: &Cluster) -> String {
    initials(&cluster.name)
}
