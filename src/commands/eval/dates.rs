//! Date evaluation on TimeML: `article-enricher eval dates --timeml DIR`.
//!
//! The directory is searched recursively for `.tml` files (TimeBank + AQUAINT in
//! `TBAQ-cleaned`), in sorted order; a file whose bytes repeat an earlier one is skipped so a
//! document is never counted twice. Each file becomes an article the way the judges build it
//! (`../shared/docs/evaluation.md`, "Dates"): `body` is the content of the `TEXT` element
//! with its tags stripped and XML entities decoded, `published_at` the date of the document
//! creation time (the `TIMEX3` whose `functionInDocument` is `CREATION_TIME`, date only, so
//! midnight UTC). It goes through [`enrichment_of`](crate::contract::enrichment_of), the path
//! of the `enrich` command.
//!
//! Gold: the `TIMEX3` elements of type `DATE` inside `TEXT`, with their code point spans in
//! the stripped text and their values. Predictions: the body `dates` of kind `date`
//! (durations are not dates). Scoring:
//! - matching is one-to-one by overlap, pairs taken greedily by largest overlap;
//! - relaxed detection counts matched pairs, strict detection pairs with identical spans;
//! - value scoring counts matched pairs whose values are equal after light normalisation:
//!   the time part is dropped from a day (`1998-03-26TNI` = `1998-03-26`), week numbers are
//!   zero-padded (`2000-W7` = `2000-W07`) and trailing unknown parts dropped (`199X` = `199`,
//!   `1989-XX` = `1989`). A vague gold value (`PAST_REF`, `PRESENT_REF`, `FUTURE_REF`) is
//!   right only for a null prediction; a null prediction is wrong for any other gold value;
//! - precision divides by the predicted dates, recall by the gold dates.
//!
//! The guarded scores are value P/R/F1 and relaxed and strict detection F1.

use super::{
    corpus_name, pair_greedily, precision_recall_f1, round4, scores, write_outcomes, EvalError,
    Report, Speed,
};
use crate::contract::article::short_hash;
use crate::contract::html::{decode_entities, Entities};
use crate::contract::Article;
use crate::nlp::Pipeline;
use regex::Regex;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Gold values that stand for a vague time, right only when the prediction has no value.
const VAGUE: &[&str] = &["PAST_REF", "PRESENT_REF", "FUTURE_REF"];

/// One TimeML document, reduced to what the evaluation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TimemlDocument {
    /// The `value` of the creation time, as written (`1990-08-15T13:37`).
    pub dct: Option<String>,
    /// The content of `TEXT`, tags stripped and entities decoded.
    pub text: String,
    /// Every `TIMEX3` inside `TEXT`, in document order.
    pub timexes: Vec<Timex>,
}

/// A `TIMEX3` inside `TEXT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    /// Code point offsets into [`TimemlDocument::text`], end exclusive.
    pub start: usize,
    pub end: usize,
    /// `DATE`, `TIME`, `DURATION`, `SET`.
    pub timex_type: String,
    pub value: Option<String>,
}

/// A span with a value, gold or predicted, as the scorer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedSpan {
    pub start: usize,
    pub end: usize,
    pub value: Option<String>,
}

counts! {
    /// Counts from which the figures are computed.
    pub struct Counts {
        pub gold: usize,
        pub predicted: usize,
        /// Matched pairs (overlapping spans).
        pub relaxed: usize,
        /// Matched pairs with identical spans.
        pub strict: usize,
        /// Matched pairs with equal values.
        pub correct: usize,
    }
}

