//! Participants: who a noun phrase refers to. The subject of a trigger (after subordinators,
//! before auxiliaries, through an infinitive's object), its "with"/object phrase, the names
//! before a meeting noun, plural references ("the two ministers", "they") and unnamed groups
//! headed by a group noun ("regional health officials").

use super::view::{is_country, TextView};
use super::words::*;
use crate::nlp::document::{EntityType, MentionKind};
use crate::nlp::lexicon::{is_determiner, MODALS};
use std::ops::Range;

/// Who a noun phrase refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Reference {
    pub(super) entities: Vec<usize>,
    /// "the parties", "they", "the two ministers": the participants of an earlier meeting.
    pub(super) plural: bool,
    /// Unnamed groups: noun phrases headed by a group noun with no name in them
    /// ("delegates", "a review panel", "regional health officials").
    pub(super) groups: Vec<Range<usize>>,
}

impl Reference {
    pub(super) fn merge(&mut self, other: Reference) {
        self.plural |= other.plural;
        for entity in other.entities {
            if !self.entities.contains(&entity) {
                self.entities.push(entity);
            }
        }
        for group in other.groups {
            if !self.groups.contains(&group) {
                self.groups.push(group);
            }
        }
    }

    pub(super) fn plural_only() -> Reference {
        Reference {
            plural: true,
            ..Reference::default()
        }
    }
}

/// The determiners and quantifiers that open a group phrase and are left out of its name.
pub(super) fn group_name_start(view: &TextView, range: &Range<usize>) -> usize {
    let mut start = range.start;
    while start + 1 < range.end && {
        let word = view.word(start);
        is_determiner(word) || group_quantifiers().contains(word)
    } {
        start += 1;
    }
    start
}

/// The end of a plural reference starting at `token` ("they", "the two ministers", "the
/// heads of ..."), if one starts there.
pub(super) fn plural_reference_at(view: &TextView, token: usize, end: usize) -> bool {
    let word = view.word(token);
    if matches!(word, "they" | "them" | "both") {
        return true;
    }
    let mut probe = token;
    if matches!(word, "the" | "these" | "those" | "their") {
        probe += 1;
    }
    if matches!(view.word(probe), "two" | "three" | "both") {
        // "the two met", "the two sides".
        if probe + 1 >= end || !view.raw(probe + 1).chars().any(char::is_alphabetic) {
            return true;
        }
        probe += 1;
    }
    // Up to two modifiers: "the foreign ministers", "the two top diplomats".
    for _ in 0..3 {
        if probe >= end {
            return false;
        }
        let word = view.word(probe);
        if plural_heads().contains(word) && word != "two" {
            return probe > token || word == "both";
        }
        if view
            .mention_at(probe)
            .is_some_and(|m| view.is_participant(m))
            || prepositions().contains(word)
            || is_punctuation(word)
        {
            return false;
        }
        probe += 1;
    }
    false
}

/// Eligible mentions in a noun phrase that starts at `start`, with coordination ("A and
/// B", "A, B and C"), stopping at prepositional phrases ("of" before a capitalised word
/// stays: "Secretary of State Antony Blinken").
pub(super) fn noun_phrase_participants(
    view: &TextView,
    start: usize,
    end: usize,
    places: Option<&mut Vec<usize>>,
    countries_are_places: bool,
) -> (Reference, usize) {
    let mut reference = Reference::default();
    let mut places = places;
    let mut probe = start;
    if probe < end && plural_reference_at(view, probe, end) {
        reference.plural = true;
    }
    // The conjunct being read, whether it names someone, and the group noun phrase it
    // holds so far ("regional health officials", "members of the council").
    let mut conjunct_start = start;
    let mut conjunct_named = false;
    let mut group: Option<Range<usize>> = None;
    while probe < end && probe < start + 24 {
        if let Some(mention) = view.mention_at(probe).copied() {
            conjunct_named |= mention.kind != MentionKind::Pronoun
                && (view.is_participant(&mention) || view.is_location(&mention));
            let country = view.entity(mention.entity).is_some_and(is_country);
            if view.is_location(&mention) && (countries_are_places || !country) {
                if let Some(places) = places.as_deref_mut() {
                    places.push(mention.entity);
                } else if view.is_participant(&mention)
                    && !reference.entities.contains(&mention.entity)
                {
                    reference.entities.push(mention.entity);
                }
            } else if view.is_participant(&mention) && !reference.entities.contains(&mention.entity)
            {
                reference.entities.push(mention.entity);
            }
            probe = mention.end.max(probe + 1);
            continue;
        }
        let word = view.word(probe);
        if matches!(word, "," | "and" | "&") {
            // Coordination continues only towards another participant.
            let continues = ((probe + 1)..(probe + 5).min(end))
                .take_while(|&next| {
                    let next_word = view.word(next);
                    !prepositions().contains(next_word) && next_word != ","
                })
                .any(|next| {
                    view.mention_at(next)
                        .is_some_and(|m| view.is_participant(m))
                        || plural_reference_at(view, next, end)
                        || is_group_noun(view, next)
                });
            if !continues {
                break;
            }
            if !conjunct_named {
                reference.groups.extend(group.take());
            }
            group = None;
            conjunct_start = probe + 1;
            conjunct_named = false;
        } else if is_group_noun(view, probe) {
            group = Some(conjunct_start..probe + 1);
        } else if word == "of" {
            // "the leaders of France and Germany": look inside when nothing named yet.
            let capital_follows = view.is_capitalized(probe + 1)
                || (view.word(probe + 1) == "the" && view.is_capitalized(probe + 2));
            if !capital_follows && !reference.entities.is_empty() {
                break;
            }
            if !capital_follows && plural_reference_at(view, probe + 1, end) {
                reference.plural = true;
            }
        } else if prepositions().contains(word)
            || (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "."))
            || participant_phrase_ends().contains(word)
            || MODALS.contains(word)
            || is_be(word)
        {
            break;
        }
        probe += 1;
    }
    if !conjunct_named {
        reference.groups.extend(group);
    }
    (reference, probe)
}

