//! Triggers: the words that report a meeting ("met", "held talks", "summit", "visited",
//! "negotiations", ...), the kind of encounter each reports, and the exclusions that keep
//! idioms, calls, interviews, negated and unreal meetings out.

use super::sentence::SentenceContext;
use super::view::{is_country, TextView};
use super::words::*;
use crate::nlp::document::MentionKind;
use crate::nlp::lexicon::{is_determiner, MODALS, POSSESSIVE_DETERMINERS, SPEECH_ACT_VERBS};
use std::ops::Range;

/// What kind of encounter a trigger reports; it decides the CAMEO code with the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FrameKind {
    Meet,
    Visit,
    Host,
    Negotiate,
    Mediate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordClass {
    Verb,
    Noun,
}

#[derive(Debug, Clone)]
pub(super) struct Trigger {
    pub(super) token: usize,
    pub(super) kind: FrameKind,
    pub(super) class: WordClass,
    /// The verb whose subject and tense count: the trigger itself, or the verb carrying a
    /// meeting noun ("held" in "held talks").
    pub(super) anchor: usize,
    /// The clause (token range) the trigger belongs to.
    pub(super) clause: Range<usize>,
}

/// The trigger on `token`, if it reports a meeting (exclusions and negation applied).
pub(super) fn trigger_at(
    view: &TextView,
    context: &SentenceContext,
    token: usize,
) -> Option<Trigger> {
    let word = view.word(token);
    let previous = if token > context.tokens.start {
        view.word(token - 1)
    } else {
        ""
    };
    let next = view.word(token + 1);
    let (kind, class) = match word {
        "met" => (FrameKind::Meet, WordClass::Verb),
        "meet" | "meets" => {
            // "a track meet", "meet-and-greet": sport fixtures and receptions.
            if meet_noun_cues().contains(previous) {
                return None;
            }
            (FrameKind::Meet, WordClass::Verb)
        }
        "meeting" if is_be(previous) => (FrameKind::Meet, WordClass::Verb),
        _ if meeting_trigger_nouns().contains(word) => (FrameKind::Meet, WordClass::Noun),
        "talks" => {
            // "he talks about", "Okafor (left) talks with her son": a conversation.
            // "the Geneva talks", "the Lake Bled talks": a name after a determiner
            // modifies the noun.
            let determined_name = token > context.tokens.start && {
                let mut probe = token - 1;
                while probe > context.tokens.start && view.is_capitalized(probe) {
                    probe -= 1;
                }
                probe < token - 1 && is_determiner(view.word(probe))
            };
            let after_subject = matches!(previous, "he" | "she" | ")" | "who")
                || (token > context.tokens.start
                    && !determined_name
                    && view.mention_at(token - 1).is_some_and(|m| {
                        m.kind != MentionKind::Pronoun || !POSSESSIVE_DETERMINERS.contains(previous)
                    })
                    && !POSSESSIVE_DETERMINERS.contains(previous)
                    && previous != "'s");
            if talks_verb_particles().contains(next) || after_subject {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "dialogue" | "dialogues" => {
            // "the film's dialogue", "a dialogue box", "lines of dialogue": speech in a
            // script or on a screen, not talks.
            if dialogue_script_cues().contains(previous) || dialogue_compounds().contains(next) {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "debate" | "debates" => {
            // A televised debate is an encounter; "the debate over X", "the immigration
            // debate" are public discussion, and "to debate" is a verb.
            let public =
                debate_topic_openers().contains(next) || debate_senses().contains(previous);
            let verb = previous == "to" || MODALS.contains(previous);
            let event_cue = is_debate_event(view, context.tokens.start, token);
            // "the debate will shape the race", "a weak debate showing".
            let bare = matches!(previous, "the" | "this" | "that" | "a")
                || debate_compounds().contains(next);
            if public || verb || !(event_cue || bare) {
                return None;
            }
            (FrameKind::Meet, WordClass::Noun)
        }
        "negotiations" | "negotiation" | "negotiating"
            if negotiation_compounds().contains(next) =>
        {
            // "the negotiations affairs department", "a negotiating position".
            return None;
        }
        "negotiations" | "negotiation" => (FrameKind::Negotiate, WordClass::Noun),
        _ if negotiate_verbs().contains(word) => {
            // "a negotiated settlement", "a U.S.-negotiated deal" are adjectives.
            if is_determiner(previous) || previous == "-" {
                return None;
            }
            (FrameKind::Negotiate, WordClass::Verb)
        }
        _ if mediate_verbs().contains(word) && previous != "-" => {
            (FrameKind::Mediate, WordClass::Verb)
        }
        "mediation" => (FrameKind::Mediate, WordClass::Noun),
        "visit" | "visits" => {
            let noun = is_determiner(previous)
                || previous == "'s"
                || visit_noun_modifiers().contains(previous);
            let class = if noun {
                WordClass::Noun
            } else {
                WordClass::Verb
            };
            (FrameKind::Visit, class)
        }
        "visited" | "visiting" => {
            // "the visiting minister" describes a person; the verb nearby is the trigger.
            // "the most visited museum": an adjective.
            if is_determiner(previous) || participle_degree_adverbs().contains(previous) {
                return None;
            }
            (FrameKind::Visit, WordClass::Verb)
        }
        _ if host_verbs().contains(word) => {
            if is_determiner(previous) || host_noun_modifiers().contains(previous) {
                return None;
            }
            (FrameKind::Host, WordClass::Verb)
        }
        _ if confer_verbs().contains(word)
            && (next == "with"
                || ((next.ends_with("ly") || is_in(next, &["instead", "again", "first"]))
                    && view.word(token + 2) == "with")) =>
        {
            (FrameKind::Meet, WordClass::Verb)
        }
        _ if sit_verbs().contains(word) && next == "down" && view.word(token + 2) == "with" => {
            (FrameKind::Meet, WordClass::Verb)
        }
        _ if convene_verbs().contains(word) => (FrameKind::Meet, WordClass::Verb),
        _ => return None,
    };
    // "Met Office", "the Met": capitalised trigger words are names, except at the start of
    // a sentence or in a title-case headline.
    if view.is_capitalized(token) && token != context.tokens.start && !context.headline {
        return None;
    }
    // "Meet The Parents", "Meet My Folks": a verb then a capitalised determiner is a title.
    if class == WordClass::Verb
        && !context.headline
        && view.is_capitalized(token)
        && token + 1 < context.tokens.end
        && view.is_capitalized(token + 1)
        && is_determiner(next)
    {
        return None;
    }
    // "Meet the Neighbours broke the record", "Visit Ruritania said": a bare "meet" or "visit"
    // opening a sentence of running text has no subject; it is a title or an imperative,
    // not a report of a meeting.
    if class == WordClass::Verb
        && !context.headline
        && token == context.tokens.start
        && matches!(word, "meet" | "visit")
    {
        return None;
    }
    // "the conference sessions", "a meeting room": the noun modifies another.
    if class == WordClass::Noun && noun_compounds().contains(next) {
        return None;
    }
    let encounter_word = kind == FrameKind::Visit
        || kind == FrameKind::Host
        || meet_forms().contains(word)
        || matches!(word, "meetings");
    if encounter_word && is_sport_fixture(view, token) {
        return None;
    }
    let clause = context.clause_of(token);
    if is_remote(view, token, &clause) || is_idiom(view, token, &clause) {
        return None;
    }
    if class == WordClass::Verb && carries_meeting_noun(view, token, &clause) {
        // "convened a meeting", "hosted talks": the noun is the trigger, this its verb.
        return None;
    }
    if kind == FrameKind::Host && !hosts_someone(view, token, &clause) {
        // "received a letter", "hosted a dinner": nobody is received.
        return None;
    }
    if class == WordClass::Noun && is_summit_of_mountain(view, word, &clause) {
        return None;
    }
    let anchor = match class {
        WordClass::Verb => token,
        WordClass::Noun => support_verb(view, token, &clause).unwrap_or(token),
    };
    if is_negated(view, anchor, &clause) || (anchor != token && is_negated(view, token, &clause)) {
        return None;
    }
    if is_unreal(view, anchor, &clause) || is_interview(view, token, &clause) {
        return None;
    }
    if class == WordClass::Noun && denied_after(view, token, &clause) {
        return None;
    }
    if class == WordClass::Noun
        && (is_internal_meeting(view, token, &clause)
            || is_media_event(view, token)
            || is_speech_venue(view, token))
    {
        return None;
    }
    Some(Trigger {
        token,
        kind,
        class,
        anchor,
        clause,
    })
}

/// "the presidential debate", "Monday's debate", "the Okafor-Lindqvist debate": a debate
/// that is an event, told by its modifiers.
pub(super) fn is_debate_event(view: &TextView, sentence_start: usize, token: usize) -> bool {
    let lowest = sentence_start.max(token.saturating_sub(3));
    let previous = token
        .checked_sub(1)
        .filter(|&previous| previous >= sentence_start);
    let named_before = previous.is_some_and(|previous| {
        view.mention_at(previous).is_some()
            || view.date_at(previous).is_some()
            || view.word(previous) == "'s"
            || (view.is_capitalized(previous) && previous > sentence_start)
    });
    named_before || (lowest..token).any(|probe| debate_event_cues().contains(view.word(probe)))
}

/// A phone or video call near the trigger ("held talks by phone", "met virtually").
pub(super) fn is_remote(view: &TextView, trigger: usize, clause: &Range<usize>) -> bool {
    let near = clause.start.max(trigger.saturating_sub(6))..clause.end.min(trigger + 7);
    near.into_iter().any(|token| {
        let word = view.word(token);
        remote_words().contains(word)
            || (word == "call" && is_in(view.word(token.wrapping_sub(1)), &["conference", "phone"]))
    })
}

/// "met with criticism", "was met with", "meet the deadline", "make ends meet".
pub(super) fn is_idiom(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let word = view.word(token);
    if !meet_forms().contains(word) {
        return false;
    }
    if token > clause.start && view.word(token - 1) == "ends" {
        return true;
    }
    let passive = token > clause.start && is_be(view.word(token - 1));
    let after_with = view.word(token + 1) == "with";
    if passive && after_with {
        // "was met with skepticism", "were met with F-16s": a reception, never a meeting.
        return true;
    }
    let start = if after_with { token + 2 } else { token + 1 };
    let mut probe = start;
    while probe < (start + 8).min(clause.end) {
        if let Some(mention) = view.mention_at(probe).copied() {
            // "meet EU criteria": the name only qualifies the object.
            let next = view.word(mention.end).trim_end_matches('s');
            if !after_with && has_stem(next, abstract_objects()) {
                return true;
            }
            if view.word(mention.end) == "'s" {
                // "meet Okafor's goal": a possessive, the object comes after it.
                probe = mention.end;
                while view.word(probe) == "'s" {
                    probe += 1;
                }
                continue;
            }
            if view.is_participant(&mention) {
                return false;
            }
        }
        let probe_word = view.word(probe);
        if is_punctuation(probe_word) && !matches!(probe_word, "-" | "'s") {
            break;
        }
        let singular = probe_word.trim_end_matches('s');
        if has_stem(singular, reactions())
            || (!after_with && has_stem(singular, abstract_objects()))
        {
            return true;
        }
        if prepositions().contains(probe_word) && probe_word != "of" {
            break;
        }
        probe += 1;
    }
    false
}

/// A verb directly followed by a meeting noun ("convened a meeting", "hosted talks").
pub(super) fn carries_meeting_noun(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    // "met in closed session" names how they met, not a second event: stop at "in".
    ((token + 1)..(token + 6).min(clause.end))
        .take_while(|&probe| !is_punctuation(view.word(probe)) && view.word(probe) != "in")
        .any(|probe| meeting_nouns().contains(view.word(probe)))
}

/// "received/hosted X" counts only when X is a person, organisation or country, or in the
/// passive "was received by X".
pub(super) fn hosts_someone(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    if view.word(token + 1) == "by" {
        // "Roe was received by Doe" has a visitor before the verb; "the awards will be
        // hosted by Roe", "the sale, hosted by auctioneers" an event.
        let before = clause.start..token;
        let event = before
            .clone()
            .any(|probe| hosted_events().contains(view.word(probe)));
        let visitor = before.clone().any(|probe| {
            group_nouns().contains(view.word(probe))
                || view.mention_at(probe).is_some_and(|mention| {
                    view.is_participant(mention)
                        && (!view.is_location(mention)
                            || view.entity(mention.entity).is_some_and(is_country))
                })
        });
        return visitor && !event;
    }
    let mut probe = token + 1;
    while probe < clause.end && probe < token + 8 {
        if let Some(mention) = view.mention_at(probe).copied() {
            let someone = view.is_participant(&mention)
                && (!view.is_location(&mention)
                    || view.entity(mention.entity).is_some_and(is_country));
            // "received the FBI letter", "hosting the Olympics": the mention only
            // modifies the thing received.
            let head_follows = !is_punctuation(view.word(mention.end))
                && !prepositions().contains(view.word(mention.end))
                && !visitor_name_followers().contains(view.word(mention.end))
                && !view.is_capitalized(mention.end)
                && view.date_at(mention.end).is_none()
                && mention.end < clause.end;
            let event = (mention.first..mention.end)
                .any(|inner| hosted_events().contains(view.word(inner)));
            return someone && !head_follows && !event;
        }
        let word = view.word(probe);
        // Only articles and capitalised titles may stand before the visitor's name.
        let title_like = is_determiner(word) || view.is_capitalized(probe);
        if is_punctuation(word) || prepositions().contains(word) || !title_like {
            return false;
        }
        probe += 1;
    }
    false
}

pub(super) fn is_summit_of_mountain(view: &TextView, word: &str, clause: &Range<usize>) -> bool {
    matches!(word, "summit" | "summits")
        && clause.clone().any(|token| {
            let word = view.word(token);
            word.starts_with("mount")
                || word.starts_with("climb")
                || word == "everest"
                || word == "peak"
        })
}

/// "party meeting", "board meeting": an organisation's internal session.
pub(super) fn is_internal_meeting(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    (clause.start.max(token.saturating_sub(2))..token)
        .any(|probe| internal_modifiers().contains(view.word(probe)))
}

/// "told the conference", "speaking at a conference": a venue noun that a speech word
/// shortly before it in its clause makes the audience of a speech.
/// The look-back stays in the sentence, not the clause: a possessive apostrophe ("an
/// investors' conference") reads as a quotation mark that opens a clause.
pub(super) fn is_speech_venue(view: &TextView, token: usize) -> bool {
    let document = view.document;
    let sentence_start = document.sentences[document.tokens[token].sentence]
        .tokens
        .start;
    venue_nouns().contains(view.word(token))
        && (sentence_start.max(token.saturating_sub(6))..token).any(|probe| {
            let word = view.word(probe);
            speech_event_words().contains(word) || SPEECH_ACT_VERBS.contains(word)
        })
}

/// "press conference", "news conference": a media event right before the noun; "an
/// industry conference": a trade show ("trade talks" stay talks).
pub(super) fn is_media_event(view: &TextView, token: usize) -> bool {
    let before = if token > 0 { view.word(token - 1) } else { "" };
    media_event_modifiers().contains(before)
        || (trade_show_modifiers().contains(before)
            && matches!(view.word(token), "conference" | "conferences"))
}

/// How many words of sports reporting make an article a sports report.
const SPORT_REPORT_WORDS: usize = 3;

/// "Umaga will meet O'Driscoll in Saturday's match", "Leicester will visit the winners of
/// the replay": in a sports report (at least [`SPORT_REPORT_WORDS`] words of sports
/// reporting), such a word in the trigger's sentence or the one before it makes "meet",
/// "visit", "host" or "a meeting" a fixture or a competition. A political report that
/// mentions one cricket match keeps its meetings.
pub(super) fn is_sport_fixture(view: &TextView, token: usize) -> bool {
    if view.sport_words < SPORT_REPORT_WORDS {
        return false;
    }
    let document = view.document;
    let sentence = document.tokens[token].sentence;
    let first = document.sentences[sentence.saturating_sub(1)].tokens.start;
    let last = document.sentences[sentence].tokens.end;
    (first..last).any(|probe| view.is_sport_word(probe))
}

/// The verb that carries a meeting noun: "held talks", "paid a visit", "cancelled his
/// meeting", "is on a visit".
pub(super) fn support_verb(view: &TextView, token: usize, clause: &Range<usize>) -> Option<usize> {
    let mut probe = token;
    let lowest = clause.start.max(token.saturating_sub(5));
    while probe > lowest {
        probe -= 1;
        let word = view.word(probe);
        if support_verbs().contains(word) {
            return Some(probe);
        }
        if word == "on" && probe > clause.start && is_be(view.word(probe - 1)) {
            return Some(probe - 1);
        }
        if is_punctuation(word) && !matches!(word, "-" | "–") || prepositions().contains(word) {
            return None;
        }
    }
    None
}

/// "the deal you would have negotiated" (counterfactual), "people we meet" (habitual).
pub(super) fn is_unreal(view: &TextView, anchor: usize, clause: &Range<usize>) -> bool {
    let before = |offset: usize| {
        anchor
            .checked_sub(offset)
            .filter(|&token| token >= clause.start)
            .map_or("", |token| view.word(token))
    };
    let counterfactual = before(1) == "have" && counterfactual_modals().contains(before(2));
    let habitual = view.word(anchor) == "meet" && matches!(before(1), "we" | "you" | "i");
    counterfactual || habitual
}

/// "meeting and interviewing prisoners": an interview, which is not a meeting.
pub(super) fn is_interview(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let near = clause.start.max(token.saturating_sub(3))..clause.end.min(token + 4);
    near.into_iter()
        .any(|probe| view.word(probe).starts_with("interview"))
}

/// "Negotiations can not be held", "the summit will not take place".
pub(super) fn denied_after(view: &TextView, token: usize, clause: &Range<usize>) -> bool {
    let window = (token + 1)..(token + 7).min(clause.end);
    let negation = window.clone().find(|&probe| is_negation(view.word(probe)));
    negation.is_some_and(|negation| {
        ((negation + 1)..window.end).any(|probe| occurrence_words().contains(view.word(probe)))
    })
}

pub(super) fn is_negated(view: &TextView, anchor: usize, clause: &Range<usize>) -> bool {
    // Walk back over auxiliaries so that "would n't have been able to meet" is negated.
    let mut probe = anchor;
    let mut content_words = 0;
    while probe > clause.start && content_words < 3 {
        probe -= 1;
        let word = view.word(probe);
        if is_negation(word) {
            return !(word == "no" && view.word(probe + 1) == "longer");
        }
        let auxiliary =
            is_be(word) || MODALS.contains(word) || negation_auxiliaries().contains(word);
        if !auxiliary {
            content_words += 1;
        }
        if is_punctuation(word) {
            break;
        }
    }
    false
}
