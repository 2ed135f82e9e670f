//! A small training run through the command line: `train ner` on a generated corpus writes
//! a model that `eval ner --model` scores well on held-out sentences of the same kind, and
//! the same seed gives the same model file byte for byte.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

const GIVEN: &[&str] = &[
    "Amara", "Jonas", "Leila", "Tomas", "Ines", "Viktor", "Nadia", "Oskar",
];
const FAMILY: &[&str] = &[
    "Okonkwo",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Petrova",
    "Santos",
];
const PLACES: &[&str] = &[
    "Brasilia", "Nairobi", "Oslo", "Hanoi", "Quito", "Riga", "Accra",
];
const BODIES: &[&str] = &[
    "Meridian Bank",
    "Atlas Council",
    "Northwind Group",
    "Helix Union",
];

/// Sentences from a few templates over the name lists, with IOB2 tags; `offset` picks a
/// different mix of names so held-out sentences are not training sentences.
fn corpus(sentences: usize, offset: usize) -> String {
    let mut out = String::from("-DOCSTART- -X- -X- O\n\n");
    for index in 0..sentences {
        let n = index * 7 + offset;
        let given = GIVEN[n % GIVEN.len()];
        let family = FAMILY[(n / 3) % FAMILY.len()];
        let place = PLACES[(n / 5) % PLACES.len()];
        let body = BODIES[(n / 2) % BODIES.len()];
        let (first, second) = body.split_once(' ').unwrap();
        let rows: Vec<(&str, &str)> = match index % 3 {
            0 => vec![
                (given, "B-PER"),
                (family, "I-PER"),
                ("arrived", "O"),
                ("in", "O"),
                (place, "B-LOC"),
                ("on", "O"),
                ("Monday", "O"),
                (".", "O"),
            ],
            1 => vec![
                ("The", "O"),
                (first, "B-ORG"),
                (second, "I-ORG"),
                ("said", "O"),
                (family, "B-PER"),
                ("would", "O"),
                ("visit", "O"),
                (place, "B-LOC"),
                (".", "O"),
            ],
            _ => vec![
                ("In", "O"),
                (place, "B-LOC"),
                (",", "O"),
                ("officials", "O"),
                ("of", "O"),
                ("the", "O"),
                (first, "B-ORG"),
                (second, "I-ORG"),
                ("met", "O"),
                (given, "B-PER"),
                (family, "I-PER"),
                (".", "O"),
            ],
        };
        for (word, tag) in rows {
            out.push_str(&format!("{word} X X {tag}\n"));
        }
        out.push('\n');
        if index % 10 == 9 {
            out.push_str("-DOCSTART- -X- -X- O\n\n");
        }
    }
    out
}

/// Runs the binary with `args`.
fn enricher(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .args(args)
        .output()
        .unwrap()
}

/// The JSON a successful run prints.
fn json_of(output: Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn train(dir: &Path, train_file: &Path, out: &str) -> serde_json::Value {
    let model = dir.join(out);
    let args = [
        "train",
        "ner",
        "--epochs",
        "4",
        "--clusters",
        "8",
        "--seed",
        "3",
    ];
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.extend([
        OsStr::new("--conll"),
        train_file.as_os_str(),
        OsStr::new("--out"),
        model.as_os_str(),
    ]);
    json_of(enricher(&all))
}

#[test]
fn a_small_training_run_learns_and_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let train_file = dir.path().join("train.txt");
    let dev_file = dir.path().join("dev.txt");
    std::fs::write(&train_file, corpus(300, 0)).unwrap();
    std::fs::write(&dev_file, corpus(60, 3)).unwrap();

    let summary = train(dir.path(), &train_file, "model.bin");
    assert_eq!(summary["training"]["sentences"], 300);
    assert!(summary["training"]["features_kept"].as_u64().unwrap() > 100);

    let model = dir.path().join("model.bin");
    let report = json_of(enricher(&[
        OsStr::new("eval"),
        OsStr::new("ner"),
        OsStr::new("--conll"),
        dev_file.as_os_str(),
        OsStr::new("--model"),
        model.as_os_str(),
    ]));
    let f1 = report["scores"]["f1"].as_f64().unwrap();
    assert!(
        f1 > 0.9,
        "a model trained on this corpus tags its held-out part: {report}"
    );

    train(dir.path(), &train_file, "again.bin");
    let first = std::fs::read(dir.path().join("model.bin")).unwrap();
    let second = std::fs::read(dir.path().join("again.bin")).unwrap();
    assert!(
        first == second,
        "the same data and seed give the same model"
    );
}

#[test]
fn unreadable_inputs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.bin");
    let output = enricher(&[
        OsStr::new("train"),
        OsStr::new("ner"),
        OsStr::new("--conll"),
        OsStr::new("no-such-file.txt"),
        OsStr::new("--out"),
        model.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-file.txt"));
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"not a model").unwrap();
    let output = enricher(&[
        OsStr::new("eval"),
        OsStr::new("ner"),
        OsStr::new("--conll"),
        OsStr::new("no-such-file.txt"),
        OsStr::new("--model"),
        garbage.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a name-tagger model"));
}
