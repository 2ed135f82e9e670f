//! One sentence: its clauses, its triggers, and the candidate frame built on each trigger
//! from its participants, place, date, occasion, topics and status.

use super::frames::{add_topic, country_level, Candidate, Frame, FrameSet};
use super::participants::{
    after_openers, group_name_start, noun_modifiers, noun_phrase_participants, object_of,
    subject_of, Reference,
};
use super::setting::{date_in, occasion_in, place_in};
use super::status::status_of;
use super::topics::{attach_topics, topics_in};
use super::triggers::{trigger_at, FrameKind, Trigger, WordClass};
use super::view::{is_country, seat_of_government, TextView};
use super::words::*;
use crate::nlp::lexicon::{is_determiner, MODALS};
use std::ops::Range;

/// The most words read after a visit for the place visited.
const VISITED_PLACE_WORDS: usize = 6;

/// The most triggers read in one sentence.
const MAX_TRIGGERS_PER_SENTENCE: usize = 16;

/// One sentence with its clauses.
pub(super) struct SentenceContext {
    pub(super) index: usize,
    pub(super) tokens: Range<usize>,
    pub(super) clauses: Vec<Range<usize>>,
    pub(super) paragraph: usize,
    /// Title-case headlines capitalise their verbs ("Okafor Meets Lindqvist").
    pub(super) headline: bool,
}

impl SentenceContext {
    pub(super) fn new(view: &TextView, index: usize) -> SentenceContext {
        let sentence = &view.document.sentences[index];
        let tokens = sentence.tokens.clone();
        let alphabetic: Vec<usize> = tokens
            .clone()
            .filter(|&token| view.raw(token).chars().any(char::is_alphabetic))
            .collect();
        let capitalized = alphabetic
            .iter()
            .filter(|&&token| view.is_capitalized(token))
            .count();
        SentenceContext {
            index,
            clauses: split_clauses(view, tokens.clone()),
            tokens,
            paragraph: sentence.paragraph,
            // Headlines have no final period.
            headline: alphabetic.len() >= 3
                && capitalized * 10 >= alphabetic.len() * 6
                && view.word(tokens_end_before(&sentence.tokens)) != ".",
        }
    }

    pub(super) fn clause_of(&self, token: usize) -> Range<usize> {
        self.clauses
            .iter()
            .find(|clause| clause.contains(&token))
            .cloned()
            .unwrap_or_else(|| self.tokens.clone())
    }
}

pub(super) fn tokens_end_before(tokens: &Range<usize>) -> usize {
    tokens.end.saturating_sub(1).max(tokens.start)
}

/// Splits a sentence at ";", at quotation marks and at ", and/but/while" so that "X held
/// talks in Lima, and on May 3 they met in Quito" gives each trigger its own place and
/// date.
pub(super) fn split_clauses(view: &TextView, tokens: Range<usize>) -> Vec<Range<usize>> {
    let mut clauses = Vec::new();
    let mut start = tokens.start;
    for token in tokens.clone() {
        let word = view.word(token);
        let next = view.word(token + 1);
        let boundary = word == ";"
            || is_quote_mark(word)
            || (word == "," && token + 1 < tokens.end && clause_conjunctions().contains(next));
        if boundary {
            if start < token {
                clauses.push(start..token);
            }
            start = token + 1;
        }
    }
    if start < tokens.end {
        clauses.push(start..tokens.end);
    }
    if clauses.is_empty() {
        clauses.push(tokens);
    }
    clauses
}

