//! Quote evaluation on annotations of our own, British style:
//! `article-enricher eval quotes --annotations FILE --articles FILE`.
//!
//! The annotations (`devsets/bbc-quotes/`, its `PROTOCOL.md`) hold ids and offsets only: one
//! JSON line per article, `{"id", "body_sha256", "quotes": [{"start", "end", "partial",
//! "source"}]}`, offsets in code points of the article's `body`. The articles come from the
//! corpus file (JSON lines with `id`, `title`, `body`); an article whose body does not hash
//! to `body_sha256` is refused, so a changed corpus cannot be scored silently. Each article
//! goes through [`enrichment_of`](crate::contract::enrichment_of) with its title and body,
//! the path of the `enrich` command.
//!
//! Scored as `../shared/docs/evaluation.md` says for British-style news: every quotation
//! piece of four or more words is a direct item, full or partial; pieces of two or three
//! words count neither way (a prediction on one is neutral). Predictions are the body quotes
//! of kind `direct`, partial or not. Spans are trimmed of marks and edge punctuation and
//! matched one to one when they overlap by at least half the longer span; the speaker is
//! judged as on PolNeAR (head word of the source, the speaker's mentions, names agreeing; a
//! pronoun source by the nearest earlier named source of the article's items).
//!
//! Besides the overall figures, the report gives them for each category. Which set was
//! tuned on and which is held out is a property of the file, not of the scorer: the dev set
//! (`annotations.jsonl`) and the held-out set (`heldout.jsonl`) are scored the same way.

use super::quotes::{
    match_spans, predicted_quotes, slice, source_references, speaker_right, trim, PredictedQuote,
    ViewCounts,
};
use super::{scores, sha256_hex, share, write_outcomes, EvalError, Report, Speed};
use crate::contract::Article;
use crate::nlp::Pipeline;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Pieces shorter than this (in words) count neither way.
const MIN_ITEM_WORDS: usize = 4;

#[derive(Debug, Deserialize)]
struct AnnotatedArticle {
    id: String,
    body_sha256: String,
    quotes: Vec<AnnotatedQuote>,
}

#[derive(Debug, Deserialize)]
struct AnnotatedQuote {
    start: usize,
    end: usize,
    #[serde(default)]
    partial: bool,
    source: Option<(usize, usize)>,
}

counts! {
    /// Counts of one article, one category or the whole set: the direct items, and the
    /// full and partial pieces among them, in the gold and found.
    struct Tally {
        direct: ViewCounts,
        gold_full: usize,
        gold_partial: usize,
        found_full: usize,
        found_partial: usize,
    }
}

impl Tally {
    fn json(&self) -> Value {
        let mut json = self.direct.json();
        json["full_recall"] = share(self.found_full, self.gold_full).into();
        json["partial_recall"] = share(self.found_partial, self.gold_partial).into();
        json
    }
}

