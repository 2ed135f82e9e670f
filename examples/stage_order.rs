//! The pipeline over the same articles in two orders, timed on this thread: one article
//! through every stage before the next article (`Pipeline::analyse`), and a batch of
//! articles through each stage before the next stage (`Pipeline::analyse_batch`). Checks
//! that both give the same mentions and quotes. The figures behind the batch size of
//! `enrich` (README, Speed).
//!
//! ```text
//! taskset -c 1 cargo run --release --example stage_order -- ARTICLES.jsonl BATCH [ROUNDS]
//! ```

use article_enricher::contract::Article;
use article_enricher::nlp::{Analysis, Input, Pipeline};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(Ok(batch))) = (args.first(), args.get(1).map(|b| b.parse::<usize>()))
    else {
        eprintln!("usage: stage_order ARTICLES.jsonl BATCH [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let Ok(lines) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        return ExitCode::from(2);
    };
    let articles: Vec<Article> = lines
        .lines()
        .filter_map(|line| Article::decode(line.as_bytes()).ok())
        .collect();
    let inputs: Vec<Input> = articles.iter().map(Article::input).collect();
    let pipeline = Pipeline::new();
    pipeline.analyse(&Input::field("body", "Warming up."));
    let found = |analyses: &[Analysis]| -> Vec<String> {
        analyses
            .iter()
            .map(|analysis| {
                format!(
                    "{:?}{:?}",
                    analysis.document.mentions, analysis.document.quotes
                )
            })
            .collect()
    };
    for round in 1..=rounds {
        let started = Instant::now();
        let by_article: Vec<Analysis> =
            inputs.iter().map(|input| pipeline.analyse(input)).collect();
        let article_major = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let by_stage: Vec<Analysis> = inputs
            .chunks(batch.max(1))
            .flat_map(|chunk| pipeline.analyse_batch(chunk))
            .collect();
        let stage_major = started.elapsed().as_secs_f64();
        let same = found(&by_article) == found(&by_stage);
        println!(
            "round {round}: article by article {article_major:.3} s, stage by stage (batches of {batch}) {stage_major:.3} s ({:+.1}%), same results: {same}",
            100.0 * (stage_major / article_major - 1.0)
        );
        if !same {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