/// Whether the token is a group noun written in lower case (or opening its sentence), not
/// part of a name.
pub(super) fn is_group_noun(view: &TextView, token: usize) -> bool {
    group_nouns().contains(view.word(token))
        && view.mention_at(token).is_none()
        && (!view.is_capitalized(token)
            || token == 0
            || matches!(view.word(token - 1), "." | "!" | "?" | "\"" | "“" | ":"))
}

/// The first word of the noun phrase that ends with the group noun at `head`: back over
/// lower-case modifiers, not below `lowest`.
pub(super) fn group_start(view: &TextView, lowest: usize, head: usize) -> usize {
    let mut start = head;
    while start > lowest && head - start < 4 {
        let word = view.word(start - 1);
        let modifier = word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !view.is_capitalized(start - 1)
            && !prepositions().contains(word)
            && !is_be(word)
            && !MODALS.contains(word)
            && !group_modifier_stops().contains(word);
        if !modifier {
            break;
        }
        start -= 1;
    }
    start
}

/// The subject of the verb at `verb`, searched back to the clause start: the nearest comma
/// segment that is not adverbial ("On July 7,", "According to X,").
pub(super) fn subject_of(view: &TextView, clause: &Range<usize>, verb: usize) -> Reference {
    if let Some(reference) = infinitive_subject(view, clause, verb) {
        return reference;
    }
    // "the leaders were meeting": the subject ends before the auxiliaries.
    let mut verb = verb;
    while verb > clause.start + 1 && {
        let word = view.word(verb - 1);
        is_be(word) || MODALS.contains(word) || matches!(word, "has" | "have" | "had")
    } {
        verb -= 1;
    }
    // What precedes a quotation mark, a speech verb or "that" belongs to another clause.
    let mut lower = clause.start;
    for token in clause.start..verb {
        let word = view.word(token);
        // "... on Sunday as the council convened": a subordinator starts the verb's own clause.
        let subordinator = clause_subordinators().contains(word)
            && view.word(token + 1) != "well"
            && token + 1 < verb;
        if is_quote_mark(word)
            || word == ":"
            || word == "that"
            || is_speech_act(word)
            || subordinator
        {
            lower = token + 1;
        }
    }
    let mut segment_end = verb;
    while segment_end > lower {
        let segment_start = (lower..segment_end)
            .rev()
            .find(|&token| view.word(token) == "," && view.mention_at(token).is_none())
            .map_or(lower, |comma| comma + 1);
        let mut start = segment_start;
        while start < segment_end && segment_connectives().contains(view.word(start)) {
            start += 1;
        }
        if start < segment_end {
            let opener = view.word(start);
            if matches!(opener, "who" | "which") {
                // "Okafor, who met Lindqvist, ...": the antecedent before the comma.
                return antecedent_before(view, lower, segment_start);
            }
            let adverbial = adverbial_openers().contains(opener)
                || (start..segment_end)
                    .all(|token| view.date_at(token).is_some() || is_punctuation(view.word(token)));
            if adverbial {
                // "on July 28 they met": the subject after an adverbial without a comma.
                if let Some(reference) = subject_at_tail(view, start, verb) {
                    return reference;
                }
            } else {
                if plural_reference_at(view, start, segment_end) {
                    let (mut reference, _) =
                        noun_phrase_participants(view, start, segment_end, None, false);
                    reference.plural = true;
                    return reference;
                }
                let (mut reference, _) =
                    noun_phrase_participants(view, start, segment_end, None, false);
                if !has_person_or_org(view, &reference)
                    && (!reference.entities.is_empty() || is_determiner(opener))
                {
                    // "Lena Lindqvist, Sweden's top diplomat, met": an appositive after a name.
                    let before = antecedent_before(view, lower, segment_start);
                    reference.merge(before);
                }
                if !reference.entities.is_empty() || has_content(view, start, segment_end) {
                    return reference;
                }
            }
        }
        segment_end = segment_start.saturating_sub(1).max(lower);
        if segment_start == lower {
            break;
        }
    }
    Reference::default()
}

