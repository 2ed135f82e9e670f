//! Whole-stage tests on invented sentences.

use super::*;
use crate::nlp::document::{
    DateMention, Entity, EntityType, Field, Geo, Granularity, Mention, MentionKind, Span,
    TemporalKind,
};
use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::text;
use chrono::DateTime;

/// An entity for a test document: every occurrence of `surface` is one of its
/// mentions (longer surfaces are matched first).
struct TestEntity {
    surfaces: &'static [&'static str],
    entity_type: EntityType,
    subtype: Option<&'static str>,
    country: Option<&'static str>,
    kind: MentionKind,
}

fn person(surfaces: &'static [&'static str], country: &'static str) -> TestEntity {
    TestEntity {
        surfaces,
        entity_type: EntityType::Person,
        subtype: None,
        country: Some(country),
        kind: MentionKind::Name,
    }
}

fn place(
    surfaces: &'static [&'static str],
    subtype: &'static str,
    country: &'static str,
) -> TestEntity {
    TestEntity {
        surfaces,
        entity_type: EntityType::Location,
        subtype: Some(subtype),
        country: Some(country),
        kind: MentionKind::Name,
    }
}

fn organization(surfaces: &'static [&'static str], country: &'static str) -> TestEntity {
    TestEntity {
        surfaces,
        entity_type: EntityType::Organization,
        subtype: None,
        country: Some(country),
        kind: MentionKind::Name,
    }
}

/// A cast of people and places used across the tests (invented sentences, real names).
fn cast() -> Vec<TestEntity> {
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
        organization(&["the European Commission"], "BE"),
        TestEntity {
            surfaces: &["German"],
            entity_type: EntityType::Misc,
            subtype: Some("nationality"),
            country: Some("DE"),
            kind: MentionKind::Name,
        },
    ]
}

/// Builds a tokenised document with the cast's mentions and the given dates
/// (surface, TIMEX3 value), published on 2023-05-20.
fn document(text: &str, dates: &[(&str, &str)]) -> Document {
    document_with_fields(&[("body", text)], dates)
}

