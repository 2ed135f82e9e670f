//! The working state of one article inside the NLP pipeline.
//!
//! A [`Document`] holds the article's text fields, their tokens and sentences, and what each
//! stage has found so far. Stages read what earlier stages wrote and append their own
//! results. All spans here are **byte** offsets into one field's text (cheap to slice in
//! Rust); they become Unicode code point offsets only when the result is encoded
//! (by the contract above the core). Nothing here does I/O.

use chrono::{DateTime, FixedOffset};
use std::ops::Range;

/// Index of a field in [`Document::fields`].
pub type FieldId = usize;

/// A span of text: byte offsets `start..end` into the text of field `field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub field: FieldId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(field: FieldId, start: usize, end: usize) -> Self {
        Span { field, start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when both spans are in the same field and share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.field == other.field && self.start < other.end && other.start < self.end
    }

    /// True when `other` lies inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.field == other.field && self.start <= other.start && other.end <= self.end
    }
}

/// One text field of the article (`title`, `body`, `enrichment.text`, ...).
#[derive(Debug, Clone)]
pub struct Field {
    /// The key the text came from, echoed in every offset of the output.
    pub name: String,
    pub text: String,
}

/// A token: a word, a number or a punctuation mark.
#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    /// Index into [`Document::sentences`].
    pub sentence: usize,
    /// Where the token's normalised form lies in [`Document::lowered`] (see
    /// [`Document::token_lower`]).
    pub lower: Range<u32>,
}

/// A sentence; sentences never cross a paragraph or a field.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Span,
    /// Indices into [`Document::tokens`].
    pub tokens: Range<usize>,
    /// Paragraph number, counted across the whole document (title is paragraph 0 when present).
    pub paragraph: usize,
}

/// CoNLL-compatible entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    Person,
    Organization,
    Location,
    Misc,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Location => "location",
            EntityType::Misc => "misc",
        }
    }
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// A proper name: "Daniel Okafor", "Okafor", "Reuters".
    Name,
    /// A description: "the Nigerian Foreign Minister", "the minister".
    Nominal,
    /// A pronoun: "he", "she", "they".
    Pronoun,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Nominal => "nominal",
            MentionKind::Pronoun => "pronoun",
        }
    }
}

/// One mention of an entity in the text.
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Span,
    pub kind: MentionKind,
    /// Index into [`Document::entities`].
    pub entity: usize,
    /// Index into [`Document::sentences`].
    pub sentence: usize,
}

/// Coordinates and identifiers of a geocoded place.
#[derive(Debug, Clone, PartialEq)]
pub struct Geo {
    pub geonames_id: Option<u32>,
    /// ISO 3166-1 alpha-2 code of the country the place is in.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// One real-world thing mentioned in the article.
#[derive(Debug, Clone)]
pub struct Entity {
    pub entity_type: EntityType,
    /// Refinement of the type: `country`, `city`, `region`, `nationality`, `event`, ...
    pub subtype: Option<String>,
    /// The fullest proper name found in the article.
    pub name: String,
    /// The entity's other proper names in the article ("Lavrov", "UN"), in order of first
    /// appearance; never `name` itself.
    pub aliases: Vec<String>,
    /// Stable across articles: `geonames:<id>`, `person:<slug>`, `organization:<slug>`, ...
    pub key: String,
    /// Roles and titles held ("Foreign Minister").
    pub roles: Vec<String>,
    /// ISO 3166-1 alpha-2 code of the country the entity belongs to or is in.
    pub country: Option<String>,
    pub geo: Option<Geo>,
    /// Relative prominence in the article, 0..=1.
    pub salience: f64,
    /// Indices into [`Document::mentions`], in text order.
    pub mentions: Vec<usize>,
}

/// Granularity of a normalised date value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Day,
    Week,
    Month,
    Quarter,
    Season,
    Year,
    Decade,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Season => "season",
            Granularity::Year => "year",
            Granularity::Decade => "decade",
        }
    }
}

/// Whether a temporal expression names a point in the calendar or a length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemporalKind {
    Date,
    Duration,
}

impl TemporalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemporalKind::Date => "date",
            TemporalKind::Duration => "duration",
        }
    }
}

/// A temporal expression with its value resolved against the publication time.
#[derive(Debug, Clone)]
pub struct DateMention {
    pub span: Span,
    pub kind: TemporalKind,
    /// TIMEX3 value (`2022-07-07`, `2022-W31`, `199`), or `None` when no calendar value fits.
    pub value: Option<String>,
    pub granularity: Option<Granularity>,
}

/// Direct speech (in quotation marks) or reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    Direct,
    Indirect,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// Who said a quote.
#[derive(Debug, Clone)]
pub struct Speaker {
    /// Index into [`Document::entities`], when the speaker was resolved to one.
    pub entity: Option<usize>,
    /// The words in the text that name the speaker ("the Nigerian Foreign Minister", "he").
    pub mention: Span,
}