pub(super) fn analyse_sentence(view: &TextView, index: usize, frames: &mut FrameSet) {
    let context = SentenceContext::new(view, index);
    // Each trigger reads its whole clause: past a few per sentence (news has one to three),
    // the rest of a hostile sentence ("met. met. ...") would make the stage quadratic.
    let triggers: Vec<Trigger> = context
        .tokens
        .clone()
        .filter_map(|token| trigger_at(view, &context, token))
        .take(MAX_TRIGGERS_PER_SENTENCE)
        .collect();
    let triggers_per_clause = |clause: &Range<usize>| {
        triggers
            .iter()
            .filter(|trigger| trigger.clause == *clause)
            .count()
    };
    let mut candidates: Vec<Candidate> = triggers
        .iter()
        .filter_map(|trigger| {
            let alone_in_sentence = triggers.len() == 1;
            build_candidate(view, &context, trigger, alone_in_sentence)
        })
        .collect();
    // A meeting noun inside another trigger's occasion ("met ... during his visit to
    // China", "on the sidelines of the summit") is that occasion, not a second meeting.
    let occasions: Vec<Range<usize>> = candidates
        .iter()
        .filter_map(|candidate| candidate.occasion_tokens.clone())
        .collect();
    candidates.retain(|candidate| {
        candidate.class == WordClass::Verb
            || !occasions
                .iter()
                .any(|range| range.contains(&candidate.token))
    });
    let mut attached_clauses = Vec::new();
    for candidate in candidates {
        attached_clauses.push(context.clause_of(candidate.token));
        for leg in candidate.into_tour_legs() {
            frames.add(view, leg);
        }
    }
    // Clauses without a trigger may still tell what a meeting was about: "the parties
    // discussed ...".
    for clause in &context.clauses {
        if triggers_per_clause(clause) > 0 || attached_clauses.contains(clause) {
            continue;
        }
        attach_topics(view, &context, clause, frames);
    }
}

