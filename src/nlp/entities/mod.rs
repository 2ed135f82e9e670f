//! Entities: one per real thing, from names, descriptions and pronouns.
//!
//! [`resolve`] runs a [`NameTagger`] (the trained tagger of `tagger` by default), then walks
//! the document in text order and builds entities:
//! - **names** (`MentionKind::Name`) cluster by identity: places by their GeoNames place
//!   (so "U.S." and "the United States" are one), organisations by gazetteer entry or by
//!   acronym initials ("UN" = "United Nations"), nationality words by adjective ("Nigerians"
//!   = "Nigerian"), people by name or surname ("Okafor" = "Mr. Okafor" = "Daniel Okafor");
//! - **descriptions** (`MentionKind::Nominal`): a determiner or possessive, an optional
//!   nationality and a role phrase from the title gazetteer, or "counterpart" ("the
//!   minister", "the Nigerian Foreign Minister", "his Swedish counterpart"). Right before a
//!   person's name, or right after it and a comma (an apposition, which then needs no
//!   determiner: "Ngozi Okafor, Nigerian finance minister,"), they describe that person;
//!   otherwise they go to the most salient earlier person whose role and country fit, but
//!   only when that person clearly leads (more than twice the next one's score): with two
//!   ministers about, "the minister" stays unlinked;
//! - **pronouns** (`MentionKind::Pronoun`): he/she/him/his/her go to the most salient earlier
//!   person of compatible gender within the last few sentences (names later in the
//!   pronoun's own sentence count only when no earlier one fits; a person known to be of
//!   the pronoun's gender, from a given name, title or earlier reflexive, counts double
//!   against one of unknown gender); unresolved ones are dropped.
//!
//! Roles come from titles before names and from descriptions ("counterpart" takes the roles
//! of the person it is the counterpart of: the first person of its sentence). Countries come
//! from nationality words before names, titles and descriptions, from the gazetteers
//! (organisations, places) and from "Nigerian" or "Nigeria's" before a generic organisation
//! name, which then is named "Nigerian Foreign Ministry" (its mention stays the CoNLL span
//! "Foreign Ministry") and keyed by country (`organization:ng-foreign-ministry`). The long
//! form of a government body is the same name ("Ministry of Foreign Affairs" = "Foreign
//! Ministry"), and a later bare "Foreign Ministry" joins the one such body the article named
//! with its country.
//!
//! Ambiguous places are resolved with the countries the article names: countries,
//! nationality words, places all of whose readings lie in one country, and national
//! organisations. Each entity lists its other proper names as `aliases`.
//!
//! Salience: each mention scores its kind (name 1, description 0.8, pronoun 0.5) times its
//! position (headline 2, first paragraph 1.5, else 1); an entity's salience is its share of
//! all scores, so saliences sum to 1. Entities are ordered by first appearance (title first).
//! Keys: `geonames:<id>`, `location:<slug>`, `person:<slug>`, `organization:<slug>`
//! (`organization:<iso>-<slug>` for a country's generic body), `misc:<slug>`.

pub mod rule_names;

use super::document::{Document, Entity, EntityType, Geo, Mention, MentionKind, Span};
use super::gazetteer::{lookup_key, slug, Gazetteer, Gender, PlaceKind};
use super::lexicon::{POSSESSIVE_DETERMINERS, SPEAKER_VERBS};
use super::tagger::{embedded_model, TrainedTagger};
use super::text::title_case;
use rule_names::{NameCandidate, NameTagger};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Finds entity mentions and clusters them into entities.
/// Names come from the embedded trained tagger.
pub fn resolve(document: &mut Document, gazetteer: &Gazetteer) {
    let model = embedded_model();
    resolve_with(document, gazetteer, &TrainedTagger::new(&model));
}

/// Like [`resolve`], with another name tagger (a trained one, in tests a fake one).
pub fn resolve_with(document: &mut Document, gazetteer: &Gazetteer, tagger: &dyn NameTagger) {
    let names = tagger.tag(document, gazetteer);
    let mut resolver = Resolver::new(document, gazetteer, &names);
    resolver.run(&names);
    let (mentions, entities) = resolver.finish();
    document.mentions = mentions;
    document.entities = entities;
}

/// Words that may stand between a determiner and a role ("the former foreign minister").
const DESCRIPTION_MODIFIERS: &[&str] = &[
    "former",
    "new",
    "top",
    "senior",
    "then",
    "current",
    "outgoing",
    "incoming",
    "acting",
    "visiting",
    "country's",
    "nation's",
    "veteran",
    "powerful",
    "chief",
];

