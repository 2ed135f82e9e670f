//! Quote evaluation on PolNeAR: `article-enricher eval quotes --polnear DIR`.
//!
//! `DIR` is a PolNeAR split (`dev`, `train`): brat annotation files in `attributions/`
//! (`ARTICLE_ANNOTATOR.ann`, offsets in code points) and the article texts in
//! `text/ARTICLE.txt`. Every annotation file is one document, in sorted order: the whole text
//! file becomes the `body` of an article (`../shared/docs/evaluation.md`, "Quotes") that
//! goes through [`enrichment_of`](crate::contract::enrichment_of), the path of the `enrich`
//! command.
//!
//! Gold: the `Attribution` and `Attribution-no-source` events with their `Content`, `Cue`
//! and `Source` spans (contents in event order; `Content2` is ignored). A content is
//! - *direct* when its first piece opens with a quotation mark and its last piece closes with
//!   one (or runs to the end of a paragraph whose next paragraph opens with one); each piece
//!   that opens and closes so is a *direct piece*;
//! - *marked* when the text from the start of its first piece to the end of its last piece
//!   holds a double quotation mark;
//! - *reported speech* when it has a source, is not marked and is not direct.
//!
//! Predictions are the body quotes of kind `direct` and `indirect`. Spans are trimmed of
//! quotation marks, dashes, punctuation and white space at both edges; a prediction matches a
//! gold item when the overlap with its pieces is positive and at least half of the longer of
//! the two, one to one, pairs taken greedily by largest overlap. An unmatched prediction is
//! neutral (neither right nor wrong) when it lies mostly on a gold content left out of the
//! score (partial quotes inside reported speech, unattributed quotes).
//!
//! Direct quotes are scored in three views of the gold items (sourced contents only):
//! `pieces` (each direct piece is an item: the guarded view), `whole` (each direct content,
//! all its pieces) and `envelope` (each direct content, first to last piece). The speaker of
//! a matched quote is right when its entity has a body mention on the head word of the gold
//! source, or its mention holds that word, or its name agrees with the source (last names
//! equal, first names too when both have one; titles ignored). A pronoun source (personal, or
//! a relative "who" / "which") is judged by the nearest earlier named source. A source that is
//! a lone speech verb with a capitalised cue is an annotation with the two swapped, and the cue
//! is taken as the source. End-to-end F1 counts only matched quotes with the right
//! speaker as correct.
//!
//! Guarded scores: direct (pieces view) precision, recall, F1, speaker accuracy and
//! end-to-end F1; indirect precision, recall and F1.

use super::{
    corpus_name, pair_greedily, precision_recall_f1, round4, scores, write_outcomes, EvalError,
    Report, Speed,
};
use crate::contract::{Article, Enrichment};
use crate::nlp::Pipeline;
use regex::Regex;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Opening quotation marks.
const OPEN: &str = "“\"‘'«„`";
/// Closing quotation marks.
const CLOSE: &str = "”\"’'»`";
/// Marks that make a content *marked*.
const DOUBLE_MARKS: &str = "“”\"";
/// Sources that are resolved to the nearest earlier named source: personal pronouns and
/// the relative pronouns of "X, who said ...", which name no one themselves.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "him", "her", "we", "i", "you", "them", "who", "whom", "which",
    "that",
];
/// Speech verbs that, annotated alone as a source while the cue is a name, mark an
/// annotation with source and cue swapped ("[said]source [Smith]cue").
const SWAPPED_SOURCE_VERBS: &[&str] = &[
    "said", "says", "say", "told", "tells", "added", "wrote", "writes", "asked", "stated",
];
/// Words ignored when names are compared.
const TITLES: &[&str] = &[
    "the",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "president",
    "senator",
];

/// A span of code points, end exclusive.
pub type Span = (usize, usize);

/// One attribution event of a brat file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attribution {
    pub source: Option<Vec<Span>>,
    pub cue: Option<Vec<Span>>,
    /// The pieces in the order of the annotation.
    pub content: Option<Vec<Span>>,
}

/// The head word of a source: `(start, end, word)`.
pub type Head = (usize, usize, String);

/// The reference a speaker is judged against.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceRef {
    /// A named or nominal source: its head word and its text up to the head.
    Named { head: Head, text: String },
    /// A pronoun source, with the nearest earlier named source if there is one.
    Pronoun(Option<(Head, String)>),
}

/// A gold content.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldQuote {
    /// Trimmed pieces, in annotation order.
    pub pieces: Vec<Span>,
    pub direct: bool,
    /// Trimmed pieces that open and close with quotation marks.
    pub direct_pieces: Vec<Span>,
    pub marked: bool,
    pub has_source: bool,
    pub source: Option<SourceRef>,
    /// The text of the source and of the cue, for the error list.
    pub source_text: String,
    pub cue_text: String,
}

/// A predicted speaker as the scorer sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredictedSpeaker {
    pub name: String,
    pub mention: String,
    /// Body mentions of the speaker's entity.
    pub entity_mentions: Vec<Span>,
}

/// A predicted body quote.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedQuote {
    /// `direct` or `indirect`.
    pub kind: String,
    pub start: usize,
    pub end: usize,
    pub speaker: Option<PredictedSpeaker>,
    /// The cue, for the error list.
    pub cue: Option<String>,
    /// A partial quote (a few quoted words inside reported speech).
    pub partial: bool,
}

