//! Golden test of the example article: every fact the product was specified with, asserted one
//! by one, plus a snapshot of the whole output beside the input.
//!
//! `tests/golden/<case>.json` is the input as a scraper would send it;
//! `tests/golden/<case>.expected.json` is the reviewed output. `UPDATE_GOLDEN=1 cargo test
//! --test golden` rewrites the snapshots; review the diff like code.

use article_enricher::contract;
use article_enricher::nlp::Pipeline;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::LazyLock;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn enrich_case(case: &str) -> Value {
    let input = std::fs::read(golden_dir().join(format!("{case}.json"))).unwrap();
    let enriched = contract::enrich(&Pipeline::new(), &input, usize::MAX).unwrap();
    serde_json::from_slice(&enriched.output).unwrap()
}

static LAVROV: LazyLock<Value> = LazyLock::new(|| enrich_case("lavrov-wang-yi"));

fn enrichment() -> &'static Value {
    &LAVROV["enrichment"]
}

fn entities() -> &'static Vec<Value> {
    enrichment()["entities"].as_array().unwrap()
}

/// The entity named `name` (exactly), failing with the list of names when absent.
fn entity(name: &str) -> &'static Value {
    entities()
        .iter()
        .find(|entity| entity["name"] == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = entities()
                .iter()
                .map(|e| e["name"].as_str().unwrap())
                .collect();
            panic!("no entity named {name:?}; entities: {names:?}")
        })
}

/// The entity that has a mention covering the first whole-word occurrence of `needle` in
/// `field`.
fn entity_at(field: &str, needle: &str) -> &'static Value {
    entity_within(field, needle, needle)
}

/// The entity that has a mention covering `needle` inside the first whole-word occurrence of
/// `context` in `field` ("UN" in "UN platform").
fn entity_within(field: &str, context: &str, needle: &str) -> &'static Value {
    let (context_start, _) = char_span(field, context, 0);
    let inner = context.find(needle).expect("needle inside context");
    let start = context_start + context[..inner].chars().count();
    let end = start + needle.chars().count();
    entities()
        .iter()
        .find(|entity| {
            entity["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|mention| {
                    mention["field"] == field
                        && mention["start"].as_u64().unwrap() as usize <= start
                        && end <= mention["end"].as_u64().unwrap() as usize
                })
        })
        .unwrap_or_else(|| panic!("no entity mention covers {needle:?} in {field}"))
}