/// Scores dates against the TimeML files under `path` (a directory, or one `.tml` file).
/// With `outcomes`, also writes every gold and predicted date to that file as JSON lines
/// (`outcome`: right, wrong_value, missed or spurious; the document, text, values and the
/// words around it).
pub fn evaluate(
    path: &Path,
    pipeline: &Pipeline,
    outcomes: Option<&Path>,
) -> Result<Report, EvalError> {
    let mut listing = Vec::new();
    let mut files = Vec::new();
    collect_tml(path, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Format {
            path: path.display().to_string(),
            message: "no .tml files found; give a directory of TimeML files".into(),
        });
    }
    let mut seen = HashSet::new();
    let mut duplicates = Vec::new();
    let mut totals = Counts::default();
    let mut documents = 0usize;
    let mut without_dct = 0usize;
    let mut vague_gold = 0usize;
    let mut speed = Speed::default();
    for file in &files {
        let read_error = |source| EvalError::Read {
            path: file.display().to_string(),
            source,
        };
        let bytes = std::fs::read(file).map_err(read_error)?;
        let relative = relative_name(path, file);
        if !seen.insert(short_hash(&bytes)) {
            duplicates.push(relative);
            continue;
        }
        let format_error = |message: String| EvalError::Format {
            path: file.display().to_string(),
            message,
        };
        let source = String::from_utf8(bytes)
            .map_err(|error| format_error(format!("not UTF-8: {error}")))?;
        let document = parse_timeml(&source).map_err(format_error)?;
        let mut raw = Map::new();
        raw.insert("id".into(), Value::String(relative));
        raw.insert("body".into(), Value::String(document.text.clone()));
        match document.dct.as_deref().map(dct_date) {
            Some(date) => {
                raw.insert("published_at".into(), Value::String(date.to_string()));
            }
            None => without_dct += 1,
        }
        let article = Article::from_object(raw)
            .map_err(|error| format_error(format!("not an article: {error}")))?;
        let enrichment = speed.enrich(pipeline, &article, &document.text);
        documents += 1;

        let gold: Vec<ValuedSpan> = document
            .timexes
            .iter()
            .filter(|timex| timex.timex_type == "DATE")
            .map(|timex| ValuedSpan {
                start: timex.start,
                end: timex.end,
                value: timex.value.clone(),
            })
            .collect();
        vague_gold += gold
            .iter()
            .filter(|span| span.value.as_deref().is_some_and(is_vague))
            .count();
        let predicted: Vec<ValuedSpan> = enrichment
            .dates
            .iter()
            .filter(|date| date.kind == "date" && date.field == article.body().name)
            .map(|date| ValuedSpan {
                start: date.start,
                end: date.end,
                value: date.value.clone(),
            })
            .collect();
        totals += score_document(&gold, &predicted);
        if outcomes.is_some() {
            listing.extend(list_outcomes(
                &article.id,
                &document.text,
                &gold,
                &predicted,
            ));
        }
    }
    if let Some(outcomes) = outcomes {
        write_outcomes(outcomes, &listing)?;
    }

    let (value_p, value_r, value_f1) =
        precision_recall_f1(totals.correct, totals.predicted, totals.gold);
    let (relaxed_p, relaxed_r, relaxed_f1) =
        precision_recall_f1(totals.relaxed, totals.predicted, totals.gold);
    let (strict_p, strict_r, strict_f1) =
        precision_recall_f1(totals.strict, totals.predicted, totals.gold);
    let scores = scores(&[
        ("value_precision", value_p),
        ("value_recall", value_r),
        ("value_f1", value_f1),
        ("relaxed_f1", relaxed_f1),
        ("strict_f1", strict_f1),
    ]);
    let details = json!({
        "documents": documents,
        "duplicate_files_skipped": duplicates,
        "documents_without_creation_time": without_dct,
        "gold_dates": totals.gold,
        "gold_vague_values": vague_gold,
        "predicted_dates": totals.predicted,
        "matched_relaxed": totals.relaxed,
        "matched_strict": totals.strict,
        "value_correct": totals.correct,
        "relaxed": {"precision": round4(relaxed_p), "recall": round4(relaxed_r)},
        "strict": {"precision": round4(strict_p), "recall": round4(strict_r)},
        "speed": speed.details(),
    });
    Ok(Report {
        task: "dates".into(),
        corpus: corpus_name(path),
        scores,
        details,
    })
}

/// Matches gold and predicted spans one-to-one and counts detections and right values.
///
/// Pairs with a positive overlap are taken greedily by largest overlap; equal overlaps go to
/// the later gold span, then the later prediction (the order of the scoring script this
/// reproduces).
pub fn score_document(gold: &[ValuedSpan], predicted: &[ValuedSpan]) -> Counts {
    let mut counts = Counts {
        gold: gold.len(),
        predicted: predicted.len(),
        ..Counts::default()
    };
    for (i, j) in pair_spans(gold, predicted) {
        let (g, p) = (&gold[i], &predicted[j]);
        counts.relaxed += 1;
        if g.start == p.start && g.end == p.end {
            counts.strict += 1;
        }
        if value_matches(g.value.as_deref(), p.value.as_deref()) {
            counts.correct += 1;
        }
    }
    counts
}

