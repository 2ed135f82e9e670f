//! The JSON Schema of the output (`schema/enriched-article.v1.schema.json`) checked against
//! real output of the pipeline, for articles of every shape the input contract allows.

use article_enricher::contract;
use article_enricher::nlp::Pipeline;
use serde_json::{json, Value};
use std::path::PathBuf;

fn schema() -> jsonschema::Validator {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/enriched-article.v1.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

fn enriched(input: &Value) -> Value {
    let payload = input.to_string();
    let enriched = contract::enrich(&Pipeline::new(), payload.as_bytes(), usize::MAX).unwrap();
    serde_json::from_slice(&enriched.output).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, output: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(output)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

#[test]
fn the_example_article_output_is_valid() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/lavrov-wang-yi.json");
    let input: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let output = enriched(&input);
    assert_valid(&schema(), &output);
    // The optional `mentions` of a meeting are checked too: the example reports its
    // Cambodia meeting again ("the meeting", "the talks").
    let meetings = output["enrichment"]["meetings"].as_array().unwrap();
    assert!(meetings
        .iter()
        .any(|m| m["mentions"].as_array().is_some_and(|a| !a.is_empty())));
}

#[test]
fn the_schema_rejects_broken_meeting_mentions() {
    let validator = schema();
    let mut output =
        enriched(&json!({"body": "Ann Lee met Bo Roe in Geneva. The talks went well."}));
    assert_valid(&validator, &output);
    output["enrichment"]["meetings"][0]["mentions"] = json!([{"field": "body", "start": -1}]);
    assert!(!validator.is_valid(&output));
}

#[test]
fn outputs_of_every_input_shape_are_valid() {
    let validator = schema();
    let inputs = [
        json!({"body": "Short text without names."}),
        json!({"headline": "Talks in Geneva", "maintext": "President Emmanuel Macron met German Chancellor Olaf Scholz in Geneva on Tuesday, the Elysee said. \"We agreed on a lot,\" Macron told reporters.", "date_publish": "2023-03-09 10:00:00"}),
        json!({"html": "<p>The <b>United Nations</b> said on Monday that talks will resume next week.</p>", "published_at": "2021-11-02T08:00:00Z", "url": "https://example.org/a"}),
        json!({"body": "Der Bundeskanzler traf sich am Montag mit dem französischen Präsidenten.", "language": "de"}),
        json!({"body": "Macron met Scholz in Paris over the weekend; they meet again in the third quarter and in spring.", "published_at": "2022-08-05T12:00:00Z"}),
    ];
    for input in &inputs {
        assert_valid(&validator, &enriched(input));
    }
    let weekend = enriched(&inputs[4]);
    assert_eq!(weekend["enrichment"]["dates"][0]["value"], "2022-W30-WE");
}

#[test]
fn the_schema_rejects_a_broken_output() {
    let validator = schema();
    let mut output = enriched(&json!({"body": "Angela Merkel visited Paris."}));
    output["enrichment"]["entities"] = json!([{"id": "x", "type": "thing"}]);
    assert!(!validator.is_valid(&output));
    output["enrichment"]["entities"] = json!([]);
    output["enrichment"]["schema_version"] = json!(2);
    assert!(!validator.is_valid(&output));
}
