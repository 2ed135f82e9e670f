//! Model training from corpora on disk: `article-enricher train ner ...` and
//! `article-enricher train quotes ...`.
//!
//! `train ner` reads the labelled corpora (CoNLL-2003 files; the GMB CSV with its types mapped
//! to CoNLL's), learns word clusters from all their text plus unlabelled articles (JSON lines
//! with `title` and `body`, tokenised by the pipeline's own tokeniser), trains the name tagger
//! ([`crate::nlp::entities::tagger::train`]) and writes the model file. With `--dev` it also
//! scores the tagger alone on a CoNLL file (tokens as given, conlleval chunks), which is
//! quicker than `eval ner` and separates the tagger from the rest of the entity stage.
//!
//! `train quotes` runs the pipeline (rules only) over a PolNeAR split to get each sentence's
//! features and gold labels, trains the reported-speech tagger
//! ([`crate::nlp::quotes::speech_tagger::train`]) and writes its model; with `--dev` it scores
//! the new model with `eval quotes`.
//!
//! GMB's types map as follows: `per` -> PER, `org` -> ORG, `geo` -> LOC, `gpe` -> MISC (in GMB
//! mostly nationality adjectives, "British"), `art`, `eve`, `nat` -> MISC; `tim` (time
//! expressions) is not a name and becomes `O` (dates have their own stage). GMB has no
//! document boundaries, so each of its sentences is a document of its own, and it trains as
//! a corpus of its own (feature augmentation; CoNLL is the target).

use crate::commands::eval::dates::parse_timeml;
use crate::commands::eval::ner::{parse_conll, score, Chunk, Counts};
use crate::commands::eval::quotes::{
    annotation_files, article_and_annotator, content_class, evaluate as evaluate_quotes, parse_ann,
    source_spans, Attribution,
};
use crate::commands::eval::{corpus_name, precision_recall_f1, round4};
use crate::contract::Article;
use crate::nlp::document::{Document, Field};
use crate::nlp::entities::tagger::model::{chunks, label, Model, CONLL_TYPES};
use crate::nlp::entities::tagger::train::{
    train, TrainingDocument, TrainingOptions, TrainingSentence,
};
use crate::nlp::entities::tagger::{sentence_words, TrainedTagger};
use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::linear::clusters::{ClusterOptions, WordClusters};
use crate::nlp::quotes::content_features;
use crate::nlp::quotes::speech_tagger::{
    label as attribution_label, train as train_attribution, Part,
    SentenceFeatures as AttributionFeatures, TrainingOptions as AttributionTrainingOptions,
    TrainingSentence as AttributionSentence,
};
use crate::nlp::text;
use crate::nlp::Pipeline;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum TrainError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
    #[error("no training sentences")]
    Empty,
}

/// What `train ner` reads and writes.
#[derive(Debug, Clone)]
pub struct NerTrainingInputs {
    pub conll: Vec<PathBuf>,
    pub gmb: Option<PathBuf>,
    pub unlabelled: Vec<PathBuf>,
    pub dev: Option<PathBuf>,
    pub out: PathBuf,
    pub options: TrainingOptions,
    pub clusters: ClusterOptions,
    /// Use at most this many sentences of each labelled corpus (for quick runs).
    pub max_sentences: Option<usize>,
    /// Hold every K-th document of the target corpus out of training and score the tagger
    /// on them: a split for choosing features and settings without touching the dev set.
    pub holdout_every: Option<usize>,
    /// A model file whose word clusters are kept (none are learnt then).
    pub clusters_from: Option<PathBuf>,
}

