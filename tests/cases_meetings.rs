//! The meetings stage on the case tables of `tests/cases/meetings/*.json`: invented sentences
//! about a fixed cast of real names, with the meetings the stage must find in them.
//!
//! Each case gives a `text` (the body; an optional `title` is a field before it), optional
//! `published_at` (by default 2023-05-20, the day the tables were written for) and `dates`
//! (surface and TIMEX3 value, found in the body: the date stage is not run), and the expected
//! `meetings` in order. `count`, when given, is the number of meetings found; every field an
//! expected meeting gives is compared (`location`, `date` and `occasion` may be `null` for
//! none), the others are not. The entities are the cast below, with a mention at every
//! whole-word occurrence of one of their surfaces (longer surfaces first).

#[path = "cases/common.rs"]
mod common;

use article_enricher::nlp::document::{
    DateMention, Document, Entity, EntityType, Field, Geo, Granularity, Meeting, Mention,
    MentionKind, Span, TemporalKind,
};
use article_enricher::nlp::gazetteer::Gazetteer;
use article_enricher::nlp::meetings;
use article_enricher::nlp::text;
use chrono::DateTime;
use serde::{Deserialize, Deserializer};

/// The publication time of a case that gives none.
const PUBLISHED_AT: &str = "2023-05-20T12:00:00+00:00";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    dates: Vec<(String, String)>,
    #[serde(default)]
    count: Option<usize>,
    meetings: Vec<Expected>,
}

/// What a case expects of one meeting; fields left out are not checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    participants: Option<Vec<String>>,
    /// Names that must be among the participants (others may be too).
    participants_include: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    location: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    date: Option<Option<String>>,
    status: Option<String>,
    cameo: Option<String>,
    trigger: Option<String>,
    /// The field (0 the first) the trigger is in.
    trigger_field: Option<usize>,
    groups: Option<Vec<String>>,
    topics: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    occasion: Option<Option<String>>,
    /// The later words that report the same meeting, in text order.
    mentions: Option<Vec<String>>,
}

/// A field that is present, `null` included: `Some(None)` for `null`, `None` when left out.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// An entity of the cast: every occurrence of one of its surfaces is one of its mentions.
struct CastEntity {
    surfaces: &'static [&'static str],
    entity_type: EntityType,
    subtype: Option<&'static str>,
    country: &'static str,
}

fn person(surfaces: &'static [&'static str], country: &'static str) -> CastEntity {
    CastEntity {
        surfaces,
        entity_type: EntityType::Person,
        subtype: None,
        country,
    }
}

fn place(
    surfaces: &'static [&'static str],
    subtype: &'static str,
    country: &'static str,
) -> CastEntity {
    CastEntity {
        surfaces,
        entity_type: EntityType::Location,
        subtype: Some(subtype),
        country,
    }
}

/// The people, places and bodies the case sentences name.
fn cast() -> Vec<CastEntity> {
    vec![
        person(
            &["Antony Blinken", "Blinken", "the Secretary of State"],
            "US",
        ),
        person(&["Annalena Baerbock", "Baerbock"], "DE"),
        person(&["Olaf Scholz", "Scholz"], "DE"),
        person(&["Emmanuel Macron", "Macron"], "FR"),
        person(&["Narendra Modi", "Modi"], "IN"),
        person(&["Fumio Kishida", "Kishida"], "JP"),
        place(&["Germany"], "country", "DE"),
        place(&["France"], "country", "FR"),
        place(&["India"], "country", "IN"),
        place(&["Japan"], "country", "JP"),
        place(&["Berlin"], "city", "DE"),
        place(&["Paris"], "city", "FR"),
        place(&["Geneva"], "city", "CH"),
        place(&["Vienna"], "city", "AT"),
        place(&["New Delhi"], "city", "IN"),
        place(&["Tokyo"], "city", "JP"),
        CastEntity {
            surfaces: &["the European Commission"],
            entity_type: EntityType::Organization,
            subtype: None,
            country: "BE",
        },
        CastEntity {
            surfaces: &["the Indian Parliament"],
            entity_type: EntityType::Organization,
            subtype: None,
            country: "IN",
        },
        CastEntity {
            surfaces: &["German"],
            entity_type: EntityType::Misc,
            subtype: Some("nationality"),
            country: "DE",
        },
    ]
}

