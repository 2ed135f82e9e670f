//! Meeting evaluation on RAMS and WikiEvents:
//! `article-enricher eval meetings --rams FILE --wikievents FILE`.
//!
//! Gold (`../shared/docs/evaluation.md`, "Meetings"):
//! - RAMS (JSON lines): the events of types `contact.discussion.meet`,
//!   `contact.negotiate.meet` and `contact.collaborate.meet`; its other `.meet` types
//!   (promises, requests, funerals ...) are not meetings. Participants are the arguments
//!   whose role names a participant, places those whose role names a place.
//! - WikiEvents (JSON lines): the `Contact.Contact.Meet` events. Participants are the
//!   `Participant` arguments, places the `Place` ones, located by their entity mentions.
//! - In both, an event whose trigger is a speech verb or an interview (said, asked, told,
//!   interviewed ...) is left out: evaluation.md says speech acts are never meetings
//!   "whatever an event corpus calls them" and that interviews are not meetings. A
//!   participant listed twice with the same span (under two roles) counts once.
//!
//! Every document of both files becomes one article whose only field is `body`: RAMS tokens
//! joined by single spaces, WikiEvents sentence texts as written, sentences joined by
//! newlines (as the earlier measuring script did). It goes through [`Article::from_object`]
//! and [`enrichment_of`](crate::contract::enrichment_of), the path of the `enrich` command.
//! Offsets are code points.
//!
//! Scoring:
//! - a gold meeting is found when a predicted meeting's `trigger` overlaps its trigger word,
//!   or its `evidence` covers the trigger word and lies within one sentence (an evidence
//!   span of the whole article finds nothing). The predicted meeting paired with it is the
//!   first whose trigger overlaps, else the first whose evidence covers it;
//! - on found meetings, predicted participants are matched one-to-one to gold participant
//!   arguments, in order: a pair matches when a mention of the participant's entity overlaps
//!   the argument, or when one name contains the other as whole words (case-insensitive).
//!   Participant precision divides by the predicted participants, recall by the gold ones;
//! - place accuracy is over found meetings with a gold place: right when the predicted
//!   location's name and a gold place contain one another as whole words.
//!
//! The guarded scores are trigger recall, participant P/R/F1 and place accuracy. Predicted
//! meetings in documents without a gold meeting are reported but not scored: RAMS labels one
//! event per document, so they are not necessarily errors.

use super::{
    corpus_name, precision_recall_f1, round4, scores, write_outcomes, EvalError, Report, Speed,
};
use crate::contract::enrichment::EntityOut;
use crate::contract::{Article, Enrichment};
use crate::nlp::Pipeline;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The RAMS event types that are meetings.
const RAMS_TYPES: &[&str] = &[
    "contact.discussion.meet",
    "contact.negotiate.meet",
    "contact.collaborate.meet",
];

/// The WikiEvents event type of meetings (before the speech-verb filter).
const WIKIEVENTS_TYPE: &str = "Contact.Contact.Meet";

/// Triggers that are speech acts, not meetings (the list of the measuring script).
const SPEECH_VERBS: &[&str] = &[
    "said",
    "asked",
    "told",
    "declared",
    "replied",
    "say",
    "says",
    "tell",
    "tells",
    "ask",
    "asks",
    "stated",
    "announced",
    "interviewed",
    "interview",
    "interviews",
];

/// A code point span into the body, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    fn overlaps(self, other: CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }

    fn covers(self, other: CharSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A gold argument: its span in the body and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldArgument {
    pub span: CharSpan,
    pub text: String,
}

/// A gold meeting event.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldMeeting {
    pub trigger: CharSpan,
    pub word: String,
    pub event_type: String,
    pub participants: Vec<GoldArgument>,
    pub places: Vec<GoldArgument>,
}

/// One corpus document rebuilt as an article body, with its gold meetings.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldDocument {
    pub key: String,
    pub body: String,
    /// Code point spans of the sentences in the body.
    pub sentences: Vec<CharSpan>,
    pub meetings: Vec<GoldMeeting>,
}

/// A predicted participant as the scorer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedParticipant {
    pub name: String,
    /// The body mentions of its entity.
    pub mentions: Vec<CharSpan>,
}

/// A predicted meeting as the scorer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedMeeting {
    pub trigger: CharSpan,
    pub evidence: CharSpan,
    /// The later words the frame lists as reporting the same meeting.
    pub mentions: Vec<CharSpan>,
    pub participants: Vec<PredictedParticipant>,
    pub place: Option<String>,
}