/// Like [`document`] with several fields (a title before the body); dates are looked
/// up in the last field.
fn document_with_fields(fields: &[(&str, &str)], dates: &[(&str, &str)]) -> Document {
    let mut document = Document {
        fields: fields
            .iter()
            .map(|(name, text)| Field {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect(),
        published_at: Some(DateTime::parse_from_rfc3339("2023-05-20T12:00:00+00:00").unwrap()),
        ..Document::default()
    };
    text::tokenize(&mut document);
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
            country: cast.country.map(str::to_string),
            geo: (cast.entity_type == EntityType::Location).then(|| Geo {
                geonames_id: None,
                country: cast.country.map(str::to_string),
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
    for (field, (_, text)) in fields.iter().enumerate() {
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
                kind: cast[entity].kind,
                entity,
                sentence,
            });
        }
    }
    let (last, text) = (fields.len() - 1, fields[fields.len() - 1].1);
    for (surface, value) in dates {
        let start = text.find(surface).expect("date surface in text");
        document.dates.push(DateMention {
            span: Span::new(last, start, start + surface.len()),
            kind: TemporalKind::Date,
            value: Some(value.to_string()),
            granularity: Some(Granularity::Day),
        });
    }
    document
}

/// A meeting as the tests compare it: names, place, date value, status, CAMEO.
#[derive(Debug, PartialEq)]
struct Summary {
    participants: Vec<String>,
    location: Option<String>,
    date: Option<String>,
    status: &'static str,
    cameo: String,
    trigger: String,
}

fn meetings(text: &str, dates: &[(&str, &str)]) -> (Document, Vec<Summary>) {
    let mut document = document(text, dates);
    extract(&mut document, Gazetteer::embedded());
    let summaries = document
        .meetings
        .iter()
        .map(|meeting| Summary {
            participants: meeting
                .participants
                .iter()
                .map(|&entity| document.entities[entity].name.clone())
                .collect(),
            location: meeting
                .location
                .map(|entity| document.entities[entity].name.clone()),
            date: meeting
                .date
                .and_then(|date| document.dates[date].value.clone()),
            status: meeting.status.as_str(),
            cameo: meeting.cameo.clone(),
            trigger: document.text(meeting.trigger).to_string(),
        })
        .collect();
    (document, summaries)
}

fn summary(
    participants: &[&str],
    location: Option<&str>,
    date: Option<&str>,
    status: &'static str,
    cameo: &str,
    trigger: &str,
) -> Summary {
    Summary {
        participants: participants.iter().map(|name| name.to_string()).collect(),
        location: location.map(str::to_string),
        date: date.map(str::to_string),
        status,
        cameo: cameo.to_string(),
        trigger: trigger.to_string(),
    }
}

struct Case {
    name: &'static str,
    text: &'static str,
    dates: &'static [(&'static str, &'static str)],
    expected: Vec<Summary>,
}

#[test]
fn frames_match_the_table() {
    let cases = vec![
        Case {
            name: "plain meeting at a third location",
            text: "Antony Blinken met Annalena Baerbock in Geneva on Tuesday.",
            dates: &[("on Tuesday", "2023-05-16")],
            expected: vec![summary(
                &["Antony Blinken", "Annalena Baerbock"],
                Some("Geneva"),
                Some("2023-05-16"),
                "held",
                "044",
                "met",
            )],
        },
        Case {
            name: "met with and a title before the name",
            text: "German Foreign Minister Annalena Baerbock met with Narendra Modi in Vienna.",
            dates: &[],
            expected: vec![summary(
                &["Annalena Baerbock", "Narendra Modi"],
                Some("Vienna"),
                None,
                "held",
                "044",
                "met",
            )],
        },
        Case {
            name: "coordinated subject and held talks",
            text: "Olaf Scholz and Emmanuel Macron held talks in Tokyo.",
            dates: &[],
            expected: vec![summary(
                &["Olaf Scholz", "Emmanuel Macron"],
                Some("Tokyo"),
                None,
                "held",
                "044",
                "talks",
            )],
        },
        Case {
            name: "the host meets at home: 043",
            text: "Olaf Scholz met Narendra Modi in Berlin.",
            dates: &[],
            expected: vec![summary(
                &["Olaf Scholz", "Narendra Modi"],
                Some("Berlin"),
                None,
                "held",
                "043",
                "met",
            )],
        },
        Case {
            name: "the guest meets abroad: 042",
            text: "Narendra Modi met Olaf Scholz in Berlin.",
            dates: &[],
            expected: vec![summary(
                &["Narendra Modi", "Olaf Scholz"],
                Some("Berlin"),
                None,
                "held",
                "042",
                "met",
            )],
        },
        Case {
            name: "a visit: 042",
            text: "Fumio Kishida visited New Delhi last week.",
            dates: &[],
            expected: vec![summary(
                &["Fumio Kishida"],
                Some("New Delhi"),
                None,
                "held",
                "042",
                "visited",
            )],
        },
        Case {
            name: "received a visitor: 043",
            text: "Emmanuel Macron received Fumio Kishida at the Elysee Palace.",
            dates: &[],
            expected: vec![summary(
                &["Emmanuel Macron", "Fumio Kishida"],
                None,
                None,
                "held",
                "043",
                "received",
            )],
        },
        Case {
            name: "countries as participants when no person is named",
            text: "Germany and Japan held talks in Geneva.",
            dates: &[],
            expected: vec![summary(
                &["Germany", "Japan"],
                Some("Geneva"),
                None,
                "held",
                "044",
                "talks",
            )],
        },
        Case {
            name: "planned: will meet",
            text: "Blinken will meet Baerbock in Vienna next month.",
            dates: &[],
            expected: vec![summary(
                &["Antony Blinken", "Annalena Baerbock"],
                Some("Vienna"),
                None,
                "planned",
                "044",
                "meet",
            )],
        },
        Case {
            name: "planned: is due to hold talks",
            text: "Scholz is due to hold talks with Kishida.",
            dates: &[],
            expected: vec![summary(
                &["Olaf Scholz", "Fumio Kishida"],
                None,
                None,
                "planned",
                "040",
                "talks",
            )],
        },
        Case {
            name: "planned from a future date",
            text: "Macron meets Modi in Geneva on June 2.",
            dates: &[("June 2", "2023-06-02")],
            expected: vec![summary(
                &["Emmanuel Macron", "Narendra Modi"],
                Some("Geneva"),
                Some("2023-06-02"),
                "planned",
                "044",
                "meets",
            )],
        },
        Case {
            name: "cancelled",
            text: "Macron cancelled his meeting with Modi.",
            dates: &[],
            expected: vec![summary(
                &["Emmanuel Macron", "Narendra Modi"],
                None,
                None,
                "cancelled",
                "040",
                "meeting",
            )],
        },
        Case {
            name: "postponed after the noun",
            text: "The summit between Scholz and Macron was postponed.",
            dates: &[],
            expected: vec![summary(
                &["Olaf Scholz", "Emmanuel Macron"],
                None,
                None,
                "cancelled",
                "040",
                "summit",
            )],
        },
        Case {
            name: "negotiations: 046",
            text: "Germany and France began negotiations in Vienna.",
            dates: &[],
            expected: vec![summary(
                &["Germany", "France"],
                Some("Vienna"),
                None,
                "held",
                "046",
                "negotiations",
            )],
        },
        Case {
            name: "the subject after a subordinator, not the clause before it",
            text: "Blinken waited in Paris as Scholz and Macron met in Vienna.",
            dates: &[],
            expected: vec![summary(
                &["Olaf Scholz", "Emmanuel Macron"],
                Some("Vienna"),
                None,
                "held",
                "044",
                "met",
            )],
        },
        Case {
            name: "a progressive 'were meeting' in session, its subject after an adverbial",
            text: "On Sunday the Germany delegates were meeting in closed session in Vienna.",
            dates: &[],
            expected: vec![summary(
                &["Germany"],
                Some("Vienna"),
                None,
                "held",
                "044",
                "meeting",
            )],
        },
        Case {
            name: "sat down with",
            text: "Blinken sat down with Kishida in Paris.",
            dates: &[],
            expected: vec![summary(
                &["Antony Blinken", "Fumio Kishida"],
                Some("Paris"),
                None,
                "held",
                "044",
                "sat",
            )],
        },
        Case {
            name: "idioms, calls, speech and negation are not meetings",
            text: "The plan met with criticism in Berlin. Germany will meet its climate target. \
                   Scholz spoke with Macron by phone. Macron held talks with Modi by telephone. \
                   Blinken told Baerbock about it. Kishida did not meet Modi. \
                   The party meeting in Paris ended late. Families struggle to make ends meet.",
            dates: &[],
            expected: vec![],
        },
        Case {
            name: "counterfactuals, interviews, things received and discourse",
            text: "To meet Scholz 's two - year goal , Germany must act. \
                   Was this the deal Macron would have negotiated? \
                   Officials spent a week meeting and interviewing Modi. \
                   Macron received the European Commission letter. \
                   There is a big debate about drones, and the immigration debate goes on.",
            dates: &[],
            expected: vec![],
        },
        Case {
            name: "passive reaction",
            text: "The proposal by Scholz was met with skepticism by Macron.",
            dates: &[],
            expected: vec![],
        },
    ];
    for case in cases {
        let (_, found) = meetings(case.text, case.dates);
        assert_eq!(found, case.expected, "case: {}", case.name);
    }
}

#[test]
fn unnamed_groups_infinitive_subjects_and_places_met_with_take_part() {
    let groups = |document: &Document| -> Vec<String> {
        document.meetings[0]
            .groups
            .iter()
            .map(|&group| document.text(group).to_string())
            .collect()
    };
    let (document, found) = meetings("Macron and the trade delegates convened in Paris.", &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].participants, ["Emmanuel Macron"]);
    assert_eq!(groups(&document), ["trade delegates"]);

    let (document, _) = meetings("Delegates of the member states convened.", &[]);
    assert_eq!(groups(&document), ["Delegates"]);

    let (document, found) = meetings("Modi met Kishida and local officials in Tokyo.", &[]);
    assert_eq!(found[0].participants, ["Narendra Modi", "Fumio Kishida"]);
    assert_eq!(groups(&document), ["local officials"]);

    let (_, found) = meetings("The organisers urged Modi to meet Kishida in Tokyo.", &[]);
    assert_eq!(found[0].participants, ["Narendra Modi", "Fumio Kishida"]);

    let (_, found) = meetings("Macron left early, conferring instead with Scholz.", &[]);
    assert_eq!(found[0].trigger, "conferring");
    assert!(found[0].participants.contains(&"Olaf Scholz".to_string()));

    let (_, found) = meetings("Kishida welcomed an offer by Germany to negotiate.", &[]);
    assert_eq!(found[0].participants, ["Germany"]);

    let (_, found) = meetings("Macron negotiated with Berlin for months.", &[]);
    assert_eq!(found[0].participants, ["Emmanuel Macron", "Berlin"]);
    assert_eq!(found[0].location, None);

    let (_, found) = meetings("Modi met Kishida at the European Commission.", &[]);
    assert_eq!(
        found[0].location.as_deref(),
        Some("the European Commission")
    );

    let (_, found) = meetings("Kishida and Modi opened a dialogue on shipping.", &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].trigger, "dialogue");
    let (_, found) = meetings("The film's dialogue was sharp.", &[]);
    assert!(found.is_empty());
}