/// The quotes of `field` in an enrichment, as the scorers see them: each speaker with the
/// mentions of its entity in that field.
pub fn predicted_quotes(enrichment: &Enrichment, field: &str) -> Vec<PredictedQuote> {
    enrichment
        .quotes
        .iter()
        .filter(|quote| quote.field == field)
        .map(|quote| PredictedQuote {
            kind: quote.kind.clone(),
            start: quote.start,
            end: quote.end,
            cue: quote.cue.clone(),
            partial: quote.partial,
            speaker: quote.speaker.as_ref().map(|speaker| PredictedSpeaker {
                name: speaker.name.clone(),
                mention: speaker.mention.clone(),
                entity_mentions: speaker
                    .entity
                    .as_ref()
                    .and_then(|id| enrichment.entities.iter().find(|e| &e.id == id))
                    .map(|entity| {
                        entity
                            .mentions
                            .iter()
                            .filter(|m| m.field == field)
                            .map(|m| (m.start, m.end))
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
        })
        .collect()
}

counts! {
    /// Counts of one view.
    pub struct ViewCounts {
        pub matched: usize,
        pub spurious: usize,
        pub missed: usize,
        pub neutral: usize,
        /// Matched with the right speaker.
        pub speaker_right: usize,
    }
}

impl ViewCounts {
    pub(super) fn figures(&self) -> (f64, f64, f64) {
        precision_recall_f1(
            self.matched,
            self.matched + self.spurious,
            self.matched + self.missed,
        )
    }

    pub(super) fn speaker_accuracy(&self) -> f64 {
        if self.matched == 0 {
            0.0
        } else {
            self.speaker_right as f64 / self.matched as f64
        }
    }

    pub(super) fn end_to_end_f1(&self) -> f64 {
        precision_recall_f1(
            self.speaker_right,
            self.matched + self.spurious,
            self.matched + self.missed,
        )
        .2
    }

    /// The counts and figures of the view, as a report shows them.
    pub(super) fn json(&self) -> Value {
        let (p, r, f1) = self.figures();
        json!({
            "matched": self.matched,
            "spurious": self.spurious,
            "missed": self.missed,
            "neutral": self.neutral,
            "precision": round4(p),
            "recall": round4(r),
            "f1": round4(f1),
            "speaker_accuracy": round4(self.speaker_accuracy()),
            "end_to_end_f1": round4(self.end_to_end_f1()),
        })
    }
}

counts! {
    /// Counts of one document (or a whole split).
    pub struct Counts {
        pub pieces: ViewCounts,
        pub whole: ViewCounts,
        pub envelope: ViewCounts,
        pub indirect: ViewCounts,
    }
}

/// Scores quotes against a PolNeAR split directory.
/// Scores a PolNeAR split; with `outcomes`, also writes the outcome of every item of the
/// guarded views to that file as JSON lines (`outcome`: matched, wrong_speaker, missed or
/// spurious; the document; the gold and predicted text, source, cue and speaker).
/// The annotation files of a PolNeAR split directory, sorted.
pub fn annotation_files(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let annotations = path.join("attributions");
    let read_error = |source| EvalError::Read {
        path: annotations.display().to_string(),
        source,
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&annotations).map_err(read_error)? {
        let file = entry.map_err(read_error)?.path();
        if file.extension().is_some_and(|ext| ext == "ann") {
            files.push(file);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Format {
            path: annotations.display().to_string(),
            message: "no .ann files found; give a PolNeAR split directory (e.g. dev)".into(),
        });
    }
    Ok(files)
}

/// The article and annotator an annotation file is named after (`ARTICLE_ANNOTATOR.ann`).
pub fn article_and_annotator(file: &Path) -> Option<(String, String)> {
    let stem = file.file_stem()?.to_string_lossy();
    let (article, annotator) = stem.rsplit_once('_')?;
    Some((article.to_string(), annotator.to_string()))
}

/// Whether a content (its pieces, untrimmed) is direct (first piece opens with a quotation
/// mark and the last closes with one) and whether it is marked (holds a double mark).
pub fn content_class(text: &[char], content: &[Span]) -> (bool, bool) {
    let (first, last) = (content[0], content[content.len() - 1]);
    let envelope = slice(text, first.0, last.1);
    (
        opens(text, first.0, first.1) && closes(text, last.0, last.1),
        envelope.contains(|c| DOUBLE_MARKS.contains(c)),
    )
}

pub fn evaluate(
    path: &Path,
    pipeline: &Pipeline,
    outcomes: Option<&Path>,
) -> Result<Report, EvalError> {
    let read_error = |dir: &Path| {
        let dir = dir.to_path_buf();
        move |source| EvalError::Read {
            path: dir.display().to_string(),
            source,
        }
    };
    let files = annotation_files(path)?;
    let mut totals = Counts::default();
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut gold_contents = 0usize;
    let mut gold_sourced = 0usize;
    let mut gold_direct = 0usize;
    let mut predicted_direct = 0usize;
    let mut predicted_indirect = 0usize;
    let mut speed = Speed::default();
    let mut outcome_records: Vec<Value> = Vec::new();
    for file in &files {
        let format_error = |message: String| EvalError::Format {
            path: file.display().to_string(),
            message,
        };
        let (article_name, annotator) = article_and_annotator(file)
            .ok_or_else(|| format_error("not named ARTICLE_ANNOTATOR.ann".into()))?;
        let (article_name, annotator) = (article_name.as_str(), annotator.as_str());
        let source = std::fs::read_to_string(file).map_err(read_error(file))?;
        let attributions = parse_ann(&source).map_err(format_error)?;
        let text_path = path.join("text").join(format!("{article_name}.txt"));
        if !texts.contains_key(article_name) {
            let body = std::fs::read_to_string(&text_path).map_err(read_error(&text_path))?;
            texts.insert(article_name.to_string(), body.chars().collect());
        }
        let text = &texts[article_name];
        let body: String = text.iter().collect();
        let mut raw = Map::new();
        raw.insert(
            "id".into(),
            Value::String(format!("{article_name}_{annotator}")),
        );
        raw.insert("body".into(), Value::String(body.clone()));
        let article = Article::from_object(raw)
            .map_err(|error| format_error(format!("not an article: {error}")))?;
        let enrichment = speed.enrich(pipeline, &article, &body);

        let gold = gold_quotes(text, &attributions);
        gold_contents += gold.len();
        gold_sourced += gold.iter().filter(|g| g.has_source).count();
        gold_direct += gold.iter().filter(|g| g.has_source && g.direct).count();
        let field = article.body().name;
        // Partial quotes are part of PolNeAR's reported speech: left out of its scores.
        let predicted: Vec<PredictedQuote> = predicted_quotes(&enrichment, field)
            .into_iter()
            .filter(|quote| !quote.partial)
            .collect();
        predicted_direct += predicted.iter().filter(|q| q.kind == "direct").count();
        predicted_indirect += predicted.iter().filter(|q| q.kind == "indirect").count();
        let mut listed = Vec::new();
        totals += score_document_listing(text, &gold, &predicted, &mut listed);
        for mut record in listed {
            record["document"] = Value::String(format!("{article_name}_{annotator}"));
            outcome_records.push(record);
        }
    }
    if let Some(outcomes) = outcomes {
        write_outcomes(outcomes, &outcome_records)?;
    }

    let (direct_p, direct_r, direct_f1) = totals.pieces.figures();
    let (indirect_p, indirect_r, indirect_f1) = totals.indirect.figures();
    let scores = scores(&[
        ("direct_precision", direct_p),
        ("direct_recall", direct_r),
        ("direct_f1", direct_f1),
        ("speaker_accuracy", totals.pieces.speaker_accuracy()),
        ("end_to_end_f1", totals.pieces.end_to_end_f1()),
        ("indirect_precision", indirect_p),
        ("indirect_recall", indirect_r),
        ("indirect_f1", indirect_f1),
    ]);
    let details = json!({
        "documents": files.len(),
        "articles": texts.len(),
        "gold_contents": gold_contents,
        "gold_sourced_contents": gold_sourced,
        "gold_direct_contents": gold_direct,
        "predicted_direct": predicted_direct,
        "predicted_indirect": predicted_indirect,
        "direct_pieces": totals.pieces.json(),
        "direct_whole": totals.whole.json(),
        "direct_envelope": totals.envelope.json(),
        "indirect": totals.indirect.json(),
        "speed": speed.details(),
    });
    Ok(Report {
        task: "quotes".into(),
        corpus: corpus_name(path),
        scores,
        details,
    })
}

/// The attribution events of a brat `.ann` file, in file order.
pub fn parse_ann(source: &str) -> Result<Vec<Attribution>, String> {
    let mut bounds: HashMap<&str, Vec<Span>> = HashMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let bad = |what: &str| format!("line {}: {what}", number + 1);
        // A line that does not open with an annotation id ("T12", "E3") continues the
        // covered text of the previous annotation, which brat writes as it is, line breaks
        // included ("The number of ..." on a line of its own).
        let is_annotation = fields[0].len() > 1
            && fields[0]
                .get(1..)
                .is_some_and(|id| id.bytes().all(|byte| byte.is_ascii_digit()))
            && fields.len() > 1;
        if !is_annotation {
            continue;
        }
        if line.starts_with('T') {
            let header = fields
                .get(1)
                .ok_or_else(|| bad("text bound without spans"))?;
            let (_, offsets) = header
                .split_once(' ')
                .ok_or_else(|| bad("text bound without spans"))?;
            let mut spans = Vec::new();
            for piece in offsets.split(';') {
                let (start, end) = piece
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| bad("span is not START END"))?;
                let start = start.parse().map_err(|_| bad("bad start offset"))?;
                let end = end.parse().map_err(|_| bad("bad end offset"))?;
                spans.push((start, end));
            }
            bounds.insert(fields[0], spans);
        } else if line.starts_with('E') {
            let arguments = fields
                .get(1)
                .ok_or_else(|| bad("event without arguments"))?;
            let mut parts = arguments.split_whitespace();
            let trigger = parts.next().unwrap_or_default();
            if !trigger.starts_with("Attribution") {
                continue;
            }
            events.push(parts.filter_map(|part| part.split_once(':')).collect());
        }
    }
    events
        .into_iter()
        .map(|arguments| {
            let mut attribution = Attribution::default();
            for (role, id) in arguments {
                let spans = bounds
                    .get(id)
                    .cloned()
                    .ok_or_else(|| format!("event argument {id} is not a text bound"))?;
                match role {
                    "Source" => attribution.source = Some(spans),
                    "Cue" => attribution.cue = Some(spans),
                    "Content" => attribution.content = Some(spans),
                    _ => {}
                }
            }
            Ok(attribution)
        })
        .collect()
}

pub(super) fn slice(text: &[char], start: usize, end: usize) -> String {
    let end = end.min(text.len());
    text[start.min(end)..end].iter().collect()
}

fn is_edge(c: char) -> bool {
    " \t\n.,;:!?—–-…".contains(c) || OPEN.contains(c) || CLOSE.contains(c)
}

/// `(start, end)` without quotation marks, dashes, punctuation and white space at the edges.
pub fn trim(text: &[char], start: usize, end: usize) -> Span {
    let (mut start, mut end) = (start, end.min(text.len()));
    while start < end && is_edge(text[start]) {
        start += 1;
    }
    while end > start && is_edge(text[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// Whether the first visible character is an opening mark (an empty span counts, as in the
/// scoring script this reproduces).
fn opens(text: &[char], start: usize, end: usize) -> bool {
    slice(text, start, end)
        .trim_start()
        .chars()
        .next()
        .is_none_or(|c| OPEN.contains(c))
}

/// Whether the span ends with a closing mark (before final `.,;:`), or runs to the end of a
/// paragraph whose next paragraph opens with a mark.
fn closes(text: &[char], start: usize, end: usize) -> bool {
    let piece = slice(text, start, end);
    let piece = piece.trim_end().trim_end_matches(['.', ',', ';', ':']);
    if piece.chars().last().is_none_or(|c| CLOSE.contains(c)) {
        return true;
    }
    let rest = slice(text, end, text.len());
    match rest.find('\n') {
        Some(newline) if rest[..newline].trim().is_empty() => rest[newline..]
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| OPEN.contains(c)),
        _ => false,
    }
}

fn overlap(span: Span, pieces: &[Span]) -> usize {
    pieces
        .iter()
        .map(|&(start, end)| end.min(span.1).saturating_sub(start.max(span.0)))
        .sum()
}

fn regexes() -> &'static (Regex, Regex, Regex) {
    static REGEXES: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    REGEXES.get_or_init(|| {
        (
            Regex::new(r",| \(| who | which | that ").unwrap(),
            Regex::new(r" (close to|familiar with|of|for|at|from|with|in|on|to|among|near|behind|inside|within) ").unwrap(),
            Regex::new(r"[\w.\-’']+").unwrap(),
        )
    })
}

/// The head word of the source `text[start..end]`: the last word before a comma, a
/// parenthesis, a relative clause or a prepositional phrase, without a possessive `'s`.
pub fn head_of(text: &[char], start: usize, end: usize) -> Option<Head> {
    let (clause, preposition, word) = regexes();
    let source = slice(text, start, end);
    let cut = clause.find(&source).map_or(source.len(), |m| m.start());
    let mut part = &source[..cut];
    let mut from = 0;
    while let Some(found) = preposition.find_at(part, from) {
        let before = part[..found.start()].chars().last();
        if before.is_some_and(|c| c.is_ascii_lowercase()) {
            part = &part[..found.start()];
            break;
        }
        from = found.start() + 1;
    }
    let last = word.find_iter(part).last()?;
    let head_start = start + part[..last.start()].chars().count();
    let mut head_end = head_start + last.as_str().chars().count();
    if last.as_str().ends_with("’s") || last.as_str().ends_with("'s") {
        head_end -= 2;
    }
    Some((head_start, head_end, slice(text, head_start, head_end)))
}

/// Whether two names agree: same last word, and same first word when both have more than
/// one (titles and `the` ignored, case ignored).
pub fn names_agree(a: &str, b: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        name.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty() && !TITLES.contains(&w.to_lowercase().as_str()))
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    match (a.last(), b.last()) {
        (Some(last_a), Some(last_b)) if last_a == last_b => {
            !(a.len() > 1 && b.len() > 1 && a[0] != b[0])
        }
        _ => false,
    }
}

/// The gold contents of one document, ordered by the start of their first piece, with the
/// reference each source is judged by.
pub fn gold_quotes(text: &[char], attributions: &[Attribution]) -> Vec<GoldQuote> {
    let mut ordered: Vec<&Attribution> = attributions.iter().collect();
    ordered.sort_by_key(|a| {
        a.content
            .as_ref()
            .and_then(|c| c.first())
            .map_or(0, |s| s.0)
    });
    ordered.retain(|a| a.content.as_ref().is_some_and(|c| !c.is_empty()));
    let sources: Vec<Option<Span>> = ordered
        .iter()
        .map(|a| source_spans(text, a)?.first().copied())
        .collect();
    let references = source_references(text, &sources);
    let mut gold = Vec::new();
    for (attribution, source) in ordered.into_iter().zip(references) {
        let content = attribution.content.as_deref().unwrap_or_default();
        let (direct, marked) = content_class(text, content);
        gold.push(GoldQuote {
            pieces: content.iter().map(|&(s, e)| trim(text, s, e)).collect(),
            direct,
            direct_pieces: content
                .iter()
                .filter(|&&(s, e)| opens(text, s, e) && closes(text, s, e))
                .map(|&(s, e)| trim(text, s, e))
                .collect(),
            marked,
            has_source: attribution.source.is_some(),
            source,
            source_text: spans_text(text, attribution.source.as_deref()),
            cue_text: spans_text(text, attribution.cue.as_deref()),
        });
    }
    gold
}

/// The reference each source span is judged by: its head word, or for a pronoun the nearest
/// named source of `sources` that starts before it.
pub fn source_references(text: &[char], sources: &[Option<Span>]) -> Vec<Option<SourceRef>> {
    let mut named: Vec<(usize, Head, String)> = sources
        .iter()
        .flatten()
        .filter_map(|&(start, end)| {
            let head = head_of(text, start, end)?;
            let named = !PRONOUNS.contains(&head.2.to_lowercase().as_str());
            named.then(|| (start, head.clone(), slice(text, start, head.1)))
        })
        .collect();
    named.sort_by_key(|(start, _, _)| *start);
    sources
        .iter()
        .map(|source| {
            let (start, end) = (*source)?;
            let head = head_of(text, start, end)?;
            if PRONOUNS.contains(&head.2.to_lowercase().as_str()) {
                let earlier = named
                    .iter()
                    .rfind(|(s, _, _)| *s < start)
                    .map(|(_, head, text)| (head.clone(), text.clone()));
                Some(SourceRef::Pronoun(earlier))
            } else {
                Some(SourceRef::Named {
                    text: slice(text, start, head.1),
                    head,
                })
            }
        })
        .collect()
}

/// The source spans of an attribution, with source and cue swapped back when the source is a
/// lone speech verb and the cue opens with a capital letter (an annotation slip).
pub fn source_spans<'a>(text: &[char], attribution: &'a Attribution) -> Option<&'a [Span]> {
    let source = attribution.source.as_deref()?;
    let swapped = |spans: &[Span]| {
        let words = spans_text(text, Some(spans));
        SWAPPED_SOURCE_VERBS.contains(&words.trim().to_lowercase().as_str())
    };
    match attribution.cue.as_deref() {
        Some(cue)
            if swapped(source)
                && cue
                    .first()
                    .and_then(|&(start, _)| text.get(start))
                    .is_some_and(|c| c.is_uppercase()) =>
        {
            Some(cue)
        }
        _ => Some(source),
    }
}