fn read(path: &Path) -> Result<String, TrainError> {
    let bytes = std::fs::read(path).map_err(|source| TrainError::Read {
        path: path.display().to_string(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// BIO labels from IOB1 or IOB2 tags (`I-X` after `O` or another type opens a chunk).
fn labels_from_tags<'t>(tags: impl Iterator<Item = &'t str>) -> Vec<u8> {
    let mut labels = Vec::new();
    let mut previous: Option<usize> = None;
    for tag in tags {
        let (prefix, name) = tag.split_once('-').unwrap_or(("O", ""));
        let type_index = CONLL_TYPES.iter().position(|t| *t == name);
        let label_value = match (prefix, type_index) {
            ("O", _) | (_, None) => {
                previous = None;
                0
            }
            ("I", Some(index)) if previous == Some(index) => label(index, true),
            (_, Some(index)) => {
                previous = Some(index);
                label(index, false)
            }
        };
        labels.push(label_value);
    }
    labels
}

/// Documents of a CoNLL file.
pub fn read_conll(path: &Path, domain: usize) -> Result<Vec<TrainingDocument>, TrainError> {
    let text = read(path)?;
    let documents = parse_conll(&text).map_err(|message| TrainError::Format {
        path: path.display().to_string(),
        message,
    })?;
    Ok(documents
        .into_iter()
        .map(|document| TrainingDocument {
            sentences: document
                .sentences
                .iter()
                .map(|sentence| TrainingSentence {
                    words: sentence.iter().map(|(word, _)| word.clone()).collect(),
                    labels: labels_from_tags(sentence.iter().map(|(_, tag)| tag.as_str())),
                })
                .collect(),
            domain,
        })
        .collect())
}

/// The fields of one CSV line (double quotes group, `""` is a quote), as Python's `csv`
/// module reads them.
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("never empty").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().expect("never empty").push(c),
        }
    }
    fields
}

/// The CoNLL tag of a GMB tag.
fn gmb_tag(tag: &str) -> String {
    let Some((prefix, name)) = tag.split_once('-') else {
        return "O".to_string();
    };
    let mapped = match name {
        "per" => "PER",
        "org" => "ORG",
        "geo" => "LOC",
        "gpe" | "art" | "eve" | "nat" => "MISC",
        _ => return "O".to_string(),
    };
    format!("{prefix}-{mapped}")
}

/// Sentences of the GMB CSV (`Sentence #,Word,POS,Tag`), each a document.
pub fn read_gmb(path: &Path, domain: usize) -> Result<Vec<TrainingDocument>, TrainError> {
    let text = read(path)?;
    let mut documents = Vec::new();
    let mut words = Vec::new();
    let mut tags = Vec::new();
    let mut flush = |words: &mut Vec<String>, tags: &mut Vec<String>| {
        if !words.is_empty() {
            documents.push(TrainingDocument {
                sentences: vec![TrainingSentence {
                    words: std::mem::take(words),
                    labels: labels_from_tags(tags.iter().map(String::as_str)),
                }],
                domain,
            });
            tags.clear();
        }
    };
    for (number, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields = csv_fields(line);
        if fields.len() < 4 {
            return Err(TrainError::Format {
                path: path.display().to_string(),
                message: format!("line {}: expected 4 columns", number + 1),
            });
        }
        if !fields[0].trim().is_empty() {
            flush(&mut words, &mut tags);
        }
        words.push(fields[1].clone());
        tags.push(gmb_tag(fields[fields.len() - 1].trim()));
    }
    flush(&mut words, &mut tags);
    Ok(documents)
}

/// Sentences of unlabelled text, tokenised as the pipeline does. A file holds JSON lines:
/// articles (`title`, `body`), texts (`text`) or token lists (`sentences`, a list of
/// sentences of tokens, taken as they are). A directory is read through: its `.txt` files as
/// plain text and its `.tml` (TimeML) files with their tags dropped.
pub fn read_unlabelled(path: &Path) -> Result<Vec<Vec<String>>, TrainError> {
    let mut sentences = Vec::new();
    if path.is_dir() {
        let mut files = Vec::new();
        collect_text_files(path, &mut files)?;
        files.sort();
        for file in files {
            let text = read(&file)?;
            let text = if file.extension().is_some_and(|extension| extension == "tml") {
                timeml_text(&text)
            } else {
                text
            };
            sentences.extend(tokenised(&[("body", text.as_str())]));
        }
        return Ok(sentences);
    }
    let text = read(path)?;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(given) = value.get("sentences").and_then(Value::as_array) {
            for sentence in given {
                let words: Vec<String> = sentence
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|word| word.as_str().map(str::to_string))
                    .collect();
                if !words.is_empty() {
                    sentences.push(words);
                }
            }
            continue;
        }
        let fields: Vec<(&str, &str)> = ["title", "body", "text"]
            .into_iter()
            .filter_map(|name| Some((name, value.get(name)?.as_str()?)))
            .collect();
        sentences.extend(tokenised(&fields));
    }
    Ok(sentences)
}

/// The sentences of a document of the given fields, as words.
fn tokenised(fields: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut document = Document::default();
    for (name, text) in fields {
        document.fields.push(Field {
            name: name.to_string(),
            text: text.to_string(),
        });
    }
    text::tokenize(&mut document);
    sentence_words(&document)
        .into_iter()
        .map(|words| words.into_iter().map(str::to_string).collect())
        .collect()
}