/// The case's document: its fields tokenised, the cast's entities and mentions, its dates.
fn document(case: &Case) -> Document {
    let published_at = case.published_at.as_deref().unwrap_or(PUBLISHED_AT);
    let mut document = match &case.title {
        None => common::document(&case.text, Some(published_at)),
        Some(title) => {
            // A title before the body: the document of `common::document` with two fields.
            let mut document = Document {
                fields: [("title", title), ("body", &case.text)]
                    .into_iter()
                    .map(|(name, text)| Field {
                        name: name.into(),
                        text: text.clone(),
                    })
                    .collect(),
                published_at: Some(DateTime::parse_from_rfc3339(published_at).unwrap()),
                ..Document::default()
            };
            text::tokenize(&mut document);
            document
        }
    };
    let cast = cast();
    document.entities = cast
        .iter()
        .map(|cast| Entity {
            entity_type: cast.entity_type,
            subtype: cast.subtype.map(str::to_string),
            name: cast.surfaces[0].to_string(),
            aliases: Vec::new(),
            key: cast.surfaces[0].to_lowercase(),
            roles: Vec::new(),
            country: Some(cast.country.to_string()),
            geo: (cast.entity_type == EntityType::Location).then(|| Geo {
                geonames_id: None,
                country: Some(cast.country.to_string()),
                lat: None,
                lon: None,
            }),
            salience: 0.0,
            mentions: Vec::new(),
        })
        .collect();
    let mut surfaces: Vec<(&str, usize)> = cast
        .iter()
        .enumerate()
        .flat_map(|(entity, cast)| cast.surfaces.iter().map(move |s| (*s, entity)))
        .collect();
    surfaces.sort_by_key(|(surface, _)| std::cmp::Reverse(surface.len()));
    let texts: Vec<String> = document.fields.iter().map(|f| f.text.clone()).collect();
    for (field, text) in texts.iter().enumerate() {
        let mut taken = vec![false; text.len()];
        let mut mentions = Vec::new();
        for &(surface, entity) in &surfaces {
            for (start, _) in text.match_indices(surface) {
                let end = start + surface.len();
                let right_edge = text[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                let left_edge = text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                if taken[start..end].iter().any(|t| *t) || !left_edge || !right_edge {
                    continue;
                }
                taken[start..end].iter_mut().for_each(|t| *t = true);
                mentions.push((start, end, entity));
            }
        }
        mentions.sort();
        for (start, end, entity) in mentions {
            let sentence = document.sentence_at(field, start).unwrap();
            document.entities[entity]
                .mentions
                .push(document.mentions.len());
            document.mentions.push(Mention {
                span: Span::new(field, start, end),
                kind: MentionKind::Name,
                entity,
                sentence,
            });
        }
    }
    let last = document.fields.len() - 1;
    for (surface, value) in &case.dates {
        let start = texts[last]
            .find(surface.as_str())
            .unwrap_or_else(|| panic!("date {surface:?} not in the text"));
        document.dates.push(DateMention {
            span: Span::new(last, start, start + surface.len()),
            kind: TemporalKind::Date,
            value: Some(value.clone()),
            granularity: Some(Granularity::Day),
        });
    }
    document
}

/// `Err` naming the field when `found` is not `expected`.
fn compare<T: PartialEq + std::fmt::Debug>(
    what: &str,
    found: T,
    expected: Option<T>,
) -> Result<(), String> {
    match expected {
        Some(expected) if expected != found => {
            Err(format!("{what}: found {found:?}, expected {expected:?}"))
        }
        _ => Ok(()),
    }
}

fn check_meeting(
    document: &Document,
    meeting: &Meeting,
    expected: &Expected,
) -> Result<(), String> {
    let name = |entity: usize| document.entities[entity].name.clone();
    let texts = |spans: &[Span]| -> Vec<String> {
        spans
            .iter()
            .map(|&span| document.text(span).to_string())
            .collect()
    };
    let participants: Vec<String> = meeting.participants.iter().map(|&e| name(e)).collect();
    compare(
        "participants",
        &participants,
        expected.participants.as_ref(),
    )?;
    if let Some(included) = &expected.participants_include {
        if let Some(missing) = included.iter().find(|name| !participants.contains(name)) {
            return Err(format!("participants {participants:?} lack {missing:?}"));
        }
    }
    compare(
        "location",
        meeting.location.map(name),
        expected.location.clone(),
    )?;
    let date = meeting
        .date
        .and_then(|date| document.dates[date].value.clone());
    compare("date", date, expected.date.clone())?;
    compare(
        "status",
        meeting.status.as_str(),
        expected.status.as_deref(),
    )?;
    compare("cameo", meeting.cameo.as_str(), expected.cameo.as_deref())?;
    compare(
        "trigger",
        document.text(meeting.trigger),
        expected.trigger.as_deref(),
    )?;
    compare(
        "trigger field",
        meeting.trigger.field,
        expected.trigger_field,
    )?;
    compare("groups", texts(&meeting.groups), expected.groups.clone())?;
    compare("topics", texts(&meeting.topics), expected.topics.clone())?;
    compare(
        "mentions",
        texts(&meeting.mentions),
        expected.mentions.clone(),
    )?;
    compare(
        "occasion",
        meeting.occasion.map(|span| document.text(span).to_string()),
        expected.occasion.clone(),
    )
}

fn check(case: &Case) -> Result<(), String> {
    let mut document = document(case);
    meetings::extract(&mut document, Gazetteer::embedded());
    let found = &document.meetings;
    compare("count", found.len(), case.count)?;
    if found.len() < case.meetings.len() {
        return Err(format!(
            "{} meetings found, {} expected",
            found.len(),
            case.meetings.len()
        ));
    }
    for (index, (meeting, expected)) in found.iter().zip(&case.meetings).enumerate() {
        check_meeting(&document, meeting, expected)
            .map_err(|why| format!("meeting {index}: {why}"))?;
    }
    Ok(())
}

#[test]
fn meetings_match_the_case_tables() {
    for path in common::case_files("meetings") {
        let cases: Vec<Case> = common::read_cases(&path);
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let named: Vec<(String, Case)> = cases
            .into_iter()
            .map(|case| (format!("{file}: {}", case.name), case))
            .collect();
        common::run_all(&named, check);
    }
}