/// Scores one article; lists every item's outcome in `outcomes`.
fn score_article(
    id: &str,
    text: &[char],
    gold: &[AnnotatedQuote],
    predicted: &[PredictedQuote],
    outcomes: &mut Vec<Value>,
) -> Tally {
    let sources: Vec<Option<(usize, usize)>> = gold.iter().map(|quote| quote.source).collect();
    let references = source_references(text, &sources);
    let gold_spans: Vec<Vec<(usize, usize)>> = gold
        .iter()
        .map(|quote| vec![trim(text, quote.start, quote.end)])
        .collect();
    let scored: Vec<bool> = gold
        .iter()
        .map(|quote| {
            slice(text, quote.start, quote.end)
                .split_whitespace()
                .count()
                >= MIN_ITEM_WORDS
        })
        .collect();
    let directs: Vec<&PredictedQuote> = predicted.iter().filter(|q| q.kind == "direct").collect();
    let spans: Vec<(usize, usize)> = directs.iter().map(|q| trim(text, q.start, q.end)).collect();
    let pairs = match_spans(&spans, &gold_spans);
    let mut tally = Tally::default();
    for (j, quote) in gold.iter().enumerate() {
        if !scored[j] {
            continue;
        }
        if quote.partial {
            tally.gold_partial += 1;
        } else {
            tally.gold_full += 1;
        }
    }
    let speaker_json = |quote: &PredictedQuote| {
        quote.speaker.as_ref().map_or(
            Value::Null,
            |s| json!({"name": s.name, "mention": s.mention}),
        )
    };
    let source_text = |j: usize| {
        gold[j]
            .source
            .map_or(Value::Null, |(s, e)| Value::String(slice(text, s, e)))
    };
    for &(i, j) in &pairs {
        if !scored[j] {
            tally.direct.neutral += 1;
            continue;
        }
        tally.direct.matched += 1;
        if gold[j].partial {
            tally.found_partial += 1;
        } else {
            tally.found_full += 1;
        }
        let right = speaker_right(directs[i].speaker.as_ref(), references[j].as_ref());
        tally.direct.speaker_right += usize::from(right);
        outcomes.push(json!({
            "document": id,
            "outcome": if right { "matched" } else { "wrong_speaker" },
            "partial": gold[j].partial,
            "gold": slice(text, gold[j].start, gold[j].end),
            "gold_source": source_text(j),
            "predicted_speaker": speaker_json(directs[i]),
            "predicted_cue": directs[i].cue,
            "at": gold[j].start,
        }));
    }
    for j in 0..gold.len() {
        if scored[j] && !pairs.iter().any(|&(_, m)| m == j) {
            tally.direct.missed += 1;
            outcomes.push(json!({
                "document": id,
                "outcome": "missed",
                "partial": gold[j].partial,
                "gold": slice(text, gold[j].start, gold[j].end),
                "gold_source": source_text(j),
                "at": gold[j].start,
            }));
        }
    }
    for (i, span) in spans.iter().enumerate() {
        if pairs.iter().any(|&(m, _)| m == i) {
            continue;
        }
        tally.direct.spurious += 1;
        outcomes.push(json!({
            "document": id,
            "outcome": "spurious",
            "predicted": slice(text, span.0, span.1.max(span.0)),
            "predicted_speaker": speaker_json(directs[i]),
            "predicted_cue": directs[i].cue,
            "at": span.0,
        }));
    }
    tally
}

/// Scores the annotated articles; with `outcomes`, also writes every item's outcome
/// (matched, wrong_speaker, missed, spurious) there as JSON lines.
pub fn evaluate(
    annotations: &Path,
    articles: &Path,
    pipeline: &Pipeline,
    outcomes: Option<&Path>,
) -> Result<Report, EvalError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.display().to_string(),
            source,
        })
    };
    let format_error = |path: &Path, message: String| EvalError::Format {
        path: path.display().to_string(),
        message,
    };
    let mut annotated = Vec::new();
    for (number, line) in read(annotations)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: AnnotatedArticle = serde_json::from_str(line)
            .map_err(|error| format_error(annotations, format!("line {}: {error}", number + 1)))?;
        annotated.push(entry);
    }
    let mut corpus: HashMap<String, Map<String, Value>> = HashMap::new();
    for (number, line) in read(articles)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(line) else {
            return Err(format_error(
                articles,
                format!("line {}: not a JSON object", number + 1),
            ));
        };
        if let Some(Value::String(id)) = object.get("id") {
            corpus.insert(id.clone(), object);
        }
    }

    let mut speed = Speed::default();
    let mut total = Tally::default();
    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut records = Vec::new();
    for entry in &annotated {
        let object = corpus.get(&entry.id).ok_or_else(|| {
            format_error(articles, format!("no article with the id {}", entry.id))
        })?;
        let body = object
            .get("body")
            .and_then(Value::as_str)
            .ok_or_else(|| format_error(articles, format!("{}: no body", entry.id)))?;
        if sha256_hex(body) != entry.body_sha256 {
            return Err(format_error(
                annotations,
                format!(
                    "{}: the body in the corpus does not hash to body_sha256 (the corpus changed)",
                    entry.id
                ),
            ));
        }
        let text: Vec<char> = body.chars().collect();
        if let Some(quote) = entry
            .quotes
            .iter()
            .find(|quote| quote.start >= quote.end || quote.end > text.len())
        {
            return Err(format_error(
                annotations,
                format!(
                    "{}: piece {}..{} is outside the body",
                    entry.id, quote.start, quote.end
                ),
            ));
        }
        let mut raw = Map::new();
        for key in ["id", "title", "body"] {
            if let Some(value) = object.get(key) {
                raw.insert(key.to_string(), value.clone());
            }
        }
        let article = Article::from_object(raw)
            .map_err(|error| format_error(articles, format!("{}: {error}", entry.id)))?;
        let enrichment = speed.enrich(pipeline, &article, body);
        let predicted = predicted_quotes(&enrichment, "body");
        let tally = score_article(&entry.id, &text, &entry.quotes, &predicted, &mut records);
        total += tally;
        let category = entry.id.split('/').next().unwrap_or("").to_string();
        *by_category.entry(category).or_default() += tally;
    }
    if let Some(outcomes) = outcomes {
        write_outcomes(outcomes, &records)?;
    }
    let (p, r, f1) = total.direct.figures();
    let scores = scores(&[
        ("direct_precision", p),
        ("direct_recall", r),
        ("direct_f1", f1),
        ("speaker_accuracy", total.direct.speaker_accuracy()),
        ("end_to_end_f1", total.direct.end_to_end_f1()),
    ]);
    let details = json!({
        "articles": annotated.len(),
        "all": total.json(),
        "categories": by_category
            .iter()
            .map(|(category, tally)| (category.clone(), tally.json()))
            .collect::<Map<String, Value>>(),
        "speed": speed.details(),
    });
    Ok(Report {
        task: "quotes".into(),
        corpus: super::corpus_name(annotations),
        scores,
        details,
    })
}

