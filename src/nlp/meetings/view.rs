//! The text view: each token's lower-case form and the entity mention and date on it,
//! built once per article so that the rules read tokens, not character offsets.

use super::words::sport_context_words;
use crate::nlp::document::{Document, Entity, EntityType, MentionKind, Span, TemporalKind};
use crate::nlp::lexicon::POSSESSIVE_DETERMINERS;
use crate::nlp::text::is_capitalised;
use std::ops::Range;

/// A mention mapped onto tokens.
#[derive(Debug, Clone, Copy)]
pub(super) struct TokenMention {
    pub(super) first: usize,
    /// One past the last token.
    pub(super) end: usize,
    pub(super) entity: usize,
    pub(super) kind: MentionKind,
}

/// Read-only lookups over the document, built once per article.
pub(super) struct TextView<'d> {
    pub(super) document: &'d Document,
    pub(super) words: Vec<String>,
    pub(super) mentions: Vec<TokenMention>,
    /// For each token, the index into `mentions` of the mention that covers it.
    pub(super) token_mention: Vec<Option<usize>>,
    /// For each token, the index into `document.dates` of the date expression covering it.
    pub(super) token_date: Vec<Option<usize>>,
    /// How many lower-case words of sports reporting the article holds
    /// ([`super::words::sport_context_words`]).
    pub(super) sport_words: usize,
}

impl<'d> TextView<'d> {
    pub(super) fn new(document: &'d Document) -> TextView<'d> {
        let mut words: Vec<String> = (0..document.tokens.len())
            .map(|index| document.token_lower(index).to_string())
            .collect();
        // Text rebuilt from tokens ("Monday 's debate") splits the possessive into "'" and
        // "s"; both halves read as "'s".
        for index in 1..words.len() {
            let joined = document.tokens[index - 1].span.end == document.tokens[index].span.start;
            if words[index] == "s" && words[index - 1] == "'" && joined {
                words[index] = "'s".to_string();
                words[index - 1] = "'s".to_string();
            }
        }
        let mut view = TextView {
            document,
            words,
            mentions: Vec::new(),
            token_mention: vec![None; document.tokens.len()],
            token_date: vec![None; document.tokens.len()],
            sport_words: 0,
        };
        view.sport_words = (0..document.tokens.len())
            .filter(|&token| view.is_sport_word(token))
            .count();
        for mention in &document.mentions {
            let Some(tokens) = view.tokens_of(mention.span) else {
                continue;
            };
            let index = view.mentions.len();
            view.mentions.push(TokenMention {
                first: tokens.start,
                end: tokens.end,
                entity: mention.entity,
                kind: mention.kind,
            });
            for token in tokens {
                let better = match view.token_mention[token] {
                    None => true,
                    Some(current) => view.mention_rank(index) > view.mention_rank(current),
                };
                if better {
                    view.token_mention[token] = Some(index);
                }
            }
        }
        for (index, date) in document.dates.iter().enumerate() {
            if date.kind != TemporalKind::Date {
                continue;
            }
            if let Some(tokens) = view.tokens_of(date.span) {
                for token in tokens {
                    view.token_date[token].get_or_insert(index);
                }
            }
        }
        view
    }

    /// The tokens a span overlaps (tokens are sorted by field, then offset).
    pub(super) fn tokens_of(&self, span: Span) -> Option<Range<usize>> {
        let tokens = &self.document.tokens;
        let first = tokens.partition_point(|token| {
            (token.span.field, token.span.end) <= (span.field, span.start)
        });
        let end = tokens
            .partition_point(|token| (token.span.field, token.span.start) < (span.field, span.end));
        (first < end).then_some(first..end)
    }

    /// Participants and places win over other entities on a shared token; then longer spans.
    pub(super) fn mention_rank(&self, index: usize) -> (bool, usize) {
        let mention = &self.mentions[index];
        let entity = self.entity(mention.entity);
        let useful = entity.is_some_and(|entity| entity.entity_type != EntityType::Misc);
        (useful, mention.end - mention.first)
    }

    pub(super) fn entity(&self, index: usize) -> Option<&Entity> {
        self.document.entities.get(index)
    }

    pub(super) fn word(&self, token: usize) -> &str {
        self.words.get(token).map(String::as_str).unwrap_or("")
    }

    pub(super) fn raw(&self, token: usize) -> &str {
        self.document.token_text(token)
    }

    /// A lower-case word of sports reporting ("the Arab League", a name, does not count).
    pub(super) fn is_sport_word(&self, token: usize) -> bool {
        sport_context_words().contains(self.word(token)) && !self.is_capitalized(token)
    }

    pub(super) fn is_capitalized(&self, token: usize) -> bool {
        token < self.words.len() && is_capitalised(self.raw(token))
    }

    pub(super) fn mention_at(&self, token: usize) -> Option<&TokenMention> {
        self.token_mention
            .get(token)
            .copied()
            .flatten()
            .map(|index| &self.mentions[index])
    }

    pub(super) fn date_at(&self, token: usize) -> Option<usize> {
        self.token_date.get(token).copied().flatten()
    }

    pub(super) fn span_of(&self, tokens: Range<usize>) -> Span {
        self.document.tokens_span(&tokens)
    }

    /// A person or organisation, or a country (countries are kept only when no person or
    /// organisation takes part).
    pub(super) fn is_participant(&self, mention: &TokenMention) -> bool {
        if mention.kind == MentionKind::Pronoun
            && POSSESSIVE_DETERMINERS.contains(self.word(mention.first))
        {
            return false;
        }
        self.entity(mention.entity)
            .is_some_and(|entity| match entity.entity_type {
                EntityType::Person | EntityType::Organization => true,
                EntityType::Location => is_country(entity),
                EntityType::Misc => false,
            })
    }

    pub(super) fn is_location(&self, mention: &TokenMention) -> bool {
        self.entity(mention.entity)
            .is_some_and(|entity| entity.entity_type == EntityType::Location)
    }

    /// The ISO country code an entity belongs to or lies in.
    pub(super) fn country_of(&self, entity: usize) -> Option<&str> {
        let entity = self.entity(entity)?;
        entity
            .country
            .as_deref()
            .or_else(|| entity.geo.as_ref()?.country.as_deref())
    }
}

pub(super) fn is_country(entity: &Entity) -> bool {
    entity.subtype.as_deref() == Some("country")
}

/// A country, or its capital city: a visit there is a visit to its government ("visited
/// Germany", "arrived in Beijing for a state visit"), unlike a visit to another place.
pub(super) fn seat_of_government(entity: &Entity) -> bool {
    is_country(entity)
        || crate::nlp::gazetteer::Gazetteer::embedded()
            .place(&entity.name)
            .is_some_and(|place| place.capital)
}
