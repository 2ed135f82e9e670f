//! Entities: one per real thing, from names, descriptions and pronouns.
//!
//! Everything later in the pipeline asks "who?": a quote's speaker, a meeting's participants
//! and place. This stage answers once for all of them, so that "Sergei Lavrov", "Lavrov",
//! "the Russian Foreign Minister" and "he" are one entity with one key, role, country and,
//! for a place, one GeoNames reading.
//!
//! [`resolve`] first finds the names with the trained name tagger ([`tagger`]); the rule
//! tagger ([`rule_names`]) fills the tagger's gaps with the organisation names it is sure of
//! and fixes the type of the misc names it is sure of ("Charter", "Treaty"). It then walks
//! the document in text order and clusters the mentions into entities: a name joins what it
//! names (`identity.rs`: places by GeoNames place, organisations by gazetteer entry or
//! acronym, people by name or surname); a description ("the minister", "his Chinese
//! counterpart") joins the person it stands next to or one who fits it and clearly leads in
//! salience, else it stays unlinked rather than guessed (`descriptions.rs`); a pronoun joins
//! the most salient earlier person of its gender, else it is dropped (`pronouns.rs`). Roles
//! and countries come from titles, nationality words and the gazetteers; ambiguous places
//! are read with the countries the article names. `salience.rs` weighs how prominent each
//! person is where a description or pronoun stands, scores each entity's share of the
//! article and writes the entities out in order of first appearance.
//!
//! The rules are in the code; the rule tagger's cases are in `tests/cases/entities/`, the
//! resolver's in `tests.rs`. [`resolve_with`] runs the stage with another [`NameTagger`].

mod descriptions;
mod identity;
mod pronouns;
pub mod rule_names;
mod salience;
pub mod tagger;
#[cfg(test)]
mod tests;

pub use rule_names::{Evidence, NameCandidate, NameTagger, RuleTagger};

use descriptions::Description;

use super::document::{Document, EntityType, Geo, MentionKind, Span};
use super::gazetteer::{Gazetteer, Gender};
use super::lexicon::{lexicon, Lexicon, SPEAKER_VERBS};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use tagger::{embedded_model, TrainedTagger};

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

/// Verbs after which a mention is the subject of its clause: the speaker verbs, and verbs of
/// stating and believing that only a person or an institution does. Wider than
/// [`SPEAKER_VERBS`] (which decides whether a name is a person, and where "announced"
/// follows companies too) because here the mention's kind is already known.
fn subject_verbs() -> &'static Lexicon {
    lexicon!("entities/subject_verbs")
}

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
    name_clusters: FxHashMap<usize, usize>,
    /// Name candidate end (exclusive) -> cluster, to attach appositions after a name.
    name_clusters_by_end: FxHashMap<usize, usize>,
    clusters_by_key: FxHashMap<String, usize>,
    /// Sentence -> first token of a person-like mention (name, description, pronoun)
    /// in it: that mention is taken for the subject.
    first_person_token: FxHashMap<usize, usize>,
    /// Sentence -> (cluster, weight, start offset) of every mention in it, so that resolving
    /// a pronoun or a description looks at the last few sentences only, not at every
    /// mention so far.
    sentence_mentions: FxHashMap<usize, Vec<(usize, f64, usize)>>,
    /// Last word of a person's name, lowercase -> person clusters: a name and the names it
    /// can be a part of ("Daniel Okafor", "Okafor") always share their last word.
    people_by_surname: FxHashMap<String, Vec<usize>>,
    /// Organisations by the initials of their name ("United Nations" -> "UN") and by the
    /// letters of an acronym name ("U.N." -> "UN"), under every name they have had; entries
    /// of an old name are checked against the current one before use.
    organizations_by_initials: FxHashMap<String, Vec<usize>>,
    organizations_by_acronym: FxHashMap<String, Vec<usize>>,
    /// Generic government bodies named with their country, by the slug of their name
    /// without it ("foreign-ministry" -> the Russian one).
    generic_bodies: FxHashMap<String, Vec<usize>>,
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
            name_clusters: FxHashMap::default(),
            name_clusters_by_end: FxHashMap::default(),
            clusters_by_key: FxHashMap::default(),
            first_person_token: FxHashMap::default(),
            sentence_mentions: FxHashMap::default(),
            people_by_surname: FxHashMap::default(),
            organizations_by_initials: FxHashMap::default(),
            organizations_by_acronym: FxHashMap::default(),
            generic_bodies: FxHashMap::default(),
        }
    }

    fn word(&self, index: usize) -> &'a str {
        self.document.token_text(index)
    }

    fn draft(&self, tokens: &Range<usize>, kind: MentionKind) -> Draft {
        let sentence = self.document.tokens[tokens.start].sentence;
        let next_is_speech = tokens.end < self.document.tokens.len()
            && (SPEAKER_VERBS.contains(self.word(tokens.end))
                || subject_verbs().contains(self.word(tokens.end)));
        let first_in_sentence = self.first_person_token.get(&sentence) == Some(&tokens.start);
        Draft {
            span: self.document.tokens_span(tokens),
            kind,
            sentence,
            subject: next_is_speech || first_in_sentence,
        }
    }

    fn run(&mut self, names: &'a [NameCandidate]) {
        let name_tokens: FxHashSet<usize> = names
            .iter()
            .flat_map(|candidate| candidate.tokens.clone())
            .collect();
        let mut events: Vec<Event<'a>> = names.iter().map(Event::Name).collect();
        let descriptions = self.find_descriptions(&name_tokens);
        let covered: FxHashSet<usize> = descriptions
            .iter()
            .flat_map(|description| description.tokens.clone())
            .collect();
        for index in 0..self.document.tokens.len() {
            if covered.contains(&index) || name_tokens.contains(&index) {
                continue;
            }
            let word = self.word(index);
            let gender = if lexicon!("english/male_pronouns").contains(word) {
                Gender::Male
            } else if lexicon!("english/female_pronouns").contains(word) {
                Gender::Female
            } else {
                continue;
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

    /// Adds a mention to a cluster and to the index of mentions by sentence.
    fn push_mention(&mut self, cluster: usize, draft: Draft) {
        let weight = if draft.subject { 2.0 } else { 1.0 };
        self.sentence_mentions
            .entry(draft.sentence)
            .or_default()
            .push((cluster, weight, draft.span.start));
        self.clusters[cluster].mentions.push(draft);
    }
}