/// A quote: its content span, speaker, cue and the outlet it came through.
#[derive(Debug, Clone)]
pub struct Quote {
    pub kind: QuoteKind,
    /// A direct quote of a few of the speaker's words inside reported speech.
    pub partial: bool,
    /// The quoted content, without the quotation marks.
    pub span: Span,
    pub speaker: Option<Speaker>,
    /// The speech verb or phrase ("said", "according to").
    pub cue: Option<Span>,
    /// The outlet the quote came through ("Reuters" in "quoted by Reuters").
    pub via: Option<Span>,
}

/// Whether a meeting happened, is to happen or was called off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    Held,
    Planned,
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Held => "held",
            MeetingStatus::Planned => "planned",
            MeetingStatus::Cancelled => "cancelled",
        }
    }
}

/// A meeting between parties reported in the article.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// Indices into [`Document::entities`].
    pub participants: Vec<usize>,
    /// Participants without a name: the words of a group ("delegates", "state officials").
    pub groups: Vec<Span>,
    /// Index into [`Document::entities`] of the place.
    pub location: Option<usize>,
    /// Index into [`Document::dates`].
    pub date: Option<usize>,
    /// "on the sidelines of the summit", "during a visit to ...".
    pub occasion: Option<Span>,
    /// Subjects discussed ("cooperation in the field of security").
    pub topics: Vec<Span>,
    pub status: MeetingStatus,
    /// CAMEO consult code, "040" to "046".
    pub cameo: String,
    /// The word that reports the meeting ("met", "talks").
    pub trigger: Span,
    /// The sentence that carries it.
    pub evidence: Span,
    /// Later words that report the same meeting ("the talks"), in text order.
    pub mentions: Vec<Span>,
}

/// The article as the pipeline sees it, plus everything found so far.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub fields: Vec<Field>,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub tokens: Vec<Token>,
    /// The normalised forms of all tokens, one after another (see [`Document::token_lower`]).
    pub lowered: String,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateMention>,
    pub quotes: Vec<Quote>,
    pub meetings: Vec<Meeting>,
    /// Human-readable notes about partial results.
    pub warnings: Vec<String>,
}

impl Document {
    /// The text a span covers.
    pub fn text(&self, span: Span) -> &str {
        &self.fields[span.field].text[span.start..span.end]
    }

    /// Adds mentions found by a later stage, keeping [`Document::mentions`] in text order and
    /// each entity's mention indices in step with it.
    pub fn add_mentions(&mut self, added: Vec<Mention>) {
        if added.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.mentions);
        all.extend(added);
        all.sort_by_key(|mention| (mention.span.field, mention.span.start, mention.span.end));
        for entity in &mut self.entities {
            entity.mentions.clear();
        }
        for (index, mention) in all.iter().enumerate() {
            if let Some(entity) = self.entities.get_mut(mention.entity) {
                entity.mentions.push(index);
            }
        }
        self.mentions = all;
    }

    /// The tokens of sentence `index`.
    pub fn sentence_tokens(&self, index: usize) -> &[Token] {
        &self.tokens[self.sentences[index].tokens.clone()]
    }

    /// The text of token `index`.
    pub fn token_text(&self, index: usize) -> &str {
        self.text(self.tokens[index].span)
    }

    /// The normalised form of token `index`: lower case, with `’` written `'`. Computed once
    /// by the tokeniser; every stage compares words in this form.
    pub fn token_lower(&self, index: usize) -> &str {
        let range = &self.tokens[index].lower;
        &self.lowered[range.start as usize..range.end as usize]
    }

    /// The span from the start of the first to the end of the last of `tokens` (non-empty,
    /// within one field).
    pub fn tokens_span(&self, tokens: &Range<usize>) -> Span {
        let first = self.tokens[tokens.start].span;
        let last = self.tokens[tokens.end - 1].span;
        Span::new(first.field, first.start, last.end)
    }

    /// The text of `tokens`, with the spacing between them as written.
    pub fn tokens_text(&self, tokens: &Range<usize>) -> &str {
        self.text(self.tokens_span(tokens))
    }

    /// Index of the sentence that contains byte `offset` of `field`, if any.
    pub fn sentence_at(&self, field: FieldId, offset: usize) -> Option<usize> {
        let found = self.sentences.partition_point(|sentence| {
            (sentence.span.field, sentence.span.end) <= (field, offset)
        });
        let sentence = self.sentences.get(found)?;
        (sentence.span.field == field && sentence.span.start <= offset).then_some(found)
    }

    /// Mentions (indices into `mentions`) whose span lies inside `span`.
    pub fn mentions_within(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        self.mentions
            .iter()
            .enumerate()
            .filter(move |(_, mention)| span.contains(&mention.span))
            .map(|(index, _)| index)
    }
}
