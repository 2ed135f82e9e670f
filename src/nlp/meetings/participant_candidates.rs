//! Participant candidates: everyone who could have taken part in a meeting, each with the
//! features the participant model reads. The rules of `participants.rs` pick participants
//! by the shape of the trigger's clause; the model re-decides over a wider set, so that a
//! party the rules missed ("the rebels and the Ugandan government ... held talks", a name in
//! the sentence before) can be taken and a wrong pick dropped.
//!
//! Candidates are the entities (persons, organisations, places) mentioned in the trigger's
//! sentence, the sentence before it and the sentences of the meeting's later mentions, the
//! rules' own participants wherever they were found, and the unnamed groups of the trigger's
//! sentence ("union leaders"). Features describe one mention of each candidate, the one
//! nearest the trigger: where it lies (before or after the trigger, the sentence before, a
//! later mention's sentence), how far, the words on either side and between, the trigger
//! word, the entity's type and mention kind, and whether it is listed with one of the
//! rules' participants. The rules' own participants are kept; the model decides the others.

use super::participants::{group_start, is_group_noun, plural_reference_at};
use super::view::{is_country, TextView};
use super::words::{clause_subordinators, meeting_nouns, party_nouns, prepositions};
use crate::nlp::document::{EntityType, Meeting, MentionKind, Span};
use crate::nlp::lexicon::is_determiner;
use crate::nlp::lexicon::POSSESSIVE_DETERMINERS;
use std::ops::Range;

/// Who a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Index into [`crate::nlp::document::Document::entities`].
    Entity(usize),
    /// An unnamed group's words.
    Group(Span),
}

/// One candidate participant of a meeting and its features.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantCandidate {
    pub who: Who,
    /// Whether the rules made it a participant.
    pub rule: bool,
    pub features: Vec<String>,
}

/// The most words between a candidate and the trigger read as features, from each end.
const BETWEEN_WORDS: usize = 4;

/// Where a candidate's nearest mention lies, relative to the trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Before,
    After,
    PreviousSentence,
    NextSentence,
    LaterMention,
    Elsewhere,
}

impl Position {
    fn as_str(self) -> &'static str {
        match self {
            Position::Before => "before",
            Position::After => "after",
            Position::PreviousSentence => "previous",
            Position::NextSentence => "next",
            Position::LaterMention => "later",
            Position::Elsewhere => "elsewhere",
        }
    }
}

/// What candidates are gathered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Participants,
    Place,
}

/// The candidate participants of `meeting`, whose participants and groups are the rules'
/// choice.
pub(super) fn candidates_of(view: &TextView, meeting: &Meeting) -> Vec<ParticipantCandidate> {
    candidates_for(view, meeting, Purpose::Participants)
}

/// The candidate places of `meeting`: the places and countries near the trigger that are not
/// among its participants.
pub(super) fn place_candidates_of(view: &TextView, meeting: &Meeting) -> Vec<ParticipantCandidate> {
    candidates_for(view, meeting, Purpose::Place)
}

