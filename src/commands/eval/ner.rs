//! Entity evaluation on CoNLL-2003 files: `article-enricher eval ner --conll FILE`.
//!
//! The file is read as CoNLL-2003 does it: one token per line with the token in the first
//! column and its IOB tag in the last, blank lines between sentences and `-DOCSTART-` lines
//! between documents. Tags may be IOB2 (every chunk opens with `B-`) or IOB1 (`I-` after `O`
//! or after another type opens a chunk too).
//!
//! Each document becomes one article the way the judges send it (evaluation.md, "Entities"):
//! a JSON object whose only field is `body`, the tokens joined by single spaces and the
//! sentences by newlines; no title, no publication date, no declared language. It goes
//! through [`Article::from_object`] and [`enrichment_of`], the same path as `enrich`.
//!
//! Scoring follows conlleval. Every mention of kind `name` in the body is mapped to the
//! tokens its code point span overlaps, giving a predicted chunk (document, first token, last
//! token, type) with `person/organization/location/misc` = `PER/ORG/LOC/MISC`; identical
//! chunks are counted once. A predicted chunk is correct only when a gold chunk has exactly
//! the same first token, last token and type. Precision, recall and F1 are computed over all
//! chunks and per type. Only the time spent in `enrich` is counted for `tokens_per_second`.

use super::{corpus_name, per_second, precision_recall_f1, round4, EvalError, Report};
use crate::contract::{enrichment_of, Article};
use crate::nlp::Pipeline;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

/// The entity types the scores are reported for, in report order.
const TYPES: &[&str] = &["PER", "ORG", "LOC", "MISC"];

/// One CoNLL document: its sentences, each a list of (token, tag) pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ConllDocument {
    pub(crate) sentences: Vec<Vec<(String, String)>>,
}

impl ConllDocument {
    #[cfg(test)]
    fn tokens(&self) -> impl Iterator<Item = &(String, String)> {
        self.sentences.iter().flatten()
    }
}

/// A chunk: document index, first and last token (document-wide, inclusive) and CoNLL type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Chunk {
    pub(crate) document: usize,
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) entity_type: String,
}

counts! {
    /// Gold, predicted and correct chunk counts of one type.
    pub(crate) struct Counts {
        pub(crate) gold: usize,
        pub(crate) predicted: usize,
        pub(crate) correct: usize,
    }
}

/// Scores entity mentions against a CoNLL file.
pub fn evaluate(path: &Path, pipeline: &Pipeline) -> Result<Report, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let format_error = |message: String| EvalError::Format {
        path: path.display().to_string(),
        message,
    };
    let documents = parse_conll(&text).map_err(format_error)?;
    let mut gold = BTreeSet::new();
    let mut predicted = BTreeSet::new();
    let mut enrich_time = Duration::ZERO;
    let (mut tokens, mut sentences, mut not_analysed) = (0usize, 0usize, 0usize);
    for (index, document) in documents.iter().enumerate() {
        gold.extend(gold_chunks(index, document));
        let (body, spans) = build_body(document);
        tokens += spans.len();
        sentences += document.sentences.len();
        if spans.is_empty() {
            continue;
        }
        let mut object = Map::new();
        object.insert("body".to_string(), Value::String(body));
        let article = Article::from_object(object)
            .map_err(|error| format_error(format!("document {}: {error}", index + 1)))?;
        let started = Instant::now();
        let enrichment = enrichment_of(pipeline, &article);
        enrich_time += started.elapsed();
        not_analysed += usize::from(enrichment.language != "en");
        let mentions = enrichment.entities.iter().flat_map(|entity| {
            entity
                .mentions
                .iter()
                .filter(|mention| mention.kind == "name" && mention.field == "body")
                .map(move |mention| (mention.start, mention.end, entity.entity_type.as_str()))
        });
        for (start, end, entity_type) in mentions {
            if let Some(chunk) = predicted_chunk(index, &spans, start, end, entity_type) {
                predicted.insert(chunk);
            }
        }
    }
    let counts = score(&gold, &predicted);
    let total: Counts = counts.values().sum();
    let (precision, recall, f1) = precision_recall_f1(total.correct, total.predicted, total.gold);
    let mut scores = BTreeMap::new();
    scores.insert("precision".to_string(), round4(precision));
    scores.insert("recall".to_string(), round4(recall));
    scores.insert("f1".to_string(), round4(f1));
    let mut per_type = Map::new();
    for entity_type in TYPES {
        let counts = counts.get(*entity_type).copied().unwrap_or_default();
        let (p, r, f) = precision_recall_f1(counts.correct, counts.predicted, counts.gold);
        scores.insert(format!("f1_{entity_type}"), round4(f));
        per_type.insert(entity_type.to_string(), type_details(counts, p, r, f));
    }
    // Types outside the four (other corpora) still count overall; show them too.
    for (entity_type, counts) in counts.iter().filter(|(t, _)| !TYPES.contains(&t.as_str())) {
        let (p, r, f) = precision_recall_f1(counts.correct, counts.predicted, counts.gold);
        per_type.insert(entity_type.clone(), type_details(*counts, p, r, f));
    }
    let tokens_per_second = per_second(tokens, enrich_time);
    let details = json!({
        "counts": {
            "gold": total.gold,
            "predicted": total.predicted,
            "correct": total.correct,
        },
        "per_type": per_type,
        "documents": documents.len(),
        "documents_not_analysed": not_analysed,
        "sentences": sentences,
        "tokens": tokens,
        "tokens_per_second": tokens_per_second,
        "article": "body = tokens joined by spaces, sentences by newlines; no title, date or language",
        "scoring": "conlleval: exact first token, last token and type; mentions of kind name",
    });
    Ok(Report {
        task: "ner".to_string(),
        corpus: corpus_name(path),
        scores,
        details,
    })
}

