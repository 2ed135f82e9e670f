//! Status: whether a meeting was held, is planned or was cancelled, from the words around
//! the trigger and the date against the publication day.

use super::triggers::{Trigger, WordClass};
use super::view::TextView;
use super::words::*;
use crate::nlp::dates::timex_start;
use crate::nlp::document::{Document, MeetingStatus};
use crate::nlp::lexicon::MODALS;

/// Held, planned or cancelled, from the words around the trigger and the date.
pub(super) fn status_of(view: &TextView, trigger: &Trigger, date: Option<usize>) -> MeetingStatus {
    let clause = &trigger.clause;
    let before = clause.start.max(trigger.anchor.saturating_sub(6))..trigger.anchor;
    let after = (trigger.token + 1)..(trigger.token + 5).min(clause.end);
    let cancelled_before = before.clone().any(|probe| {
        let word = view.word(probe);
        cancel_words().contains(word) && word != "off"
            || (word == "called" && view.word(probe + 1) == "off")
    }) || cancel_words().contains(view.word(trigger.anchor))
        || (view.word(trigger.anchor) == "called" && view.word(trigger.anchor + 1) == "off");
    let cancelled_after = trigger.class == WordClass::Noun
        && ((trigger.token + 1)..(trigger.token + 12).min(clause.end)).any(|probe| {
            cancel_words().contains(view.word(probe))
                && (probe > trigger.token + 1 && is_be(view.word(probe - 1))
                    || view.word(probe - 1) == "been"
                    || view.word(probe) == "off")
        });
    if cancelled_before || cancelled_after {
        return MeetingStatus::Cancelled;
    }
    let anchor_word = view.word(trigger.anchor);
    if held_verbs().contains(anchor_word)
        && !(trigger.anchor > clause.start && MODALS.contains(view.word(trigger.anchor - 1)))
    {
        return MeetingStatus::Held;
    }
    let near = clause.start.max(trigger.anchor.saturating_sub(4))..trigger.anchor;
    let modal = near.clone().any(|probe| MODALS.contains(view.word(probe)));
    // "agreed to meet", "an offer to negotiate" are plans; "flew to Beijing to meet" is
    // the purpose of a journey that happened.
    let infinitive = trigger.anchor > clause.start && view.word(trigger.anchor - 1) == "to";
    let journey = infinitive
        && (clause.start.max(trigger.anchor.saturating_sub(7))..trigger.anchor - 1)
            .any(|probe| journey_verbs().contains(view.word(probe)));
    let infinitive_of_plan = infinitive && !journey;
    let planned_support = planning_verbs().contains(anchor_word);
    let planned_modifier = trigger.class == WordClass::Noun
        && (clause.start.max(trigger.token.saturating_sub(3))..trigger.token)
            .any(|probe| planned_modifiers().contains(view.word(probe)));
    let planned_after = trigger.class == WordClass::Noun
        && (after.clone()).any(|probe| {
            let word = view.word(probe);
            (schedule_words().contains(word) && is_be(view.word(probe - 1)))
                || (word == "be" && MODALS.contains(view.word(probe - 1)))
        });
    if modal || infinitive_of_plan || planned_support || planned_modifier || planned_after {
        return MeetingStatus::Planned;
    }
    if date.is_some_and(|date| is_future(view.document, date)) {
        return MeetingStatus::Planned;
    }
    MeetingStatus::Held
}

/// True when the date's value lies after the publication day.
pub(super) fn is_future(document: &Document, date: usize) -> bool {
    let (Some(value), Some(published)) = (
        document
            .dates
            .get(date)
            .and_then(|date| date.value.as_deref()),
        document.published_at,
    ) else {
        return false;
    };
    timex_start(value).is_some_and(|start| start > published.date_naive())
}
