//! The articles the benchmarks read: the first [`SAMPLE_SIZE`] lines of
//! `../shared/data/articles/bbc_news.jsonl` when it is beside the project (or of the file
//! named by `ENRICHER_BENCH_ARTICLES`), else the example article committed in `tests/golden`,
//! so that `cargo bench` runs on a fresh clone too.

use article_enricher::article::Article;
use std::path::PathBuf;

/// How many articles a benchmark reads from the sample file.
pub const SAMPLE_SIZE: usize = 300;

/// The benchmark articles and where they came from.
pub fn articles() -> (Vec<Article>, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::var_os("ENRICHER_BENCH_ARTICLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/articles/bbc_news.jsonl"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let articles: Vec<Article> = text
                .lines()
                .take(SAMPLE_SIZE)
                .filter_map(|line| Article::decode(line.as_bytes()).ok())
                .collect();
            let name = path
                .file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
            (articles, name)
        }
        Err(_) => {
            let example = std::fs::read(root.join("tests/golden/lavrov-wang-yi.json"))
                .expect("the example article is in the repository");
            let article = Article::decode(&example).expect("the example article decodes");
            (vec![article], "lavrov-wang-yi.json".to_string())
        }
    }
}