fn type_details(counts: Counts, precision: f64, recall: f64, f1: f64) -> Value {
    json!({
        "gold": counts.gold,
        "predicted": counts.predicted,
        "correct": counts.correct,
        "precision": round4(precision),
        "recall": round4(recall),
        "f1": round4(f1),
    })
}

/// Parses a CoNLL file into documents. A file without `-DOCSTART-` lines is one document.
pub(crate) fn parse_conll(text: &str) -> Result<Vec<ConllDocument>, String> {
    let mut documents = Vec::new();
    let mut document = ConllDocument::default();
    let mut sentence: Vec<(String, String)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut columns = line.split_whitespace();
        let Some(token) = columns.next() else {
            if !sentence.is_empty() {
                document.sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        };
        if token == "-DOCSTART-" {
            if !sentence.is_empty() {
                document.sentences.push(std::mem::take(&mut sentence));
            }
            if !document.sentences.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            continue;
        }
        let Some(tag) = columns.last() else {
            return Err(format!(
                "line {}: expected a token and a tag separated by whitespace, found `{line}`",
                number + 1
            ));
        };
        if tag != "O" && !(tag.len() > 2 && (tag.starts_with("B-") || tag.starts_with("I-"))) {
            return Err(format!(
                "line {}: `{tag}` is not an IOB tag (O, B-TYPE or I-TYPE)",
                number + 1
            ));
        }
        sentence.push((token.to_string(), tag.to_string()));
    }
    if !sentence.is_empty() {
        document.sentences.push(sentence);
    }
    if !document.sentences.is_empty() {
        documents.push(document);
    }
    Ok(documents)
}

/// The gold chunks of one document. A chunk opens at `B-X`, or at `I-X` after `O` or another
/// type (IOB1); it never runs across a sentence boundary.
fn gold_chunks(index: usize, document: &ConllDocument) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut position = 0;
    for sentence in &document.sentences {
        let mut open: Option<Chunk> = None;
        for (_, tag) in sentence {
            let (prefix, entity_type) = match tag.split_once('-') {
                Some((prefix, entity_type)) => (prefix, entity_type),
                None => ("O", ""),
            };
            let continues = prefix == "I"
                && open
                    .as_ref()
                    .is_some_and(|chunk| chunk.entity_type == entity_type);
            if continues {
                if let Some(chunk) = open.as_mut() {
                    chunk.last = position;
                }
            } else {
                chunks.extend(open.take());
                if prefix != "O" {
                    open = Some(Chunk {
                        document: index,
                        first: position,
                        last: position,
                        entity_type: entity_type.to_string(),
                    });
                }
            }
            position += 1;
        }
        chunks.extend(open);
    }
    chunks
}