/// The subject of an infinitive is the object of the verb before it: "urged Okafor to meet",
/// "asked the board to meet". The object must be a person or an organisation
/// right before "to", after a verb (or "on"/"upon" of "call on"); the agent after "by" of a
/// noun may also be a country ("an offer by Iran to negotiate").
pub(super) fn infinitive_subject(
    view: &TextView,
    clause: &Range<usize>,
    verb: usize,
) -> Option<Reference> {
    let to = verb.checked_sub(1).filter(|&to| to > clause.start)?;
    if view.word(to) != "to" {
        return None;
    }
    let mention = view.mention_at(to - 1).copied()?;
    // "an offer by Iran to negotiate": the agent of a noun before the infinitive, where a
    // country stands for its government.
    let by_agent = mention.first > clause.start + 1 && view.word(mention.first - 1) == "by";
    let actor = view.entity(mention.entity).is_some_and(|entity| {
        matches!(
            entity.entity_type,
            EntityType::Person | EntityType::Organization
        ) || (by_agent && is_country(entity))
    });
    // Of the pronouns only unambiguous objects ("her" may be a possessive).
    let pronoun_object = is_in(view.word(mention.first), &["him", "them", "us"]);
    if !actor || (mention.kind == MentionKind::Pronoun && !pronoun_object) {
        return None;
    }
    if by_agent {
        return Some(Reference {
            entities: vec![mention.entity],
            ..Reference::default()
        });
    }
    let mut before = mention.first;
    if before > clause.start && is_in(view.word(before - 1), &["the", "its", "their"]) {
        before -= 1;
    }
    let governor = before
        .checked_sub(1)
        .filter(|&governor| governor >= clause.start)?;
    let word = view.word(governor);
    let verb_like = word.chars().all(char::is_alphabetic)
        && !view.is_capitalized(governor)
        && view.mention_at(governor).is_none()
        && (!prepositions().contains(word) || matches!(word, "on" | "upon"))
        && !is_be(word)
        && !infinitive_governor_stops().contains(word);
    verb_like.then(|| Reference {
        entities: vec![mention.entity],
        ..Reference::default()
    })
}

/// The subject right before the verb, after an adverbial phrase that has no comma
/// ("on July 28 they met", "In Quito Okafor met").
pub(super) fn subject_at_tail(view: &TextView, start: usize, verb: usize) -> Option<Reference> {
    let mut probe = verb;
    while probe > start {
        let word = view.word(probe - 1);
        let auxiliary = is_be(word)
            || MODALS.contains(word)
            || word.ends_with("ly")
            || intention_words().contains(word)
            || tail_auxiliaries().contains(word);
        if !auxiliary {
            break;
        }
        probe -= 1;
    }
    let last = probe.checked_sub(1).filter(|&last| last >= start)?;
    let word = view.word(last);
    if word == "they"
        || word == "both"
        || (plural_heads().contains(word) && last > start && {
            let before = view.word(last - 1);
            matches!(before, "the" | "two" | "both" | "three")
        })
    {
        let mut reference = Reference::plural_only();
        if word != "they" && word != "both" && view.mention_at(last - 1).is_none() {
            reference
                .groups
                .push(group_start(view, start, last)..last + 1);
        }
        return Some(reference);
    }
    // "the Acme delegates were meeting": a group noun after a name stands for the name's body.
    let group_head = last > start
        && view.mention_at(last).is_none()
        && word.len() > 3
        && word.ends_with('s')
        && word.chars().all(|c| c.is_ascii_lowercase());
    let mention = if group_head {
        view.mention_at(last - 1).copied()?
    } else {
        view.mention_at(last).copied()?
    };
    let before = mention
        .first
        .checked_sub(1)
        .map_or("", |token| view.word(token));
    if !view.is_participant(&mention) || mention.first <= start || prepositions().contains(before) {
        return None;
    }
    Some(Reference {
        entities: vec![mention.entity],
        ..Reference::default()
    })
}

