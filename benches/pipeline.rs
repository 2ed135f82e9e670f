//! The whole enrichment (raw message to encoded output, as the worker runs it) and each stage
//! alone, on one core: words per second (words as the product is judged: whitespace-split title
//! and body) and articles per second.
//! `cargo bench --bench pipeline`; the articles are those of `common` (the first 300 BBC
//! articles when `../shared` is beside the project).
//!
//! Each stage is measured on documents that the earlier stages have already analysed,
//! cloned outside the measured time, so a stage's figure is its own cost.

#[path = "common/mod.rs"]
mod common;

use article_enricher::contract::{self, Article};
use article_enricher::nlp::document::Document;
use article_enricher::nlp::entities::tagger::{embedded_model, TrainedTagger};
use article_enricher::nlp::gazetteer::Gazetteer;
use article_enricher::nlp::quotes::ContentModel;
use article_enricher::nlp::{
    dates, entities, meetings, quotes, quotes::speech_tagger, text, unanalysed_document, Pipeline,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

fn pipeline(c: &mut Criterion) {
    let (payloads, source) = common::payloads();
    let (articles, _) = common::articles();
    let words: usize = articles.iter().map(Article::word_count).sum();
    let pipeline = Pipeline::new();
    let enrich = |payload: &[u8]| contract::enrich(&pipeline, payload, usize::MAX);
    // Models load before the measurement, as in a worker.
    black_box(enrich(&payloads[0]).ok());

    for (unit, count) in [("words", words), ("articles", articles.len())] {
        let mut group = c.benchmark_group(format!("enrich ({unit})"));
        group.throughput(Throughput::Elements(count as u64));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(15));
        group.bench_function(
            format!("{} articles of {source}, {words} words", articles.len()),
            |b| {
                b.iter(|| {
                    for payload in &payloads {
                        black_box(enrich(payload).ok());
                    }
                })
            },
        );
        group.finish();
    }
}

/// One pipeline stage run on a document.
type Stage<'a> = dyn Fn(&mut Document) + 'a;

/// Copies of `documents` with one more stage run on each.
fn documents_by_stage(documents: &[Document], stage: &Stage) -> Vec<Document> {
    documents
        .iter()
        .map(|document| {
            let mut document = document.clone();
            stage(&mut document);
            document
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let (articles, _) = common::articles();
    let words: usize = articles.iter().map(Article::word_count).sum();
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

    let run_entities =
        |document: &mut Document| entities::resolve_with(document, gazetteer, &tagger);
    let run_rule_entities = |document: &mut Document| {
        entities::resolve_with(document, gazetteer, &entities::RuleTagger)
    };
    let run_quotes = |document: &mut Document| quotes::extract(document, gazetteer, content());
    let run_rule_quotes = |document: &mut Document| quotes::extract(document, gazetteer, None);
    let run_meetings = |document: &mut Document| meetings::extract(document, gazetteer);

    let fresh: Vec<Document> = articles
        .iter()
        .map(|article| unanalysed_document(&article.input()))
        .collect();
    let tokenised = documents_by_stage(&fresh, &text::tokenize);
    let with_entities = documents_by_stage(&tokenised, &run_entities);
    let with_dates = documents_by_stage(&with_entities, &dates::extract);
    let with_quotes = documents_by_stage(&with_dates, &run_quotes);

    // The "rules only" rows leave out a trained tagger: what it costs is the difference.
    let stages: [(&str, &[Document], &Stage); 7] = [
        ("text", &fresh, &text::tokenize),
        ("entities", &tokenised, &run_entities),
        ("entities, rules only", &tokenised, &run_rule_entities),
        ("dates", &with_entities, &dates::extract),
        ("quotes", &with_dates, &run_quotes),
        ("quotes, rules only", &with_dates, &run_rule_quotes),
        ("meetings", &with_quotes, &run_meetings),
    ];
    let mut group = c.benchmark_group("stage (words)");
    group.throughput(Throughput::Elements(words as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    for (name, input, stage) in stages {
        group.bench_function(name, |b| {
            b.iter_batched(
                || input.to_vec(),
                |mut documents| {
                    for document in &mut documents {
                        stage(document);
                    }
                    documents
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline, stages);
criterion_main!(benches);