/// Every `.txt` and `.tml` file under a directory.
fn collect_text_files(directory: &Path, files: &mut Vec<PathBuf>) -> Result<(), TrainError> {
    let entries = std::fs::read_dir(directory).map_err(|source| TrainError::Read {
        path: directory.display().to_string(),
        source,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_text_files(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "txt" || extension == "tml")
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The text of a TimeML file, as `eval dates` reads it (tags stripped, entities decoded);
/// nothing for a file that does not parse.
fn timeml_text(source: &str) -> String {
    parse_timeml(source)
        .map(|document| document.text)
        .unwrap_or_default()
}

/// Trains and writes the model; returns a JSON summary.
pub fn train_ner(inputs: &NerTrainingInputs) -> Result<Value, TrainError> {
    let started = Instant::now();
    let gazetteer = Gazetteer::embedded();
    let mut documents = Vec::new();
    let mut held_out = Vec::new();
    for path in &inputs.conll {
        let read = limit(read_conll(path, 0)?, inputs.max_sentences);
        match inputs.holdout_every {
            Some(every) if every > 1 => {
                for (index, document) in read.into_iter().enumerate() {
                    if index % every == every - 1 {
                        held_out.push(document);
                    } else {
                        documents.push(document);
                    }
                }
            }
            _ => documents.extend(read),
        }
    }
    if let Some(path) = &inputs.gmb {
        documents.extend(limit(read_gmb(path, 1)?, inputs.max_sentences));
    }
    if documents.is_empty() {
        return Err(TrainError::Empty);
    }
    let cluster_started = Instant::now();
    let (clusters, unlabelled_tokens) = match &inputs.clusters_from {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| TrainError::Read {
                path: path.display().to_string(),
                source,
            })?;
            let clusters =
                Model::clusters_from_bytes(&bytes).map_err(|error| TrainError::Format {
                    path: path.display().to_string(),
                    message: error.to_string(),
                })?;
            (clusters, 0)
        }
        None => {
            let mut text: Vec<Vec<String>> = documents
                .iter()
                .chain(&held_out)
                .flat_map(|document| document.sentences.iter().map(|s| s.words.clone()))
                .collect();
            for path in &inputs.unlabelled {
                text.extend(read_unlabelled(path)?);
            }
            let tokens: usize = text.iter().map(Vec::len).sum();
            (WordClusters::learn(&text, &inputs.clusters), tokens)
        }
    };
    let cluster_seconds = cluster_started.elapsed().as_secs_f64();
    let training_started = Instant::now();
    let (model, summary) = train(
        &documents,
        clusters,
        gazetteer,
        &inputs.options,
        &mut |epoch, errors| eprintln!("epoch {epoch}: {errors} sentences wrong"),
    );
    let training_seconds = training_started.elapsed().as_secs_f64();
    let mut report = write_model(&inputs.out, &model.to_bytes())?;
    report["training"] = json!({
            "corpora": inputs.conll.iter().chain(&inputs.gmb).chain(&inputs.unlabelled)
                .chain(&inputs.clusters_from)
                .map(|path| corpus_name(path)).collect::<Vec<_>>(),
            "documents": documents.len(),
            "sentences": summary.sentences,
            "tokens": summary.tokens,
            "cluster_text_tokens": unlabelled_tokens,
            "clustered_words": model.clusters().len(),
            "distinct_features": summary.distinct_features,
            "features_trained": summary.features_trained,
            "features_kept": summary.features_kept,
            "epochs": inputs.options.epochs,
            "seed": inputs.options.seed,
            "errors_per_epoch": summary.errors_per_epoch,
            "cluster_seconds": round2(cluster_seconds),
            "training_seconds": round2(training_seconds),
            "total_seconds": round2(started.elapsed().as_secs_f64()),
    });
    if let Some(dev) = &inputs.dev {
        // The model in memory is quantised as the file is, so it scores as the file does.
        report["dev"] = score_tagger(&TrainedTagger::new(&model), gazetteer, dev)?;
    }
    if !held_out.is_empty() {
        let seen: HashSet<String> = documents
            .iter()
            .flat_map(|document| &document.sentences)
            .flat_map(|sentence| {
                chunks(&sentence.labels)
                    .into_iter()
                    .map(|(start, end, _)| sentence.words[start..end].join(" "))
            })
            .collect();
        let mut figures = score_documents(
            &TrainedTagger::new(&model),
            gazetteer,
            &held_out,
            Some(&seen),
        );
        figures["documents"] = json!(held_out.len());
        report["held_out"] = figures;
    }
    Ok(report)
}

/// What `train quotes` reads and writes.
#[derive(Debug, Clone)]
pub struct QuoteTrainingInputs {
    /// A PolNeAR split directory (`attributions/`, `text/`).
    pub polnear: PathBuf,
    /// A PolNeAR split to evaluate quotes on with the new model.
    pub dev: Option<PathBuf>,
    pub out: PathBuf,
    pub options: AttributionTrainingOptions,
}

/// The labelled sentences of a PolNeAR split for the reported-speech tagger: every
/// annotation file's sentences with the features the pipeline computes (rules only) and
/// gold labels: the content of reported speech (a content with a source that is not a
/// direct quote), and the source and cue of every sourced attribution.
pub fn read_polnear_sentences(
    path: &Path,
    pipeline: &Pipeline,
) -> Result<Vec<AttributionSentence>, TrainError> {
    let eval_error = |error: crate::commands::eval::EvalError| TrainError::Format {
        path: path.display().to_string(),
        message: error.to_string(),
    };
    let files = annotation_files(path).map_err(eval_error)?;
    let (gazetteer, clusters) = pipeline.gazetteer_and_clusters();
    // Per article: its text in code points, each token's code-point range, and the features
    // of each sentence (token range, features); annotators of one article share them.
    type Analysed = (
        Vec<char>,
        Vec<(usize, usize)>,
        Vec<(Range<usize>, AttributionFeatures)>,
    );
    let mut analysed: HashMap<String, Analysed> = HashMap::new();
    // Articles numbered in order of first appearance (files are sorted).
    let mut article_numbers: HashMap<String, usize> = HashMap::new();
    let mut examples = Vec::new();
    for file in &files {
        let format_error = |message: String| TrainError::Format {
            path: file.display().to_string(),
            message,
        };
        let (article_name, _) = article_and_annotator(file)
            .ok_or_else(|| format_error("not named ARTICLE_ANNOTATOR.ann".into()))?;
        let attributions = parse_ann(&read(file)?).map_err(format_error)?;
        if !analysed.contains_key(&article_name) {
            let text_path = path.join("text").join(format!("{article_name}.txt"));
            let body = read(&text_path)?;
            let mut raw = serde_json::Map::new();
            raw.insert("id".into(), Value::String(article_name.clone()));
            raw.insert("body".into(), Value::String(body.clone()));
            let article = Article::from_object(raw)
                .map_err(|error| format_error(format!("not an article: {error}")))?;
            let document = pipeline.annotate(&article.input());
            // Byte offset -> code-point offset of the body field.
            let mut char_at = vec![0usize; body.len() + 1];
            let mut chars = 0;
            for (byte, c) in body.char_indices() {
                for slot in &mut char_at[byte..byte + c.len_utf8()] {
                    *slot = chars;
                }
                chars += 1;
            }
            char_at[body.len()] = chars;
            let token_chars = document
                .tokens
                .iter()
                .map(|token| (char_at[token.span.start], char_at[token.span.end]))
                .collect();
            let features = content_features(&document, gazetteer, clusters);
            analysed.insert(
                article_name.clone(),
                (body.chars().collect(), token_chars, features),
            );
        }
        let next_number = article_numbers.len();
        let document_number = *article_numbers
            .entry(article_name.clone())
            .or_insert(next_number);
        let (text, token_chars, sentences) = &analysed[&article_name];
        // (part, attribution number) of each token.
        let mut parts: Vec<Option<(Part, usize)>> = vec![None; token_chars.len()];
        let mut mark = |spans: &[(usize, usize)], part: Part, number: usize| {
            for &(start, end) in spans {
                let first = token_chars.partition_point(|&(s, _)| s < start);
                for (index, &(s, e)) in token_chars.iter().enumerate().skip(first) {
                    if s >= end {
                        break;
                    }
                    if e <= end {
                        parts[index] = Some((part, number));
                    }
                }
            }
        };
        let extent = |attribution: &Attribution| {
            attribution
                .content
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|(start, end)| end.saturating_sub(*start))
                .sum::<usize>()
        };
        // Shorter contents first: where attributions nest ("X said Y wants Z"), the outer
        // one labels the tokens last, as the tagger outputs one content, not nested ones.
        let mut ordered: Vec<(usize, &Attribution)> = attributions.iter().enumerate().collect();
        ordered.sort_by_key(|(_, attribution)| extent(attribution));
        for (number, attribution) in ordered {
            let Some(source) = source_spans(text, attribution) else {
                continue;
            };
            if let Some(content) = attribution.content.as_deref().filter(|c| !c.is_empty()) {
                if !content_class(text, content).0 {
                    mark(content, Part::Content, number);
                }
            }
            let cue = if std::ptr::eq(source, attribution.source.as_deref().unwrap_or_default()) {
                attribution.cue.as_deref()
            } else {
                attribution.source.as_deref()
            };
            mark(source, Part::Source, number);
            mark(cue.unwrap_or_default(), Part::Cue, number);
        }
        for (tokens, features) in sentences {
            if tokens.is_empty() {
                continue;
            }
            let labels = tokens
                .clone()
                .map(|index| match parts[index] {
                    None => 0,
                    Some((part, number)) => {
                        let continues =
                            index > tokens.start && parts[index - 1] == Some((part, number));
                        attribution_label(part, continues)
                    }
                })
                .collect();
            examples.push(AttributionSentence {
                features: features.clone(),
                labels,
                document: document_number,
            });
        }
    }
    Ok(examples)
}