/// The person or organisation that ends just before a comma at `comma_after - 1`.
pub(super) fn antecedent_before(view: &TextView, lower: usize, comma_after: usize) -> Reference {
    let mut reference = Reference::default();
    if comma_after < 2 || comma_after - 2 < lower {
        return reference;
    }
    let mut probe = comma_after - 2;
    while probe >= lower {
        if let Some(mention) = view.mention_at(probe) {
            if view.is_participant(mention) {
                reference.entities.push(mention.entity);
            }
            return reference;
        }
        if probe == lower || is_punctuation(view.word(probe)) {
            break;
        }
        probe -= 1;
    }
    reference
}

pub(super) fn has_person_or_org(view: &TextView, reference: &Reference) -> bool {
    reference.entities.iter().any(|&entity| {
        view.entity(entity).is_some_and(|entity| {
            matches!(
                entity.entity_type,
                EntityType::Person | EntityType::Organization
            )
        })
    })
}

/// True when the tokens hold a word other than auxiliaries and adverbs, so an unresolved
/// subject ("Officials met") is not looked for further left.
pub(super) fn has_content(view: &TextView, start: usize, end: usize) -> bool {
    (start..end).any(|token| {
        let word = view.word(token);
        word.chars().any(char::is_alphabetic)
            && !is_be(word)
            && !MODALS.contains(word)
            && !word.ends_with("ly")
            && !contentless_words().contains(word)
    })
}

/// Participants after a verb ("met [with] X", "visited X") or after a noun's "with",
/// "between", "of" or "by". Locations found there are places ("visited Moscow").
pub(super) fn object_of(
    view: &TextView,
    start: usize,
    end: usize,
    places: &mut Vec<usize>,
    countries_are_places: bool,
) -> Reference {
    let probe = after_openers(view, start, end);
    if probe >= end {
        return Reference::default();
    }
    if !countries_are_places && probe > start && view.word(probe - 1) == "with" {
        // "negotiated with the Soviet Union": a place one meets with stands for its
        // government.
        let first = if view.word(probe) == "the" {
            probe + 1
        } else {
            probe
        };
        if let Some(mention) = view.mention_at(first).filter(|m| view.is_location(m)) {
            return Reference {
                entities: vec![mention.entity],
                ..Reference::default()
            };
        }
    }
    let (reference, _) =
        noun_phrase_participants(view, probe, end, Some(places), countries_are_places);
    reference
}

/// Participants named before a meeting noun: "Okafor's talks", "his visit", "the
/// China-EU summit", "their meeting".
///
/// A place among the modifiers that is not a country ("the Geneva talks") is where the
/// meeting happens: the nearest such place is pushed to `places`.
pub(super) fn noun_modifiers(
    view: &TextView,
    token: usize,
    clause: &Range<usize>,
    places: &mut Vec<usize>,
) -> Reference {
    let mut reference = Reference::default();
    let mut place = None;
    let mut probe = token;
    let lowest = clause.start.max(token.saturating_sub(6));
    while probe > lowest {
        probe -= 1;
        if let Some(mention) = view.mention_at(probe).copied() {
            if view.is_participant(&mention) && !reference.entities.contains(&mention.entity) {
                reference.entities.insert(0, mention.entity);
            } else if view.is_location(&mention) && place.is_none() {
                place = Some(mention.entity);
            } else if mention.kind == MentionKind::Pronoun {
                // "his visit": the possessive pronoun is the participant.
                if !reference.entities.contains(&mention.entity) {
                    reference.entities.insert(0, mention.entity);
                }
                break;
            }
            probe = mention.first;
            continue;
        }
        let word = view.word(probe);
        if word == "their" {
            reference.plural = true;
            break;
        }
        if matches!(word, "'s" | "-" | "–" | "—" | "/" | "and") {
            continue;
        }
        if is_determiner(word)
            || prepositions().contains(word)
            || is_punctuation(word)
            || support_verbs().contains(word)
            || is_be(word)
            || view.is_capitalized(probe) && probe == clause.start
        {
            break;
        }
    }
    places.extend(place);
    reference
}

/// The first token from `start` (before `end`) that is not an object opener ("the", "with",
/// "several"): where an object's words begin.
pub(super) fn after_openers(view: &TextView, start: usize, end: usize) -> usize {
    let mut probe = start;
    while probe < end && object_openers().contains(view.word(probe)) {
        probe += 1;
    }
    probe
}
