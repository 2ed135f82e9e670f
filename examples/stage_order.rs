//! The same stages over the same articles in two orders, timed on this thread: one article
//! through every stage before the next article, and a batch of articles through each stage
//! before the next stage (what `Pipeline::analyse_batch` does). Checks that both give the
//! same mentions and quotes. The figures behind the batch size of `enrich` (README, Speed).
//!
//! ```text
//! taskset -c 1 cargo run --release --example stage_order -- ARTICLES.jsonl BATCH [ROUNDS]
//! ```

use article_enricher::contract::Article;
use article_enricher::nlp::document::Document;
use article_enricher::nlp::entities::tagger::{embedded_model, TrainedTagger};
use article_enricher::nlp::gazetteer::Gazetteer;
use article_enricher::nlp::quotes::ContentModel;
use article_enricher::nlp::{
    dates, entities, meetings, quotes, quotes::speech_tagger, text, unanalysed_document,
};
use std::process::ExitCode;
use std::time::Instant;

/// One stage run on a document.
type Stage<'a> = Box<dyn Fn(&mut Document) + 'a>;

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
    let gazetteer = Gazetteer::embedded();
    let name_model = embedded_model();
    let content_model = speech_tagger::embedded_model();
    let tagger = TrainedTagger::new(&name_model);
    let content = || {
        Some(ContentModel {
            model: &content_model,
            clusters: name_model.clusters(),
        })
    };
    let stages: Vec<Stage> = vec![
        Box::new(text::tokenize),
        Box::new(|document| entities::resolve_with(document, gazetteer, &tagger)),
        Box::new(dates::extract),
        Box::new(|document| quotes::extract(document, gazetteer, content())),
        Box::new(|document| meetings::extract(document, gazetteer)),
    ];
    let fresh: Vec<Document> = articles
        .iter()
        .map(|article| unanalysed_document(&article.input()))
        .collect();
    for round in 1..=rounds {
        let mut by_article = fresh.clone();
        let started = Instant::now();
        for document in &mut by_article {
            stages.iter().for_each(|stage| stage(document));
        }
        let article_major = started.elapsed().as_secs_f64();
        let mut by_stage = fresh.clone();
        let started = Instant::now();
        for chunk in by_stage.chunks_mut(batch.max(1)) {
            for stage in &stages {
                chunk.iter_mut().for_each(stage);
            }
        }
        let stage_major = started.elapsed().as_secs_f64();
        let same = by_article.iter().zip(&by_stage).all(|(a, b)| {
            format!("{:?}{:?}", a.mentions, a.quotes) == format!("{:?}{:?}", b.mentions, b.quotes)
        });
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