/// The article body of a document and the code point span (start, end exclusive) of each of
/// its tokens in document order.
fn build_body(document: &ConllDocument) -> (String, Vec<(usize, usize)>) {
    let mut body = String::new();
    let mut spans = Vec::new();
    let mut offset = 0;
    for (number, sentence) in document.sentences.iter().enumerate() {
        if number > 0 {
            body.push('\n');
            offset += 1;
        }
        for (position, (token, _)) in sentence.iter().enumerate() {
            if position > 0 {
                body.push(' ');
                offset += 1;
            }
            let length = token.chars().count();
            body.push_str(token);
            spans.push((offset, offset + length));
            offset += length;
        }
    }
    (body, spans)
}

/// The chunk of the tokens a mention's code point span `start..end` overlaps, if it overlaps
/// any and its type is known.
fn predicted_chunk(
    document: usize,
    spans: &[(usize, usize)],
    start: usize,
    end: usize,
    entity_type: &str,
) -> Option<Chunk> {
    let conll_type = match entity_type {
        "person" => "PER",
        "organization" => "ORG",
        "location" => "LOC",
        "misc" => "MISC",
        _ => return None,
    };
    // Spans are sorted and disjoint: the first token ending after `start`, the last starting
    // before `end`.
    let first = spans.partition_point(|&(_, token_end)| token_end <= start);
    let last = spans.partition_point(|&(token_start, _)| token_start < end);
    if first >= last {
        return None;
    }
    Some(Chunk {
        document,
        first,
        last: last - 1,
        entity_type: conll_type.to_string(),
    })
}