counts! {
    /// Counts from which the figures are computed.
    pub struct Counts {
        pub gold: usize,
        pub found: usize,
        pub predicted: usize,
        /// Predicted meetings that find some gold meeting.
        pub predicted_matching: usize,
        /// Predicted meetings in documents without a gold meeting.
        pub predicted_without_gold: usize,
        /// Participants on found meetings.
        pub gold_participants: usize,
        pub predicted_participants: usize,
        pub correct_participants: usize,
        /// Found meetings with a gold place, and those whose place is right.
        pub with_place: usize,
        pub place_correct: usize,
    }
}

/// Scores meetings against RAMS and WikiEvents meeting events. With `outcomes`, also writes
/// the outcome of every gold meeting and every unmatched predicted meeting there as JSON
/// lines ([`list_outcomes`]).
pub fn evaluate(
    rams: &Path,
    wikievents: &Path,
    pipeline: &Pipeline,
    outcomes: Option<&Path>,
) -> Result<Report, EvalError> {
    let corpora = [
        ("rams", rams, read_documents(rams, parse_rams_line)?),
        (
            "wikievents",
            wikievents,
            read_documents(wikievents, parse_wikievents_line)?,
        ),
    ];
    let mut totals = Counts::default();
    let mut per_corpus = Map::new();
    let mut missed = Vec::new();
    let mut documents = 0usize;
    let mut listing = Vec::new();
    let mut speed = Speed::default();
    for (name, path, corpus) in &corpora {
        let mut counts = Counts::default();
        for document in corpus {
            let mut raw = Map::new();
            raw.insert("body".into(), Value::String(document.body.clone()));
            let article = Article::from_object(raw).map_err(|error| EvalError::Format {
                path: path.display().to_string(),
                message: format!("{}: not an article: {error}", document.key),
            })?;
            let enrichment = speed.enrich(pipeline, &article, &document.body);
            documents += 1;
            let predicted = predicted_meetings(&enrichment, article.body().name);
            for gold in &document.meetings {
                if find(gold, &predicted, &document.sentences).is_none() {
                    missed.push(json!({
                        "corpus": name,
                        "document": document.key,
                        "trigger": gold.word,
                        "type": gold.event_type,
                    }));
                }
            }
            counts += score_document(document, &predicted);
            if outcomes.is_some() {
                listing.extend(list_outcomes(name, document, &predicted));
            }
        }
        let (_, recall, _) = precision_recall_f1(counts.found, counts.gold, counts.gold);
        per_corpus.insert(
            name.to_string(),
            json!({
                "file": corpus_name(path),
                "documents": corpus.len(),
                "gold_meetings": counts.gold,
                "found": counts.found,
                "trigger_recall": round4(recall),
                "predicted_meetings": counts.predicted,
                "predicted_in_documents_without_gold": counts.predicted_without_gold,
            }),
        );
        totals += counts;
    }

    if let Some(outcomes) = outcomes {
        write_outcomes(outcomes, &listing)?;
    }

    let (_, trigger_recall, _) = precision_recall_f1(totals.found, totals.gold, totals.gold);
    let (participant_p, participant_r, participant_f1) = precision_recall_f1(
        totals.correct_participants,
        totals.predicted_participants,
        totals.gold_participants,
    );
    let place_accuracy = if totals.with_place == 0 {
        0.0
    } else {
        totals.place_correct as f64 / totals.with_place as f64
    };
    let scores = scores(&[
        ("trigger_recall", trigger_recall),
        ("participant_precision", participant_p),
        ("participant_recall", participant_r),
        ("participant_f1", participant_f1),
        ("place_accuracy", place_accuracy),
    ]);
    let details = json!({
        "documents": documents,
        "corpora": per_corpus,
        "gold_meetings": totals.gold,
        "found": totals.found,
        "missed": missed,
        "predicted_meetings": totals.predicted,
        "predicted_finding_a_gold_meeting": totals.predicted_matching,
        "predicted_in_documents_without_gold": totals.predicted_without_gold,
        "predicted_unmatched_in_documents_with_gold":
            totals.predicted - totals.predicted_matching - totals.predicted_without_gold,
        "participants": {
            "gold": totals.gold_participants,
            "predicted": totals.predicted_participants,
            "correct": totals.correct_participants,
        },
        "places": {
            "found_meetings_with_gold_place": totals.with_place,
            "correct": totals.place_correct,
        },
        "speed": speed.details(),
    });
    Ok(Report {
        task: "meetings".into(),
        corpus: format!("{} + {}", corpus_name(rams), corpus_name(wikievents)),
        scores,
        details,
    })
}