pub(super) fn build_candidate(
    view: &TextView,
    context: &SentenceContext,
    trigger: &Trigger,
    alone_in_sentence: bool,
) -> Option<Candidate> {
    let clause = &trigger.clause;
    // A meeting noun that no verb carries ("During the talks, ...", "said at a meeting with
    // X") has its place and date inside its own phrase; the rest of the clause is about
    // something else.
    let own_phrase = trigger.class == WordClass::Noun && trigger.anchor == trigger.token;
    let details = &if own_phrase {
        noun_scope(view, trigger.token, clause)
    } else {
        clause.clone()
    };
    // With one trigger in the sentence, place and date may sit in another clause.
    let scope = if alone_in_sentence && !own_phrase {
        context.tokens.clone()
    } else {
        details.clone()
    };
    // "Rice arrived in Haiti for a one-day visit": the traveller is the visitor and the
    // journey's destination the place.
    let journey = (trigger.kind == FrameKind::Visit && own_phrase)
        .then(|| journey_before(view, trigger.token, clause))
        .flatten();
    let mut places = Vec::new();
    let mut reference = Reference::default();
    let mut definite = false;
    let mut refers_back = false;
    // A visit whose object is only a place that does not stand for a government.
    let mut place_trip;
    let mut tour = Vec::new();
    match trigger.class {
        WordClass::Verb => {
            let subject = if view.word(trigger.token + 1) == "by" && trigger.kind == FrameKind::Host
            {
                // "X was received by Y": Y hosts, X visits.
                let host = object_of(view, trigger.token + 2, clause.end, &mut places, false);
                let mut visitor = subject_of(view, clause, trigger.anchor);
                let mut host = host;
                host.merge(std::mem::take(&mut visitor));
                host
            } else {
                subject_of(view, clause, trigger.anchor)
            };
            reference.merge(subject);
            let object_start = if view.word(trigger.token + 1) == "down" {
                trigger.token + 2
            } else {
                trigger.token + 1
            };
            let visit = trigger.kind == FrameKind::Visit;
            let places_before = places.len();
            let mut object = object_of(view, object_start, clause.end, &mut places, visit);
            if visit {
                tour = places[places_before..]
                    .iter()
                    .copied()
                    .filter(|&place| country_level(view, place))
                    .collect();
            }
            // CAMEO 042: a visit is to someone. "visited Fallujah": a named place that is
            // neither a country nor its capital, with no one visited (here or in a later
            // "with X"), is a trip, not a meeting; a country or its capital stands for its
            // government ("visited Germany", "visited Beijing").
            place_trip = visit
                && object.entities.is_empty()
                && object.groups.is_empty()
                && places.len() > places_before
                && places[places_before..]
                    .iter()
                    .all(|&place| !view.entity(place).is_some_and(seat_of_government));
            // "visited the flood zone", "visiting Roe's shop": the visit is to a place (a
            // name before it only qualifies it).
            if visit
                && object.groups.is_empty()
                && visits_a_place(view, object_start, context.tokens.end)
            {
                place_trip = true;
                object.entities.clear();
            }
            reference.merge(object);
        }
        WordClass::Noun => {
            reference.merge(noun_modifiers(view, trigger.token, clause, &mut places));
            if let Some(verb) = journey.filter(|_| trigger.anchor == trigger.token) {
                reference.merge(subject_of(view, clause, verb));
            }
            if trigger.anchor != trigger.token {
                reference.merge(subject_of(view, clause, trigger.anchor));
            }
            if let Some(governor) = governing_verb(view, trigger.token, clause) {
                // "X said at a meeting with Y": X was at the meeting.
                if has_with_complement(view, trigger.token, clause) {
                    reference.merge(subject_of(view, clause, governor));
                }
            }
            let next = view.word(trigger.token + 1);
            // "a short visit to the northern city of Leh": a visit to a place.
            place_trip = trigger.kind == FrameKind::Visit
                && next == "to"
                && visits_a_place(view, trigger.token + 2, context.tokens.end);
            if noun_complement_openers().contains(next) {
                reference.merge(object_of(
                    view,
                    trigger.token + 1,
                    clause.end,
                    &mut places,
                    false,
                ));
            }
            // "the talks", "Tuesday's meeting": a meeting the reader already knows of.
            definite = reference.entities.is_empty()
                && (clause.start.max(trigger.token.saturating_sub(3))..trigger.token).any(
                    |probe| matches!(view.word(probe), "the" | "this" | "that" | "these" | "'s"),
                );
            // "the two days of talks", "his three-day visit": a determiner of the noun or
            // of the phrase it closes.
            let determiner = determiner_of(view, trigger.token, clause).map(|at| view.word(at));
            let determined =
                determiner.is_some_and(|word| back_reference_determiners().contains(word));
            let indefinite = matches!(determiner, Some("a" | "an"));
            // A bare noun no verb carries, opening its clause ("Talks had been scheduled to
            // open Monday", "says negotiations got underway"); after a subject and its verb
            // ("the leaders restarted peace talks") it reports an event of its own.
            let bare = own_phrase
                && !indefinite
                && reference.entities.is_empty()
                && trigger.token - clause.start.min(trigger.token) <= 2;
            refers_back = determined || bare;
        }
    }
    // A later "with X" in the clause ("held talks in Quito with X").
    if let Some(with) = ((trigger.token + 2)..clause.end.min(trigger.token + 10))
        .take_while(|&probe| !matches!(view.word(probe), "," | "." | ";"))
        .find(|&probe| view.word(probe) == "with")
    {
        let (later, _) = noun_phrase_participants(view, with + 1, clause.end, None, false);
        // "visited Basra for talks with Governor Roe": someone is visited after all.
        place_trip &= later.entities.is_empty() && later.groups.is_empty();
        reference.merge(Reference {
            entities: later.entities,
            groups: later.groups,
            plural: false,
        });
    }
    if place_trip {
        return None;
    }
    let topics = topics_in(view, &trigger.clause);
    let topic_ranges: Vec<Range<usize>> = topics.iter().map(|topic| topic.tokens.clone()).collect();
    let destination = journey.and_then(|verb| place_in(view, &(verb..trigger.token), verb, &[]));
    let location = destination
        .or_else(|| places.first().copied())
        .filter(|_| trigger.kind == FrameKind::Visit || trigger.class == WordClass::Noun)
        .or_else(|| place_in(view, details, trigger.token, &topic_ranges))
        .or_else(|| place_in(view, &scope, trigger.token, &topic_ranges))
        .or_else(|| places.first().copied());
    let date =
        date_in(view, details, trigger.token).or_else(|| date_in(view, &scope, trigger.token));
    let occasion_tokens = occasion_in(view, details, trigger.token);
    let status = status_of(view, trigger, date);
    let mut participants = reference.entities;
    participants.retain(|&entity| Some(entity) != location);
    let groups = reference
        .groups
        .iter()
        .map(|range| view.span_of(group_name_start(view, range)..range.end))
        .collect();
    let mut frame = Frame {
        participants,
        groups,
        location,
        date,
        occasion: occasion_tokens.clone().map(|range| view.span_of(range)),
        topics: Vec::new(),
        status,
        kind: trigger.kind,
        trigger: view.document.tokens[trigger.token].span,
        evidence: view.document.sentences[context.index].span,
        mentions: Vec::new(),
        sentence: context.index,
        last_sentence: context.index,
        paragraph: context.paragraph,
    };
    for topic in topics {
        add_topic(view, &mut frame, view.span_of(topic.tokens));
    }
    let nobody = frame.participants.is_empty() && frame.groups.is_empty() && !reference.plural;
    if nobody && trigger.kind == FrameKind::Visit {
        // "Someone visiting Damascus might wonder": a visit needs a visitor.
        return None;
    }
    if nobody && trigger.class == WordClass::Verb {
        // "move in, meet the neighbours": a meeting verb with no party named or referred
        // to reports no meeting the article identifies.
        return None;
    }
    let indefinite = own_phrase
        && (clause.start.max(trigger.token.saturating_sub(3))..trigger.token)
            .any(|probe| matches!(view.word(probe), "a" | "an"));
    if nobody && indefinite && frame.location.is_none() && frame.date.is_none() {
        // "on my way to a meeting": some meeting, with no parties, place or time.
        return None;
    }
    Some(Candidate {
        frame,
        plural: reference.plural,
        definite,
        refers_back,
        occasion_tokens,
        token: trigger.token,
        class: trigger.class,
        tour,
    })
}