fn candidates_for(
    view: &TextView,
    meeting: &Meeting,
    purpose: Purpose,
) -> Vec<ParticipantCandidate> {
    let document = view.document;
    let Some(trigger) = view.tokens_of(meeting.trigger) else {
        return Vec::new();
    };
    let sentence = document.tokens[trigger.start].sentence;
    let sentence_tokens = document.sentences[sentence].tokens.clone();
    let field = document.sentences[sentence].span.field;
    let later: Vec<usize> = meeting
        .mentions
        .iter()
        .filter_map(|&span| view.tokens_of(span))
        .map(|tokens| document.tokens[tokens.start].sentence)
        .collect();
    let place_of = |mention_sentence: usize, first: usize| -> Option<Position> {
        if mention_sentence == sentence {
            Some(if first < trigger.start {
                Position::Before
            } else {
                Position::After
            })
        } else if mention_sentence + 1 == sentence
            && document.sentences[mention_sentence].span.field == field
        {
            Some(Position::PreviousSentence)
        } else if later.contains(&mention_sentence) {
            Some(Position::LaterMention)
        } else if mention_sentence == sentence + 1
            && document.sentences[mention_sentence].span.field == field
        {
            Some(Position::NextSentence)
        } else {
            None
        }
    };
    // The nearest mention of each entity: (entity, place, tokens).
    let mut nearest: Vec<(usize, Position, Range<usize>)> = Vec::new();
    // Only the mentions of the window's sentences are read (the view's mentions are in text
    // order), so the work per meeting does not grow with the article.
    let mut window: Vec<usize> = later.clone();
    window.extend(sentence.saturating_sub(1)..=(sentence + 1).min(document.sentences.len() - 1));
    window.sort_unstable();
    window.dedup();
    let in_window = window.iter().flat_map(|&index| {
        let tokens = &document.sentences[index].tokens;
        let first = view.mentions.partition_point(|m| m.first < tokens.start);
        let end = view.mentions.partition_point(|m| m.first < tokens.end);
        &view.mentions[first..end]
    });
    for mention in in_window {
        if view.entity(mention.entity).is_none() {
            continue;
        }
        let mention_sentence = document.tokens[mention.first].sentence;
        let Some(place) = place_of(mention_sentence, mention.first) else {
            continue;
        };
        let tokens = mention.first..mention.end;
        let rank = |place: Position, tokens: &Range<usize>| {
            let order = match place {
                Position::Before | Position::After => 0,
                Position::PreviousSentence | Position::LaterMention => 1,
                _ => 2,
            };
            (order, distance(tokens, &trigger))
        };
        match nearest
            .iter_mut()
            .find(|(known, _, _)| *known == mention.entity)
        {
            Some(slot) => {
                if rank(place, &tokens) < rank(slot.1, &slot.2) {
                    *slot = (mention.entity, place, tokens);
                }
            }
            None => nearest.push((mention.entity, place, tokens)),
        }
    }
    let has_actor = meeting.participants.iter().any(|&entity| {
        view.entity(entity).is_some_and(|entity| {
            matches!(
                entity.entity_type,
                EntityType::Person | EntityType::Organization
            )
        })
    });
    let trigger_word = view.word(trigger.start).to_string();
    let context = Context {
        view,
        meeting,
        trigger: trigger.clone(),
        sentence: sentence_tokens.clone(),
        trigger_word,
        has_actor,
    };
    let mut candidates: Vec<ParticipantCandidate> = Vec::new();
    if purpose == Purpose::Place {
        return nearest
            .iter()
            .filter(|(entity, _, _)| {
                !meeting.participants.contains(entity)
                    && view
                        .entity(*entity)
                        .is_some_and(|known| known.entity_type == EntityType::Location)
            })
            .map(|(entity, place, tokens)| {
                context.candidate(Who::Entity(*entity), false, Some((*place, tokens)))
            })
            .collect();
    }
    for (entity, place, tokens) in &nearest {
        let rule = meeting.participants.contains(entity);
        // The meeting's place is where it happens, not who takes part (a visited country
        // hosts a visit by the rules of `frames.rs`, and is then a rule participant).
        if !rule && meeting.location == Some(*entity) {
            continue;
        }
        // "Blinken waited in Paris as Scholz and Macron met": when the rules found two
        // parties, a name of the same sentence across a subordinator belongs to another
        // clause.
        if !rule
            && meeting.participants.len() >= 2
            && *place == Position::Before
            && (tokens.end..trigger.start)
                .any(|token| clause_subordinators().contains(view.word(token)))
        {
            continue;
        }
        candidates.push(context.candidate(Who::Entity(*entity), rule, Some((*place, tokens))));
    }
    for &entity in &meeting.participants {
        if !nearest.iter().any(|(known, _, _)| *known == entity) {
            candidates.push(context.candidate(Who::Entity(entity), true, None));
        }
    }
    // Unnamed groups: the rules' and those headed by a group noun in the trigger's sentence.
    let mut groups: Vec<(Span, bool)> = meeting.groups.iter().map(|&span| (span, true)).collect();
    for head in sentence_tokens.clone() {
        let party_noun = party_nouns().contains(view.word(head)) && view.mention_at(head).is_none();
        if !is_group_noun(view, head) && !party_noun {
            continue;
        }
        let start = group_start(view, sentence_tokens.start, head);
        // "the heads of the two ministries", "the two ministers": a plural reference to the
        // persons the rules already found, not a party of its own.
        let opener = start.saturating_sub(usize::from(
            start > sentence_tokens.start && is_determiner(view.word(start - 1)),
        ));
        if meeting.participants.len() >= 2 && plural_reference_at(view, opener, head + 1) {
            continue;
        }
        let span = view.span_of(start..head + 1);
        if !groups.iter().any(|(known, _)| known.overlaps(&span)) {
            groups.push((span, false));
        }
    }
    for (span, rule) in groups {
        let tokens = view.tokens_of(span);
        let placed = tokens.map(|tokens| {
            let place = place_of(document.tokens[tokens.start].sentence, tokens.start)
                .unwrap_or(Position::Elsewhere);
            (place, tokens)
        });
        let placed = placed.as_ref().map(|(place, tokens)| (*place, tokens));
        candidates.push(context.candidate(Who::Group(span), rule, placed));
    }
    candidates
}