/// Reads a JSON lines file, one document a non-blank line.
pub(crate) fn read_documents(
    path: &Path,
    parse: fn(&str) -> Result<GoldDocument, String>,
) -> Result<Vec<GoldDocument>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let documents = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            parse(line).map_err(|message| EvalError::Format {
                path: path.display().to_string(),
                message: format!("line {}: {message}", number + 1),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if documents.is_empty() {
        return Err(EvalError::Format {
            path: path.display().to_string(),
            message: "no documents; give a JSON lines file of events".into(),
        });
    }
    Ok(documents)
}

/// Adds a gold argument unless one with the same span is there already (a corpus may list
/// one mention under two participant roles; it is one participant).
fn push_argument(arguments: &mut Vec<GoldArgument>, argument: GoldArgument) {
    if !arguments.iter().any(|known| known.span == argument.span) {
        arguments.push(argument);
    }
}

/// Whether a RAMS event type is a meeting.
pub fn is_rams_meeting(event_type: &str) -> bool {
    RAMS_TYPES.contains(&event_type)
}

/// Whether a trigger word is a speech verb (never a meeting).
pub fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word.to_lowercase().as_str())
}

/// A RAMS token span, first and last token inclusive.
type TokenRange = (usize, usize);
/// A RAMS trigger: its token span and its (type, score) labels.
type RamsTrigger = (usize, usize, Vec<(String, f64)>);
/// A RAMS argument link: trigger span, argument span, role.
type RamsLink = (TokenRange, TokenRange, String);
/// A WikiEvents sentence: its (token, start, end) triples and its text.
type WikiEventsSentence = (Vec<(String, usize, usize)>, String);

#[derive(Deserialize)]
struct RamsLine {
    doc_key: String,
    sentences: Vec<Vec<String>>,
    evt_triggers: Vec<RamsTrigger>,
    gold_evt_links: Vec<RamsLink>,
}

/// One RAMS document: tokens joined by spaces, sentences by newlines.
pub fn parse_rams_line(line: &str) -> Result<GoldDocument, String> {
    let document: RamsLine = serde_json::from_str(line).map_err(|error| error.to_string())?;
    let mut body = String::new();
    let mut length = 0usize;
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    for (index, sentence) in document.sentences.iter().enumerate() {
        if index > 0 {
            body.push('\n');
            length += 1;
        }
        let start = length;
        for (position, token) in sentence.iter().enumerate() {
            if position > 0 {
                body.push(' ');
                length += 1;
            }
            let token_length = token.chars().count();
            tokens.push(CharSpan {
                start: length,
                end: length + token_length,
            });
            body.push_str(token);
            length += token_length;
        }
        sentences.push(CharSpan { start, end: length });
    }
    let chars: Vec<char> = body.chars().collect();
    let span_of = |first: usize, last: usize| -> Result<(CharSpan, String), String> {
        let (Some(a), Some(b)) = (tokens.get(first), tokens.get(last)) else {
            return Err(format!("token span {first}..={last} out of range"));
        };
        let span = CharSpan {
            start: a.start,
            end: b.end,
        };
        Ok((span, chars[span.start..span.end].iter().collect()))
    };
    let mut meetings = Vec::new();
    for (first, last, types) in &document.evt_triggers {
        let Some((event_type, _)) = types.first() else {
            continue;
        };
        if !is_rams_meeting(event_type) {
            continue;
        }
        let (trigger, word) = span_of(*first, *last)?;
        if is_speech_verb(&word) {
            continue;
        }
        let mut participants = Vec::new();
        let mut places = Vec::new();
        for (event, argument, role) in &document.gold_evt_links {
            if *event != (*first, *last) {
                continue;
            }
            let (span, text) = span_of(argument.0, argument.1)?;
            let role = role.to_lowercase();
            if role.ends_with("participant") {
                push_argument(&mut participants, GoldArgument { span, text });
            } else if role.ends_with("place") {
                places.push(GoldArgument { span, text });
            }
        }
        meetings.push(GoldMeeting {
            trigger,
            word,
            event_type: event_type.clone(),
            participants,
            places,
        });
    }
    Ok(GoldDocument {
        key: document.doc_key,
        body,
        sentences,
        meetings,
    })
}