/// Verbs after which a mention is the subject of its clause: the speaker verbs, and verbs of
/// stating and believing that only a person or an institution does. Wider than
/// [`SPEAKER_VERBS`] (which decides whether a name is a person, and where "announced"
/// follows companies too) because here the mention's kind is already known.
const SUBJECT_VERBS: &[&str] = &["stated", "announced", "believes", "thinks"];

/// A definite determiner that opens a description of a known person ("the minister", "his
/// deputy"), as written or capitalised. Indefinite and quantifying determiners ("a minister",
/// "every minister") introduce someone new, so they are left out; so are first- and
/// second-person possessives ("your chancellor"), which stand in quotes and point at people
/// of the conversation rather than of the article.
fn opens_description(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower == "the"
        || (POSSESSIVE_DETERMINERS.contains(lower.as_str())
            && !matches!(lower.as_str(), "our" | "my" | "your"))
}

/// How much more a person known to be of a pronoun's gender weighs than one of unknown
/// gender when the pronoun picks its person.
const KNOWN_GENDER_BOOST: f64 = 2.0;

/// How many sentences back a pronoun or description looks for its person.
const RESOLUTION_WINDOW: usize = 6;

/// How far ahead the best candidate of a description must be to be linked.
const CLEAR_LEAD: f64 = 2.0;

#[derive(Debug, Clone)]
struct Draft {
    span: Span,
    kind: MentionKind,
    sentence: usize,
    /// First mention of its sentence or right before a speech verb.
    subject: bool,
}

#[derive(Debug, Clone)]
struct Cluster {
    entity_type: EntityType,
    subtype: Option<String>,
    name: String,
    name_words: usize,
    /// Fixed keys come from gazetteers; others are made from the final name.
    key: Option<String>,
    roles: Vec<String>,
    country: Option<String>,
    geo: Option<Geo>,
    gender: Gender,
    mentions: Vec<Draft>,
}

impl Cluster {
    fn new(entity_type: EntityType, name: String) -> Cluster {
        Cluster {
            entity_type,
            subtype: None,
            name_words: name.split_whitespace().count(),
            name,
            key: None,
            roles: Vec::new(),
            country: None,
            geo: None,
            gender: Gender::Unknown,
            mentions: Vec::new(),
        }
    }

    fn add_role(&mut self, role: &str) {
        let lower = role.to_lowercase();
        // "Minister" adds nothing to "Foreign Minister".
        if self
            .roles
            .iter()
            .any(|known| known.to_lowercase().ends_with(&lower))
        {
            return;
        }
        self.roles
            .retain(|known| !lower.ends_with(&known.to_lowercase()));
        self.roles.push(role.to_string());
    }

    fn set_country(&mut self, country: Option<String>) {
        if self.country.is_none() {
            self.country = country;
        }
    }
}

/// A description found in the text: "the Nigerian Foreign Minister".
struct Description {
    tokens: Range<usize>,
    /// Canonical role, none for "counterpart".
    role: Option<String>,
    country: Option<String>,
}

enum Event<'a> {
    Name(&'a NameCandidate),
    Description(Description),
    Pronoun(usize, Gender),
}

impl Event<'_> {
    fn start(&self) -> usize {
        match self {
            Event::Name(candidate) => candidate.tokens.start,
            Event::Description(description) => description.tokens.start,
            Event::Pronoun(token, _) => *token,
        }
    }
}

struct Resolver<'a> {
    document: &'a Document,
    gazetteer: &'a Gazetteer,
    clusters: Vec<Cluster>,
    /// ISO codes of countries the article names, directly, through a nationality, an
    /// unambiguous place or a national organisation: they decide ambiguous places.
    context_countries: Vec<String>,
    /// Name candidate start -> cluster, to attach descriptions right before a name.
    name_clusters: HashMap<usize, usize>,
    /// Name candidate end (exclusive) -> cluster, to attach appositions after a name.
    name_clusters_by_end: HashMap<usize, usize>,
    clusters_by_key: HashMap<String, usize>,
    /// Sentence -> first token of a person-like mention (name, description, pronoun)
    /// in it: that mention is taken for the subject.
    first_person_token: HashMap<usize, usize>,
    /// Sentence -> (cluster, weight, start offset) of every mention in it, so that resolving
    /// a pronoun or a description looks at the last few sentences only, not at every
    /// mention so far.
    sentence_mentions: HashMap<usize, Vec<(usize, f64, usize)>>,
    /// Last word of a person's name, lowercase -> person clusters: a name and the names it
    /// can be a part of ("Daniel Okafor", "Okafor") always share their last word.
    people_by_surname: HashMap<String, Vec<usize>>,
    /// Organisations by the initials of their name ("United Nations" -> "UN") and by the
    /// letters of an acronym name ("U.N." -> "UN"), under every name they have had; entries
    /// of an old name are checked against the current one before use.
    organizations_by_initials: HashMap<String, Vec<usize>>,
    organizations_by_acronym: HashMap<String, Vec<usize>>,
    /// Generic government bodies named with their country, by the slug of their name
    /// without it ("foreign-ministry" -> the Russian one).
    generic_bodies: HashMap<String, Vec<usize>>,
}

