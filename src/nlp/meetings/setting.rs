//! Where, when and on what occasion: the place ("in" or "at" a location, the organisation a
//! meeting is "at"), the date of the trigger's clause and the occasion phrase ("on the
//! sidelines of ...", "during ...", "at the ... summit").

use super::view::TextView;
use super::words::*;
use crate::nlp::document::{EntityType, MentionKind};
use crate::nlp::lexicon::is_determiner;
use std::ops::Range;

/// Locations introduced by "in", "at", "near" (or "to" after a visit or a journey) in the
/// clause, outside the topic phrases; the first after the trigger wins, else the last one
/// before it.
pub(super) fn place_in(
    view: &TextView,
    clause: &Range<usize>,
    trigger: usize,
    excluded: &[Range<usize>],
) -> Option<usize> {
    let mut before = None;
    let mut token = clause.start;
    while token < clause.end {
        let word = view.word(token);
        let opens_place = place_prepositions().contains(word)
            || (word == "to"
                && token > clause.start
                && destination_cues().contains(view.word(token - 1)));
        if opens_place && !excluded.iter().any(|range| range.contains(&token)) {
            let mut probe = token + 1;
            if view.word(probe) == "the" {
                probe += 1;
            }
            if let Some(mention) = view.mention_at(probe) {
                // "at the State Department", "at Acme's headquarters": an organisation
                // after "at" is the venue.
                let venue = word == "at"
                    && mention.kind == MentionKind::Name
                    && view
                        .entity(mention.entity)
                        .is_some_and(|entity| entity.entity_type == EntityType::Organization);
                if (view.is_location(mention) || venue) && probe < clause.end {
                    if probe > trigger {
                        return Some(mention.entity);
                    }
                    before = Some(mention.entity);
                }
            }
        }
        token += 1;
    }
    before
}

/// The date expression of the clause nearest to the trigger.
pub(super) fn date_in(view: &TextView, clause: &Range<usize>, trigger: usize) -> Option<usize> {
    clause
        .clone()
        .filter_map(|token| {
            view.date_at(token)
                .map(|date| (token.abs_diff(trigger), date))
        })
        .min()
        .map(|(_, date)| date)
}

/// Where an occasion phrase starts at `token` ("on the sidelines of", "during", "ahead
/// of", "at the ... summit"), with the token its phrase body starts at.
pub(super) fn occasion_opener(view: &TextView, token: usize, end: usize) -> bool {
    let word = view.word(token);
    if matches!(word, "on" | "in" | "at")
        && view.word(token + 1) == "the"
        && has_stem(view.word(token + 2), sideline_stems())
    {
        return view.word(token + 3) == "of";
    }
    if occasion_phrases()
        .iter()
        .any(|phrase| phrase_at(view, token, phrase))
    {
        return true;
    }
    word == "at"
        && ((token + 1)..(token + 7).min(end))
            .take_while(|&probe| !is_punctuation(view.word(probe)))
            .any(|probe| event_heads().contains(view.word(probe)))
}

/// Whether the words of `phrase` (separated by spaces) start at `token`.
fn phrase_at(view: &TextView, token: usize, phrase: &str) -> bool {
    phrase
        .split(' ')
        .enumerate()
        .all(|(offset, word)| view.word(token + offset) == word)
}

/// The occasion phrase of the clause, if any, as a token range.
pub(super) fn occasion_in(
    view: &TextView,
    clause: &Range<usize>,
    trigger: usize,
) -> Option<Range<usize>> {
    let mut token = clause.start;
    while token < clause.end {
        if occasion_opener(view, token, clause.end) {
            let end = phrase_end(view, token + 1, clause.end, trigger);
            let range = token..end;
            // "During the talks": the trigger heads the phrase, so it is no occasion.
            if !range.contains(&trigger) && end != trigger && end > token + 1 {
                return Some(range);
            }
            token = end.max(token + 1);
            continue;
        }
        token += 1;
    }
    None
}

/// Where a noun phrase that started before `start` ends: at punctuation, a date, a clause
/// word, an infinitive, the trigger or a named participant that starts a new clause.
pub(super) fn phrase_end(view: &TextView, start: usize, end: usize, trigger: usize) -> usize {
    let mut probe = start;
    while probe < end && probe < start + 16 {
        let word = view.word(probe);
        if word == "(" {
            // A short parenthesis inside a name: "Asia-Pacific Economic Cooperation (APEC)".
            if let Some(close) = ((probe + 1)..(probe + 5).min(end)).find(|&p| view.word(p) == ")")
            {
                probe = close + 1;
                continue;
            }
        }
        if probe == trigger
            || (is_punctuation(word) && !matches!(word, "-" | "–" | "'s" | "&"))
            || (view.date_at(probe).is_some() && view.date_at(probe.wrapping_sub(1)).is_none())
            || occasion_phrase_ends().contains(word)
            || (word == "to"
                && !view.is_capitalized(probe + 1)
                && !is_determiner(view.word(probe + 1)))
            || (word == "and" && clause_verbs().contains(view.word(probe + 1)))
        {
            break;
        }
        if probe > trigger
            && view.mention_at(probe).is_some_and(|mention| {
                mention.first == probe
                    && view.is_participant(mention)
                    && !view.is_location(mention)
                    && !prepositions().contains(view.word(probe.wrapping_sub(1)))
                    && view.word(probe.wrapping_sub(1)) != "the"
            })
        {
            break;
        }
        probe += 1;
    }
    probe
}