#[derive(Deserialize)]
struct WikiEventsLine {
    doc_id: String,
    sentences: Vec<WikiEventsSentence>,
    #[serde(default)]
    entity_mentions: Vec<WikiEventsEntity>,
    #[serde(default)]
    event_mentions: Vec<WikiEventsEvent>,
}

#[derive(Deserialize)]
struct WikiEventsEntity {
    id: String,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct WikiEventsEvent {
    event_type: String,
    trigger: WikiEventsTrigger,
    #[serde(default)]
    arguments: Vec<WikiEventsArgument>,
}

#[derive(Deserialize)]
struct WikiEventsTrigger {
    start: usize,
    end: usize,
    text: String,
}

#[derive(Deserialize)]
struct WikiEventsArgument {
    entity_id: String,
    role: String,
    text: String,
}

/// One WikiEvents document: sentence texts joined by newlines; token offsets (code points
/// into the document text) moved onto that body.
pub fn parse_wikievents_line(line: &str) -> Result<GoldDocument, String> {
    let document: WikiEventsLine = serde_json::from_str(line).map_err(|error| error.to_string())?;
    let mut body = String::new();
    let mut length = 0usize;
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    for (index, (sentence_tokens, text)) in document.sentences.iter().enumerate() {
        if index > 0 {
            body.push('\n');
            length += 1;
        }
        let start = length;
        let base = sentence_tokens.first().map_or(0, |token| token.1);
        for (_, a, b) in sentence_tokens {
            let (a, b) = (a.checked_sub(base), b.checked_sub(base));
            let (Some(a), Some(b)) = (a, b) else {
                return Err("token offsets before their sentence".into());
            };
            tokens.push(CharSpan {
                start: start + a,
                end: start + b,
            });
        }
        body.push_str(text);
        length += text.chars().count();
        sentences.push(CharSpan { start, end: length });
    }
    let span_of = |start: usize, end: usize| -> Result<CharSpan, String> {
        match (
            tokens.get(start),
            end.checked_sub(1).and_then(|e| tokens.get(e)),
        ) {
            (Some(a), Some(b)) if start < end => Ok(CharSpan {
                start: a.start,
                end: b.end,
            }),
            _ => Err(format!("token span {start}..{end} out of range")),
        }
    };
    let mut meetings = Vec::new();
    for event in &document.event_mentions {
        if event.event_type != WIKIEVENTS_TYPE || is_speech_verb(&event.trigger.text) {
            continue;
        }
        let trigger = span_of(event.trigger.start, event.trigger.end)?;
        let mut participants = Vec::new();
        let mut places = Vec::new();
        for argument in &event.arguments {
            let Some(entity) = document
                .entity_mentions
                .iter()
                .find(|entity| entity.id == argument.entity_id)
            else {
                return Err(format!("argument entity {} not found", argument.entity_id));
            };
            let gold = GoldArgument {
                span: span_of(entity.start, entity.end)?,
                text: argument.text.clone(),
            };
            match argument.role.as_str() {
                "Participant" => push_argument(&mut participants, gold),
                "Place" => places.push(gold),
                _ => {}
            }
        }
        meetings.push(GoldMeeting {
            trigger,
            word: event.trigger.text.clone(),
            event_type: event.event_type.clone(),
            participants,
            places,
        });
    }
    Ok(GoldDocument {
        key: document.doc_id,
        body,
        sentences,
        meetings,
    })
}

/// The body meetings of an enrichment, with their participants' body mentions.
pub(crate) fn predicted_meetings(enrichment: &Enrichment, body: &str) -> Vec<PredictedMeeting> {
    enrichment
        .meetings
        .iter()
        .filter(|meeting| meeting.trigger.field == body && meeting.evidence.field == body)
        .map(|meeting| PredictedMeeting {
            trigger: CharSpan {
                start: meeting.trigger.start,
                end: meeting.trigger.end,
            },
            evidence: CharSpan {
                start: meeting.evidence.start,
                end: meeting.evidence.end,
            },
            mentions: meeting
                .mentions
                .iter()
                .filter(|mention| mention.field == body)
                .map(|mention| CharSpan {
                    start: mention.start,
                    end: mention.end,
                })
                .collect(),
            participants: meeting
                .participants
                .iter()
                .map(|participant| PredictedParticipant {
                    name: participant.name.clone(),
                    mentions: enrichment
                        .entities
                        .iter()
                        .filter(|entity| participant.entity.as_ref() == Some(&entity.id))
                        .flat_map(|entity| body_mentions(entity, body))
                        .collect(),
                })
                .collect(),
            place: meeting
                .location
                .as_ref()
                .map(|location| location.name.clone()),
        })
        .collect()
}

/// The code point spans of an entity's mentions in the body field.
pub(crate) fn body_mentions(entity: &EntityOut, body: &str) -> Vec<CharSpan> {
    entity
        .mentions
        .iter()
        .filter(|mention| mention.field == body)
        .map(|mention| CharSpan {
            start: mention.start,
            end: mention.end,
        })
        .collect()
}

/// Whether `predicted` finds `gold`: its trigger overlaps the gold trigger, or its evidence
/// covers it and lies within one sentence.
pub fn finds(gold: &GoldMeeting, predicted: &PredictedMeeting, sentences: &[CharSpan]) -> bool {
    predicted.trigger.overlaps(gold.trigger)
        || (predicted.evidence.covers(gold.trigger)
            && sentences
                .iter()
                .any(|sentence| sentence.covers(predicted.evidence)))
}

/// The predicted meeting paired with `gold`: the first whose trigger overlaps it, else the
/// first that finds it by evidence.
pub fn find<'a>(
    gold: &GoldMeeting,
    predicted: &'a [PredictedMeeting],
    sentences: &[CharSpan],
) -> Option<&'a PredictedMeeting> {
    predicted
        .iter()
        .find(|meeting| meeting.trigger.overlaps(gold.trigger))
        .or_else(|| {
            predicted
                .iter()
                .find(|meeting| finds(gold, meeting, sentences))
        })
}