/// How far before a visit noun its journey verb may stand ("arrived in the Haitian capital
/// Port-au-Prince on Sunday for a visit").
const JOURNEY_REACH: usize = 10;

/// The journey verb a visit noun completes: "arrived in Haiti for a visit", "flew to Rome on
/// a two-day visit" (a journey verb, then `for` or `on` opening the visit's phrase).
fn journey_before(view: &TextView, token: usize, clause: &Range<usize>) -> Option<usize> {
    // The visit's own phrase opens with the preposition: only its modifiers stand between
    // ("on the eve of Doe's visit" is no journey of the visitor's).
    let phrase = determiner_of(view, token, clause).unwrap_or(token);
    let opener = phrase.checked_sub(1).filter(|&at| at >= clause.start)?;
    if !matches!(view.word(opener), "for" | "on") {
        return None;
    }
    let lowest = clause.start.max(opener.saturating_sub(JOURNEY_REACH));
    (lowest..opener)
        .rev()
        .take_while(|&probe| !is_punctuation(view.word(probe)))
        .find(|&probe| journey_verbs().contains(view.word(probe)))
}

/// The most modifier words between a meeting noun and its determiner.
const MODIFIER_WORDS: usize = 3;

/// The determiner of the noun phrase that `token` heads: back over at most
/// [`MODIFIER_WORDS`] modifiers (hyphens are free, one `of` may be crossed: "the two days
/// of talks"), stopping at punctuation, a preposition or a name. "the leaders restarted
/// peace talks" has none: "the" is three words back, past the verb.
fn determiner_of(view: &TextView, token: usize, clause: &Range<usize>) -> Option<usize> {
    let mut probe = token;
    let mut words = 0;
    let mut crossed_of = false;
    while probe > clause.start {
        probe -= 1;
        let word = view.word(probe);
        if matches!(word, "-" | "–") {
            continue;
        }
        if is_determiner(word) || back_reference_determiners().contains(word) {
            return Some(probe);
        }
        if word == "of" && !crossed_of {
            crossed_of = true;
            words = 0;
            continue;
        }
        // "the Vienna summit": a place names where, not who; a party's name (a country's
        // too: "the China talks") stops.
        let party_named = view.mention_at(probe).is_some_and(|mention| {
            !view.is_location(mention) || view.entity(mention.entity).is_some_and(is_country)
        });
        if is_punctuation(word) || prepositions().contains(word) || party_named {
            return None;
        }
        words += 1;
        if words >= MODIFIER_WORDS {
            return None;
        }
    }
    None
}

