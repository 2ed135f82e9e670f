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
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

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
        match value {
            Value::Object(raw) => Article::from_object(raw),
            _ => Err(DecodeError::NotAnObject),
        }
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
        let published_at = PUBLISHED_FIELDS
            .iter()
            .filter_map(|name| raw.get(*name))
            .find_map(|value| value.as_str().and_then(parse_timestamp));
        let language = ["language", "lang"]
            .iter()
            .find_map(|name| raw.get(*name).and_then(Value::as_str))
            .map(str::to_string);
        let mut article = Article {
            raw,
            id: String::new(),
            title_field,
            body_field,
            converted,
            published_at,
            language,
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
        let output = EnrichedArticle {
            raw: &self.raw,
            enrichment,
        };
        serde_json::to_vec(&output).expect("a JSON object is always serializable")
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
    hex(&Sha256::digest(bytes)[..12])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
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
