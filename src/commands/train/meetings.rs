//! `train meetings`: learns the meeting participant model from meeting annotations and
//! reports what it is worth on text it did not learn from.
//!
//! The meeting rules run over every annotated text (the RAMS and WikiEvents files and the
//! project's own dev set); each predicted meeting the scorer pairs with a gold meeting gives
//! its candidates (`nlp::meetings::participant_candidates`), labelled by whether the scorer
//! would count them as a gold participant. The rules' own participants are always kept, so
//! the model learns from the other candidates only. The report compares, on the same meetings and
//! with the scorer's one-to-one matching:
//! - the rules alone;
//! - the model by k-fold cross-validation over texts (a text's meetings are never split);
//! - the model trained on all other sources and tested on one (RAMS, WikiEvents, GMB, BBC);
//! - a small grid of penalties and thresholds by cross-validation, for the record.
//!
//! The model written is trained on everything.

use super::TrainError;
use crate::commands::eval::meeting_annotations;
use crate::commands::eval::meetings::{
    body_mentions, find, parse_rams_line, parse_wikievents_line, participant_matches,
    predicted_meetings, read_documents, score_participants, GoldArgument, GoldDocument,
    PredictedMeeting, PredictedParticipant,
};
use crate::commands::eval::{precision_recall_f1, round4, write_outcomes};
use crate::contract::enrichment::Enrichment;
use crate::contract::Article;
use crate::nlp::meetings::{self, FitOptions, ParticipantModel, Who};
use crate::nlp::Pipeline;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `train meetings` reads and writes.
#[derive(Debug, Clone)]
pub struct MeetingTrainingInputs {
    pub rams: Option<PathBuf>,
    pub wikievents: Option<PathBuf>,
    /// The project's annotation files and the data folder their texts are rebuilt from.
    pub annotations: Vec<PathBuf>,
    pub data: Option<PathBuf>,
    pub folds: usize,
    pub out: PathBuf,
    /// Where to write every candidate with its cross-validated probability (JSON lines).
    pub outcomes: Option<PathBuf>,
    pub options: FitOptions,
}

/// One candidate of a paired meeting.
#[derive(Clone)]
struct Candidate {
    features: Vec<String>,
    rule: bool,
    participant: PredictedParticipant,
    label: bool,
}

/// A predicted meeting paired with a gold one.
struct PairedMeeting {
    text: usize,
    key: String,
    source: String,
    gold: Vec<GoldArgument>,
    candidates: Vec<Candidate>,
}

/// Participant counts.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    gold: usize,
    predicted: usize,
    correct: usize,
}

impl Tally {
    fn add(&mut self, meeting: &PairedMeeting, chosen: &[bool]) {
        let predicted: Vec<PredictedParticipant> = meeting
            .candidates
            .iter()
            .zip(chosen)
            .filter(|(_, &chosen)| chosen)
            .map(|(candidate, _)| candidate.participant.clone())
            .collect();
        self.gold += meeting.gold.len();
        self.predicted += predicted.len();
        self.correct += score_participants(&meeting.gold, &predicted);
    }

    fn json(&self) -> Value {
        let (p, r, f1) = precision_recall_f1(self.correct, self.predicted, self.gold);
        json!({
            "precision": round4(p),
            "recall": round4(r),
            "f1": round4(f1),
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
        })
    }

    fn f1(&self) -> f64 {
        precision_recall_f1(self.correct, self.predicted, self.gold).2
    }
}

fn format_error(path: &std::path::Path, message: String) -> TrainError {
    TrainError::Format {
        path: path.display().to_string(),
        message,
    }
}

/// The candidates of every predicted meeting of `body` and the pipeline's predicted
/// meetings as the scorer sees them (aligned).
fn candidates_of(
    pipeline: &Pipeline,
    body: &str,
) -> Result<(Vec<PredictedMeeting>, Vec<Vec<Candidate>>), String> {
    let mut raw = Map::new();
    raw.insert("body".into(), Value::String(body.to_string()));
    let article = Article::from_object(raw).map_err(|error| error.to_string())?;
    let analysis = pipeline.analyse(&article.input());
    let enrichment = Enrichment::from_analysis("training", &analysis, None);
    let body_field = article.body().name;
    let predicted = predicted_meetings(&enrichment, body_field);
    let all = meetings::participant_candidates(&analysis.document);
    let document = &analysis.document;
    let mut aligned = Vec::with_capacity(predicted.len());
    for (meeting, candidates) in enrichment.meetings.iter().zip(all) {
        if meeting.trigger.field != body_field || meeting.evidence.field != body_field {
            continue;
        }
        let converted = candidates
            .into_iter()
            .map(|candidate| {
                let participant = match candidate.who {
                    Who::Entity(entity) => {
                        let out = &enrichment.entities[entity];
                        PredictedParticipant {
                            name: out.name.clone(),
                            mentions: body_mentions(out, body_field),
                        }
                    }
                    Who::Group(span) => PredictedParticipant {
                        name: document.text(span).to_string(),
                        mentions: Vec::new(),
                    },
                };
                Candidate {
                    features: candidate.features,
                    rule: candidate.rule,
                    participant,
                    label: false,
                }
            })
            .collect();
        aligned.push(converted);
    }
    Ok((predicted, aligned))
}

