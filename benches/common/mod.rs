//! The articles the benchmarks read: the first [`SAMPLE_SIZE`] lines of
//! `../shared/data/articles/bbc_news.jsonl` when it is beside the project (or of the file
//! named by `ENRICHER_BENCH_ARTICLES`), else the example article committed in `tests/golden`,
//! so that `cargo bench` runs on a fresh clone too.

#![allow(dead_code)] // each benchmark uses a part

use article_enricher::contract::Article;
use std::path::PathBuf;

/// How many articles a benchmark reads from the sample file.
pub const SAMPLE_SIZE: usize = 300;

/// The benchmark messages as a scraper sends them (those that decode), and where they came
/// from.
pub fn payloads() -> (Vec<Vec<u8>>, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::var_os("ENRICHER_BENCH_ARTICLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/articles/bbc_news.jsonl"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let payloads: Vec<Vec<u8>> = text
                .lines()
                .take(SAMPLE_SIZE)
                .filter(|line| Article::decode(line.as_bytes()).is_ok())
                .map(|line| line.as_bytes().to_vec())
                .collect();
            let name = path
                .file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
            (payloads, name)
        }
        Err(_) => {
            let example = std::fs::read(root.join("tests/golden/lavrov-wang-yi.json"))
                .expect("the example article is in the repository");
            Article::decode(&example).expect("the example article decodes");
            (vec![example], "lavrov-wang-yi.json".to_string())
        }
    }
}

/// The benchmark articles, decoded, and where they came from.
pub fn articles() -> (Vec<Article>, String) {
    let (payloads, source) = payloads();
    let articles = payloads
        .iter()
        .map(|payload| Article::decode(payload).expect("decoded before"))
        .collect();
    (articles, source)
}
