//! The dates stage against its case tables, `tests/cases/dates/*.json`: each case is a text,
//! an optional publication time and every temporal expression the stage must find in it, in
//! text order, with its kind, TIMEX3 value and granularity (`null` where none fits).

#[path = "cases/common.rs"]
mod common;

use article_enricher::nlp::dates;
use serde::Deserialize;

/// One case: why it exists, the text, when it was published, and what the stage finds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    published_at: Option<String>,
    expected: Vec<Expected>,
}

/// One expected expression, as the output writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// Why this expression is read so, where the case's name does not say.
    #[allow(dead_code)]
    note: Option<String>,
    text: String,
    kind: String,
    value: Option<String>,
    granularity: Option<String>,
}

/// What the stage finds in the case's text, in the form of [`Expected`].
fn found(case: &Case) -> Vec<(String, String, Option<String>, Option<String>)> {
    let mut document = common::document(&case.text, case.published_at.as_deref());
    dates::extract(&mut document);
    document
        .dates
        .iter()
        .map(|date| {
            (
                document.text(date.span).to_string(),
                date.kind.as_str().to_string(),
                date.value.clone(),
                date.granularity
                    .map(|granularity| granularity.as_str().to_string()),
            )
        })
        .collect()
}

#[test]
fn date_cases() {
    let mut cases = Vec::new();
    for path in common::case_files("dates") {
        let file: Vec<Case> = common::read_cases(&path);
        let file_name = path.file_name().expect("a file name").to_string_lossy();
        cases.extend(
            file.into_iter()
                .map(|case| (format!("{file_name}: {}", case.name), case)),
        );
    }
    common::run_all(&cases, |case| {
        let found = found(case);
        let expected: Vec<_> = case
            .expected
            .iter()
            .map(|entry| {
                (
                    entry.text.clone(),
                    entry.kind.clone(),
                    entry.value.clone(),
                    entry.granularity.clone(),
                )
            })
            .collect();
        if found == expected {
            Ok(())
        } else {
            Err(format!("\n  expected {expected:?}\n  found    {found:?}"))
        }
    });
}