/// Labels the candidates of a paired meeting by the gold participants.
fn paired(
    text: usize,
    key: &str,
    source: &str,
    gold: Vec<GoldArgument>,
    mut candidates: Vec<Candidate>,
) -> PairedMeeting {
    for candidate in &mut candidates {
        candidate.label = gold
            .iter()
            .any(|argument| participant_matches(argument, &candidate.participant));
    }
    PairedMeeting {
        text,
        key: key.to_string(),
        source: source.to_string(),
        gold,
        candidates,
    }
}

/// A corpus line parser of the meeting scorer.
type ParseLine = fn(&str) -> Result<GoldDocument, String>;

/// Every paired meeting of the inputs, with the rules' candidates.
fn read_meetings(inputs: &MeetingTrainingInputs) -> Result<Vec<PairedMeeting>, TrainError> {
    let pipeline = Pipeline::new().with_meeting_model(None);
    let mut meetings = Vec::new();
    let mut text = 0usize;
    let corpora: [(&str, &Option<PathBuf>, ParseLine); 2] = [
        ("rams", &inputs.rams, parse_rams_line),
        ("wikievents", &inputs.wikievents, parse_wikievents_line),
    ];
    for (source, path, parse) in corpora {
        let Some(path) = path else { continue };
        let documents =
            read_documents(path, parse).map_err(|error| format_error(path, error.to_string()))?;
        for document in documents
            .iter()
            .filter(|document| !document.meetings.is_empty())
        {
            text += 1;
            let (predicted, candidates) = candidates_of(&pipeline, &document.body)
                .map_err(|message| format_error(path, format!("{}: {message}", document.key)))?;
            for gold in &document.meetings {
                let Some(found) = find(gold, &predicted, &document.sentences) else {
                    continue;
                };
                let index = predicted
                    .iter()
                    .position(|meeting| std::ptr::eq(meeting, found))
                    .expect("the found meeting is one of the predicted ones");
                let taken = candidates[index].clone();
                meetings.push(paired(
                    text,
                    &document.key,
                    source,
                    gold.participants.clone(),
                    taken,
                ));
            }
        }
    }
    for annotations in &inputs.annotations {
        let data = inputs.data.as_deref().unwrap_or(std::path::Path::new("."));
        let loaded = meeting_annotations::load(annotations, data)
            .map_err(|error| format_error(annotations, error.to_string()))?;
        let file = annotations
            .file_stem()
            .map_or(String::new(), |stem| stem.to_string_lossy().into_owned());
        for (entry, body) in &loaded {
            text += 1;
            let corpus = entry.id.split('/').next().unwrap_or("");
            let source = format!("{file}/{corpus}");
            let (predicted, mut candidates) = candidates_of(&pipeline, body)
                .map_err(|message| format_error(annotations, format!("{}: {message}", entry.id)))?;
            for (gold, index) in meeting_annotations::paired_participants(entry, body, &predicted) {
                let Some(index) = index else { continue };
                let taken = std::mem::take(&mut candidates[index]);
                meetings.push(paired(text, &entry.id, &source, gold, taken));
            }
        }
    }
    Ok(meetings)
}

fn examples<'m>(meetings: impl Iterator<Item = &'m PairedMeeting>) -> Vec<(&'m [String], bool)> {
    meetings
        .flat_map(|meeting| &meeting.candidates)
        .filter(|candidate| !candidate.rule)
        .map(|candidate| (candidate.features.as_slice(), candidate.label))
        .collect()
}

/// The choice of `model` on every candidate of `meeting`.
fn chosen(model: &ParticipantModel, meeting: &PairedMeeting) -> Vec<bool> {
    meeting
        .candidates
        .iter()
        .map(|candidate| candidate.rule || model.takes_part(&candidate.features))
        .collect()
}

/// Tallies of the model by k-fold cross-validation over texts, overall and by source.
fn cross_validate(
    meetings: &[PairedMeeting],
    folds: usize,
    options: FitOptions,
    mut outcomes: Option<&mut Vec<Value>>,
) -> (Tally, BTreeMap<String, Tally>) {
    let mut texts: Vec<usize> = meetings.iter().map(|meeting| meeting.text).collect();
    texts.dedup();
    let fold_of = |text: usize| texts.iter().position(|&t| t == text).unwrap_or(0) % folds;
    let mut total = Tally::default();
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for fold in 0..folds {
        let training = examples(
            meetings
                .iter()
                .filter(|meeting| fold_of(meeting.text) != fold),
        );
        let model = ParticipantModel::fit(&training, options);
        for meeting in meetings
            .iter()
            .filter(|meeting| fold_of(meeting.text) == fold)
        {
            let choice = chosen(&model, meeting);
            if let Some(outcomes) = outcomes.as_deref_mut() {
                for candidate in &meeting.candidates {
                    outcomes.push(json!({
                        "text": meeting.key,
                        "gold": meeting.gold.iter().map(|g| g.text.clone()).collect::<Vec<_>>(),
                        "candidate": candidate.participant.name,
                        "label": candidate.label,
                        "rule": candidate.rule,
                        "probability": round4(model.probability(&candidate.features)),
                        "features": candidate.features,
                    }));
                }
            }
            total.add(meeting, &choice);
            by_source
                .entry(meeting.source.clone())
                .or_default()
                .add(meeting, &choice);
        }
    }
    (total, by_source)
}

