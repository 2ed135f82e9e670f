//! Input decoding of articles (design.md section 2), and their output encoding.
//!
//! [`Article::decode`] turns the bytes a scraper sent into an [`Article`]: it finds the text
//! under any of the accepted field names (first found wins), converts HTML to text when there
//! is no text field, parses the publication time and derives the id. The original JSON object
//! is kept as it came so that [`Article::encode`] writes it back unchanged with one
//! `enrichment` key added. Nothing here knows about NATS, and it knows the NLP core only
//! through the core's plain input type ([`Article::input`] gives an [`Input`]).

use super::enrichment::Enrichment;
use super::html::html_to_text;
use crate::nlp::{Input, TextField};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ops::Range;

/// Field names that may carry the article text, in order of preference.
pub const TEXT_FIELDS: &[&str] = &["body", "text", "content", "maintext", "article"];
/// Field names that may carry HTML, used only when there is no text field.
pub const HTML_FIELDS: &[&str] = &["html", "raw_html"];
/// Field names that may carry the title.
pub const TITLE_FIELDS: &[&str] = &["title", "headline"];
/// Field names that may carry the publication time.
pub const PUBLISHED_FIELDS: &[&str] = &[
    "published_at",
    "date",
    "date_publish",
    "publish_date",
    "pubDate",
];
/// The field name used for text converted from HTML.
pub const CONVERTED_TEXT_FIELD: &str = "enrichment.text";

/// Why a message cannot be turned into an article. Every variant is permanent: sending the
/// same bytes again can never succeed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("payload is not valid UTF-8 (invalid byte at offset {0}); send UTF-8 encoded JSON")]
    InvalidUtf8(usize),
    #[error("payload is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("payload is JSON but not an object; send one JSON object per message")]
    NotAnObject,
    #[error("no article text: expected a non-empty string in one of body, text, content, maintext, article, html or raw_html")]
    NoText,
    #[error("field `{0}` must be a string")]
    FieldNotAString(String),
    #[error("payload is {size} bytes, more than the limit of {limit} (worker.max_input_bytes); send a shorter article or raise the limit")]
    TooLarge { size: usize, limit: usize },
}

impl DecodeError {
    /// Every [`DecodeError::kind`], for metrics declared up front.
    pub const KINDS: &'static [&'static str] = &[
        "invalid_utf8",
        "invalid_json",
        "not_an_object",
        "no_text",
        "invalid_field",
        "input_too_large",
    ];

    /// A short machine-readable name of the error, used in DLQ messages and error lines.
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::InvalidUtf8(_) => "invalid_utf8",
            DecodeError::InvalidJson(_) => "invalid_json",
            DecodeError::NotAnObject => "not_an_object",
            DecodeError::NoText => "no_text",
            DecodeError::FieldNotAString(_) => "invalid_field",
            DecodeError::TooLarge { .. } => "input_too_large",
        }
    }
}

/// A decoded article: the message as received, and where its text, title, publication
/// time and language are. The text is read from the message itself, not copied (only text
/// converted from HTML is held apart).
#[derive(Debug, Clone)]
pub struct Article {
    /// The message as received, key order kept.
    raw: Map<String, Value>,
    /// The message's JSON text, when it was decoded from bytes: the output copies the values
    /// from it, so that every number token comes back as it came.
    source: Option<Source>,
    /// The article id: `id`, else derived from `url`, else a hash of title and text.
    pub id: String,
    /// The key of the title, if any.
    title_field: Option<&'static str>,
    /// The key of the body text; `enrichment.text` when it was converted from HTML.
    body_field: &'static str,
    /// The text converted from HTML, when there was no text field.
    converted: Option<String>,
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The declared language, if any (`language`, `lang`).
    pub language: Option<String>,
    /// What was wrong with the input without making it unusable (an unreadable publication
    /// time), for `enrichment.warnings`.
    warnings: Vec<String>,
}

impl Article {
    /// Decodes one message payload of at most `limit` bytes.
    pub fn decode_within(payload: &[u8], limit: usize) -> Result<Article, DecodeError> {
        if payload.len() > limit {
            return Err(DecodeError::TooLarge {
                size: payload.len(),
                limit,
            });
        }
        Article::decode(payload)
    }

