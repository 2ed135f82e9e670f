//! The quotes stage on invented sentences: runs `nlp::quotes::extract` (the rules alone, no
//! reported-speech tagger) on every case of `tests/cases/quotes/*.json` and compares the
//! quotes it finds, in text order, with the expected ones.
//!
//! A case is `{"name", "text", "entities"?, "quotes"}`. `entities` stands in for the entity
//! stage: each has a `type` (`person`, `organization`, `location`, `misc`), a `name` and
//! `mentions`, each a surface string (marked at every occurrence in the text) with its
//! `kind` (`name`, `nominal`, `pronoun`). Each expected quote has a `kind` (`direct`,
//! `indirect`; `"partial": true` on a partial quote), its `text`, and optionally its `speaker` (the entity's name when resolved,
//! else the words naming the speaker), `cue` and `via`.

#[path = "cases/common.rs"]
mod common;

use article_enricher::nlp::document::{
    Document, Entity, EntityType, Mention, MentionKind, Quote, Span,
};
use article_enricher::nlp::gazetteer::Gazetteer;
use article_enricher::nlp::quotes;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    entities: Vec<GivenEntity>,
    quotes: Vec<Expected>,
}

/// An entity the case puts in the document, as the entity stage would.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenEntity {
    #[serde(rename = "type")]
    entity_type: String,
    name: String,
    mentions: Vec<GivenMention>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenMention {
    text: String,
    kind: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    kind: String,
    text: String,
    speaker: Option<String>,
    cue: Option<String>,
    via: Option<String>,
    /// A partial quote (direct words inside reported speech); false when left out.
    #[serde(default)]
    partial: bool,
}

fn entity_type(name: &str) -> EntityType {
    [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Location,
        EntityType::Misc,
    ]
    .into_iter()
    .find(|kind| kind.as_str() == name)
    .unwrap_or_else(|| panic!("unknown entity type {name:?}"))
}

fn mention_kind(name: &str) -> MentionKind {
    [
        MentionKind::Name,
        MentionKind::Nominal,
        MentionKind::Pronoun,
    ]
    .into_iter()
    .find(|kind| kind.as_str() == name)
    .unwrap_or_else(|| panic!("unknown mention kind {name:?}"))
}

/// The case's text, tokenised, with its entities and their mentions.
fn document(case: &Case) -> Document {
    let mut document = common::document(&case.text, None);
    for given in &case.entities {
        let entity = document.entities.len();
        document.entities.push(Entity {
            entity_type: entity_type(&given.entity_type),
            subtype: None,
            name: given.name.clone(),
            aliases: Vec::new(),
            key: given.name.to_lowercase(),
            roles: Vec::new(),
            country: None,
            geo: None,
            salience: 0.0,
            mentions: Vec::new(),
        });
        for mention in &given.mentions {
            let kind = mention_kind(&mention.kind);
            assert!(
                case.text.contains(mention.text.as_str()),
                "{}: the mention {:?} is not in the text",
                case.name,
                mention.text
            );
            for (start, _) in case.text.match_indices(mention.text.as_str()) {
                let span = Span::new(0, start, start + mention.text.len());
                let sentence = document.sentence_at(0, start).unwrap_or(0);
                document.entities[entity]
                    .mentions
                    .push(document.mentions.len());
                document.mentions.push(Mention {
                    span,
                    kind,
                    entity,
                    sentence,
                });
            }
        }
    }
    document
}

fn describe(document: &Document, quote: &Quote) -> String {
    let speaker = quote.speaker.as_ref().map(|speaker| match speaker.entity {
        Some(entity) => document.entities[entity].name.clone(),
        None => document.text(speaker.mention).to_string(),
    });
    format!(
        "{}{} {:?} speaker={:?} cue={:?} via={:?}",
        quote.kind.as_str(),
        if quote.partial { " partial" } else { "" },
        document.text(quote.span),
        speaker,
        quote.cue.map(|cue| document.text(cue)),
        quote.via.map(|via| document.text(via)),
    )
}

fn describe_expected(expected: &Expected) -> String {
    assert!(
        matches!(expected.kind.as_str(), "direct" | "indirect"),
        "unknown quote kind {:?}",
        expected.kind
    );
    format!(
        "{}{} {:?} speaker={:?} cue={:?} via={:?}",
        expected.kind,
        if expected.partial { " partial" } else { "" },
        expected.text,
        expected.speaker,
        expected.cue,
        expected.via,
    )
}

fn check(case: &Case) -> Result<(), String> {
    let mut document = document(case);
    quotes::extract(&mut document, Gazetteer::embedded(), None);
    let found: Vec<String> = document
        .quotes
        .iter()
        .map(|quote| describe(&document, quote))
        .collect();
    let expected: Vec<String> = case.quotes.iter().map(describe_expected).collect();
    if found == expected {
        Ok(())
    } else {
        Err(format!("\n  expected {expected:#?}\n  found    {found:#?}"))
    }
}

#[test]
fn quotes_cases() {
    let cases: Vec<(String, Case)> = common::case_files("quotes")
        .iter()
        .flat_map(|path| common::read_cases::<Vec<Case>>(path))
        .map(|case| (case.name.clone(), case))
        .collect();
    common::run_all(&cases, check);
}