fn by_source_json(tallies: &BTreeMap<String, Tally>) -> Value {
    Value::Object(
        tallies
            .iter()
            .map(|(source, tally)| (source.to_string(), tally.json()))
            .collect(),
    )
}

/// Trains the participant model and writes it; returns a JSON report.
pub fn train_meetings(inputs: &MeetingTrainingInputs) -> Result<Value, TrainError> {
    let meetings = read_meetings(inputs)?;
    if meetings.is_empty() {
        return Err(TrainError::Empty);
    }
    let folds = inputs.folds.max(2);
    let mut rules = Tally::default();
    let mut rules_by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for meeting in &meetings {
        let choice: Vec<bool> = meeting.candidates.iter().map(|c| c.rule).collect();
        rules.add(meeting, &choice);
        rules_by_source
            .entry(meeting.source.clone())
            .or_default()
            .add(meeting, &choice);
    }
    let mut listing = Vec::new();
    let (cv, cv_by_source) = cross_validate(&meetings, folds, inputs.options, Some(&mut listing));
    if let Some(path) = &inputs.outcomes {
        write_outcomes(path, &listing).map_err(|error| format_error(path, error.to_string()))?;
    }
    let sources: Vec<String> = rules_by_source.keys().cloned().collect();
    let mut held_out = Map::new();
    for source in &sources {
        let training = examples(meetings.iter().filter(|meeting| &meeting.source != source));
        let model = ParticipantModel::fit(&training, inputs.options);
        let mut tally = Tally::default();
        for meeting in meetings.iter().filter(|meeting| &meeting.source == source) {
            tally.add(meeting, &chosen(&model, meeting));
        }
        held_out.insert(source.to_string(), tally.json());
    }
    let mut grid = Vec::new();
    for l2 in [0.001, 0.003, 0.01, 0.03, 0.1] {
        for threshold in [0.3, 0.4, 0.5, 0.6] {
            let options = FitOptions {
                l2,
                threshold,
                ..inputs.options
            };
            let (tally, _) = cross_validate(&meetings, folds, options, None);
            grid.push(json!({"l2": l2, "threshold": threshold, "f1": round4(tally.f1())}));
        }
    }
    let all = examples(meetings.iter());
    let model = ParticipantModel::fit(&all, inputs.options);
    let positives = all.iter().filter(|(_, label)| *label).count();
    let unreachable: Vec<String> = meetings
        .iter()
        .flat_map(|meeting| {
            meeting.gold.iter().filter(|argument| {
                !meeting
                    .candidates
                    .iter()
                    .any(|candidate| participant_matches(argument, &candidate.participant))
            })
        })
        .map(|argument| argument.text.clone())
        .collect();
    let header = format!(
        "Meeting participant model: logistic regression over the candidate features of \
         src/nlp/meetings/participant_candidates.rs.\nTrained by `article-enricher train \
         meetings` on {} paired meetings ({} candidates, {} of them participants); l2 {}, \
         {} epochs.\nModel card: models/README.md.",
        meetings.len(),
        all.len(),
        positives,
        inputs.options.l2,
        inputs.options.epochs,
    );
    let text = model.to_text(&header);
    std::fs::write(&inputs.out, &text).map_err(|source| TrainError::Write {
        path: inputs.out.display().to_string(),
        source,
    })?;
    Ok(json!({
        "model": inputs.out.file_name().map(|name| name.to_string_lossy().into_owned()),
        "features": model.features(),
        "training": {
            "meetings": meetings.len(),
            "candidates": all.len(),
            "participants": positives,
            "gold_participants_without_a_candidate": unreachable.len(),
            "gold_participants_without_a_candidate_texts": unreachable,
            "l2": inputs.options.l2,
            "epochs": inputs.options.epochs,
            "threshold": inputs.options.threshold,
            "folds": folds,
        },
        "participants": {
            "rules": { "all": rules.json(), "by_source": by_source_json(&rules_by_source) },
            "model_cross_validated": { "all": cv.json(), "by_source": by_source_json(&cv_by_source) },
            "model_trained_on_the_other_sources": held_out,
        },
        "grid_cross_validated": grid,
    }))
}
