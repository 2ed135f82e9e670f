//! A small training run through the command line: `train meetings` on a generated RAMS-style
//! file writes a participant model table and a report comparing the rules with the model by
//! cross-validation; the same input gives the same file byte for byte, and a missing input
//! gives a clear error.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

const PEOPLE: &[&str] = &[
    "Marta Quill",
    "Jonas Berg",
    "Leila Haddad",
    "Oskar Lind",
    "Ines Moreau",
    "Tomas Reyes",
];

/// One RAMS-style document: "A met B in Oslo ." and, before it, "C and D arrived ." with C
/// and D gold participants of a second meeting "They held talks ." (so the rules, which see
/// only "They", leave some gold participants to the model's candidates).
fn document(number: usize) -> Value {
    let name = |offset: usize| PEOPLE[(number + offset) % PEOPLE.len()];
    let mut tokens: Vec<Vec<String>> = Vec::new();
    let words = |text: &str| text.split(' ').map(str::to_string).collect::<Vec<_>>();
    tokens.push(words(&format!("{} met {} in Oslo .", name(0), name(1))));
    tokens.push(words(&format!("{} and {} arrived .", name(2), name(3))));
    tokens.push(words("The two then held talks ."));
    let first = name(0).split(' ').count();
    let second = name(1).split(' ').count();
    let met = first;
    let sentence_two = first + 1 + second + 3;
    let third = name(2).split(' ').count();
    let fourth = name(3).split(' ').count();
    let sentence_three = sentence_two + third + 1 + fourth + 2;
    let talks = sentence_three + 4;
    json!({
        "doc_key": format!("d{number}"),
        "sentences": tokens,
        "evt_triggers": [
            [met, met, [["contact.discussion.meet", 1.0]]],
            [talks, talks, [["contact.discussion.meet", 1.0]]]
        ],
        "gold_evt_links": [
            [[met, met], [0, first - 1], "evt1arg01participant"],
            [[met, met], [met + 1, met + second], "evt1arg02participant"],
            [[talks, talks], [sentence_two, sentence_two + third - 1], "evt2arg01participant"],
            [[talks, talks], [sentence_two + third + 1, sentence_two + third + fourth], "evt2arg02participant"]
        ],
        "ent_spans": []
    })
}

fn write_corpus(path: &Path, documents: usize) {
    let lines: Vec<String> = (0..documents).map(|n| document(n).to_string()).collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn train(corpus: &Path, out: &Path) -> Output {
    run(&[
        "train".as_ref(),
        "meetings".as_ref(),
        "--rams".as_ref(),
        corpus.as_os_str(),
        "--folds".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

#[test]
fn trains_a_readable_model_with_a_cross_validated_report_deterministically() {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("rams.jsonlines");
    write_corpus(&corpus, 12);
    let first = root.path().join("first.tsv");
    let output = train(&corpus, &first);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let participants = &report["participants"];
    for part in ["rules", "model_cross_validated"] {
        let gold = participants[part]["all"]["gold"].as_u64().unwrap();
        assert!(gold > 0, "{part}: {participants}");
    }
    assert!(report["training"]["candidates"].as_u64().unwrap() > 0);
    let table = std::fs::read_to_string(&first).unwrap();
    assert!(table.starts_with("# Meeting participant model"), "{table}");
    assert!(table.lines().any(|line| line.starts_with("threshold\t")));
    assert!(table.lines().any(|line| line.starts_with("bias\t")));

    let second = root.path().join("second.tsv");
    assert!(train(&corpus, &second).status.success());
    assert_eq!(table, std::fs::read_to_string(&second).unwrap());
}

#[test]
fn a_missing_corpus_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let output = train(
        &root.path().join("none.jsonlines"),
        &root.path().join("m.tsv"),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("none.jsonlines"), "{stderr}");
}