    /// Decodes one message payload.
    pub fn decode(payload: &[u8]) -> Result<Article, DecodeError> {
        let text = std::str::from_utf8(payload)
            .map_err(|error| DecodeError::InvalidUtf8(error.valid_up_to()))?;
        let value: Value = serde_json::from_str(text)
            .map_err(|error| DecodeError::InvalidJson(error.to_string()))?;
        let mut article = match value {
            Value::Object(raw) => Article::from_object(raw)?,
            _ => return Err(DecodeError::NotAnObject),
        };
        article.source = Source::new(text, &article.raw);
        Ok(article)
    }

    /// Builds an article from a JSON object.
    pub fn from_object(raw: Map<String, Value>) -> Result<Article, DecodeError> {
        let title_field = first_string(&raw, TITLE_FIELDS, false)?.map(|(name, _)| name);
        let (body_field, converted) = match first_string(&raw, TEXT_FIELDS, true)? {
            Some((name, _)) => (name, None),
            None => match first_string(&raw, HTML_FIELDS, true)? {
                Some((_, html)) => (CONVERTED_TEXT_FIELD, Some(html_to_text(html))),
                None => return Err(DecodeError::NoText),
            },
        };
        let (published_at, warnings) = publication_time(&raw);
        let language = ["language", "lang"]
            .iter()
            .find_map(|name| raw.get(*name).and_then(Value::as_str))
            .map(str::to_string);
        let mut article = Article {
            raw,
            source: None,
            id: String::new(),
            title_field,
            body_field,
            converted,
            published_at,
            language,
            warnings,
        };
        if article.body().text.trim().is_empty() {
            return Err(DecodeError::NoText);
        }
        article.id = article_id(&article.raw, article.title(), article.body());
        Ok(article)
    }

    /// The message as received.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }

    /// The message as received, taken out of the article.
    pub fn into_raw(self) -> Map<String, Value> {
        self.raw
    }

    /// The title and the key it came from, if any.
    pub fn title(&self) -> Option<TextField<'_>> {
        self.title_field.map(|name| TextField {
            name,
            text: self.string(name),
        })
    }

    /// The body text and the key it came from (`enrichment.text` when converted from HTML).
    pub fn body(&self) -> TextField<'_> {
        TextField {
            name: self.body_field,
            text: self
                .converted
                .as_deref()
                .unwrap_or_else(|| self.string(self.body_field)),
        }
    }

    /// The text converted from HTML, when the article had no text field.
    pub fn converted_text(&self) -> Option<&str> {
        self.converted.as_deref()
    }

    /// Warnings about the input itself, reported first in `enrichment.warnings`.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// What the NLP core reads: the title and body (borrowed), publication time and
    /// declared language.
    pub fn input(&self) -> Input<'_> {
        Input {
            fields: self.title().into_iter().chain([self.body()]).collect(),
            published_at: self.published_at,
            language: self.language.as_deref(),
        }
    }

    fn string(&self, name: &str) -> &str {
        self.raw.get(name).and_then(Value::as_str).unwrap_or("")
    }

    /// Words as the product's speed is counted: the title and body split on whitespace.
    pub fn word_count(&self) -> usize {
        let title = self.title().map_or("", |title| title.text);
        title.split_whitespace().count() + self.body().text.split_whitespace().count()
    }

    /// The JSON of the enriched article: the input object with `enrichment` added.
    /// An `enrichment` key already in the input keeps its place and gets the new value. The
    /// JSON is written straight from the input and the enrichment, with no copy of either.
    pub fn encode(&self, enrichment: &Enrichment) -> Vec<u8> {
        if let Some(source) = &self.source {
            return self.encode_from(source, enrichment);
        }
        let output = EnrichedArticle {
            raw: &self.raw,
            enrichment,
        };
        serde_json::to_vec(&output).expect("a JSON object is always serializable")
    }
}