fn spans_text(text: &[char], spans: Option<&[Span]>) -> String {
    spans
        .unwrap_or_default()
        .iter()
        .map(|&(start, end)| slice(text, start, end.min(text.len())))
        .collect::<Vec<_>>()
        .join(" … ")
}

/// Whether the predicted speaker is right for the gold source.
pub fn speaker_right(speaker: Option<&PredictedSpeaker>, source: Option<&SourceRef>) -> bool {
    let (Some(speaker), Some(source)) = (speaker, source) else {
        return false;
    };
    let (head, source_text, named) = match source {
        SourceRef::Named { head, text } => (head, text, true),
        SourceRef::Pronoun(Some((head, text))) => (head, text, false),
        SourceRef::Pronoun(None) => return false,
    };
    let (head_start, head_end, word) = head;
    if speaker
        .entity_mentions
        .iter()
        .any(|&(start, end)| start < *head_end && *head_start < end)
    {
        return true;
    }
    if named
        && (speaker
            .mention
            .to_lowercase()
            .split_whitespace()
            .any(|w| w == word.to_lowercase())
            || speaker.mention.contains(word.as_str()))
    {
        return true;
    }
    names_agree(&speaker.name, source_text)
}

/// Matches predictions to gold items one to one: pairs with a positive overlap of at least
/// half the longer span, taken greedily by largest overlap (ties to the later prediction,
/// then the later gold item). Returns `(prediction, gold item)` pairs.
pub fn match_spans(predicted: &[Span], gold: &[Vec<Span>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, &p) in predicted.iter().enumerate() {
        for (j, pieces) in gold.iter().enumerate() {
            let shared = overlap(p, pieces);
            // Trimming can leave a piece with its end before its start; like the reference
            // scorer, such a piece counts negatively, and the total never below zero.
            let gold_length = pieces
                .iter()
                .map(|&(start, end)| end as i64 - start as i64)
                .sum::<i64>()
                .max(0) as usize;
            if shared > 0 && 2 * shared >= p.1.saturating_sub(p.0).max(gold_length) {
                pairs.push((shared, i, j));
            }
        }
    }
    pair_greedily(pairs, predicted.len(), gold.len())
}