#[test]
fn plural_references_inherit_the_participants() {
    let text = "Antony Blinken met Annalena Baerbock in Geneva.\n\
                On May 2, the two ministers held talks in Paris, and on May 9 they met in Vienna.";
    let (_, found) = meetings(text, &[("May 2", "2023-05-02"), ("May 9", "2023-05-09")]);
    let pair = ["Antony Blinken", "Annalena Baerbock"];
    assert_eq!(
        found,
        vec![
            summary(&pair, Some("Geneva"), None, "held", "044", "met"),
            summary(
                &pair,
                Some("Paris"),
                Some("2023-05-02"),
                "held",
                "044",
                "talks"
            ),
            summary(
                &pair,
                Some("Vienna"),
                Some("2023-05-09"),
                "held",
                "044",
                "met"
            ),
        ]
    );
}

#[test]
fn a_plural_reference_without_a_meeting_takes_the_last_two_persons() {
    let text = "Kishida praised Modi. The two leaders met in Tokyo.";
    let (_, found) = meetings(text, &[]);
    assert_eq!(
        found,
        vec![summary(
            &["Fumio Kishida", "Narendra Modi"],
            Some("Tokyo"),
            None,
            "held",
            "043",
            "met"
        )]
    );
}

#[test]
fn later_references_merge_into_one_frame() {
    let text = "Olaf Scholz met with Fumio Kishida in Geneva on the margins of a trade forum.\n\
                “We agree on a lot,” Scholz said at a meeting with Kishida.\n\
                Scholz noted that it was the second meeting between Germany and Japan this year. \
                During the talks, the leaders also discussed energy security.";
    let (document, found) = meetings(text, &[]);
    assert_eq!(
        found,
        vec![summary(
            &["Olaf Scholz", "Fumio Kishida"],
            Some("Geneva"),
            None,
            "held",
            "044",
            "met"
        )]
    );
    let meeting = &document.meetings[0];
    assert_eq!(
        meeting.occasion.map(|span| document.text(span)),
        Some("on the margins of a trade forum")
    );
    let topics: Vec<&str> = meeting.topics.iter().map(|&t| document.text(t)).collect();
    assert_eq!(topics, ["energy security"]);
}