impl Article {
    /// [`Article::encode`] from the message's text: the same output as the encoding of the
    /// parsed values, but with each number token copied as it came.
    fn encode_from(&self, source: &Source, enrichment: &Enrichment) -> Vec<u8> {
        const KEY: &str = "enrichment";
        const INFALLIBLE: &str = "strings and the enrichment are always serializable";
        let mut out = Vec::with_capacity(source.text.len() + 4096);
        out.push(b'{');
        let mut replaced = false;
        for (index, (key, span)) in self.raw.keys().zip(&source.values).enumerate() {
            if index > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, key).expect(INFALLIBLE);
            out.push(b':');
            if key == KEY {
                serde_json::to_writer(&mut out, enrichment).expect(INFALLIBLE);
                replaced = true;
            } else {
                write_compact(&source.text[span.clone()], &mut out);
            }
        }
        if !replaced {
            if !self.raw.is_empty() {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, KEY).expect(INFALLIBLE);
            out.push(b':');
            serde_json::to_writer(&mut out, enrichment).expect(INFALLIBLE);
        }
        out.push(b'}');
        out
    }
}

/// The JSON text of a message and where the value of each key of its parsed object lies in
/// it.
#[derive(Debug, Clone)]
struct Source {
    text: String,
    /// For each key of the parsed object, in its order, the span of its value in `text` (of
    /// a key given twice the last value, as the parsed object holds it).
    values: Vec<Range<usize>>,
}

impl Source {
    /// The source of `raw`, parsed from `text`; `None` when they do not match (never for an
    /// object parsed from that text).
    fn new(text: &str, raw: &Map<String, Value>) -> Option<Source> {
        let Members(members) = serde_json::from_str(text).ok()?;
        let start = text.as_ptr() as usize;
        let mut last = HashMap::with_capacity(members.len());
        for (key, value) in &members {
            let offset = (value.get().as_ptr() as usize).checked_sub(start)?;
            let span = offset..offset + value.get().len();
            text.get(span.clone())?;
            last.insert(key.as_str(), span);
        }
        let values = raw
            .keys()
            .map(|key| last.get(key.as_str()).cloned())
            .collect::<Option<Vec<_>>>()?;
        Some(Source {
            text: text.to_string(),
            values,
        })
    }
}

/// The members of a JSON object in their order, each value as its text in the input.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// Writes `json`, the valid JSON text of one value, as serde_json writes the parsed value
/// (no white space between tokens, strings with the minimal escapes), except that number
/// tokens are copied as they are.
fn write_compact(json: &str, out: &mut Vec<u8>) {
    let bytes = json.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            b'"' => {
                let mut end = at + 1;
                let mut escaped = false;
                while bytes[end] != b'"' {
                    if bytes[end] == b'\\' {
                        escaped = true;
                        end += 1;
                    }
                    end += 1;
                }
                end += 1;
                let token = &json[at..end];
                if escaped {
                    let text: String =
                        serde_json::from_str(token).expect("a string token of valid JSON");
                    serde_json::to_writer(&mut *out, &text).expect("a string is serializable");
                } else {
                    // Valid JSON holds no control character in a string, so without a
                    // backslash the token is already as serde_json writes it.
                    out.extend_from_slice(token.as_bytes());
                }
                at = end;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
}

/// The output object: the input's keys in their order, with `enrichment` set.
struct EnrichedArticle<'a> {
    raw: &'a Map<String, Value>,
    enrichment: &'a Enrichment,
}

impl serde::Serialize for EnrichedArticle<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        const KEY: &str = "enrichment";
        let replaces = self.raw.contains_key(KEY);
        let mut map = serializer.serialize_map(Some(self.raw.len() + usize::from(!replaces)))?;
        for (key, value) in self.raw {
            if key == KEY {
                map.serialize_entry(KEY, self.enrichment)?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        if !replaces {
            map.serialize_entry(KEY, self.enrichment)?;
        }
        map.end()
    }
}

/// The first of the `names` that `raw` holds as a string (`null` counts as absent; with
/// `skip_blank`, so does a string of white space alone), with the name it was found under;
/// an error when one before it holds something else.
fn first_string<'a>(
    raw: &'a Map<String, Value>,
    names: &[&'static str],
    skip_blank: bool,
) -> Result<Option<(&'static str, &'a str)>, DecodeError> {
    for name in names {
        match raw.get(*name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(text)) if skip_blank && text.trim().is_empty() => continue,
            Some(Value::String(text)) => return Ok(Some((name, text))),
            Some(_) => return Err(DecodeError::FieldNotAString(name.to_string())),
        }
    }
    Ok(None)
}