#[derive(Clone, Copy)]
enum View {
    Pieces,
    Whole,
    Envelope,
    Indirect,
}

fn score_view(
    text: &[char],
    gold: &[GoldQuote],
    predicted: &[PredictedQuote],
    view: View,
    outcomes: &mut Vec<Value>,
) -> ViewCounts {
    let sourced_direct = |g: &GoldQuote| g.direct && g.has_source;
    let items: Vec<(&GoldQuote, Vec<Span>)> = match view {
        View::Pieces => gold
            .iter()
            .filter(|g| g.has_source)
            .flat_map(|g| g.direct_pieces.iter().map(move |&p| (g, vec![p])))
            .collect(),
        View::Whole => gold
            .iter()
            .filter(|g| sourced_direct(g))
            .map(|g| (g, g.pieces.clone()))
            .collect(),
        View::Envelope => gold
            .iter()
            .filter(|g| sourced_direct(g))
            .map(|g| {
                let (first, last) = (g.pieces[0], g.pieces[g.pieces.len() - 1]);
                (g, vec![trim(text, first.0, last.1)])
            })
            .collect(),
        View::Indirect => gold
            .iter()
            .filter(|g| g.has_source && !g.marked && !g.direct)
            .map(|g| (g, g.pieces.clone()))
            .collect(),
    };
    let kind = if matches!(view, View::Indirect) {
        "indirect"
    } else {
        "direct"
    };
    let quotes: Vec<&PredictedQuote> = predicted.iter().filter(|q| q.kind == kind).collect();
    let spans: Vec<Span> = quotes.iter().map(|q| trim(text, q.start, q.end)).collect();
    let gold_spans: Vec<Vec<Span>> = items.iter().map(|(_, pieces)| pieces.clone()).collect();
    let matched = match_spans(&spans, &gold_spans);
    let mut counts = ViewCounts {
        matched: matched.len(),
        missed: items.len() - matched.len(),
        ..ViewCounts::default()
    };
    let listed = matches!(view, View::Pieces | View::Indirect);
    let view_name = if matches!(view, View::Indirect) {
        "indirect"
    } else {
        "direct"
    };
    let speaker_of = |quote: &PredictedQuote| {
        quote
            .speaker
            .as_ref()
            .map(|speaker| json!({"name": speaker.name, "mention": speaker.mention}))
    };
    let gold_record = |outcome: &str, gold: &GoldQuote, pieces: &[Span]| {
        json!({
            "outcome": outcome,
            "view": view_name,
            "gold": pieces.iter().map(|&(s, e)| slice(text, s, e.max(s))).collect::<Vec<_>>().join(" … "),
            "gold_source": gold.source_text,
            "gold_reference": match &gold.source {
                Some(SourceRef::Pronoun(Some((_, text)))) => Value::String(text.clone()),
                _ => Value::Null,
            },
            "cue": gold.cue_text,
            "at": pieces.first().map_or(0, |p| p.0),
        })
    };
    for &(i, j) in &matched {
        let source = items[j].0.source.as_ref();
        let right = speaker_right(quotes[i].speaker.as_ref(), source);
        counts.speaker_right += usize::from(right);
        if listed {
            let outcome = if right { "matched" } else { "wrong_speaker" };
            let mut record = gold_record(outcome, items[j].0, &items[j].1);
            record["predicted_speaker"] = speaker_of(quotes[i]).unwrap_or(Value::Null);
            record["predicted_cue"] = quotes[i].cue.clone().into();
            outcomes.push(record);
        }
    }
    if listed {
        for (j, (quote, pieces)) in items.iter().enumerate() {
            if !matched.iter().any(|&(_, m)| m == j) {
                outcomes.push(gold_record("missed", quote, pieces));
            }
        }
    }
    for (i, &span) in spans.iter().enumerate() {
        if matched.iter().any(|&(m, _)| m == i) {
            continue;
        }
        let mostly_on =
            |g: &GoldQuote| 2 * overlap(span, &g.pieces) >= span.1.saturating_sub(span.0);
        let neutral = match view {
            View::Indirect => gold
                .iter()
                .any(|g| (g.marked || g.direct || !g.has_source) && mostly_on(g)),
            _ => {
                gold.iter()
                    .any(|g| !sourced_direct(g) && g.marked && mostly_on(g))
                    || (matches!(view, View::Pieces)
                        && gold
                            .iter()
                            .any(|g| sourced_direct(g) && overlap(span, &g.pieces) > 0))
            }
        };
        if neutral {
            counts.neutral += 1;
        } else {
            counts.spurious += 1;
            if listed {
                outcomes.push(json!({
                    "outcome": "spurious",
                    "view": view_name,
                    "predicted": slice(text, span.0, span.1.max(span.0)),
                    "predicted_speaker": speaker_of(quotes[i]),
                    "cue": quotes[i].cue,
                    "at": span.0,
                }));
            }
        }
    }
    counts
}

