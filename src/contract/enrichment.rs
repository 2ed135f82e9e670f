//! The `enrichment` object of the output contract (design.md section 3), and its encoding
//! from what the core found (an [`Analysis`] and its [`Document`]).
//!
//! These types are the wire format: field names here are what indexers rely on, so they are
//! only ever added to. Offsets are Unicode code points into the named field (end exclusive),
//! converted from the byte spans the NLP works with.

use crate::nlp::document::{DateMention, Document, Span};
use crate::nlp::Analysis;
use serde::{Deserialize, Serialize};

/// Bumped only when a field is renamed, removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Enrichment {
    pub schema_version: u32,
    pub article_id: String,
    pub enricher: EnricherInfo,
    pub language: String,
    /// Present when the text was converted from HTML; offsets then use `enrichment.text`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    pub entities: Vec<EntityOut>,
    pub dates: Vec<DateOut>,
    pub quotes: Vec<QuoteOut>,
    pub meetings: Vec<MeetingOut>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnricherInfo {
    pub version: String,
    pub model: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MentionOut {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GeoOut {
    pub geonames_id: Option<u32>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntityOut {
    pub id: String,
    #[serde(rename = "type")]
    pub entity_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub subtype: Option<String>,
    pub name: String,
    /// Other proper names of the entity in the article; added within schema version 1.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub key: String,
    pub roles: Vec<String>,
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub geo: Option<GeoOut>,
    pub salience: f64,
    pub mentions: Vec<MentionOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DateOut {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
    pub value: Option<String>,
    pub granularity: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpeakerOut {
    pub entity: Option<String>,
    pub name: String,
    pub mention: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuoteOut {
    pub kind: String,
    /// Set (and only then written) on a partial quote: the speaker's exact words quoted
    /// inside reported speech.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub speaker: Option<SpeakerOut>,
    pub cue: Option<String>,
    pub via: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParticipantOut {
    /// Null for an unnamed group ("delegates"), whose `name` is then its words.
    pub entity: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocationOut {
    pub entity: String,
    pub name: String,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpanOut {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MeetingOut {
    pub participants: Vec<ParticipantOut>,
    pub location: Option<LocationOut>,
    pub date: Option<DateOut>,
    pub occasion: Option<String>,
    pub topics: Vec<String>,
    pub status: String,
    pub cameo: String,
    pub trigger: SpanOut,
    pub evidence: SpanOut,
    /// Later words that report the same meeting ("the talks", "the meeting"), in text order;
    /// written only when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<SpanOut>,
}

/// Converts byte offsets of each field to code point offsets.
///
/// Built once per encode: for every field a table from byte offset to the number of code
/// points before it, so that each span costs O(1) however long the article is (counting the
/// prefix for every span would be quadratic on long articles).
struct OffsetMap<'a> {
    document: &'a Document,
    /// `chars_before[field][byte]`, for every byte offset `0..=len` of the field's text.
    chars_before: Vec<Vec<usize>>,
}

impl<'a> OffsetMap<'a> {
    fn new(document: &'a Document) -> OffsetMap<'a> {
        let chars_before = document
            .fields
            .iter()
            .map(|field| {
                let mut table = Vec::with_capacity(field.text.len() + 1);
                let mut count = 0;
                for &byte in field.text.as_bytes() {
                    table.push(count);
                    // Every byte but a UTF-8 continuation byte starts a code point.
                    if byte & 0xC0 != 0x80 {
                        count += 1;
                    }
                }
                table.push(count);
                table
            })
            .collect();
        OffsetMap {
            document,
            chars_before,
        }
    }

    fn chars(&self, field: usize, byte: usize) -> usize {
        self.chars_before[field][byte]
    }

    fn span(&self, span: Span) -> SpanOut {
        SpanOut {
            field: self.document.fields[span.field].name.clone(),
            start: self.chars(span.field, span.start),
            end: self.chars(span.field, span.end),
            text: self.document.text(span).to_string(),
        }
    }
}

/// Identity of the code that produced an enrichment.
pub fn enricher_info() -> EnricherInfo {
    EnricherInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        model: crate::nlp::MODEL_ID.to_string(),
    }
}

impl Enrichment {
    /// The enrichment of an article from the core's analysis of it. `converted_text` is the
    /// article's text converted from HTML, if it was; it is reported unless the article
    /// declared a language other than English.
    pub fn from_analysis(
        article_id: &str,
        analysis: &Analysis,
        converted_text: Option<&str>,
    ) -> Enrichment {
        let mut enrichment = if analysis.analysed {
            Enrichment::from_document(article_id, &analysis.document)
        } else {
            Enrichment::empty(article_id, &analysis.language)
        };
        enrichment.warnings = analysis.warnings.clone();
        if analysis.analysed || !analysis.declared {
            enrichment.text = converted_text.map(str::to_string);
        }
        enrichment
    }

    /// An enrichment with nothing found, for articles the pipeline does not analyse
    /// (another language).
    fn empty(article_id: &str, language: &str) -> Enrichment {
        Enrichment {
            schema_version: SCHEMA_VERSION,
            article_id: article_id.to_string(),
            enricher: enricher_info(),
            language: language.to_string(),
            text: None,
            entities: Vec::new(),
            dates: Vec::new(),
            quotes: Vec::new(),
            meetings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Encodes what the pipeline found in `document` (English text; no warnings).
    fn from_document(article_id: &str, document: &Document) -> Enrichment {
        let offsets = OffsetMap::new(document);
        let entity_id = |index: usize| format!("e{}", index + 1);
        let entities = document
            .entities
            .iter()
            .enumerate()
            .map(|(index, entity)| EntityOut {
                id: entity_id(index),
                entity_type: entity.entity_type.as_str().to_string(),
                subtype: entity.subtype.clone(),
                name: entity.name.clone(),
                aliases: entity.aliases.clone(),
                key: entity.key.clone(),
                roles: entity.roles.clone(),
                country: entity.country.clone(),
                geo: entity.geo.as_ref().map(|geo| GeoOut {
                    geonames_id: geo.geonames_id,
                    country: geo.country.clone(),
                    lat: geo.lat,
                    lon: geo.lon,
                }),
                salience: (entity.salience * 1000.0).round() / 1000.0,
                mentions: entity
                    .mentions
                    .iter()
                    .map(|&mention| {
                        let mention = &document.mentions[mention];
                        let span = offsets.span(mention.span);
                        MentionOut {
                            field: span.field,
                            start: span.start,
                            end: span.end,
                            text: span.text,
                            kind: mention.kind.as_str().to_string(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let date_out = |date: &DateMention| {
            let span = offsets.span(date.span);
            DateOut {
                field: span.field,
                start: span.start,
                end: span.end,
                text: span.text,
                kind: date.kind.as_str().to_string(),
                value: date.value.clone(),
                granularity: date.granularity.map(|g| g.as_str().to_string()),
            }
        };
        let dates = document.dates.iter().map(date_out).collect();
        let quotes = document
            .quotes
            .iter()
            .map(|quote| {
                let span = offsets.span(quote.span);
                QuoteOut {
                    kind: quote.kind.as_str().to_string(),
                    partial: quote.partial,
                    field: span.field,
                    start: span.start,
                    end: span.end,
                    text: span.text,
                    speaker: quote.speaker.as_ref().map(|speaker| SpeakerOut {
                        entity: speaker.entity.map(entity_id),
                        name: speaker
                            .entity
                            .map(|entity| document.entities[entity].name.clone())
                            .unwrap_or_else(|| document.text(speaker.mention).to_string()),
                        mention: document.text(speaker.mention).to_string(),
                    }),
                    cue: quote.cue.map(|cue| document.text(cue).to_string()),
                    via: quote.via.map(|via| document.text(via).to_string()),
                }
            })
            .collect();
        let meetings = document
            .meetings
            .iter()
            .map(|meeting| MeetingOut {
                participants: meeting
                    .participants
                    .iter()
                    .map(|&entity| ParticipantOut {
                        entity: Some(entity_id(entity)),
                        name: document.entities[entity].name.clone(),
                    })
                    .chain(meeting.groups.iter().map(|&group| ParticipantOut {
                        entity: None,
                        name: document.text(group).to_string(),
                    }))
                    .collect(),
                location: meeting.location.map(|entity| LocationOut {
                    entity: entity_id(entity),
                    name: document.entities[entity].name.clone(),
                    country: document.entities[entity].country.clone(),
                }),
                date: meeting.date.map(|date| date_out(&document.dates[date])),
                occasion: meeting.occasion.map(|span| document.text(span).to_string()),
                topics: meeting
                    .topics
                    .iter()
                    .map(|&span| document.text(span).to_string())
                    .collect(),
                status: meeting.status.as_str().to_string(),
                cameo: meeting.cameo.clone(),
                trigger: offsets.span(meeting.trigger),
                evidence: offsets.span(meeting.evidence),
                mentions: meeting
                    .mentions
                    .iter()
                    .map(|&span| offsets.span(span))
                    .collect(),
            })
            .collect();
        Enrichment {
            schema_version: SCHEMA_VERSION,
            article_id: article_id.to_string(),
            enricher: enricher_info(),
            language: "en".to_string(),
            text: None,
            entities,
            dates,
            quotes,
            meetings,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;

    #[test]
    fn offsets_are_code_points_in_every_field() {
        let document = Document {
            fields: vec![
                Field {
                    name: "title".into(),
                    text: "Ñandú visit".into(),
                },
                Field {
                    name: "body".into(),
                    text: "“Zoë” met 東京 officials 🙂 in Oslo.".into(),
                },
            ],
            ..Document::default()
        };
        let offsets = OffsetMap::new(&document);
        let body = &document.fields[1].text;
        for needle in ["“", "Zoë", "東京", "🙂", "Oslo", "."] {
            let byte = body.find(needle).unwrap();
            let out = offsets.span(Span::new(1, byte, byte + needle.len()));
            let slice: String = body
                .chars()
                .skip(out.start)
                .take(out.end - out.start)
                .collect();
            assert_eq!((out.field.as_str(), slice.as_str()), ("body", needle));
            assert_eq!(out.text, needle);
        }
        let visit = offsets.span(Span::new(0, "Ñandú ".len(), "Ñandú visit".len()));
        assert_eq!(
            (visit.field.as_str(), visit.start, visit.end),
            ("title", 6, 11)
        );
        assert_eq!(offsets.chars(1, body.len()), body.chars().count());
    }
}
