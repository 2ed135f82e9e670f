//! Meeting frames: who met whom, where, when, on what occasion and about what.
//!
//! The last pipeline stage. It reads the tokens and sentences, the entity mentions and the
//! dates written by the earlier stages and finds meeting events by rule, with a learnt model
//! for participants: a trigger word ("met", "held talks", "summit", "visited",
//! "negotiations", ...), its participants, the place and date of the trigger's clause, the
//! occasion, the topics, the status (held, planned, cancelled) and a CAMEO consult code
//! (040-046). A later reference to the same meeting enriches the existing frame instead of
//! adding one. It finds no entities or dates itself: without them it still reports triggers,
//! with fewer details. Speech acts, calls, interviews, party conferences, negated meetings
//! and idioms ("met with criticism") are no meetings.
//!
//! The files: `sentence.rs` reads one sentence (clauses, triggers, the candidate frame of
//! each trigger); `triggers.rs` finds the trigger words and their exclusions;
//! `participants.rs` resolves who a noun phrase refers to; `participant_candidates.rs` and
//! `candidate_model.rs` add the parties the rules missed, and a place where they found none,
//! by trained models over the entities and groups near the trigger
//! (`models/meeting-participants.tsv`, `models/meeting-places.tsv`); `setting.rs` finds
//! place, date and occasion, `topics.rs` what was discussed and `status.rs` whether it
//! was held; `frames.rs` merges candidates into meetings and decides the CAMEO code;
//! `view.rs` is the per-article token view they all read and `words.rs` the cue words (lists
//! under `data/lexicon/meetings/`).

mod candidate_model;
mod frames;
mod participant_candidates;
mod participants;
mod sentence;
mod setting;
mod status;
mod topics;
mod triggers;
mod view;
mod words;

use super::bounds::{self, Deadline};
use super::document::Document;
use super::gazetteer::Gazetteer;
pub use candidate_model::{embedded_models, CandidateModel, FitOptions, MeetingModels};
use frames::FrameSet;
pub use participant_candidates::{ParticipantCandidate, Who};
use sentence::analyse_sentence;
use view::TextView;

/// Finds the meetings reported in `document` and stores them in `document.meetings`.
pub fn extract(document: &mut Document, gazetteer: &Gazetteer) {
    extract_within(
        document,
        gazetteer,
        Some(&embedded_models()),
        Deadline::none(),
    );
}

/// The candidate participants and the candidate places of each of `document.meetings` with
/// their features, for training the meeting models on what the rules found
/// (`document.meetings` as [`extract_within`] without a model left them).
pub fn meeting_candidates(
    document: &Document,
) -> Vec<(Vec<ParticipantCandidate>, Vec<ParticipantCandidate>)> {
    let view = TextView::new(document);
    document
        .meetings
        .iter()
        .map(|meeting| {
            (
                participant_candidates::candidates_of(&view, meeting),
                participant_candidates::place_candidates_of(&view, meeting),
            )
        })
        .collect()
}

/// [`extract`] that stops early once `deadline` has passed (checked every sentence) and
/// keeps at most [`bounds::meeting_cap`] meetings; each of the two says so in
/// `document.warnings`. Without a `model`, the participants are the rules' choice.
pub fn extract_within(
    document: &mut Document,
    _gazetteer: &Gazetteer,
    model: Option<&MeetingModels>,
    deadline: Deadline,
) {
    let text_bytes = document.fields.iter().map(|field| field.text.len()).sum();
    let cap = bounds::meeting_cap(text_bytes);
    let (meetings, stopped, capped) = {
        let view = TextView::new(document);
        let mut frames = FrameSet::with_cap(cap);
        let mut stopped = false;
        for sentence in reading_order(document) {
            if deadline.passed() {
                stopped = true;
                break;
            }
            analyse_sentence(&view, sentence, &mut frames);
        }
        let capped = frames.capped;
        (frames.into_meetings(&view, model), stopped, capped)
    };
    document.meetings = meetings;
    if stopped {
        document.warnings.push(deadline.warning("meetings"));
    }
    if capped {
        let warning = bounds::cap_warning("meetings", "meetings", cap);
        document.warnings.push(warning);
    }
}

/// Sentences in the order their meetings should be found: the body before the title, so a
/// headline ("Okafor meets Lena Lindqvist") merges into the body's fuller report instead of
/// becoming the frame that carries the evidence.
fn reading_order(document: &Document) -> Vec<usize> {
    let has_title = document.fields.len() > 1;
    let (title, body): (Vec<usize>, Vec<usize>) = (0..document.sentences.len())
        .partition(|&index| has_title && document.sentences[index].span.field == 0);
    body.into_iter().chain(title).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::document::Field;
    use crate::nlp::text;

    // The stage on invented sentences with a cast of entities and dates is checked by the
    // case tables in `tests/cases/meetings/` (runner `tests/cases_meetings.rs`).

    #[test]
    fn works_without_entities_or_dates() {
        let mut document = Document {
            fields: vec![Field {
                name: "body".into(),
                text: "The two presidents met in a castle. They later held talks.".into(),
            }],
            ..Document::default()
        };
        text::tokenize(&mut document);
        extract(&mut document, Gazetteer::embedded());
        assert_eq!(document.meetings.len(), 1);
        assert!(document.meetings[0].participants.is_empty());
        assert_eq!(document.meetings[0].cameo, "040");
    }
}