/// Trains the reported-speech tagger and writes the model; returns a JSON summary.
pub fn train_quotes(inputs: &QuoteTrainingInputs) -> Result<Value, TrainError> {
    let started = Instant::now();
    let rules_only = Pipeline::new().with_content_model(None);
    let examples = read_polnear_sentences(&inputs.polnear, &rules_only)?;
    if examples.is_empty() {
        return Err(TrainError::Empty);
    }
    let reading_seconds = started.elapsed().as_secs_f64();
    let training_started = Instant::now();
    let mut errors_per_epoch = Vec::new();
    let model = train_attribution(&examples, &inputs.options, &mut |pass, epoch, errors| {
        eprintln!("{pass} pass, epoch {epoch}: {errors} sentences wrong");
        if pass == "first" {
            errors_per_epoch.push(errors);
        }
    });
    let training_seconds = training_started.elapsed().as_secs_f64();
    let mut report = write_model(&inputs.out, &model.to_bytes())?;
    report["training"] = json!({
            "corpus": corpus_name(&inputs.polnear),
            "sentences": examples.len(),
            "tokens": examples.iter().map(|sentence| sentence.labels.len()).sum::<usize>(),
            "stacked": model.is_stacked(),
            "features_kept": model.feature_count(),
            "epochs": inputs.options.epochs,
            "seed": inputs.options.seed,
            "errors_per_epoch": errors_per_epoch,
            "reading_seconds": round2(reading_seconds),
            "training_seconds": round2(training_seconds),
    });
    if let Some(dev) = &inputs.dev {
        let pipeline = Pipeline::new().with_content_model(Some(model));
        let scored = evaluate_quotes(dev, &pipeline, None).map_err(|error| TrainError::Format {
            path: dev.display().to_string(),
            message: error.to_string(),
        })?;
        report["dev"] = json!(scored.scores);
    }
    Ok(report)
}