/// Scores the predictions of one document against its gold contents in every view.
pub fn score_document(text: &[char], gold: &[GoldQuote], predicted: &[PredictedQuote]) -> Counts {
    score_document_listing(text, gold, predicted, &mut Vec::new())
}

/// [`score_document`], also listing the outcome of every item of the guarded views (matched,
/// wrong speaker, missed, spurious) as JSON objects.
pub fn score_document_listing(
    text: &[char],
    gold: &[GoldQuote],
    predicted: &[PredictedQuote],
    outcomes: &mut Vec<Value>,
) -> Counts {
    Counts {
        pieces: score_view(text, gold, predicted, View::Pieces, outcomes),
        whole: score_view(text, gold, predicted, View::Whole, &mut Vec::new()),
        envelope: score_view(text, gold, predicted, View::Envelope, &mut Vec::new()),
        indirect: score_view(text, gold, predicted, View::Indirect, outcomes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offsets below are code points: the curly marks are one each.
    const TEXT: &str = "Ann Lee, a lawyer at Acme, said: “We won.”\n\n“It is over,” she said. Bob Ray said that taxes rose. He called it a “disaster” then.";
    const ANN: &str = "T1\tSource 0 7\tAnn Lee\n\
T2\tCue 27 31\tsaid\n\
T3\tContent 33 42\t“We won.”\n\
T4\tAttribution 27 31\tsaid\n\
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
T5\tSource 58 61\tshe\n\
T6\tContent 44 57\t“It is over,”\n\
E2\tAttribution:T4 Content:T6 Source:T5\n\
T7\tSource 68 75\tBob Ray\n\
T8\tContent 86 96\ttaxes rose\n\
E3\tAttribution:T4 Content:T8 Source:T7\n\
T9\tContent 111 123;124 128\ta “disaster” then\n\
T10\tSource 98 100\tHe\n\
E4\tAttribution-no-source:T4 Content:T9\n\
E5\tAttribution:T4\n\
A1\tNote T1 x\n";

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    fn find(text: &[char], needle: &str) -> Span {
        let haystack: String = text.iter().collect();
        let byte = haystack.find(needle).unwrap();
        let start = haystack[..byte].chars().count();
        (start, start + needle.chars().count())
    }

    fn quote(kind: &str, span: Span, name: &str, mention: &str) -> PredictedQuote {
        PredictedQuote {
            kind: kind.into(),
            start: span.0,
            end: span.1,
            speaker: Some(PredictedSpeaker {
                name: name.into(),
                mention: mention.into(),
                entity_mentions: Vec::new(),
            }),
            cue: None,
            partial: false,
        }
    }

    #[test]
    fn ann_events_are_parsed_with_discontinuous_spans() {
        let attributions = parse_ann(ANN).unwrap();
        assert_eq!(attributions.len(), 5);
        assert_eq!(attributions[0].source, Some(vec![(0, 7)]));
        assert_eq!(attributions[0].cue, Some(vec![(27, 31)]));
        assert_eq!(attributions[3].content, Some(vec![(111, 123), (124, 128)]));
        assert_eq!(attributions[3].source, None);
        assert_eq!(attributions[4], Attribution::default());
        assert!(parse_ann("T1\tSource x 7\tAnn").is_err());
        assert!(parse_ann("E1\tAttribution:T1 Source:T9").is_err());
        // Covered text with a line break continues on lines of its own.
        let wrapped = "T1\tContent 0 5;9 20\tFirst.\n\nThe rest of it\n\
                       T2\tSource 21 24\tHer\nE1\tAttribution:T3 Content:T1 Source:T2";
        let attributions = parse_ann(wrapped).unwrap();
        assert_eq!(attributions[0].content, Some(vec![(0, 5), (9, 20)]));
    }

    #[test]
    fn gold_contents_are_classified_direct_marked_or_reported() {
        let text = chars(TEXT);
        assert_eq!(find(&text, "“We won.”"), (33, 42));
        let gold = gold_quotes(&text, &parse_ann(ANN).unwrap());
        assert_eq!(gold.len(), 4, "the event without content is dropped");
        let we_won = &gold[0];
        assert!(we_won.direct && we_won.marked && we_won.has_source);
        assert_eq!(we_won.pieces, vec![find(&text, "We won")]);
        assert_eq!(we_won.direct_pieces, we_won.pieces);
        assert!(gold[1].direct);
        let taxes = &gold[2];
        assert!(!taxes.direct && !taxes.marked && taxes.has_source);
        let partial = &gold[3];
        assert!(!partial.direct && partial.marked && !partial.has_source);
        assert!(partial.direct_pieces.is_empty());

        // A paragraph that ends unclosed before a paragraph opening with a mark is direct.
        let text = chars("“One.\n\n“Two.” he said.");
        assert!(opens(&text, 0, 5) && closes(&text, 0, 5));
        assert!(!closes(&text, 0, 3));
    }

    #[test]
    fn matching_needs_half_of_the_longer_span_one_to_one() {
        let text = chars("“Alpha beta gamma,” he said.");
        assert_eq!(trim(&text, 0, 19), (1, 17));
        let gold = vec![vec![(0, 10)], vec![(20, 30)]];
        assert_eq!(match_spans(&[(0, 10), (2, 10)], &gold), vec![(0, 0)]);
        assert_eq!(match_spans(&[(0, 4)], &gold), vec![], "too short");
        assert_eq!(match_spans(&[(0, 30)], &gold), vec![], "too long");
        assert_eq!(match_spans(&[(5, 25)], &[vec![(0, 10), (15, 25)]]).len(), 1);
        assert_eq!(match_spans(&[(10, 20)], &gold), vec![]);
    }

    #[test]
    fn speakers_are_judged_by_head_word_names_and_pronoun_antecedents() {
        let text = chars(TEXT);
        let source = chars("Steven Rosenthal, a lawyer at the firm");
        let head = head_of(&source, 0, source.len()).unwrap();
        assert_eq!(head.2, "Rosenthal");
        let source = chars("a spokesman for the ministry who spoke");
        assert_eq!(head_of(&source, 0, source.len()).unwrap().2, "spokesman");
        let source = chars("a person close to the family");
        assert_eq!(head_of(&source, 0, source.len()).unwrap().2, "person");
        let source = chars("Trump’s campaign");
        assert_eq!(head_of(&source, 0, 7).unwrap().2, "Trump");

        assert!(names_agree("Donald Trump", "Mr. Trump"));
        assert!(names_agree("Trump", "President Donald Trump"));
        assert!(!names_agree("Ivanka Trump", "Donald Trump"));
        assert!(!names_agree("", "Trump"));

        let gold = gold_quotes(&text, &parse_ann(ANN).unwrap());
        let ann = gold[0].source.as_ref();
        let by_name = |name: &str, mention: &str| PredictedSpeaker {
            name: name.into(),
            mention: mention.into(),
            entity_mentions: Vec::new(),
        };
        assert!(speaker_right(Some(&by_name("Ann Lee", "x")), ann));
        assert!(speaker_right(Some(&by_name("A. Smith", "Lee")), ann));
        assert!(!speaker_right(Some(&by_name("Bob Ray", "Bob Ray")), ann));
        let on_head = PredictedSpeaker {
            entity_mentions: vec![(4, 7)],
            ..by_name("Someone", "x")
        };
        assert!(speaker_right(Some(&on_head), ann));
        assert!(!speaker_right(None, ann));

        // "she" is judged by the nearest earlier named source, Ann Lee.
        let she = gold[1].source.as_ref();
        assert!(matches!(she, Some(SourceRef::Pronoun(Some(_)))));
        assert!(speaker_right(Some(&by_name("Ann Lee", "she")), she));
        assert!(!speaker_right(Some(&by_name("Bob Ray", "she")), she));
        let alone = chars("He said “no.”");
        let ann =
            "T1\tSource 0 2\tHe\nT2\tContent 8 13\t“no.”\nE1\tAttribution:T2 Content:T2 Source:T1";
        let gold_alone = gold_quotes(&alone, &parse_ann(ann).unwrap());
        assert_eq!(gold_alone[0].source, Some(SourceRef::Pronoun(None)));
        assert!(!speaker_right(
            Some(&by_name("He", "He")),
            gold_alone[0].source.as_ref()
        ));

        // A relative "who" is a pronoun: judged by the earlier named source.
        let relative = chars("Ann Lee said “yes.” Bob Ray, who left, said “no.”");
        let ann = "T1\tSource 0 7\tAnn Lee\nT2\tContent 13 19\t“yes.”\n\
                   E1\tAttribution:T2 Content:T2 Source:T1\n\
                   T3\tSource 29 32\twho\nT4\tContent 44 49\t“no.”\n\
                   E2\tAttribution:T4 Content:T4 Source:T3";
        let gold_relative = gold_quotes(&relative, &parse_ann(ann).unwrap());
        let who = gold_relative[1].source.as_ref();
        assert!(matches!(who, Some(SourceRef::Pronoun(Some(_)))));
        assert!(speaker_right(Some(&by_name("Ann Lee", "who")), who));

        // A lone speech verb annotated as the source, with a name as the cue, is swapped back.
        let swapped = chars("“Yes,” said Bob Ray.");
        let ann = "T1\tSource 7 11\tsaid\nT2\tCue 12 19\tBob Ray\nT3\tContent 0 6\t“Yes,”\n\
                   E1\tAttribution:T3 Content:T3 Cue:T2 Source:T1";
        let gold_swapped = gold_quotes(&swapped, &parse_ann(ann).unwrap());
        let source = gold_swapped[0].source.as_ref();
        assert!(speaker_right(Some(&by_name("Bob Ray", "Bob Ray")), source));
        assert!(!speaker_right(Some(&by_name("Said", "said")), source));
    }

    #[test]
    fn documents_are_scored_in_every_view() {
        let text = chars(TEXT);
        let gold = gold_quotes(&text, &parse_ann(ANN).unwrap());
        let predicted = vec![
            quote("direct", find(&text, "“We won.”"), "Ann Lee", "Ann Lee"),
            quote("direct", find(&text, "“It is over,”"), "Bob Ray", "she"),
            quote("direct", find(&text, "“disaster”"), "Bob Ray", "He"),
            quote("direct", find(&text, "Bob Ray said"), "Bob Ray", "Bob Ray"),
            quote("indirect", find(&text, "taxes rose"), "Bob Ray", "Bob Ray"),
            quote(
                "indirect",
                find(&text, "a “disaster” then"),
                "Bob Ray",
                "He",
            ),
        ];
        let counts = score_document(&text, &gold, &predicted);
        assert_eq!(
            counts.pieces,
            ViewCounts {
                matched: 2,
                spurious: 1,
                missed: 0,
                neutral: 1,
                speaker_right: 1,
            }
        );
        assert_eq!(counts.whole, counts.pieces);
        assert_eq!(
            counts.indirect,
            ViewCounts {
                matched: 1,
                spurious: 0,
                missed: 0,
                neutral: 1,
                speaker_right: 1,
            }
        );
        assert!((counts.pieces.speaker_accuracy() - 0.5).abs() < 1e-9);
        let (p, r, _) = counts.pieces.figures();
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && r == 1.0);
    }

    #[test]
    fn outcomes_list_each_item_of_the_guarded_views() {
        let text = chars(TEXT);
        let gold = gold_quotes(&text, &parse_ann(ANN).unwrap());
        let predicted = vec![
            quote("direct", find(&text, "“We won.”"), "Ann Lee", "Ann Lee"),
            quote("direct", find(&text, "“It is over,”"), "Bob Ray", "she"),
            quote("direct", find(&text, "Bob Ray said"), "Bob Ray", "Bob Ray"),
        ];
        let mut outcomes = Vec::new();
        score_document_listing(&text, &gold, &predicted, &mut outcomes);
        let listed: Vec<(String, String)> = outcomes
            .iter()
            .map(|o| (o["view"].to_string(), o["outcome"].to_string()))
            .collect();
        let count = |view: &str, outcome: &str| {
            let wanted = (format!("\"{view}\""), format!("\"{outcome}\""));
            listed.iter().filter(|item| **item == wanted).count()
        };
        assert_eq!(count("direct", "matched"), 1);
        assert_eq!(count("direct", "wrong_speaker"), 1);
        assert_eq!(count("direct", "spurious"), 1);
        assert_eq!(count("indirect", "missed"), 1);
        assert_eq!(outcomes.len(), 4);
        let wrong = outcomes
            .iter()
            .find(|o| o["outcome"] == "wrong_speaker")
            .unwrap();
        assert_eq!(wrong["gold_source"], "she");
        assert_eq!(wrong["predicted_speaker"]["name"], "Bob Ray");
    }

    #[test]
    fn a_split_directory_is_required() {
        let empty = tempfile::tempdir().unwrap();
        assert!(evaluate(empty.path(), &Pipeline::new(), None).is_err());
        std::fs::create_dir(empty.path().join("attributions")).unwrap();
        assert!(matches!(
            evaluate(empty.path(), &Pipeline::new(), None),
            Err(EvalError::Format { .. })
        ));
    }

    #[test]
    fn a_piece_trimmed_to_nothing_does_not_break_matching() {
        // Trimming can leave a piece whose end is before its start.
        let gold = vec![vec![(0, 20), (30, 28)]];
        assert_eq!(match_spans(&[(0, 18)], &gold), vec![(0, 0)]);
        assert!(match_spans(&[(12, 10)], &gold).is_empty());
    }
}