/// The outcome of every gold and predicted date of one document, as JSON records.
pub fn list_outcomes(
    document: &str,
    text: &str,
    gold: &[ValuedSpan],
    predicted: &[ValuedSpan],
) -> Vec<Value> {
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| -> String {
        chars[start.min(chars.len())..end.min(chars.len())]
            .iter()
            .collect()
    };
    let context = |start: usize, end: usize| {
        format!(
            "{}[{}]{}",
            slice(start.saturating_sub(60), start),
            slice(start, end),
            slice(end, end + 40)
        )
        .replace('\n', " ")
    };
    let pairs = pair_spans(gold, predicted);
    let mut gold_paired = vec![false; gold.len()];
    let mut predicted_paired = vec![false; predicted.len()];
    let mut records = Vec::new();
    for &(i, j) in &pairs {
        gold_paired[i] = true;
        predicted_paired[j] = true;
        let (g, p) = (&gold[i], &predicted[j]);
        let right = value_matches(g.value.as_deref(), p.value.as_deref());
        records.push(json!({
            "outcome": if right { "right" } else { "wrong_value" },
            "document": document,
            "gold": slice(g.start, g.end),
            "gold_value": g.value,
            "predicted": slice(p.start, p.end),
            "predicted_value": p.value,
            "context": context(g.start.min(p.start), g.end.max(p.end)),
        }));
    }
    let missed = unpaired(gold, &gold_paired).map(|span| ("missed", "gold", span));
    let spurious =
        unpaired(predicted, &predicted_paired).map(|span| ("spurious", "predicted", span));
    for (outcome, side, span) in missed.chain(spurious) {
        let value_key = format!("{side}_value");
        records.push(json!({
            "outcome": outcome,
            "document": document,
            side: slice(span.start, span.end),
            value_key: span.value,
            "context": context(span.start, span.end),
        }));
    }
    records
}

/// The spans not marked in `paired`.
fn unpaired<'a>(
    spans: &'a [ValuedSpan],
    paired: &'a [bool],
) -> impl Iterator<Item = &'a ValuedSpan> {
    spans
        .iter()
        .zip(paired)
        .filter_map(|(span, &paired)| (!paired).then_some(span))
}

/// Pairs gold and predicted spans one to one: `(gold index, predicted index)`.
fn pair_spans(gold: &[ValuedSpan], predicted: &[ValuedSpan]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, p) in predicted.iter().enumerate() {
            let overlap = g.end.min(p.end) as isize - g.start.max(p.start) as isize;
            if overlap > 0 {
                pairs.push((overlap, i, j));
            }
        }
    }
    pair_greedily(pairs, gold.len(), predicted.len())
}

/// Whether a predicted value is right for a gold one.
pub fn value_matches(gold: Option<&str>, predicted: Option<&str>) -> bool {
    match (gold, predicted) {
        (Some(gold), predicted) if is_vague(gold) => predicted.is_none(),
        (Some(gold), Some(predicted)) => normalise_value(gold) == normalise_value(predicted),
        _ => false,
    }
}

fn is_vague(value: &str) -> bool {
    VAGUE.contains(&value)
}

