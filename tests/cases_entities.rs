//! The entity stage's case tables: `tests/cases/entities/*.json`, each an array of cases
//! with a `name` saying why the case exists, a `text` (one body field) and the `names` the
//! rule tagger must find in it, in text order, as `[text, type]` pairs.

#[path = "cases/common.rs"]
mod common;

use article_enricher::nlp::entities::{NameTagger, RuleTagger};
use article_enricher::nlp::gazetteer::Gazetteer;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    names: Vec<(String, String)>,
}

/// (text, type) of every name the rule tagger finds in a body.
fn names(body: &str) -> Vec<(String, String)> {
    let document = common::document(body, None);
    RuleTagger
        .tag(&document, Gazetteer::embedded())
        .iter()
        .map(|candidate| {
            let first = document.tokens[candidate.tokens.start].span;
            let last = document.tokens[candidate.tokens.end - 1].span;
            (
                body[first.start..last.end].to_string(),
                candidate.entity_type.as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn rule_tagger_cases() {
    let mut cases = Vec::new();
    for file in common::case_files("entities") {
        let file_cases: Vec<Case> = common::read_cases(&file);
        cases.extend(file_cases.into_iter().map(|case| (case.name.clone(), case)));
    }
    common::run_all(&cases, |case| {
        let found = names(&case.text);
        if found == case.names {
            Ok(())
        } else {
            Err(format!("expected {:?}, found {found:?}", case.names))
        }
    });
}