fn article_id(raw: &Map<String, Value>, title: Option<TextField>, body: TextField) -> String {
    match raw.get("id") {
        Some(Value::String(id)) if !id.is_empty() => return id.clone(),
        Some(Value::Number(id)) => return id.to_string(),
        _ => {}
    }
    if let Some(url) = raw
        .get("url")
        .and_then(Value::as_str)
        .filter(|url| !url.is_empty())
    {
        return format!("url-{}", short_hash(url.as_bytes()));
    }
    let mut hasher = Sha256::new();
    hasher.update(title.map(|title| title.text).unwrap_or("").as_bytes());
    hasher.update([0u8]);
    hasher.update(body.text.as_bytes());
    format!("text-{}", hex(&hasher.finalize()[..12]))
}

/// A hex SHA-256 prefix (24 hex digits, 96 bits) of `bytes`: stable across processes.
pub fn short_hash(bytes: &[u8]) -> String {
    short_hash_of_parts(&[bytes])
}

/// [`short_hash`] of the parts one after another, without joining them first.
pub fn short_hash_of_parts(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hex(&hasher.finalize()[..12])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// How much of an unreadable publication time a warning quotes, in characters.
const QUOTED_CHARS: usize = 60;

/// The publication time: the first of [`PUBLISHED_FIELDS`] that holds a readable one (a
/// string [`parse_timestamp`] reads, or a number read the same way as its digits), and a
/// warning for each present but unreadable one met before it. `null` and blank strings count
/// as absent.
fn publication_time(raw: &Map<String, Value>) -> (Option<DateTime<FixedOffset>>, Vec<String>) {
    let mut warnings = Vec::new();
    for name in PUBLISHED_FIELDS {
        let Some(value) = raw.get(*name) else {
            continue;
        };
        let time = match value {
            Value::Null => continue,
            Value::String(text) if text.trim().is_empty() => continue,
            Value::String(text) => parse_timestamp(text),
            Value::Number(number) => parse_timestamp(&number.to_string()),
            _ => None,
        };
        match time {
            Some(time) => return (Some(time), warnings),
            None => warnings.push(unreadable_time(name, value)),
        }
    }
    (None, warnings)
}

/// The warning for an unreadable publication time: the field, its value (JSON, cut to
/// [`QUOTED_CHARS`] characters) and what to send instead.
fn unreadable_time(name: &str, value: &Value) -> String {
    let cut = |text: &str| -> (String, &'static str) {
        let kept: String = text.chars().take(QUOTED_CHARS).collect();
        let more = if kept.len() < text.len() { "…" } else { "" };
        (kept, more)
    };
    let shown = match value {
        Value::String(text) => {
            let (kept, more) = cut(text);
            format!("{}{more}", Value::String(kept))
        }
        other => {
            let (kept, more) = cut(&other.to_string());
            format!("{kept}{more}")
        }
    };
    format!(
        "publication time `{name}` is unreadable and was ignored: {shown}; send RFC 3339 such \
         as 2022-08-05T14:30:00Z"
    )
}

/// Parses RFC 3339 and the common formats scrapers emit. A time without an offset is UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    if let Ok(time) = DateTime::parse_from_rfc2822(text) {
        return Some(time);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    let utc = FixedOffset::east_opt(0).expect("zero offset is valid");
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(utc.from_utc_datetime(&time));
        }
    }
    for format in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d %B %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%Y%m%d",
    ] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            let time = date.and_hms_opt(0, 0, 0)?;
            return Some(utc.from_utc_datetime(&time));
        }
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return Utc
            .timestamp_opt(seconds, 0)
            .single()
            .map(|time| time.with_timezone(&utc));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(object: &Value) -> Vec<&str> {
        object
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn the_output_keeps_the_input_keys_in_order_and_sets_enrichment_in_place() {
        let enrichment = crate::contract::enrichment_of(
            &crate::nlp::Pipeline::new(),
            &Article::decode(br#"{"id": "e", "body": "Anna Berg met Omar Haddad in Oslo."}"#)
                .unwrap(),
        );
        let expected_enrichment = serde_json::to_value(&enrichment).unwrap();
        // Appended after the input's keys.
        let article =
            Article::decode(br#"{"z": 1, "id": "e", "body": "Text.", "a": [true]}"#).unwrap();
        let output: Value = serde_json::from_slice(&article.encode(&enrichment)).unwrap();
        assert_eq!(keys(&output), ["z", "id", "body", "a", "enrichment"]);
        assert_eq!(output["enrichment"], expected_enrichment);
        assert_eq!(output["a"], serde_json::json!([true]));
        // An input `enrichment` keeps its place and is replaced.
        let article = Article::decode(br#"{"enrichment": "old", "body": "Text."}"#).unwrap();
        let output: Value = serde_json::from_slice(&article.encode(&enrichment)).unwrap();
        assert_eq!(keys(&output), ["enrichment", "body"]);
        assert_eq!(output["enrichment"], expected_enrichment);
    }

    #[test]
    fn the_output_copies_number_tokens_and_writes_the_rest_as_the_parsed_values() {
        let text = r#" { "a" : [ 1 , { "b\u00e9\/" : "x\u00e9\/\"\\\n\t\u0001 y" } , true , null ] ,
            "body" : "Text.", "a" : "last", "n" : [1E2, -0, 1.50] } "#;
        let article = Article::decode(text.as_bytes()).unwrap();
        let enrichment = crate::contract::enrichment_of(&crate::nlp::Pipeline::new(), &article);
        let from_text = String::from_utf8(article.encode(&enrichment)).unwrap();
        let values = Article::from_object(article.raw().clone()).unwrap();
        let from_values = String::from_utf8(values.encode(&enrichment)).unwrap();
        assert!(from_text.starts_with(r#"{"a":"last","body":"Text.","n":[1E2,-0,1.50],"#));
        assert_eq!(from_text.replace("1E2", "1e+2"), from_values);
        let output: Value = serde_json::from_str(&from_text).unwrap();
        assert_eq!(
            output["enrichment"],
            serde_json::to_value(&enrichment).unwrap()
        );
        let nested = r#"{"a":[1,{"bé/":"xé/\"\\\n\t\u0001 y"},true,null],"body""#;
        let article = Article::decode(format!("{nested}:\"Text.\"}}").as_bytes()).unwrap();
        assert!(String::from_utf8(article.encode(&enrichment))
            .unwrap()
            .starts_with(nested));
    }

    #[test]
    fn finds_fields_by_alias_and_keeps_the_rest() {
        let article = Article::decode(
            br#"{"headline": "H", "maintext": "Some text.", "date_publish": "2022-08-05 14:30:00", "url": "https://x/y", "extra": [1, 2]}"#,
        )
        .unwrap();
        assert_eq!(article.title().unwrap().name, "headline");
        assert_eq!(article.body().name, "maintext");
        assert_eq!(
            article.published_at.unwrap().to_rfc3339(),
            "2022-08-05T14:30:00+00:00"
        );
        assert!(article.id.starts_with("url-"));
        assert_eq!(article.raw()["extra"], serde_json::json!([1, 2]));
    }

    #[test]
    fn rejects_what_can_never_be_an_article() {
        assert_eq!(
            Article::decode(b"\xff\xfe").unwrap_err().kind(),
            "invalid_utf8"
        );
        assert_eq!(
            Article::decode(b"{not json").unwrap_err().kind(),
            "invalid_json"
        );
        assert_eq!(Article::decode(b"[1]").unwrap_err().kind(), "not_an_object");
        assert_eq!(
            Article::decode(br#"{"title": "x"}"#).unwrap_err().kind(),
            "no_text"
        );
        assert_eq!(
            Article::decode(br#"{"body": 3}"#).unwrap_err().kind(),
            "invalid_field"
        );
    }

    #[test]
    fn converts_html_when_there_is_no_text() {
        let article = Article::decode(
            br#"{"html": "<html><head><script>var x = '<p>';</script></head><body><h1>Title</h1><p>One &amp; two.</p><p>Three&#8217;s</p></body></html>"}"#,
        )
        .unwrap();
        assert_eq!(article.body().name, CONVERTED_TEXT_FIELD);
        assert_eq!(article.body().text, "Title\n\nOne & two.\n\nThree’s");
    }

    #[test]
    fn ids_are_stable() {
        let a = Article::decode(br#"{"body": "x"}"#).unwrap();
        let b = Article::decode(br#"{"body": "x"}"#).unwrap();
        assert_eq!(a.id, b.id);
        let numeric = Article::decode(br#"{"id": 42, "body": "x"}"#).unwrap();
        assert_eq!(numeric.id, "42");
    }
}