/// The lowercase alphanumeric words of a name.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether one name contains the other as a run of whole words (case-insensitive).
pub fn names_contain(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && long.windows(short.len()).any(|window| window == short)
}

/// Whether a predicted participant is the gold argument: by mention overlap or by name.
pub fn participant_matches(gold: &GoldArgument, predicted: &PredictedParticipant) -> bool {
    predicted
        .mentions
        .iter()
        .any(|mention| mention.overlaps(gold.span))
        || names_contain(&gold.text, &predicted.name)
}

/// Correct participants: one-to-one, each gold argument in order taking the first unused
/// predicted participant that matches it.
pub fn score_participants(gold: &[GoldArgument], predicted: &[PredictedParticipant]) -> usize {
    let mut used = vec![false; predicted.len()];
    let mut correct = 0;
    for argument in gold {
        if let Some(index) = (0..predicted.len())
            .find(|&index| !used[index] && participant_matches(argument, &predicted[index]))
        {
            used[index] = true;
            correct += 1;
        }
    }
    correct
}

/// Whether the predicted place is one of the gold places, by name containment.
pub fn place_matches(gold: &[GoldArgument], predicted: Option<&str>) -> bool {
    predicted.is_some_and(|place| {
        gold.iter()
            .any(|argument| names_contain(&argument.text, place))
    })
}

/// The code points of `span` in `text`.
fn slice(text: &str, span: CharSpan) -> String {
    text.chars()
        .skip(span.start)
        .take(span.end.saturating_sub(span.start))
        .collect()
}