/// Code point span of the `nth` whole-word occurrence of `needle` in the input field.
fn char_span(field: &str, needle: &str, nth: usize) -> (usize, usize) {
    let text = LAVROV[field].as_str().unwrap();
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let byte = text
        .match_indices(needle)
        .filter(|(at, _)| {
            !is_word(text[..*at].chars().next_back())
                && !is_word(text[at + needle.len()..].chars().next())
        })
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in {field}"))
        .0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn mention_texts(entity: &Value) -> Vec<String> {
    entity["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|mention| mention["text"].as_str().unwrap().to_string())
        .collect()
}

fn has_role(entity: &Value, role: &str) -> bool {
    entity["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == role)
}

#[test]
fn input_fields_are_unchanged() {
    let input: Value =
        serde_json::from_slice(&std::fs::read(golden_dir().join("lavrov-wang-yi.json")).unwrap())
            .unwrap();
    for (key, value) in input.as_object().unwrap() {
        assert_eq!(&LAVROV[key], value, "field {key} changed");
    }
    assert_eq!(enrichment()["article_id"], "lavrov-wang-yi-2022-08-05");
    assert_eq!(enrichment()["schema_version"], 1);
}

#[test]
fn every_offset_points_at_its_text() {
    fn check(value: &Value, article: &Value) {
        match value {
            Value::Object(map) => {
                if let (
                    Some(Value::String(field)),
                    Some(start),
                    Some(end),
                    Some(Value::String(text)),
                ) = (
                    map.get("field"),
                    map.get("start"),
                    map.get("end"),
                    map.get("text"),
                ) {
                    let source = article[field.as_str()].as_str().unwrap();
                    let slice: String = source
                        .chars()
                        .skip(start.as_u64().unwrap() as usize)
                        .take((end.as_u64().unwrap() - start.as_u64().unwrap()) as usize)
                        .collect();
                    assert_eq!(&slice, text, "offsets of {map:?}");
                }
                map.values().for_each(|child| check(child, article));
            }
            Value::Array(items) => items.iter().for_each(|child| check(child, article)),
            _ => {}
        }
    }
    check(enrichment(), &LAVROV);
}

#[test]
fn lavrov_is_one_entity_with_all_his_mentions() {
    let lavrov = entity("Sergei Lavrov");
    assert_eq!(lavrov["type"], "person");
    let id = &lavrov["id"];
    assert_eq!(&entity_at("title", "Lavrov")["id"], id, "title mention");
    assert_eq!(&entity_at("body", "Sergei Lavrov")["id"], id);
    let (mr_start, _) = char_span("body", "Mr. Lavrov", 0);
    let (_, mr_end) = char_span("body", "Mr. Lavrov", 0);
    assert!(
        lavrov["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["field"] == "body"
                && m["start"].as_u64().unwrap() as usize >= mr_start
                && m["end"].as_u64().unwrap() as usize == mr_end),
        "a mention of Mr. Lavrov: {:?}",
        mention_texts(lavrov)
    );
    assert_eq!(&entity_at("body", "the Russian Foreign Minister")["id"], id);
    assert_eq!(&entity_at("body", "the minister")["id"], id);
    let texts = mention_texts(lavrov);
    assert!(
        texts.iter().any(|t| t == "the Russian Foreign Minister"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "the minister"), "{texts:?}");
}

#[test]
fn lavrov_is_foreign_minister_of_russia() {
    let lavrov = entity("Sergei Lavrov");
    assert!(
        has_role(lavrov, "Foreign Minister"),
        "roles {}",
        lavrov["roles"]
    );
    assert_eq!(lavrov["country"], "RU");
}

#[test]
fn wang_yi_is_the_chinese_counterpart() {
    let wang = entity("Wang Yi");
    assert_eq!(wang["type"], "person");
    assert!(
        has_role(wang, "Foreign Minister"),
        "roles {}",
        wang["roles"]
    );
    assert_eq!(wang["country"], "CN");
    assert_ne!(wang["id"], entity("Sergei Lavrov")["id"]);
}

#[test]
fn places_are_found_and_cambodia_is_geocoded() {
    for place in [
        "Russia", "China", "Cambodia", "Moscow", "Beijing", "Bali", "Tashkent",
    ] {
        let found = entity_at("body", place);
        assert_eq!(found["type"], "location", "{place}: {found}");
    }
    assert_eq!(entity_at("body", "United States")["type"], "location");
    assert_eq!(entity_at("body", "Asia-Pacific")["type"], "location");
    let cambodia = entity("Cambodia");
    assert_eq!(cambodia["subtype"], "country");
    assert_eq!(cambodia["geo"]["geonames_id"], 1831722);
    assert_eq!(cambodia["geo"]["country"], "KH");
    assert!(cambodia["geo"]["lat"].is_number() && cambodia["geo"]["lon"].is_number());
    assert_eq!(cambodia["key"], "geonames:1831722");
    assert_eq!(entity_at("body", "Russia")["country"], "RU");
    assert_eq!(entity_at("body", "China")["country"], "CN");
    assert_eq!(entity_at("body", "Tashkent")["country"], "UZ");
}

#[test]
fn organisations_are_found() {
    assert_eq!(entity_at("body", "TASS")["type"], "organization");
    let united_nations = entity_within("body", "UN platform", "UN");
    assert_eq!(united_nations["type"], "organization");
    assert!(united_nations["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("UN")));
    let ministry = entity_at("body", "Foreign Ministry");
    assert_eq!(ministry["type"], "organization");
    assert_eq!(ministry["country"], "RU");
}

#[test]
fn the_byline_is_a_person() {
    let author = entity_at("body", "Daria Erozbek");
    assert_eq!(author["type"], "person");
    assert_eq!(author["name"], "Daria Erozbek");
}

#[test]
fn dates_are_resolved_against_publication() {
    let dates = enrichment()["dates"].as_array().unwrap();
    for (text, value) in [("July 7", "2022-07-07"), ("July 28", "2022-07-28")] {
        let date = dates
            .iter()
            .find(|date| date["text"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("no date {text}: {dates:?}"));
        assert_eq!(date["value"], value);
        assert_eq!(date["granularity"], "day");
        assert_eq!(date["kind"], "date");
    }
}

fn quotes(kind: &str) -> Vec<&'static Value> {
    enrichment()["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|quote| quote["kind"] == kind)
        .collect()
}

#[test]
fn three_direct_quotes_all_by_lavrov_the_first_via_tass() {
    let direct = quotes("direct");
    let texts: Vec<&str> = direct.iter().map(|q| q["text"].as_str().unwrap()).collect();
    assert_eq!(direct.len(), 3, "direct quotes: {texts:?}");
    let lavrov = &entity("Sergei Lavrov")["id"];
    for quote in &direct {
        assert_eq!(
            &quote["speaker"]["entity"], lavrov,
            "speaker of {}",
            quote["text"]
        );
    }
    assert!(texts[0].starts_with("I am convinced"), "{texts:?}");
    assert_eq!(direct[0]["via"], "TASS");
}

#[test]
fn a_quoted_group_name_is_not_a_quote() {
    for quote in enrichment()["quotes"].as_array().unwrap() {
        if quote["kind"] == "direct" {
            assert!(
                !quote["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("group of friends"),
                "scare quote taken as a quote: {quote}"
            );
        }
    }
}

#[test]
fn reported_speech_of_lavrov_and_of_the_ministry() {
    let indirect = quotes("indirect");
    let lavrov = &entity("Sergei Lavrov")["id"];
    let ministry = &entity_at("body", "Foreign Ministry")["id"];
    assert!(
        indirect.iter().any(|q| &q["speaker"]["entity"] == lavrov),
        "no indirect quote of Lavrov: {indirect:?}"
    );
    assert!(
        indirect.iter().any(|q| &q["speaker"]["entity"] == ministry),
        "no indirect quote of the ministry: {indirect:?}"
    );
}

#[test]
fn three_meetings_between_lavrov_and_wang_yi() {
    let meetings = enrichment()["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 3, "meetings: {meetings:#?}");
    let mut expected = vec![
        entity("Sergei Lavrov")["id"].as_str().unwrap(),
        entity("Wang Yi")["id"].as_str().unwrap(),
    ];
    expected.sort();
    for meeting in meetings {
        let mut participants: Vec<&str> = meeting["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["entity"].as_str().unwrap())
            .collect();
        participants.sort();
        assert_eq!(participants, expected, "participants of {meeting}");
        assert_eq!(meeting["cameo"], "044");
        assert_eq!(meeting["status"], "held");
    }
}

fn meeting_in(place: &str) -> &'static Value {
    enrichment()["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|meeting| meeting["location"]["name"] == place)
        .unwrap_or_else(|| panic!("no meeting in {place}"))
}

#[test]
fn the_cambodia_meeting_has_occasion_and_topics() {
    let meeting = meeting_in("Cambodia");
    assert!(
        meeting["occasion"]
            .as_str()
            .unwrap_or("")
            .contains("sidelines"),
        "occasion {}",
        meeting["occasion"]
    );
    assert!(
        meeting["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t.as_str().unwrap().contains("security")),
        "topics {}",
        meeting["topics"]
    );
}

#[test]
fn the_bali_and_tashkent_meetings_are_dated() {
    assert_eq!(meeting_in("Bali")["date"]["value"], "2022-07-07");
    assert_eq!(meeting_in("Tashkent")["date"]["value"], "2022-07-28");
}

#[test]
fn output_matches_the_reviewed_snapshot() {
    let path = golden_dir().join("lavrov-wang-yi.expected.json");
    let actual = serde_json::to_string_pretty(&*LAVROV).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .expect("snapshot missing: run UPDATE_GOLDEN=1 cargo test --test golden and review it");
    assert!(
        expected == actual,
        "output differs from {}: run UPDATE_GOLDEN=1 cargo test --test golden and review the diff",
        path.display()
    );
}