#[cfg(test)]
mod tests {
    use super::super::quotes::PredictedSpeaker;
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    fn predicted(start: usize, end: usize, name: &str) -> PredictedQuote {
        PredictedQuote {
            kind: "direct".into(),
            start,
            end,
            speaker: Some(PredictedSpeaker {
                name: name.into(),
                mention: name.into(),
                entity_mentions: Vec::new(),
            }),
            cue: None,
            partial: false,
        }
    }

    #[test]
    fn full_partial_and_short_pieces_are_scored_as_the_protocol_says() {
        // 0         1         2         3         4         5         6         7
        // 0123456789012345678901234567890123456789012345678901234567890123456789012345
        let text = chars(
            "Ann Lee said: \"We will win this race.\" He called it \"a very good day for us\" and \"fine\".",
        );
        let gold = vec![
            AnnotatedQuote {
                start: 15,
                end: 36,
                partial: false,
                source: Some((0, 7)),
            },
            AnnotatedQuote {
                start: 53,
                end: 75,
                partial: true,
                source: Some((39, 41)),
            },
            AnnotatedQuote {
                start: 82,
                end: 86,
                partial: true,
                source: Some((39, 41)),
            },
        ];
        assert_eq!(slice(&text, 15, 36), "We will win this race");
        assert_eq!(slice(&text, 53, 75), "a very good day for us");
        assert_eq!(slice(&text, 82, 86), "fine");
        let predictions = vec![
            predicted(15, 37, "Ann Lee"),
            predicted(53, 75, "Bob Ray"),
            predicted(82, 86, "Ann Lee"),
        ];
        let tally = score_article("a/1", &text, &gold, &predictions, &mut Vec::new());
        assert_eq!(
            (
                tally.direct.matched,
                tally.direct.spurious,
                tally.direct.missed,
                tally.direct.neutral
            ),
            (2, 0, 0, 1)
        );
        // "He" is judged by the nearest earlier named source: Ann Lee, not Bob Ray.
        assert_eq!(tally.direct.speaker_right, 1);
        assert_eq!((tally.gold_full, tally.gold_partial), (1, 1));

        let tally = score_article("a/1", &text, &gold, &predictions[..1], &mut Vec::new());
        assert_eq!(
            (
                tally.direct.matched,
                tally.direct.missed,
                tally.found_partial
            ),
            (1, 1, 0)
        );
    }
}