/// The outcome of every gold meeting of one document (`found` or `missed`, with the gold
/// and predicted participants and places and the sentence of the trigger) and of every
/// predicted meeting that finds no gold one (`unmatched`, or `without_gold` in a document
/// with no gold meeting), as JSON records.
pub fn list_outcomes(
    corpus: &str,
    document: &GoldDocument,
    predicted: &[PredictedMeeting],
) -> Vec<Value> {
    let sentence_of = |span: CharSpan| {
        document
            .sentences
            .iter()
            .find(|sentence| sentence.covers(span))
            .map(|&sentence| slice(&document.body, sentence))
    };
    let texts = |arguments: &[GoldArgument]| -> Vec<String> {
        arguments
            .iter()
            .map(|argument| argument.text.clone())
            .collect()
    };
    let names = |meeting: &PredictedMeeting| -> Vec<String> {
        meeting
            .participants
            .iter()
            .map(|participant| participant.name.clone())
            .collect()
    };
    let mut records = Vec::new();
    for gold in &document.meetings {
        let mut record = json!({
            "corpus": corpus,
            "document": document.key,
            "outcome": "missed",
            "trigger": gold.word,
            "type": gold.event_type,
            "sentence": sentence_of(gold.trigger),
            "gold_participants": texts(&gold.participants),
            "gold_places": texts(&gold.places),
        });
        if let Some(meeting) = find(gold, predicted, &document.sentences) {
            record["outcome"] = json!("found");
            record["predicted_trigger"] = json!(slice(&document.body, meeting.trigger));
            record["predicted_participants"] = json!(names(meeting));
            record["predicted_place"] = json!(meeting.place);
            record["correct_participants"] = json!(score_participants(
                &gold.participants,
                &meeting.participants
            ));
        }
        records.push(record);
    }
    for meeting in predicted {
        if document
            .meetings
            .iter()
            .any(|gold| finds(gold, meeting, &document.sentences))
        {
            continue;
        }
        records.push(json!({
            "corpus": corpus,
            "document": document.key,
            "outcome": if document.meetings.is_empty() { "without_gold" } else { "unmatched" },
            "predicted_trigger": slice(&document.body, meeting.trigger),
            "sentence": sentence_of(meeting.trigger),
            "predicted_participants": names(meeting),
            "predicted_place": meeting.place,
        }));
    }
    records
}