/// Light normalisation of a TIMEX3 value: upper case, a day without its time, week numbers
/// zero-padded, trailing unknown parts dropped.
pub fn normalise_value(value: &str) -> String {
    static DAY_TIME: OnceLock<Regex> = OnceLock::new();
    static WEEK: OnceLock<Regex> = OnceLock::new();
    static UNKNOWN_TAIL: OnceLock<Regex> = OnceLock::new();
    let day_time = DAY_TIME.get_or_init(|| Regex::new(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T").unwrap());
    let week = WEEK.get_or_init(|| Regex::new(r"-W([0-9])(-|$)").unwrap());
    let unknown_tail = UNKNOWN_TAIL.get_or_init(|| Regex::new(r"(-XX|-WXX|-QX|X)$").unwrap());
    let mut value = value.to_uppercase();
    if let Some(day) = day_time.captures(&value).map(|c| c[1].to_string()) {
        value = day;
    }
    value = week.replace(&value, "-W0${1}${2}").into_owned();
    while let Some(found) = unknown_tail.find(&value) {
        value.truncate(found.start());
    }
    value
}

/// The date part of a creation time (`1990-08-15T13:37` -> `1990-08-15`), which
/// `published_at` reads as midnight UTC.
fn dct_date(value: &str) -> &str {
    match value.char_indices().nth(10) {
        Some((index, _)) => &value[..index],
        None => value,
    }
}

/// Parses a TimeML document with a small scanner: the creation time anywhere in the file, and
/// the `TEXT` element's content with its tags stripped, entities decoded and `TIMEX3` spans
/// kept.
pub fn parse_timeml(source: &str) -> Result<TimemlDocument, String> {
    let dct = tags(source)
        .find(|tag| {
            !tag.closing
                && tag.name == "TIMEX3"
                && attribute(tag.attributes, "functionInDocument").as_deref()
                    == Some("CREATION_TIME")
        })
        .and_then(|tag| attribute(tag.attributes, "value"));
    let open = tags(source)
        .find(|tag| !tag.closing && tag.name == "TEXT")
        .ok_or("no <TEXT> element")?;
    let inner_start = open.end;
    let inner_end = tags(&source[inner_start..])
        .find(|tag| tag.closing && tag.name == "TEXT")
        .map(|tag| inner_start + tag.start)
        .ok_or("no </TEXT>")?;
    let inner = &source[inner_start..inner_end];

    let mut text = String::new();
    let mut length = 0usize;
    let mut timexes = Vec::new();
    let mut open_timex: Option<(usize, String, Option<String>)> = None;
    let mut position = 0usize;
    for tag in tags(inner) {
        let piece = decode_entities(&inner[position..tag.start], Entities::Xml);
        length += piece.chars().count();
        text.push_str(&piece);
        position = tag.end;
        if tag.name != "TIMEX3" {
            continue;
        }
        if tag.closing {
            let (start, timex_type, value) = open_timex
                .take()
                .ok_or_else(|| format!("</TIMEX3> without <TIMEX3> at code point {length}"))?;
            timexes.push(Timex {
                start,
                end: length,
                timex_type,
                value,
            });
        } else {
            let timex_type = attribute(tag.attributes, "type").unwrap_or_default();
            open_timex = Some((length, timex_type, attribute(tag.attributes, "value")));
        }
    }
    if open_timex.is_some() {
        return Err("<TIMEX3> not closed inside TEXT".into());
    }
    text.push_str(&decode_entities(&inner[position..], Entities::Xml));
    Ok(TimemlDocument { dct, text, timexes })
}

/// A tag found by [`tags`]: byte offsets of `<` and after `>`.
struct Tag<'a> {
    start: usize,
    end: usize,
    closing: bool,
    name: &'a str,
    attributes: &'a str,
}

/// The element tags of `source` in order (`<NAME ...>`, `</NAME>`, `<NAME/>`). Comments,
/// declarations and processing instructions are skipped as tags; a `<` that starts none of
/// these is text.
fn tags(source: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut from = 0usize;
    std::iter::from_fn(move || loop {
        let start = from + source[from..].find('<')?;
        let rest = &source[start..];
        if rest.starts_with("<!--") {
            from = start + rest.find("-->").map_or(rest.len(), |end| end + 3);
            let end = from;
            return Some(Tag {
                start,
                end,
                closing: false,
                name: "",
                attributes: "",
            });
        }
        let body_start = usize::from(rest[1..].starts_with('/')) + 1;
        let starts_name = rest[body_start..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_');
        let special = rest[1..].starts_with('!') || rest[1..].starts_with('?');
        let close = rest.find('>')?;
        if !starts_name && !special {
            from = start + 1;
            continue;
        }
        from = start + close + 1;
        let inside = rest[body_start..close].trim_end_matches('/');
        let name_end = inside
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inside.len());
        return Some(Tag {
            start,
            end: from,
            closing: body_start == 2,
            name: if special { "" } else { &inside[..name_end] },
            attributes: if special { "" } else { &inside[name_end..] },
        });
    })
}

/// The decoded value of attribute `name` (`name="..."` or `name='...'`).
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        let equals = rest.find('=')?;
        let key = rest[..equals].trim();
        let after = rest[equals + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let close = after[1..].find(quote)?;
        if key == name {
            return Some(decode_entities(&after[1..1 + close], Entities::Xml));
        }
        rest = &after[close + 2..];
    }
}