impl<'a> Resolver<'a> {
    fn new(document: &'a Document, gazetteer: &'a Gazetteer, names: &[NameCandidate]) -> Self {
        let mut context_countries = Vec::new();
        for candidate in names {
            let text = document.tokens_text(&candidate.tokens);
            let country = match candidate.entity_type {
                // A country, or a place whose every gazetteer reading is in one country
                // ("Tashkent"); an ambiguous one ("Georgia", "Paris") decides nothing here.
                EntityType::Location => {
                    let readings = gazetteer.places(text);
                    let mut countries = readings
                        .iter()
                        .filter_map(|(place, _)| place.country.as_deref());
                    let first = countries.next();
                    match first {
                        Some(iso) if countries.all(|other| other == iso) => Some(iso.to_string()),
                        _ => None,
                    }
                }
                EntityType::Misc => gazetteer
                    .country_by_demonym(text)
                    .map(|country| country.iso.clone()),
                EntityType::Organization => gazetteer
                    .organization(text)
                    .and_then(|organization| organization.country.clone()),
                EntityType::Person => None,
            };
            if let Some(iso) = country {
                if !context_countries.contains(&iso) {
                    context_countries.push(iso);
                }
            }
        }
        Resolver {
            document,
            gazetteer,
            clusters: Vec::new(),
            context_countries,
            name_clusters: HashMap::new(),
            name_clusters_by_end: HashMap::new(),
            clusters_by_key: HashMap::new(),
            first_person_token: HashMap::new(),
            sentence_mentions: HashMap::new(),
            people_by_surname: HashMap::new(),
            organizations_by_initials: HashMap::new(),
            organizations_by_acronym: HashMap::new(),
            generic_bodies: HashMap::new(),
        }
    }

