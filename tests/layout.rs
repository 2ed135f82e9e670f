//! The code layout the project keeps (issue 17; the README's "Where things are"): small files,
//! the NLP core below the contract, vocabulary in data files. These are checks over the
//! source tree, so a change that breaks the layout fails like any other test.

use std::path::{Path, PathBuf};

/// The longest a Rust file under `src/` may be.
const MAX_LINES: usize = 1_200;
/// The most short word literals (`"said"`, `"the"`) the NLP core may hold: vocabulary belongs
/// in `data/lexicon/`.
const MAX_WORD_LITERALS: usize = 1_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(folder: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn no_rust_file_under_src_is_longer_than_the_limit() {
    let long: Vec<String> = files_under(&root().join("src"), "rs")
        .into_iter()
        .map(|path| (read(&path).lines().count(), path))
        .filter(|(lines, _)| *lines > MAX_LINES)
        .map(|(lines, path)| format!("{} ({lines} lines)", relative(&path)))
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn the_nlp_core_imports_nothing_outside_itself() {
    let mut outside = Vec::new();
    for path in files_under(&root().join("src/nlp"), "rs") {
        for (number, line) in read(&path).lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                if !rest.starts_with("nlp") {
                    outside.push(format!(
                        "{}:{}: {}",
                        relative(&path),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        outside.is_empty(),
        "the NLP core reaches outside itself:\n{}",
        outside.join("\n")
    );
}

/// A string literal that is one short word: a letter, then letters, apostrophes, dots or
/// hyphens, up to 21 characters.
fn word_literals(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] != b'"' {
            index += 1;
            continue;
        }
        let start = index + 1;
        let mut end = start;
        while end < bytes.len()
            && end - start <= 21
            && (bytes[end].is_ascii_alphabetic() || matches!(bytes[end], b'\'' | b'.' | b'-'))
        {
            end += 1;
        }
        let is_word = end < bytes.len()
            && bytes[end] == b'"'
            && end > start
            && end - start <= 21
            && bytes[start].is_ascii_alphabetic();
        if is_word {
            count += 1;
            index = end + 1;
        } else {
            index = start;
        }
    }
    count
}

/// The text with comment lines (`//`, `//!`, `///`) left out: quoted examples in the docs
/// are not vocabulary.
fn code_of(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_nlp_core_keeps_its_vocabulary_in_data_files() {
    let counts: Vec<(usize, String)> = files_under(&root().join("src/nlp"), "rs")
        .into_iter()
        .map(|path| (word_literals(&code_of(&read(&path))), relative(&path)))
        .collect();
    let total: usize = counts.iter().map(|(count, _)| count).sum();
    let mut largest = counts.clone();
    largest.sort_by(|a, b| b.cmp(a));
    largest.truncate(8);
    assert!(
        total <= MAX_WORD_LITERALS,
        "{total} short word literals in src/nlp (at most {MAX_WORD_LITERALS}); largest: {largest:?}"
    );
}

#[test]
fn every_lexicon_file_says_what_it_is_for() {
    let files = files_under(&root().join("data/lexicon"), "txt");
    assert!(!files.is_empty());
    for path in files {
        let text = read(&path);
        let header = text.lines().next().unwrap_or("");
        assert!(
            header.starts_with("# ") && header.len() > 20 && header.contains("Source:"),
            "{} must open with a `# ` line saying what the list is for and its source",
            relative(&path)
        );
        let entries = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        let mut seen = std::collections::HashSet::new();
        for entry in entries {
            assert!(
                seen.insert(entry.trim()),
                "{}: {entry:?} is listed twice",
                relative(&path)
            );
            // Entries are read as written: a backslash would be a Rust escape left behind.
            assert!(
                !entry.contains('\\'),
                "{}: {entry:?} holds a backslash",
                relative(&path)
            );
        }
    }
}

#[test]
fn word_literals_are_counted() {
    assert_eq!(
        word_literals(r#"["said", "says", "U.S.", "x1", "", "a b"]"#),
        3
    );
}

#[test]
fn every_lexicon_file_is_read_by_the_code() {
    let sources: String = files_under(&root().join("src"), "rs")
        .iter()
        .map(|path| read(path))
        .collect();
    let folder = root().join("data/lexicon");
    for path in files_under(&folder, "txt") {
        let name = path
            .strip_prefix(&folder)
            .expect("a file under data/lexicon")
            .with_extension("")
            .display()
            .to_string();
        assert!(
            sources.contains(&format!("\"{name}\"")),
            "data/lexicon/{name}.txt is read by no code"
        );
    }
}