/// Counts per type: gold chunks, predicted chunks, and predicted chunks equal to a gold one.
pub(crate) fn score(
    gold: &BTreeSet<Chunk>,
    predicted: &BTreeSet<Chunk>,
) -> BTreeMap<String, Counts> {
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    for chunk in gold {
        counts.entry(chunk.entity_type.clone()).or_default().gold += 1;
    }
    for chunk in predicted {
        let entry = counts.entry(chunk.entity_type.clone()).or_default();
        entry.predicted += 1;
        entry.correct += usize::from(gold.contains(chunk));
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two documents written for these tests: IOB2 in the first, IOB1 in the second, with a
    /// non-ASCII token to check code point offsets.
    const SAMPLE: &str = "\
-DOCSTART- -X- -X- O

Maria NNP B-NP B-PER
Okafor NNP I-NP I-PER
visited VBD B-VP O
Zürich NNP B-NP B-LOC
. . O O

The DT B-NP O
Lagos NNP I-NP B-ORG
Harbour NNP I-NP I-ORG
Authority NNP I-NP I-ORG
agreed VBD B-VP O

-DOCSTART- -X- -X- O

Kenyan JJ B-NP I-MISC
officials NNS I-NP O
met VBD B-VP O
Acme NNP B-NP I-ORG
Corp NNP I-NP I-ORG
Beta NNP I-NP B-ORG
Ltd NNP I-NP I-ORG
in IN B-PP O
Paris NNP B-NP I-LOC
";

    fn chunk(document: usize, first: usize, last: usize, entity_type: &str) -> Chunk {
        Chunk {
            document,
            first,
            last,
            entity_type: entity_type.to_string(),
        }
    }

    #[test]
    fn documents_and_sentences_are_split_and_tags_read_from_the_last_column() {
        let documents = parse_conll(SAMPLE).unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].sentences.len(), 2);
        assert_eq!(documents[1].sentences.len(), 1);
        assert_eq!(documents[0].tokens().count(), 10);
        assert_eq!(
            documents[0].sentences[0][3],
            ("Zürich".to_string(), "B-LOC".to_string())
        );
        assert!(parse_conll("Maria\n").is_err());
        assert!(parse_conll("Maria NNP X-PER\n").is_err());
        assert_eq!(parse_conll("Maria B-PER\n").unwrap().len(), 1);
    }

    #[test]
    fn gold_chunks_from_iob2() {
        let documents = parse_conll(SAMPLE).unwrap();
        assert_eq!(
            gold_chunks(0, &documents[0]),
            vec![
                chunk(0, 0, 1, "PER"),
                chunk(0, 3, 3, "LOC"),
                chunk(0, 6, 8, "ORG"),
            ]
        );
    }

    #[test]
    fn gold_chunks_from_iob1_open_at_i_after_o_or_another_type() {
        let documents = parse_conll(SAMPLE).unwrap();
        assert_eq!(
            gold_chunks(1, &documents[1]),
            vec![
                chunk(1, 0, 0, "MISC"),
                chunk(1, 3, 4, "ORG"),
                chunk(1, 5, 6, "ORG"),
                chunk(1, 8, 8, "LOC"),
            ]
        );
        // A chunk does not run on into the next sentence.
        let split = parse_conll("A B-ORG\n\nB I-ORG\n").unwrap();
        assert_eq!(
            gold_chunks(0, &split[0]),
            vec![chunk(0, 0, 0, "ORG"), chunk(0, 1, 1, "ORG")]
        );
    }

    #[test]
    fn the_body_joins_tokens_by_spaces_and_sentences_by_newlines() {
        let documents = parse_conll(SAMPLE).unwrap();
        let (body, spans) = build_body(&documents[0]);
        assert_eq!(
            body,
            "Maria Okafor visited Zürich .\nThe Lagos Harbour Authority agreed"
        );
        assert_eq!(spans.len(), 10);
        let chars: Vec<char> = body.chars().collect();
        for ((token, _), &(start, end)) in documents[0].tokens().zip(&spans) {
            assert_eq!(chars[start..end].iter().collect::<String>(), *token);
        }
        // Code points, not bytes: "." comes right after the 6 code points of "Zürich".
        assert_eq!(spans[3], (21, 27));
        assert_eq!(spans[4], (28, 29));
        assert_eq!(spans[5], (30, 33));
    }

    #[test]
    fn mentions_map_to_the_tokens_they_overlap() {
        let documents = parse_conll(SAMPLE).unwrap();
        let (_, spans) = build_body(&documents[0]);
        let cases = [
            // "Maria Okafor" exactly.
            ((0, 12, "person"), Some((0, 1, "PER"))),
            // Part of "Okafor" still maps to the whole token.
            ((7, 10, "person"), Some((1, 1, "PER"))),
            // "Lagos Harbour Authority" on the second line.
            ((34, 57, "organization"), Some((6, 8, "ORG"))),
            ((21, 27, "location"), Some((3, 3, "LOC"))),
            ((21, 27, "misc"), Some((3, 3, "MISC"))),
            // Only a space: no token.
            ((5, 6, "person"), None),
            ((0, 5, "event"), None),
        ];
        for ((start, end, kind), expected) in cases {
            assert_eq!(
                predicted_chunk(0, &spans, start, end, kind),
                expected.map(|(first, last, entity_type)| chunk(0, first, last, entity_type)),
                "{start}..{end} {kind}"
            );
        }
    }

    #[test]
    fn only_exact_chunks_of_the_right_type_count() {
        let documents = parse_conll(SAMPLE).unwrap();
        let gold: BTreeSet<Chunk> = documents
            .iter()
            .enumerate()
            .flat_map(|(index, document)| gold_chunks(index, document))
            .collect();
        assert_eq!(gold.len(), 7);
        let predicted: BTreeSet<Chunk> = [
            chunk(0, 0, 1, "PER"),  // exact
            chunk(0, 0, 1, "PER"),  // the same chunk again: counted once
            chunk(0, 3, 3, "ORG"),  // right tokens, wrong type
            chunk(0, 7, 8, "ORG"),  // too short
            chunk(1, 3, 6, "ORG"),  // two gold chunks merged
            chunk(1, 8, 8, "LOC"),  // exact, in the second document
            chunk(0, 8, 8, "LOC"),  // nothing there
            chunk(1, 0, 0, "MISC"), // exact
        ]
        .into_iter()
        .collect();
        let counts = score(&gold, &predicted);
        assert_eq!(
            counts["PER"],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 1
            }
        );
        assert_eq!(
            counts["ORG"],
            Counts {
                gold: 3,
                predicted: 3,
                correct: 0
            }
        );
        assert_eq!(
            counts["LOC"],
            Counts {
                gold: 2,
                predicted: 2,
                correct: 1
            }
        );
        assert_eq!(
            counts["MISC"],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 1
            }
        );
        let total: Counts = counts.values().sum();
        assert_eq!((total.gold, total.predicted, total.correct), (7, 7, 3));
    }
}