/// Writes a model file; returns the start of the training report (file name and size).
fn write_model(out: &Path, bytes: &[u8]) -> Result<Value, TrainError> {
    std::fs::write(out, bytes).map_err(|source| TrainError::Write {
        path: out.display().to_string(),
        source,
    })?;
    Ok(json!({
        "model": out.file_name().map(|name| name.to_string_lossy().into_owned()),
        "model_bytes": bytes.len(),
    }))
}

fn limit(documents: Vec<TrainingDocument>, max_sentences: Option<usize>) -> Vec<TrainingDocument> {
    let Some(max) = max_sentences else {
        return documents;
    };
    let mut kept = Vec::new();
    let mut count = 0;
    for document in documents {
        if count >= max {
            break;
        }
        count += document.sentences.len();
        kept.push(document);
    }
    kept
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The tagger alone on a CoNLL file: precision, recall and F1 of exact chunks, scored as
/// `eval ner` scores them.
pub fn score_tagger(
    tagger: &TrainedTagger<'_>,
    gazetteer: &Gazetteer,
    path: &Path,
) -> Result<Value, TrainError> {
    let documents = read_conll(path, 0)?;
    let mut figures = score_documents(tagger, gazetteer, &documents, None);
    figures["corpus"] = json!(corpus_name(path));
    Ok(figures)
}

/// The tagger alone on labelled documents (see [`score_tagger`]). With `seen` (the names of
/// the training data), the names never seen in training are also scored apart: the part of
/// the score that tells how the tagger does on new names.
pub fn score_documents(
    tagger: &TrainedTagger<'_>,
    gazetteer: &Gazetteer,
    documents: &[TrainingDocument],
    seen: Option<&HashSet<String>>,
) -> Value {
    let mut gold = BTreeSet::new();
    let mut predicted = BTreeSet::new();
    let mut texts: HashMap<Chunk, String> = HashMap::new();
    let mut tokens = 0;
    let started = Instant::now();
    for (document_index, document) in documents.iter().enumerate() {
        let sentences: Vec<Vec<&str>> = document
            .sentences
            .iter()
            .map(|sentence| sentence.words.iter().map(String::as_str).collect())
            .collect();
        let labels = tagger.label_sentences(&sentences, gazetteer);
        for (sentence, labels) in document.sentences.iter().zip(&labels) {
            let offset = tokens;
            let located = |(start, end, type_index): (usize, usize, usize)| Chunk {
                document: document_index,
                first: offset + start,
                last: offset + end - 1,
                entity_type: CONLL_TYPES[type_index].to_string(),
            };
            for (found, set) in [
                (chunks(&sentence.labels), &mut gold),
                (chunks(labels), &mut predicted),
            ] {
                for chunk in found {
                    let text = sentence.words[chunk.0..chunk.1].join(" ");
                    let chunk = located(chunk);
                    texts.insert(chunk.clone(), text);
                    set.insert(chunk);
                }
            }
            tokens += sentence.words.len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let counts = score(&gold, &predicted);
    let figures =
        |counts: Counts| precision_recall_f1(counts.correct, counts.predicted, counts.gold);
    let total: Counts = counts.values().sum();
    let (precision, recall, f1) = figures(total);
    let per_type: serde_json::Map<String, Value> = CONLL_TYPES
        .iter()
        .map(|name| {
            let (_, _, f1) = figures(counts.get(*name).copied().unwrap_or_default());
            (name.to_string(), json!(round4(f1)))
        })
        .collect();
    let mut report = json!({
        "precision": round4(precision),
        "recall": round4(recall),
        "f1": round4(f1),
        "f1_per_type": per_type,
        "tokens_per_second": (tokens as f64 / seconds.max(1e-9)).round(),
    });
    if let Some(seen) = seen {
        let unseen = |set: &BTreeSet<Chunk>| -> BTreeSet<Chunk> {
            set.iter()
                .filter(|chunk| !texts.get(*chunk).is_some_and(|text| seen.contains(text)))
                .cloned()
                .collect()
        };
        let total: Counts = score(&unseen(&gold), &unseen(&predicted)).values().sum();
        let (precision, recall, f1) = figures(total);
        report["unseen_names"] = json!({
            "gold": total.gold,
            "precision": round4(precision),
            "recall": round4(recall),
            "f1": round4(f1),
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_and_iob2_tags_become_bio_labels() {
        let tags = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-LOC", "B-ORG"];
        assert_eq!(
            labels_from_tags(tags.into_iter()),
            vec![1, 5, 0, 3, 3, 7, 2]
        );
    }

    #[test]
    fn timeml_text_loses_its_tags() {
        let file = "<TimeML><DCT>x</DCT><TEXT>Talks ended <TIMEX3 tid=\"t1\">Monday</TIMEX3>.</TEXT></TimeML>";
        assert_eq!(timeml_text(file), "Talks ended Monday.");
    }

    #[test]
    fn gmb_csv_lines_and_types() {
        assert_eq!(csv_fields(r#",",",",",O"#), vec!["", ",", ",", "O"]);
        assert_eq!(
            csv_fields("Sentence: 1,London,NNP,B-geo"),
            vec!["Sentence: 1", "London", "NNP", "B-geo"]
        );
        assert_eq!(gmb_tag("B-gpe"), "B-MISC");
        assert_eq!(gmb_tag("I-tim"), "O");
        assert_eq!(gmb_tag("B-geo"), "B-LOC");
    }
}