    fn word(&self, index: usize) -> &'a str {
        self.document.token_text(index)
    }

    fn draft(&self, tokens: &Range<usize>, kind: MentionKind) -> Draft {
        let sentence = self.document.tokens[tokens.start].sentence;
        let next_is_speech = tokens.end < self.document.tokens.len()
            && (SPEAKER_VERBS.contains(self.word(tokens.end))
                || SUBJECT_VERBS.contains(&self.word(tokens.end)));
        let first_in_sentence = self.first_person_token.get(&sentence) == Some(&tokens.start);
        Draft {
            span: self.document.tokens_span(tokens),
            kind,
            sentence,
            subject: next_is_speech || first_in_sentence,
        }
    }

    fn run(&mut self, names: &'a [NameCandidate]) {
        let name_tokens: HashSet<usize> = names
            .iter()
            .flat_map(|candidate| candidate.tokens.clone())
            .collect();
        let mut events: Vec<Event<'a>> = names.iter().map(Event::Name).collect();
        let descriptions = self.find_descriptions(&name_tokens);
        let covered: HashSet<usize> = descriptions
            .iter()
            .flat_map(|description| description.tokens.clone())
            .collect();
        for index in 0..self.document.tokens.len() {
            if covered.contains(&index) || name_tokens.contains(&index) {
                continue;
            }
            let gender = match self.word(index) {
                "he" | "He" | "him" | "his" | "His" | "himself" => Gender::Male,
                "she" | "She" | "her" | "Her" | "herself" => Gender::Female,
                _ => continue,
            };
            events.push(Event::Pronoun(index, gender));
        }
        events.extend(descriptions.into_iter().map(Event::Description));
        events.sort_by_key(Event::start);
        for event in &events {
            let person_like = match event {
                Event::Name(candidate) => candidate.entity_type == EntityType::Person,
                Event::Description(_) | Event::Pronoun(..) => true,
            };
            if person_like {
                let start = event.start();
                let sentence = self.document.tokens[start].sentence;
                self.first_person_token.entry(sentence).or_insert(start);
            }
        }
        // Names first, so that a description before a name can find it.
        for event in &events {
            if let Event::Name(candidate) = event {
                let cluster = self.add_name(candidate);
                self.name_clusters.insert(candidate.tokens.start, cluster);
                self.name_clusters_by_end
                    .insert(candidate.tokens.end, cluster);
            }
        }
        for event in events {
            match event {
                Event::Name(_) => {}
                Event::Description(description) => self.add_description(description),
                Event::Pronoun(token, gender) => self.add_pronoun(token, gender),
            }
        }
    }

    fn cluster_of_name_at(&self, token: usize) -> Option<usize> {
        self.name_clusters.get(&token).copied()
    }

    /// The country a qualifier token names: "Russian" -> RU, "U.S." -> US.
    fn qualifier_country(&self, qualifier: Option<usize>) -> Option<String> {
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

    fn add_name(&mut self, candidate: &NameCandidate) -> usize {
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

    /// Adds a mention to a cluster and to the index of mentions by sentence.
    fn push_mention(&mut self, cluster: usize, draft: Draft) {
        let weight = if draft.subject { 2.0 } else { 1.0 };
        self.sentence_mentions
            .entry(draft.sentence)
            .or_default()
            .push((cluster, weight, draft.span.start));
        self.clusters[cluster].mentions.push(draft);
    }

    fn find_or_push(&mut self, key: &str, make: impl FnOnce() -> Cluster) -> usize {
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

    fn add_place(&mut self, text: &str) -> usize {
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
    fn index_organization(&mut self, cluster: usize) {
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

    fn add_organization(&mut self, text: &str, qualifier: Option<usize>) -> usize {
        let known = self.clusters.len();
        let index = self.find_organization(text, qualifier);
        if index >= known {
            self.index_organization(index);
        }
        index
    }

    fn find_organization(&mut self, text: &str, qualifier: Option<usize>) -> usize {
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

    fn add_misc(&mut self, text: &str, subtype: Option<&str>) -> usize {
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

    fn add_person(&mut self, candidate: &NameCandidate, text: &str) -> usize {
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
    fn honorific_before(&self, token: usize) -> Gender {
        let Some(previous) = token.checked_sub(1) else {
            return Gender::Unknown;
        };
        self.gazetteer
            .title(self.word(previous))
            .filter(|title| title.is_honorific())
            .map(|title| title.gender)
            .unwrap_or_default()
    }

    /// Descriptions of people: determiner, optional nationality and modifiers, a role.
    fn find_descriptions(&self, name_tokens: &HashSet<usize>) -> Vec<Description> {
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
            let opens = opens_description(self.word(index))
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
            } else if after_name && !opens_description(self.word(index)) {
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
                } else if DESCRIPTION_MODIFIERS.contains(&word.to_lowercase().as_str()) {
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

    fn place_country(&self, word: &str) -> Option<String> {
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
    fn role_at(&self, start: usize, count: usize) -> Option<(usize, Option<String>)> {
        if start >= count {
            return None;
        }
        if self.word(start).eq_ignore_ascii_case("counterpart") {
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

    fn add_description(&mut self, description: Description) {
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
        let target = apposed_before.or(apposed_after).or_else(|| {
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
    fn counterpart_roles(&self, sentence: usize, target: usize) -> Vec<String> {
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

    fn add_pronoun(&mut self, token: usize, gender: Gender) {
        let sentence = self.document.tokens[token].sentence;
        let fits =
            |cluster: &Cluster| cluster.gender == Gender::Unknown || cluster.gender == gender;
        // A pronoun points back: names later in its own sentence count only when nothing
        // earlier fits ("Before he left, Okafor said ...").
        let start = self.document.tokens[token].span.start;
        let mut ranked = self.ranked_people(sentence, Some(start), fits);
        if ranked.is_empty() {
            ranked = self.ranked_people(sentence, None, fits);
        }
        // A clear lead over another named person; a lone candidate is no proof, since the
        // pronoun may mean someone unnamed ("a man ... He").
        let clear_lead = matches!(
            ranked.as_slice(),
            [(_, top), (_, second), ..] if *top > CLEAR_LEAD * second
        );
        if let Some(target) = self.prefer_known_gender(ranked, gender) {
            let draft = self.draft(&(token..token + 1), MentionKind::Pronoun);
            self.push_mention(target, draft);
            // "Kolbeck ... himself": a person of unknown gender takes the gender of a
            // reflexive, which is bound within its clause, or of a pronoun that chose them
            // clearly, so a later "her" looks elsewhere.
            let reflexive = self.word(token).to_lowercase().ends_with("self");
            if self.clusters[target].gender == Gender::Unknown && (reflexive || clear_lead) {
                self.clusters[target].gender = gender;
            }
        }
    }

    /// The best of `ranked` people for a pronoun of `gender`, where a person known to be of
    /// that gender counts [`KNOWN_GENDER_BOOST`] times a person of unknown gender: "her" after
    /// "Dana Whitcombe" and "Kolbeck" is more likely Whitcombe's.
    fn prefer_known_gender(&self, ranked: Vec<(usize, f64)>, gender: Gender) -> Option<usize> {
        ranked
            .into_iter()
            .map(|(cluster, score)| {
                let known = gender != Gender::Unknown && self.clusters[cluster].gender == gender;
                (
                    cluster,
                    if known {
                        score * KNOWN_GENDER_BOOST
                    } else {
                        score
                    },
                )
            })
            .fold(None, |best: Option<(usize, f64)>, candidate| match best {
                Some(best) if best.1 >= candidate.1 => Some(best),
                _ => Some(candidate),
            })
            .map(|(cluster, _)| cluster)
    }

    /// The person with the highest recency-weighted prominence among those mentioned in the
    /// last few sentences (subjects count double, each sentence back halves the weight), but
    /// only when the choice is clear: the best person scores
    /// more than [`CLEAR_LEAD`] times the next one that fits (a subject alone is not enough
    /// against another person of the same sentence). A description ("the minister")
    /// with two ministers about is left unlinked rather than guessed.
    fn clearly_most_salient(
        &self,
        sentence: usize,
        fits: impl Fn(&Cluster) -> bool,
    ) -> Option<usize> {
        match self.ranked_people(sentence, None, fits).as_slice() {
            [] => None,
            [(only, _)] => Some(*only),
            [(best, top), (_, second), ..] => (*top > CLEAR_LEAD * second).then_some(*best),
        }
    }

    /// People that fit, best first, with their recency-weighted prominence. With `before`,
    /// mentions of the sentence itself count only when they start before that offset.
    fn ranked_people(
        &self,
        sentence: usize,
        before: Option<usize>,
        fits: impl Fn(&Cluster) -> bool,
    ) -> Vec<(usize, f64)> {
        let mut scores: Vec<(usize, f64)> = Vec::new();
        for back in 0..=RESOLUTION_WINDOW.min(sentence) {
            let decay = 0.5f64.powi(back as i32);
            for &(cluster, weight, start) in self
                .sentence_mentions
                .get(&(sentence - back))
                .into_iter()
                .flatten()
            {
                if back == 0 && before.is_some_and(|before| start >= before) {
                    continue;
                }
                match scores.iter_mut().find(|(known, _)| *known == cluster) {
                    Some((_, score)) => *score += weight * decay,
                    None => scores.push((cluster, weight * decay)),
                }
            }
        }
        scores.retain(|&(index, score)| {
            let cluster = &self.clusters[index];
            score > 0.0 && cluster.entity_type == EntityType::Person && fits(cluster)
        });
        // Best first; ties go to the earliest entity.
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scores
    }

    fn finish(self) -> (Vec<Mention>, Vec<Entity>) {
        let document = self.document;
        let position_weight = |draft: &Draft| {
            let field = draft.span.field;
            let paragraph = document.sentences[draft.sentence].paragraph;
            let first_body_paragraph = document
                .sentences
                .iter()
                .find(|sentence| sentence.span.field == document.fields.len() - 1)
                .map(|sentence| sentence.paragraph);
            if document.fields.len() > 1 && field == 0 {
                2.0
            } else if Some(paragraph) == first_body_paragraph {
                1.5
            } else {
                1.0
            }
        };
        let kind_weight = |kind: MentionKind| match kind {
            MentionKind::Name => 1.0,
            MentionKind::Nominal => 0.8,
            MentionKind::Pronoun => 0.5,
        };
        let mut clusters: Vec<Cluster> = self
            .clusters
            .into_iter()
            .filter(|cluster| !cluster.mentions.is_empty())
            .collect();
        for cluster in &mut clusters {
            cluster
                .mentions
                .sort_by_key(|mention| (mention.span.field, mention.span.start));
        }
        clusters.sort_by_key(|cluster| {
            let first = &cluster.mentions[0];
            (first.span.field, first.span.start)
        });
        let scores: Vec<f64> = clusters
            .iter()
            .map(|cluster| {
                cluster
                    .mentions
                    .iter()
                    .map(|mention| kind_weight(mention.kind) * position_weight(mention))
                    .sum()
            })
            .collect();
        let total: f64 = scores.iter().sum::<f64>().max(f64::EPSILON);
        let mut all: Vec<(Draft, usize)> = clusters
            .iter()
            .enumerate()
            .flat_map(|(entity, cluster)| {
                cluster
                    .mentions
                    .iter()
                    .map(move |mention| (mention.clone(), entity))
            })
            .collect();
        all.sort_by_key(|(mention, _)| (mention.span.field, mention.span.start, mention.span.end));
        let mut mentions = Vec::with_capacity(all.len());
        let mut entity_mentions: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
        for (draft, entity) in all {
            entity_mentions[entity].push(mentions.len());
            mentions.push(Mention {
                span: draft.span,
                kind: draft.kind,
                entity,
                sentence: draft.sentence,
            });
        }
        let entities = clusters
            .into_iter()
            .zip(scores)
            .zip(entity_mentions)
            .map(|((cluster, score), mentions)| {
                let key = cluster.key.clone().unwrap_or_else(|| {
                    format!("{}:{}", cluster.entity_type.as_str(), slug(&cluster.name))
                });
                let key = if cluster.entity_type == EntityType::Person {
                    format!("person:{}", slug(&cluster.name))
                } else {
                    key
                };
                let mut aliases: Vec<String> = Vec::new();
                for mention in &cluster.mentions {
                    let text = document.text(mention.span);
                    if mention.kind == MentionKind::Name
                        && text != cluster.name
                        && !aliases.iter().any(|known| known == text)
                    {
                        aliases.push(text.to_string());
                    }
                }
                Entity {
                    entity_type: cluster.entity_type,
                    subtype: cluster.subtype,
                    name: cluster.name,
                    aliases,
                    key,
                    roles: cluster.roles,
                    country: cluster.country,
                    geo: cluster.geo,
                    salience: score / total,
                    mentions,
                }
            })
            .collect();
        (mentions, entities)
    }
}

/// Heads of government bodies that also appear as "<Head> of <topic>".
const BODY_HEADS: &[&str] = &["Ministry", "Department", "Office"];

/// The short form of a government body written "<Head> of (the) <topic> (Affairs)":
/// "Ministry of Foreign Affairs" -> "Foreign Ministry", "Department of State" -> "State
/// Department", "Ministry of the Interior" -> "Interior Ministry".
fn government_body(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (head, rest) = words.split_first()?;
    if !BODY_HEADS.contains(head) || rest.first() != Some(&"of") {
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
        .filter(|word| !matches!(**word, "of" | "for" | "and" | "the" | "on" | "&"))
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn initials_of_cluster(cluster: &Cluster) -> String {
    initials(&cluster.name)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;
    use crate::nlp::text;

    fn resolved(title: Option<&str>, body: &str) -> Document {
        let mut fields = Vec::new();
        if let Some(title) = title {
            fields.push(Field {
                name: "title".into(),
                text: title.into(),
            });
        }
        fields.push(Field {
            name: "body".into(),
            text: body.into(),
        });
        let mut document = Document {
            fields,
            ..Document::default()
        };
        text::tokenize(&mut document);
        resolve(&mut document, Gazetteer::embedded());
        document
    }

    fn entity<'d>(document: &'d Document, name: &str) -> &'d Entity {
        document
            .entities
            .iter()
            .find(|entity| entity.name == name)
            .unwrap_or_else(|| {
                let names: Vec<&str> = document.entities.iter().map(|e| e.name.as_str()).collect();
                panic!("no entity {name} in {names:?}")
            })
    }

    fn mentions(document: &Document, entity: &Entity) -> Vec<(String, &'static str)> {
        entity
            .mentions
            .iter()
            .map(|&index| {
                let mention = &document.mentions[index];
                (
                    document.text(mention.span).to_string(),
                    mention.kind.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn names_titles_surnames_and_the_minister() {
        let document = resolved(
            Some("Okafor warns of rising prices"),
            "Finance Minister Ngozi Okafor met bankers in Lagos on Tuesday. \
             Mrs. Okafor said inflation would fall. The minister added that reforms would continue.",
        );
        let okafor = entity(&document, "Ngozi Okafor");
        assert_eq!(okafor.entity_type, EntityType::Person);
        assert_eq!(okafor.aliases, ["Okafor"]);
        assert_eq!(okafor.key, "person:ngozi-okafor");
        assert_eq!(okafor.roles, ["Finance Minister"]);
        assert_eq!(
            mentions(&document, okafor),
            [
                ("Okafor".to_string(), "name"),
                ("Ngozi Okafor".to_string(), "name"),
                ("Okafor".to_string(), "name"),
                ("The minister".to_string(), "nominal"),
            ]
        );
        let lagos = entity(&document, "Lagos");
        assert_eq!(lagos.subtype.as_deref(), Some("city"));
        assert_eq!(lagos.country.as_deref(), Some("NG"));
        assert!(lagos.key.starts_with("geonames:"));
    }

    #[test]
    fn a_pronoun_looks_back_before_it_looks_ahead_in_its_sentence() {
        let document = resolved(
            None,
            "Dana Whitcombe chaired the hearing. She said she had spoken to Kolbeck twice and \
             Kolbeck agreed.",
        );
        let whitcombe = entity(&document, "Dana Whitcombe");
        let pronouns = mentions(&document, whitcombe)
            .iter()
            .filter(|(_, kind)| *kind == "pronoun")
            .count();
        assert_eq!(pronouns, 2, "{:?}", mentions(&document, whitcombe));
    }

    #[test]
    fn a_person_takes_the_gender_of_a_pronoun_and_a_known_gender_outweighs_an_unknown_one() {
        let document = resolved(
            None,
            "Kolbeck said the deal was a matter for Kolbeck himself. The head of the \
             board, Dana Whitcombe, told reporters her team had never met Kolbeck.",
        );
        let kolbeck = entity(&document, "Kolbeck");
        let whitcombe = entity(&document, "Dana Whitcombe");
        let pronouns = |entity| {
            mentions(&document, entity)
                .into_iter()
                .filter(|(_, kind)| *kind == "pronoun")
                .map(|(text, _)| text)
                .collect::<Vec<_>>()
        };
        assert_eq!(pronouns(kolbeck), ["himself"]);
        assert_eq!(pronouns(whitcombe), ["her"]);
    }

    #[test]
    fn a_pronoun_that_may_mean_someone_unnamed_gives_no_gender() {
        let document = resolved(
            None,
            "Police questioned Kolbeck about a man seen near the bank. He had fled by then. \
             Kolbeck said her car was stolen.",
        );
        let kolbeck = entity(&document, "Kolbeck");
        let pronouns: Vec<String> = mentions(&document, kolbeck)
            .into_iter()
            .filter(|(_, kind)| *kind == "pronoun")
            .map(|(text, _)| text)
            .collect();
        assert!(pronouns.contains(&"her".to_string()), "{pronouns:?}");
    }

    #[test]
    fn appositions_after_a_name_give_roles_and_country() {
        let document = resolved(
            None,
            "Marta Lindgren, Sweden's foreign minister, arrived in Oslo on Monday. \
             Pedro Alvarez, Chilean finance minister, stayed at home.",
        );
        let lindgren = entity(&document, "Marta Lindgren");
        assert_eq!(lindgren.roles, ["Foreign Minister"]);
        assert_eq!(lindgren.country.as_deref(), Some("SE"));
        assert!(mentions(&document, lindgren)
            .contains(&("Sweden's foreign minister".to_string(), "nominal")));
        let alvarez = entity(&document, "Pedro Alvarez");
        assert_eq!(alvarez.roles, ["Finance Minister"]);
        assert_eq!(alvarez.country.as_deref(), Some("CL"));
    }

    #[test]
    fn a_description_with_two_fitting_people_is_left_unlinked() {
        let document = resolved(
            None,
            "Foreign Minister Marta Lindgren met Foreign Minister Pedro Alvarez in Oslo. \
             The minister praised the talks.",
        );
        for name in ["Marta Lindgren", "Pedro Alvarez"] {
            let person = entity(&document, name);
            assert!(
                mentions(&document, person)
                    .iter()
                    .all(|(_, kind)| *kind != "nominal"),
                "{name} got an ambiguous description"
            );
        }
    }

    #[test]
    fn places_in_one_country_decide_ambiguous_places() {
        // "Perth" is in Australia and in Scotland; Brisbane (only in Australia) decides.
        let document = resolved(None, "Fans travelled from Brisbane to Perth on Sunday.");
        assert_eq!(entity(&document, "Perth").country.as_deref(), Some("AU"));
    }

    #[test]
    fn a_government_body_is_one_entity_under_its_forms() {
        let document = resolved(
            None,
            "The Chilean Foreign Ministry issued a statement on Monday. \
             Later, Chile's Ministry of Foreign Affairs recalled its ambassador. \
             The Foreign Ministry gave no reason.",
        );
        let ministry = entity(&document, "Chilean Foreign Ministry");
        assert_eq!(ministry.key, "organization:cl-foreign-ministry");
        assert_eq!(ministry.country.as_deref(), Some("CL"));
        let names: Vec<String> = mentions(&document, ministry)
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        assert_eq!(
            names,
            [
                "Foreign Ministry",
                "Ministry of Foreign Affairs",
                "Foreign Ministry"
            ]
        );
        assert_eq!(
            government_body("Department of State").as_deref(),
            Some("State Department")
        );
        assert_eq!(
            government_body("Ministry of the Interior").as_deref(),
            Some("Interior Ministry")
        );
        assert_eq!(government_body("Bank of England"), None);
    }

    #[test]
    fn counterpart_takes_role_and_nationality() {
        let document = resolved(
            None,
            "Trade Minister Kenji Sato held talks with his Brazilian counterpart Luiz Ferreira. \
             The Japanese Trade Minister said both sides gained. He said more talks would follow.",
        );
        let ferreira = entity(&document, "Luiz Ferreira");
        assert_eq!(ferreira.roles, ["Trade Minister"]);
        assert_eq!(ferreira.country.as_deref(), Some("BR"));
        let sato = entity(&document, "Kenji Sato");
        assert_eq!(sato.country.as_deref(), Some("JP"));
        let texts: Vec<String> = mentions(&document, sato).into_iter().map(|m| m.0).collect();
        assert!(
            texts.contains(&"The Japanese Trade Minister".to_string()),
            "{texts:?}"
        );
        assert!(texts.contains(&"He".to_string()), "{texts:?}");
        let brazilian = entity(&document, "Brazilian");
        assert_eq!(brazilian.entity_type, EntityType::Misc);
        assert_eq!(brazilian.subtype.as_deref(), Some("nationality"));
        assert_eq!(brazilian.country.as_deref(), Some("BR"));
    }

    #[test]
    fn acronyms_join_full_names() {
        let document = resolved(
            None,
            "The United Nations warned of famine. A UN envoy arrived. \
             The Regional Water Authority (RWA) said the RWA had no funds.",
        );
        let un = entity(&document, "United Nations");
        assert_eq!(un.mentions.len(), 2);
        assert_eq!(un.key, "organization:united-nations");
        let authority = entity(&document, "Regional Water Authority");
        assert_eq!(authority.mentions.len(), 3);
    }

    #[test]
    fn countries_places_and_generic_organisations() {
        let document = resolved(
            None,
            "Officials in Nepal and the United States met in Kathmandu. \
             The Nepalese Foreign Ministry confirmed it. The U.S. delegation left.",
        );
        let us = entity(&document, "United States");
        assert_eq!(us.key, "geonames:6252001");
        assert_eq!(us.mentions.len(), 2);
        assert_eq!(us.subtype.as_deref(), Some("country"));
        let nepal = entity(&document, "Nepal");
        let geo = nepal.geo.as_ref().unwrap();
        assert_eq!(geo.country.as_deref(), Some("NP"));
        assert!(geo.lat.is_some());
        let ministry = entity(&document, "Nepalese Foreign Ministry");
        assert_eq!(ministry.entity_type, EntityType::Organization);
        assert_eq!(ministry.country.as_deref(), Some("NP"));
        assert_eq!(mentions(&document, ministry)[0].0, "Foreign Ministry");
        let saliences: f64 = document.entities.iter().map(|e| e.salience).sum();
        assert!((saliences - 1.0).abs() < 1e-9);
    }

    #[test]
    fn byline_is_a_person() {
        let document = resolved(None, "Rain fell over Manila for days.\n\nJoana Reyes\n");
        let reyes = entity(&document, "Joana Reyes");
        assert_eq!(reyes.entity_type, EntityType::Person);
    }
}