/// Tokens between a mention and the trigger.
fn distance(tokens: &Range<usize>, trigger: &Range<usize>) -> usize {
    if tokens.end <= trigger.start {
        trigger.start - tokens.end
    } else {
        tokens.start.saturating_sub(trigger.end)
    }
}

fn distance_bucket(distance: usize) -> &'static str {
    match distance {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=7 => "5-7",
        8..=12 => "8-12",
        _ => "13+",
    }
}

/// A coarse class of the word next to a candidate, shared across words.
fn word_class(word: &str) -> &'static str {
    match word {
        "<s>" | "</s>" => "edge",
        "with" | "between" | "and" | "&" | "," | "by" | "from" | "of" => "joining",
        "'s" | "'" => "possessive",
        _ if prepositions().contains(word) => "preposition",
        _ if word.chars().all(|c| !c.is_alphanumeric()) => "punctuation",
        _ => "word",
    }
}

/// What every candidate of one meeting shares.
struct Context<'v, 'd> {
    view: &'v TextView<'d>,
    meeting: &'v Meeting,
    trigger: Range<usize>,
    sentence: Range<usize>,
    trigger_word: String,
    has_actor: bool,
}

impl Context<'_, '_> {
    /// How many names make the list `tokens` is in ("A, B and C": 3), through commas, "and"
    /// and "&" between mentions.
    fn list_size(&self, tokens: &Range<usize>) -> usize {
        let view = self.view;
        let joins = |token: usize| matches!(view.word(token), "and" | "&" | ",");
        let mut size = 1;
        let mut start = tokens.start;
        while start >= 2 && joins(start - 1) && view.mention_at(start - 2).is_some() {
            start = view
                .mention_at(start - 2)
                .map_or(start - 2, |mention| mention.first);
            size += 1;
        }
        let mut end = tokens.end;
        while joins(end) && view.mention_at(end + 1).is_some() {
            end = view
                .mention_at(end + 1)
                .map_or(end + 2, |mention| mention.end);
            size += 1;
        }
        size
    }

    /// Whether a mention of one of the rules' participants lies next to `tokens` across
    /// "and", "&" or a comma ("A and B", "A, B and C").
    fn coordinated_with_rule(&self, tokens: &Range<usize>) -> bool {
        let view = self.view;
        let is_rule = |token: usize| {
            view.mention_at(token)
                .is_some_and(|mention| self.meeting.participants.contains(&mention.entity))
        };
        let joins = |token: usize| matches!(view.word(token), "and" | "&" | ",");
        (tokens.start >= 2 && joins(tokens.start - 1) && is_rule(tokens.start - 2))
            || (joins(tokens.end) && is_rule(tokens.end + 1))
    }

