//! The `enrich` command as a user runs it: the real binary, files and stdin, exit codes.

mod support;

use serde_json::Value;
use std::process::Output;

fn enrich(args: &[&str], stdin: &[u8]) -> Output {
    support::run_enrich(args, stdin)
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn the_bundled_example_is_enriched() {
    let output = enrich(&["tests/golden/lavrov-wang-yi.json"], b"");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = lines(&output);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0]["enrichment"]["article_id"],
        "lavrov-wang-yi-2022-08-05"
    );
    assert!(!lines[0]["enrichment"]["entities"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn bad_lines_give_error_lines_in_place_and_exit_1() {
    let input = b"{\"id\": \"a\", \"body\": \"Paris is big.\"}\n{\"id\": \"b\"}\n\xff\xfe\n[1, 2]\n{\"id\": \"c\", \"text\": \"Rome too.\"}\n";
    let output = enrich(&[], input);
    assert_eq!(output.status.code(), Some(1));
    let lines = lines(&output);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["enrichment"]["article_id"], "a");
    assert_eq!(lines[1]["error"]["kind"], "no_text");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["error"]["kind"], "invalid_utf8");
    assert_eq!(lines[3]["error"]["kind"], "not_an_object");
    assert_eq!(lines[4]["enrichment"]["article_id"], "c");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("<stdin>:2:"),
        "stderr names the line: {stderr}"
    );
    assert!(
        stderr.contains("<stdin>:3:"),
        "stderr names the line: {stderr}"
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let output = enrich(&["no/such/file.jsonl"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/file.jsonl"));
}

#[test]
fn a_time_budget_skips_what_it_has_no_time_for_and_says_so() {
    let article = br#"{"id": "budget", "body": "Lavrov met Wang Yi in Phnom Penh on Friday."}"#;
    let unbounded = lines(&enrich(&[], article));
    assert!(unbounded[0]["enrichment"]["warnings"]
        .as_array()
        .unwrap()
        .is_empty());
    let output = enrich(&["--time-budget", "0ms"], article);
    assert!(output.status.success());
    let warnings = lines(&output)[0]["enrichment"]["warnings"].clone();
    assert!(
        warnings
            .as_array()
            .unwrap()
            .iter()
            .any(|warning| warning.as_str().unwrap().contains("time budget")),
        "{warnings}"
    );
    let refused = enrich(&["--time-budget", "soon"], article);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a duration"));
}