/// The tokens that describe a meeting noun carried by no verb: back over its modifiers,
/// forward to the end of its phrase, or to the end of the clause when the phrase is the
/// subject of "took place" or "was held".
pub(super) fn noun_scope(view: &TextView, token: usize, clause: &Range<usize>) -> Range<usize> {
    let mut start = token;
    while start > clause.start && start + 4 > token {
        let word = view.word(start - 1);
        if is_punctuation(word) && word != "'s" || prepositions().contains(word) {
            break;
        }
        start -= 1;
    }
    let mut end = token + 1;
    while end < clause.end {
        let word = view.word(end);
        let stops = (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || is_be(word)
            || MODALS.contains(word)
            || is_speech_act(word)
            || noun_scope_ends().contains(word);
        if stops {
            let reported_here = (end..(end + 4).min(clause.end))
                .any(|probe| held_report_words().contains(view.word(probe)));
            if reported_here && !is_punctuation(word) {
                return start..clause.end;
            }
            break;
        }
        end += 1;
    }
    start..end
}

/// The verb a meeting noun hangs from through "at/during/after": "said at a meeting".
pub(super) fn governing_verb(
    view: &TextView,
    token: usize,
    clause: &Range<usize>,
) -> Option<usize> {
    let lowest = clause.start.max(token.saturating_sub(4));
    let preposition = (lowest..token)
        .rev()
        .find(|&probe| governing_prepositions().contains(view.word(probe)))?;
    let verb = preposition
        .checked_sub(1)
        .filter(|&verb| verb >= clause.start)?;
    let word = view.word(verb);
    (word.chars().all(char::is_alphabetic) && view.mention_at(verb).is_none()).then_some(verb)
}

pub(super) fn has_with_complement(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    ((token + 1)..(token + 4).min(clause.end)).any(|probe| view.word(probe) == "with")
}

/// Whether the phrase that opens at `start` (after its openers) names a place where nobody
/// is visited: a place noun ("the flood zone", "three border towns", "the northern city of
/// Leh"), also after a name that only qualifies it ("Roe's shop", "Ruritania's largest
/// prison", "the Paris suburb"). A party named first ("Roe and his aides") ends the look.
fn visits_a_place(view: &TextView, start: usize, end: usize) -> bool {
    let mut probe = after_openers(view, start, end);
    let last = end.min(probe + VISITED_PLACE_WORDS);
    while probe < last {
        if let Some(mention) = view.mention_at(probe) {
            let after = mention.end;
            let possessive = matches!(view.word(after), "'s" | "'");
            let qualifying_place = view.is_location(mention)
                && !view.entity(mention.entity).is_some_and(seat_of_government);
            if !possessive && !qualifying_place {
                return false;
            }
            probe = if possessive { after + 1 } else { after };
            continue;
        }
        let word = view.word(probe);
        if !view.is_capitalized(probe) && visited_place_nouns().contains(word) {
            return true;
        }
        if (is_punctuation(word) && word != "-") || (prepositions().contains(word) && word != "of")
        {
            return false;
        }
        probe += 1;
    }
    false
}