    fn candidate(
        &self,
        who: Who,
        rule: bool,
        placed: Option<(Position, &Range<usize>)>,
    ) -> ParticipantCandidate {
        let view = self.view;
        let mut features: Vec<String> = Vec::with_capacity(32);
        let kind = match who {
            Who::Group(_) => "group",
            Who::Entity(entity) => match view.entity(entity) {
                Some(entity) => match entity.entity_type {
                    EntityType::Person => "person",
                    EntityType::Organization => "organisation",
                    EntityType::Location if is_country(entity) => "country",
                    EntityType::Location => "place",
                    EntityType::Misc => "misc",
                },
                None => "place",
            },
        };
        let place = placed.map_or(Position::Elsewhere, |(place, _)| place);
        features.push("bias".into());
        features.push(format!("type={kind}"));
        features.push(format!("where={}", place.as_str()));
        features.push(format!("type={kind}&where={}", place.as_str()));
        features.push(format!("trigger={}", self.trigger_word));
        let trigger_class = if meeting_nouns().contains(&self.trigger_word) {
            "noun"
        } else {
            "verb"
        };
        features.push(format!(
            "trigger_class={trigger_class}&where={}",
            place.as_str()
        ));
        features.push(format!(
            "trigger={}&where={}",
            self.trigger_word,
            place.as_str()
        ));
        if kind == "country" {
            features.push(format!("country&actor={}", self.has_actor));
        }
        if let Who::Entity(entity) = who {
            if let Some(entity) = view.entity(entity) {
                if !entity.roles.is_empty() {
                    features.push("has_role".into());
                }
                let salience = (entity.salience * 4.0).floor().min(3.0) as u8;
                features.push(format!("salience={salience}"));
            }
            if let Some((_, tokens)) = placed {
                if let Some(mention) = view.mention_at(tokens.start) {
                    let form = match mention.kind {
                        MentionKind::Name => "name",
                        MentionKind::Nominal => "nominal",
                        MentionKind::Pronoun
                            if POSSESSIVE_DETERMINERS.contains(view.word(mention.first)) =>
                        {
                            "possessive"
                        }
                        MentionKind::Pronoun => "pronoun",
                    };
                    features.push(format!("form={form}"));
                }
            }
        }
        let Some((place, tokens)) = placed else {
            return ParticipantCandidate {
                who,
                rule,
                features,
            };
        };
        let document = view.document;
        let own_sentence = document.tokens[tokens.start].sentence;
        let sentence_tokens = document.sentences[own_sentence].tokens.clone();
        let left = if tokens.start > sentence_tokens.start {
            view.word(tokens.start - 1)
        } else {
            "<s>"
        };
        let right = if tokens.end < sentence_tokens.end {
            view.word(tokens.end)
        } else {
            "</s>"
        };
        if !rule && self.coordinated_with_rule(tokens) {
            features.push("coordinated_with_rule".into());
        }
        let listed = self.list_size(tokens);
        if listed > 1 {
            let size = if listed == 2 { "2" } else { "3+" };
            features.push(format!("list={size}&where={}", place.as_str()));
        }
        features.push(format!("left_class={}", word_class(left)));
        features.push(format!("right_class={}", word_class(right)));
        let group_follows = (tokens.end..(tokens.end + 3).min(sentence_tokens.end))
            .any(|token| is_group_noun(view, token) || party_nouns().contains(view.word(token)));
        if group_follows {
            features.push(format!("group_follows&type={kind}"));
        }
        features.push(format!("left={left}"));
        features.push(format!("right={right}"));
        features.push(format!("left={left}&where={}", place.as_str()));
        features.push(format!("right={right}&where={}", place.as_str()));
        if matches!(place, Position::Before | Position::After) {
            let gap = distance(tokens, &self.trigger);
            features.push(format!("distance={}", distance_bucket(gap)));
            features.push(format!(
                "distance={}&where={}",
                distance_bucket(gap),
                place.as_str()
            ));
            let between = if place == Position::Before {
                tokens.end..self.trigger.start
            } else {
                self.trigger.end..tokens.start
            };
            let words: Vec<usize> = between.clone().collect();
            let mut seen: Vec<&str> = Vec::new();
            let near_ends = words
                .iter()
                .take(BETWEEN_WORDS)
                .chain(words.iter().rev().take(BETWEEN_WORDS));
            for &token in near_ends {
                let word = if view.mention_at(token).is_some() {
                    "<name>"
                } else {
                    view.word(token)
                };
                if !seen.contains(&word) {
                    seen.push(word);
                    features.push(format!("between={word}&where={}", place.as_str()));
                }
            }
            let other_names = between
                .clone()
                .filter(|&token| {
                    view.mention_at(token)
                        .is_some_and(|mention| mention.first == token)
                })
                .count();
            features.push(format!(
                "names_between={}&where={}",
                other_names.min(3),
                place.as_str()
            ));
            let starts_sentence = tokens.start == self.sentence.start
                || (tokens.start == self.sentence.start + 1
                    && view
                        .word(self.sentence.start)
                        .chars()
                        .all(|c| !c.is_alphanumeric()));
            if starts_sentence {
                features.push("sentence_start".into());
            }
        }
        ParticipantCandidate {
            who,
            rule,
            features,
        }
    }
}
