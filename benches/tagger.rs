//! The name tagger alone: tokens per second on one core, and how long the model takes to
//! load. `cargo bench --bench tagger`.
//!
//! Text: the articles of `common` (the first 300 of `../shared/data/articles/bbc_news.jsonl`
//! when it is beside the project, or of the file in `ENRICHER_BENCH_ARTICLES`, else the
//! example article in `tests/golden`). Articles are tokenised once up front; the measured
//! loop is feature extraction, Viterbi decoding and the document pass, as the entity stage
//! runs it.

#[path = "common/mod.rs"]
mod common;

use article_enricher::contract::Article;
use article_enricher::nlp::document::Document;
use article_enricher::nlp::entities::tagger::model::Model;
use article_enricher::nlp::entities::tagger::{
    embedded_model, embedded_model_bytes, sentence_words, TrainedTagger,
};
use article_enricher::nlp::gazetteer::Gazetteer;
use article_enricher::nlp::{text, unanalysed_document};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn tokenised(article: &Article) -> Document {
    let mut document = unanalysed_document(&article.input());
    text::tokenize(&mut document);
    document
}

fn tagger(c: &mut Criterion) {
    let documents: Vec<Document> = common::articles().0.iter().map(tokenised).collect();
    let sentences: Vec<Vec<Vec<&str>>> = documents.iter().map(sentence_words).collect();
    let tokens: usize = sentences.iter().flatten().map(Vec::len).sum();
    let gazetteer = Gazetteer::embedded();
    let model = embedded_model();
    let tagger = TrainedTagger::new(&model);
    let mut group = c.benchmark_group("tagger");
    group.throughput(Throughput::Elements(tokens as u64));
    group.bench_function(
        format!("tag {} documents, {tokens} tokens", documents.len()),
        |b| {
            b.iter(|| {
                for words in &sentences {
                    black_box(tagger.label_sentences(words, gazetteer));
                }
            })
        },
    );
    group.finish();
    c.bench_function("model load", |b| {
        b.iter(|| black_box(Model::from_bytes(embedded_model_bytes()).expect("loads")))
    });
}

criterion_group!(benches, tagger);
criterion_main!(benches);