/// Appends the `.tml` files under `path` (recursively), or `path` itself when it is a file.
fn collect_tml(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let read_error = |source| EvalError::Read {
        path: path.display().to_string(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if metadata.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path).map_err(read_error)? {
        let entry_path = entry.map_err(read_error)?.path();
        if entry_path.is_dir() {
            collect_tml(&entry_path, files)?;
        } else if entry_path.extension().is_some_and(|ext| ext == "tml") {
            files.push(entry_path);
        }
    }
    Ok(())
}

/// `file` relative to the corpus root, with `/` separators (no paths of one machine).
fn relative_name(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() || relative.as_os_str().is_empty() {
        corpus_name(file)
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="2001-03-04T09:30" functionInDocument="CREATION_TIME">March 4</TIMEX3></DCT>
<TITLE>Old <TIMEX3 tid="t9" type="DATE" value="1999">1999</TIMEX3></TITLE>
<TEXT>
Café A&amp;B <EVENT eid="e1" class="OCCURRENCE">rose</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-03" functionInDocument="NONE">yesterday</TIMEX3> &lt;up&gt; for <TIMEX3 tid="t2" type="DURATION" value="P2Y">two years</TIMEX3>, as in <TIMEX3 tid="t3" type="DATE" value="PAST_REF">the past</TIMEX3>&#46;
</TEXT>
</TimeML>
"#;

    fn span(start: usize, end: usize, value: Option<&str>) -> ValuedSpan {
        ValuedSpan {
            start,
            end,
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn parsing_keeps_the_creation_time_and_code_point_offsets_in_the_stripped_text() {
        let document = parse_timeml(SAMPLE).unwrap();
        assert_eq!(document.dct.as_deref(), Some("2001-03-04T09:30"));
        assert_eq!(dct_date(document.dct.as_deref().unwrap()), "2001-03-04");
        assert_eq!(
            document.text,
            "\nCafé A&B rose yesterday <up> for two years, as in the past.\n"
        );
        assert_eq!(
            document.timexes.len(),
            3,
            "the TIMEX3 outside TEXT is not gold"
        );
        let chars: Vec<char> = document.text.chars().collect();
        let covered = |timex: &Timex| chars[timex.start..timex.end].iter().collect::<String>();
        assert_eq!(
            (document.timexes[0].start, document.timexes[0].end),
            (15, 24)
        );
        assert_eq!(covered(&document.timexes[0]), "yesterday");
        assert_eq!(document.timexes[0].timex_type, "DATE");
        assert_eq!(document.timexes[0].value.as_deref(), Some("2001-03-03"));
        assert_eq!(covered(&document.timexes[1]), "two years");
        assert_eq!(document.timexes[1].timex_type, "DURATION");
        assert_eq!(covered(&document.timexes[2]), "the past");
        assert_eq!(document.timexes[2].value.as_deref(), Some("PAST_REF"));
    }

    #[test]
    fn malformed_documents_are_refused() {
        assert!(parse_timeml("<TimeML><DCT/></TimeML>").is_err());
        assert!(parse_timeml("<TEXT>a <TIMEX3 type=\"DATE\">b</TEXT>").is_err());
        let bare = parse_timeml("<TEXT>a < b</TEXT>").unwrap();
        assert_eq!((bare.dct, bare.text.as_str()), (None, "a < b"));
    }

    #[test]
    fn entities_and_attributes_are_decoded() {
        assert_eq!(
            decode_entities(
                "&amp;&lt;&gt;&quot;&apos;&#233;&#x41;&nbsp;&",
                Entities::Xml
            ),
            "&<>\"'éA&nbsp;&"
        );
        assert_eq!(
            attribute(r#" a="1" value='x&amp;y' b="2""#, "value").as_deref(),
            Some("x&y")
        );
        assert_eq!(attribute(r#" valued="1""#, "value"), None);
    }

    #[test]
    fn values_are_lightly_normalised() {
        assert_eq!(normalise_value("1998-03-26TNI"), "1998-03-26");
        assert_eq!(normalise_value("1998-03-26T14:00"), "1998-03-26");
        assert_eq!(normalise_value("2000-W7"), "2000-W07");
        assert_eq!(normalise_value("2000-w7-WE"), "2000-W07-WE");
        assert_eq!(normalise_value("2000-W31"), "2000-W31");
        assert_eq!(normalise_value("199X"), "199");
        assert_eq!(normalise_value("19XX"), "19");
        assert_eq!(normalise_value("1989-XX"), "1989");
        assert_eq!(normalise_value("1989-XX-XX"), "1989");
        assert_eq!(normalise_value("1998-QX"), "1998");
        assert_eq!(normalise_value("2001-su"), "2001-SU");
        assert_eq!(normalise_value("XXXX-10-12"), "XXXX-10-12");
    }

    #[test]
    fn vague_gold_wants_a_null_value_and_null_is_wrong_otherwise() {
        assert!(value_matches(Some("PAST_REF"), None));
        assert!(!value_matches(Some("FUTURE_REF"), Some("2002")));
        assert!(!value_matches(Some("1998"), None));
        assert!(!value_matches(None, None));
        assert!(value_matches(Some("199X"), Some("199")));
        assert!(!value_matches(Some("1998-03"), Some("1998-03-26")));
    }

    #[test]
    fn matching_is_one_to_one_and_greedy_by_overlap() {
        // One prediction overlapping two gold spans goes to the larger overlap.
        let gold = [span(0, 4, Some("2001")), span(5, 15, Some("2001-03"))];
        let predicted = [span(3, 15, Some("2001-03"))];
        let counts = score_document(&gold, &predicted);
        assert_eq!(
            counts,
            Counts {
                gold: 2,
                predicted: 1,
                relaxed: 1,
                strict: 0,
                correct: 1
            }
        );

        // Exact, partial, wrong value, vague, spurious and missed in one document.
        let gold = [
            span(0, 9, Some("2001-03-03")),
            span(20, 30, Some("2001-W9")),
            span(40, 48, Some("PAST_REF")),
            span(60, 70, Some("2000")),
            span(80, 90, Some("1999")),
        ];
        let predicted = [
            span(0, 9, Some("2001-03-03T10:00")),
            span(22, 30, Some("2001-W09")),
            span(40, 48, None),
            span(60, 70, Some("2001")),
            span(100, 104, Some("2002")),
        ];
        let counts = score_document(&gold, &predicted);
        assert_eq!(
            counts,
            Counts {
                gold: 5,
                predicted: 5,
                relaxed: 4,
                strict: 3,
                correct: 3
            }
        );
        let (p, r, f) = precision_recall_f1(counts.correct, counts.predicted, counts.gold);
        assert_eq!((p, r, f), (0.6, 0.6, 0.6));
        assert_eq!(score_document(&[], &predicted).relaxed, 0);
        assert_eq!(score_document(&gold, &[span(9, 20, None)]).relaxed, 0);
    }

    #[test]
    fn outcomes_list_every_gold_and_predicted_date() {
        let text = "Talks began on Monday and end in March.";
        let gold = [
            span(15, 21, Some("2022-08-01")),
            span(33, 38, Some("2023-03")),
        ];
        let predicted = [span(15, 21, Some("2022-08-08")), span(0, 5, None)];
        let records = list_outcomes("doc", text, &gold, &predicted);
        let outcomes: Vec<&str> = records
            .iter()
            .map(|record| record["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(outcomes, ["wrong_value", "missed", "spurious"]);
        assert_eq!(records[0]["gold"], "Monday");
        assert_eq!(records[0]["predicted_value"], "2022-08-08");
        assert_eq!(records[1]["gold"], "March");
        assert_eq!(records[2]["predicted"], "Talks");
        assert!(records[1]["context"].as_str().unwrap().contains("[March]"));
    }

    #[test]
    fn a_directory_is_walked_recursively_and_repeated_files_count_once() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("a")).unwrap();
        std::fs::create_dir(root.path().join("b")).unwrap();
        std::fs::write(root.path().join("a/one.tml"), SAMPLE).unwrap();
        std::fs::write(root.path().join("b/one.tml"), SAMPLE).unwrap();
        std::fs::write(root.path().join("b/notes.txt"), "not TimeML").unwrap();
        let report = evaluate(root.path(), &Pipeline::new(), None).unwrap();
        assert_eq!(report.task, "dates");
        assert_eq!(report.details["documents"], 1);
        assert_eq!(
            report.details["duplicate_files_skipped"],
            json!(["b/one.tml"])
        );
        assert_eq!(report.details["gold_dates"], 2);
        assert_eq!(report.scores.len(), 5);
        assert!(report
            .scores
            .values()
            .all(|score| (0.0..=1.0).contains(score)));

        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            evaluate(empty.path(), &Pipeline::new(), None),
            Err(EvalError::Format { .. })
        ));
        assert!(matches!(
            evaluate(&empty.path().join("missing"), &Pipeline::new(), None),
            Err(EvalError::Read { .. })
        ));
    }
}
