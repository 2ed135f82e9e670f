//! A small training run through the command line: `train quotes` on a generated PolNeAR-style
//! split (brat files with code-point offsets) writes a reported-speech model that `eval quotes
//! --content-model` reads, the same seed gives the same file byte for byte, and a damaged
//! model file or a missing split gives a clear error.

use std::path::Path;
use std::process::{Command, Output};

const SPEAKERS: &[&str] = &["Marta Quill", "Jonas Berg", "Leila Haddad", "Oskar Lind"];
const CLAIMS: &[&str] = &[
    "the north pier will reopen in May",
    "the budget leaves the schools short of teachers",
    "the ferry service needs a second boat",
    "the council should publish the report",
];

/// Writes one article and its annotation file: sentences "SPEAKER said CLAIM." (source, cue
/// and content annotated) and "SPEAKER walked to the harbour." (nothing). Offsets are code
/// points, as in PolNeAR; a curly apostrophe in every text makes bytes and code points differ.
fn write_article(split: &Path, number: usize) {
    let mut text = String::from("Harbour’s week\n\n");
    let mut ann = String::new();
    let mut id = 1;
    for sentence in 0..6 {
        let speaker = SPEAKERS[(number + sentence) % SPEAKERS.len()];
        let start = text.chars().count();
        if sentence % 2 == 0 {
            let claim = CLAIMS[(number * 3 + sentence) % CLAIMS.len()];
            let cue_start = start + speaker.chars().count() + 1;
            let content_start = cue_start + "said ".chars().count();
            let content_end = content_start + claim.chars().count();
            text.push_str(&format!("{speaker} said {claim}. "));
            let (source, cue, content) = (id, id + 1, id + 2);
            ann.push_str(&format!(
                "T{source}\tSource {start} {}\t{speaker}\nT{cue}\tCue {cue_start} {}\tsaid\nT{content}\tContent {content_start} {content_end}\t{claim}\nE{id}\tAttribution:T{cue} Cue:T{cue} Source:T{source} Content:T{content}\n",
                cue_start - 1,
                cue_start + 4,
            ));
            id += 3;
        } else {
            text.push_str(&format!("{speaker} walked to the harbour. "));
        }
        if sentence % 3 == 2 {
            text.push_str("\n\n");
        }
    }
    std::fs::write(split.join(format!("text/a{number}.txt")), text).unwrap();
    std::fs::write(
        split.join(format!("attributions/a{number}_annotator.ann")),
        ann,
    )
    .unwrap();
}

fn split(root: &Path, articles: usize) -> std::path::PathBuf {
    let split = root.join("train");
    std::fs::create_dir_all(split.join("text")).unwrap();
    std::fs::create_dir_all(split.join("attributions")).unwrap();
    for number in 0..articles {
        write_article(&split, number);
    }
    split
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn eval_with(split: &Path, model: &Path) -> Output {
    run(&[
        "eval".as_ref(),
        "quotes".as_ref(),
        "--polnear".as_ref(),
        split.as_os_str(),
        "--content-model".as_ref(),
        model.as_os_str(),
    ])
}

fn train(split: &Path, out: &Path) -> Output {
    run(&[
        "train".as_ref(),
        "quotes".as_ref(),
        "--polnear".as_ref(),
        split.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--epochs".as_ref(),
        "3".as_ref(),
        "--min-feature-count".as_ref(),
        "1".as_ref(),
    ])
}

#[test]
fn train_quotes_writes_a_model_that_eval_reads() {
    let root = tempfile::tempdir().unwrap();
    let split = split(root.path(), 12);
    let model = root.path().join("model.bin");
    let output = train(&split, &model);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["training"]["sentences"].as_u64(), Some(12 * 7));
    assert_eq!(report["training"]["stacked"], true);
    assert!(report["training"]["features_kept"].as_u64().unwrap() > 0);

    let again = root.path().join("again.bin");
    assert!(train(&split, &again).status.success());
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&again).unwrap(),
        "the same seed gives the same model file"
    );

    // The model finds the reported speech of the split it learnt from.
    let output = eval_with(&split, &model);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let f1 = scores["scores"]["indirect_f1"].as_f64().unwrap();
    assert!(f1 > 0.9, "indirect F1 {f1}");
}

#[test]
fn a_damaged_model_or_a_missing_split_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let split = split(root.path(), 2);
    let damaged = root.path().join("damaged.bin");
    std::fs::write(&damaged, b"AEATTR2\0garbage").unwrap();
    let output = eval_with(&split, &damaged);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("damaged.bin"), "{message}");

    let output = train(&root.path().join("nowhere"), &root.path().join("m.bin"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nowhere"));
}