/// Scores the predicted meetings of one document against its gold meetings.
pub fn score_document(document: &GoldDocument, predicted: &[PredictedMeeting]) -> Counts {
    let mut counts = Counts {
        gold: document.meetings.len(),
        predicted: predicted.len(),
        ..Counts::default()
    };
    for gold in &document.meetings {
        let Some(meeting) = find(gold, predicted, &document.sentences) else {
            continue;
        };
        counts.found += 1;
        counts.gold_participants += gold.participants.len();
        counts.predicted_participants += meeting.participants.len();
        counts.correct_participants +=
            score_participants(&gold.participants, &meeting.participants);
        if !gold.places.is_empty() {
            counts.with_place += 1;
            counts.place_correct +=
                usize::from(place_matches(&gold.places, meeting.place.as_deref()));
        }
    }
    if document.meetings.is_empty() {
        counts.predicted_without_gold = predicted.len();
    } else {
        counts.predicted_matching = predicted
            .iter()
            .filter(|meeting| {
                document
                    .meetings
                    .iter()
                    .any(|gold| finds(gold, meeting, &document.sentences))
            })
            .count();
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> CharSpan {
        CharSpan { start, end }
    }

    fn argument(start: usize, end: usize, text: &str) -> GoldArgument {
        GoldArgument {
            span: span(start, end),
            text: text.into(),
        }
    }

    fn participant(name: &str, mentions: &[(usize, usize)]) -> PredictedParticipant {
        PredictedParticipant {
            name: name.into(),
            mentions: mentions.iter().map(|&(a, b)| span(a, b)).collect(),
        }
    }

    fn gold_meeting(trigger: CharSpan) -> GoldMeeting {
        GoldMeeting {
            trigger,
            word: "met".into(),
            event_type: "t".into(),
            participants: Vec::new(),
            places: Vec::new(),
        }
    }

    fn predicted(trigger: CharSpan, evidence: CharSpan) -> PredictedMeeting {
        PredictedMeeting {
            trigger,
            evidence,
            mentions: Vec::new(),
            participants: Vec::new(),
            place: None,
        }
    }

    const RAMS: &str = r#"{"doc_key": "d1", "sentences": [["Ann", "met", "Bob", "in", "Oslo", "."], ["They", "talked", "."]], "evt_triggers": [[1, 1, [["contact.discussion.meet", 1.0]]], [7, 7, [["contact.requestadvise.meet", 1.0]]]], "gold_evt_links": [[[1, 1], [0, 0], "evt1arg01participant"], [[1, 1], [2, 2], "evt1arg02participant"], [[1, 1], [4, 4], "evt1arg03place"], [[7, 7], [6, 6], "evt2arg01communicator"]], "ent_spans": []}"#;

    const WIKIEVENTS: &str = r#"{"doc_id": "w1", "sentences": [[[["Ann", 0, 3], ["said", 4, 8], [".", 8, 9]], "Ann said."], [[["Talks", 10, 15], ["in", 16, 18], ["Oslo", 19, 23]], "Talks in Oslo"]], "entity_mentions": [{"id": "T1", "start": 0, "end": 1, "text": "Ann"}, {"id": "T2", "start": 5, "end": 6, "text": "Oslo"}], "event_mentions": [{"event_type": "Contact.Contact.Meet", "trigger": {"start": 1, "end": 2, "text": "said"}, "arguments": [{"entity_id": "T1", "role": "Participant", "text": "Ann"}]}, {"event_type": "Contact.Contact.Meet", "trigger": {"start": 3, "end": 4, "text": "Talks"}, "arguments": [{"entity_id": "T2", "role": "Place", "text": "Oslo"}]}, {"event_type": "Life.Die.Unspecified", "trigger": {"start": 4, "end": 5, "text": "in"}, "arguments": []}]}"#;

    #[test]
    fn rams_gold_keeps_meeting_types_with_participants_and_places() {
        let document = parse_rams_line(RAMS).unwrap();
        assert_eq!(document.body, "Ann met Bob in Oslo .\nThey talked .");
        assert_eq!(document.sentences, vec![span(0, 21), span(22, 35)]);
        assert_eq!(document.meetings.len(), 1, "requestadvise is not a meeting");
        let meeting = &document.meetings[0];
        assert_eq!(
            (meeting.trigger, meeting.word.as_str()),
            (span(4, 7), "met")
        );
        assert_eq!(
            meeting.participants,
            vec![argument(0, 3, "Ann"), argument(8, 11, "Bob")]
        );
        assert_eq!(meeting.places, vec![argument(15, 19, "Oslo")]);
        assert!(is_rams_meeting("contact.negotiate.meet"));
        assert!(is_rams_meeting("contact.collaborate.meet"));
        assert!(!is_rams_meeting("contact.funeralvigil.meet"));
    }

    #[test]
    fn rams_gold_drops_interviews_and_counts_a_doubly_listed_participant_once() {
        let line = r#"{"doc_key": "d2", "sentences": [["Ann", "gave", "an", "interview", "."], ["Delegates", "convened", "."]], "evt_triggers": [[3, 3, [["contact.discussion.meet", 1.0]]], [6, 6, [["contact.discussion.meet", 1.0]]]], "gold_evt_links": [[[3, 3], [0, 0], "evt1arg01participant"], [[6, 6], [5, 5], "evt2arg01participant"], [[6, 6], [5, 5], "evt2arg02participant"]], "ent_spans": []}"#;
        let document = parse_rams_line(line).unwrap();
        assert_eq!(document.meetings.len(), 1, "an interview is not a meeting");
        assert_eq!(document.meetings[0].word, "convened");
        assert_eq!(
            document.meetings[0].participants,
            vec![argument(24, 33, "Delegates")]
        );
    }

    #[test]
    fn wikievents_gold_drops_speech_verbs_and_other_types() {
        let document = parse_wikievents_line(WIKIEVENTS).unwrap();
        assert_eq!(document.body, "Ann said.\nTalks in Oslo");
        assert_eq!(document.meetings.len(), 1);
        let meeting = &document.meetings[0];
        assert_eq!(
            (meeting.trigger, meeting.word.as_str()),
            (span(10, 15), "Talks")
        );
        assert!(meeting.participants.is_empty());
        assert_eq!(meeting.places, vec![argument(19, 23, "Oslo")]);
        assert!(is_speech_verb("Told"));
        assert!(is_speech_verb("interviewed"));
        assert!(!is_speech_verb("meeting"));
        assert!(parse_wikievents_line("{}").is_err());
    }

    #[test]
    fn a_meeting_is_found_by_trigger_or_by_evidence_within_one_sentence() {
        let sentences = [span(0, 20), span(21, 40)];
        let gold = gold_meeting(span(5, 8));
        assert!(finds(
            &gold,
            &predicted(span(7, 12), span(0, 20)),
            &sentences
        ));
        assert!(finds(
            &gold,
            &predicted(span(12, 15), span(2, 18)),
            &sentences
        ));
        assert!(
            !finds(&gold, &predicted(span(12, 15), span(0, 40)), &sentences),
            "evidence of the whole article finds nothing"
        );
        assert!(!finds(
            &gold,
            &predicted(span(25, 30), span(21, 40)),
            &sentences
        ));
        assert!(!finds(
            &gold,
            &predicted(span(8, 12), span(6, 12)),
            &sentences
        ));
        let candidates = [
            predicted(span(12, 15), span(0, 20)),
            predicted(span(5, 6), span(0, 20)),
        ];
        assert_eq!(
            find(&gold, &candidates, &sentences).map(|m| m.trigger),
            Some(span(5, 6)),
            "a trigger overlap is preferred"
        );
    }

    #[test]
    fn participants_match_by_mention_or_by_whole_word_name_one_to_one() {
        let gold = [
            argument(0, 3, "Ann"),
            argument(10, 13, "Bob Smith"),
            argument(20, 22, "he"),
        ];
        let predicted = [
            participant("Ann Lee", &[]),
            participant("Robert", &[(10, 19)]),
            participant("Chen", &[]),
            participant("Ann", &[]),
        ];
        assert!(names_contain("Chen Wei", "chen wei"));
        assert!(names_contain("the White House", "house"));
        assert!(!names_contain("Chen", "he"));
        assert!(!names_contain("", "Ann"));
        assert_eq!(score_participants(&gold, &predicted), 2);
        assert_eq!(score_participants(&gold[..1], &predicted[3..]), 1);
        assert_eq!(score_participants(&[], &predicted), 0);
    }

    #[test]
    fn places_match_by_name_containment() {
        let gold = [argument(0, 4, "Oslo"), argument(9, 14, "house")];
        assert!(place_matches(&gold, Some("Oslo, Norway")));
        assert!(place_matches(&gold, Some("White House")));
        assert!(!place_matches(&gold, Some("Bergen")));
        assert!(!place_matches(&gold, None));
        assert!(!place_matches(&[], Some("Oslo")));
    }

    #[test]
    fn a_document_is_scored_on_found_meetings_only() {
        let document = parse_rams_line(RAMS).unwrap();
        let mut hit = predicted(span(4, 7), span(0, 21));
        hit.participants = vec![participant("Ann", &[]), participant("Carl", &[])];
        hit.place = Some("Oslo".into());
        let stray = predicted(span(27, 33), span(22, 35));
        let counts = score_document(&document, &[hit, stray.clone()]);
        assert_eq!(
            counts,
            Counts {
                gold: 1,
                found: 1,
                predicted: 2,
                predicted_matching: 1,
                predicted_without_gold: 0,
                gold_participants: 2,
                predicted_participants: 2,
                correct_participants: 1,
                with_place: 1,
                place_correct: 1,
            }
        );
        let missed = score_document(&document, std::slice::from_ref(&stray));
        assert_eq!(
            (missed.found, missed.gold_participants, missed.with_place),
            (0, 0, 0)
        );
        let mut empty = document.clone();
        empty.meetings.clear();
        assert_eq!(score_document(&empty, &[stray]).predicted_without_gold, 1);
    }

    #[test]
    fn files_are_read_and_scored_through_the_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let rams = dir.path().join("rams.jsonlines");
        let wikievents = dir.path().join("we.jsonl");
        std::fs::write(&rams, format!("{RAMS}\n")).unwrap();
        std::fs::write(&wikievents, format!("{WIKIEVENTS}\n\n")).unwrap();
        let outcomes = dir.path().join("outcomes.jsonl");
        let report = evaluate(&rams, &wikievents, &Pipeline::new(), Some(&outcomes)).unwrap();
        assert_eq!(report.task, "meetings");
        let listing = std::fs::read_to_string(&outcomes).unwrap();
        let records: Vec<Value> = listing
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let gold_records = records
            .iter()
            .filter(|record| matches!(record["outcome"].as_str(), Some("found" | "missed")))
            .count();
        assert_eq!(gold_records, 2, "every gold meeting is listed: {listing}");
        assert!(records
            .iter()
            .all(|record| record["sentence"].is_string() || record["sentence"].is_null()));
        assert_eq!(report.corpus, "rams.jsonlines + we.jsonl");
        assert_eq!(report.details["gold_meetings"], 2);
        assert_eq!(report.scores.len(), 5);
        assert!(report
            .scores
            .values()
            .all(|score| (0.0..=1.0).contains(score)));
        std::fs::write(&wikievents, "").unwrap();
        assert!(matches!(
            evaluate(&rams, &wikievents, &Pipeline::new(), None),
            Err(EvalError::Format { .. })
        ));
        assert!(matches!(
            evaluate(
                &dir.path().join("missing"),
                &wikievents,
                &Pipeline::new(),
                None
            ),
            Err(EvalError::Read { .. })
        ));
    }
}