#[test]
fn different_places_or_dates_stay_separate() {
    let text = "Macron met Scholz in Paris on May 3. Macron met Scholz in Berlin on May 12.";
    let (_, found) = meetings(text, &[("May 3", "2023-05-03"), ("May 12", "2023-05-12")]);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].location.as_deref(), Some("Paris"));
    assert_eq!(found[1].location.as_deref(), Some("Berlin"));
}

#[test]
fn topics_come_from_the_trigger_and_the_next_sentence() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Blinken met Baerbock in Geneva to discuss arms control.",
            &["arms control"],
        ),
        (
            "Macron held talks on energy prices with Scholz.",
            &["energy prices"],
        ),
        (
            "Kishida met Modi in Tokyo. Their talks focused on maritime security against the backdrop of new naval drills, officials said.",
            &["maritime security"],
        ),
        (
            "Ruto met Museveni in Kampala. The talks centred on water rights against the background of a drought.",
            &["water rights"],
        ),
        (
            "Scholz met Macron in Paris. The leaders focused on defence spending and considered the question of reforming the farm subsidy rules.",
            &["defence spending", "reforming the farm subsidy rules"],
        ),
        (
            "Scholz met Macron in Paris. Separately, Blinken discussed sanctions with reporters.",
            &[],
        ),
    ];
    for (text, expected) in cases {
        let (document, found) = meetings(text, &[]);
        assert_eq!(found.len(), 1, "{text}");
        let topics: Vec<&str> = document.meetings[0]
            .topics
            .iter()
            .map(|&topic| document.text(topic))
            .collect();
        assert_eq!(&topics, expected, "{text}");
    }
}

#[test]
fn works_without_entities_or_dates() {
    let mut document = Document {
        fields: vec![Field {
            name: "body".into(),
            text: "The two presidents met in a castle. They later held talks.".into(),
        }],
        ..Document::default()
    };
    text::tokenize(&mut document);
    extract(&mut document, Gazetteer::embedded());
    assert_eq!(document.meetings.len(), 1);
    assert!(document.meetings[0].participants.is_empty());
    assert_eq!(document.meetings[0].cameo, "040");
}

#[test]
fn headline_merges_into_the_body() {
    let mut document = document_with_fields(
        &[
            ("title", "Scholz Meets Kishida"),
            ("body", "Scholz met Kishida in Geneva."),
        ],
        &[],
    );
    extract(&mut document, Gazetteer::embedded());
    assert_eq!(document.meetings.len(), 1);
    assert_eq!(document.meetings[0].trigger.field, 1);
}
