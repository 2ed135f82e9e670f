//! The document builder the stage case runners share: one body field of invented text,
//! tokenised, with an optional publication time. Each runner (`tests/cases_<stage>.rs`)
//! includes this file with `#[path = "cases/common.rs"] mod common;`, reads its tables from
//! `tests/cases/<stage>/*.json` and runs its stage on the document.

#![allow(dead_code)]

use article_enricher::nlp::document::{Document, Field};
use article_enricher::nlp::text;
use chrono::DateTime;
use std::path::{Path, PathBuf};

/// A tokenised document of one `body` field holding `text`, published at `published_at`
/// (RFC 3339) when given.
pub fn document(text: &str, published_at: Option<&str>) -> Document {
    let mut document = Document {
        fields: vec![Field {
            name: "body".into(),
            text: text.into(),
        }],
        published_at: published_at.map(|time| {
            DateTime::parse_from_rfc3339(time)
                .unwrap_or_else(|error| panic!("bad published_at {time:?}: {error}"))
        }),
        ..Document::default()
    };
    text::tokenize(&mut document);
    document
}

/// The case files of one stage, `tests/cases/<stage>/*.json`, sorted by name.
pub fn case_files(stage: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(stage);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", folder.display());
    files
}

/// Reads one case file as `T` (a list of cases), naming the file on a parse error.
pub fn read_cases<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Runs `check` on every case and fails once at the end with every failure, so one run
/// shows all the cases a change broke. `check` returns `Err(description)` for a failure.
pub fn run_all<C>(cases: &[(String, C)], mut check: impl FnMut(&C) -> Result<(), String>) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, case)| check(case).err().map(|why| format!("{name}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
