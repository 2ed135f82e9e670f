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
    place_matches, predicted_meetings, read_documents, score_participants, GoldArgument,
    GoldDocument, PredictedMeeting, PredictedParticipant,
};
use crate::commands::eval::{precision_recall_f1, round4, write_outcomes};
use crate::contract::enrichment::Enrichment;
use crate::contract::Article;
use crate::nlp::meetings::{self, CandidateModel, FitOptions, ParticipantCandidate, Who};
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
    /// Where to write the place model.
    pub places_out: Option<PathBuf>,
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
    gold_places: Vec<GoldArgument>,
    /// The rules' place, by name.
    rule_place: Option<String>,
    /// The place candidates (when the rules found no place, the model picks among them).
    places: Vec<Candidate>,
}

/// The candidates of one predicted meeting: participants and places.
type MeetingCandidates = (Vec<Candidate>, Vec<Candidate>);

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
) -> Result<(Vec<PredictedMeeting>, Vec<MeetingCandidates>), String> {
    let mut raw = Map::new();
    raw.insert("body".into(), Value::String(body.to_string()));
    let article = Article::from_object(raw).map_err(|error| error.to_string())?;
    let analysis = pipeline.analyse(&article.input());
    let enrichment = Enrichment::from_analysis("training", &analysis, None);
    let body_field = article.body().name;
    let predicted = predicted_meetings(&enrichment, body_field);
    let all = meetings::meeting_candidates(&analysis.document);
    let document = &analysis.document;
    let convert = |candidates: Vec<ParticipantCandidate>| -> Vec<Candidate> {
        candidates
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
            .collect()
    };
    let mut aligned = Vec::with_capacity(predicted.len());
    for (meeting, (participants, places)) in enrichment.meetings.iter().zip(all) {
        if meeting.trigger.field != body_field || meeting.evidence.field != body_field {
            continue;
        }
        aligned.push((convert(participants), convert(places)));
    }
    Ok((predicted, aligned))
}

/// What a paired meeting is built from.
struct Pairing<'a> {
    text: usize,
    key: &'a str,
    source: &'a str,
    gold: Vec<GoldArgument>,
    gold_places: Vec<GoldArgument>,
    frame: &'a PredictedMeeting,
    candidates: MeetingCandidates,
}

/// Labels the candidates of a paired meeting by the gold participants and places.
fn paired(pairing: Pairing) -> PairedMeeting {
    let (mut candidates, mut places) = pairing.candidates;
    for candidate in &mut candidates {
        candidate.label = pairing
            .gold
            .iter()
            .any(|argument| participant_matches(argument, &candidate.participant));
    }
    for candidate in &mut places {
        candidate.label = place_matches(&pairing.gold_places, Some(&candidate.participant.name));
    }
    PairedMeeting {
        text: pairing.text,
        key: pairing.key.to_string(),
        source: pairing.source.to_string(),
        gold: pairing.gold,
        candidates,
        gold_places: pairing.gold_places,
        rule_place: pairing.frame.place.clone(),
        places,
    }
}

/// A corpus line parser of the meeting scorer.
type ParseLine = fn(&str) -> Result<GoldDocument, String>;

/// Every paired meeting of the inputs, with the rules' candidates.
fn read_meetings(inputs: &MeetingTrainingInputs) -> Result<Vec<PairedMeeting>, TrainError> {
    let pipeline = Pipeline::new().with_meeting_models(None);
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
                meetings.push(paired(Pairing {
                    text,
                    key: &document.key,
                    source,
                    gold: gold.participants.clone(),
                    gold_places: gold.places.clone(),
                    frame: &predicted[index],
                    candidates: candidates[index].clone(),
                }));
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
            for gold in meeting_annotations::paired_gold(entry, body, &predicted) {
                let Some(index) = gold.frame else { continue };
                meetings.push(paired(Pairing {
                    text,
                    key: &entry.id,
                    source: &source,
                    gold: gold.participants,
                    gold_places: gold.place.into_iter().collect(),
                    frame: &predicted[index],
                    candidates: std::mem::take(&mut candidates[index]),
                }));
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
fn chosen(model: &CandidateModel, meeting: &PairedMeeting) -> Vec<bool> {
    meeting
        .candidates
        .iter()
        .map(|candidate| candidate.rule || model.takes_part(&candidate.features))
        .collect()
}

/// Place counts: meetings with a gold place and those whose place is right, and places the
/// model filled in (and of those, on meetings without a gold place).
#[derive(Debug, Default, Clone, Copy)]
struct PlaceTally {
    with_place: usize,
    correct: usize,
    filled: usize,
    filled_without_gold: usize,
}

impl PlaceTally {
    fn add(&mut self, meeting: &PairedMeeting, place: Option<&str>) {
        if !meeting.gold_places.is_empty() {
            self.with_place += 1;
            self.correct += usize::from(place_matches(&meeting.gold_places, place));
        }
        if meeting.rule_place.is_none() && place.is_some() {
            self.filled += 1;
            self.filled_without_gold += usize::from(meeting.gold_places.is_empty());
        }
    }

    fn json(&self) -> Value {
        json!({
            "accuracy": round4(self.correct as f64 / self.with_place.max(1) as f64),
            "with_place": self.with_place,
            "correct": self.correct,
            "filled_by_the_model": self.filled,
            "filled_where_no_place_is_given": self.filled_without_gold,
        })
    }
}

/// The place examples: the place candidates of the meetings the rules gave no place (the
/// only ones the place model decides).
fn place_examples<'m>(
    meetings: impl Iterator<Item = &'m PairedMeeting>,
) -> Vec<(&'m [String], bool)> {
    meetings
        .filter(|meeting| meeting.rule_place.is_none())
        .flat_map(|meeting| &meeting.places)
        .map(|candidate| (candidate.features.as_slice(), candidate.label))
        .collect()
}

/// The place of `meeting`: the rules', else the place candidate `model` takes with the
/// highest probability.
fn chosen_place<'m>(model: &CandidateModel, meeting: &'m PairedMeeting) -> Option<&'m str> {
    if let Some(place) = &meeting.rule_place {
        return Some(place);
    }
    model
        .best(&meeting.places, |candidate: &Candidate| &candidate.features)
        .map(|candidate| candidate.participant.name.as_str())
}

/// The k folds over texts, each as (the meetings trained on, the meetings held out): a text's
/// meetings are never split, and texts are dealt to the folds in turn.
fn fold_splits(
    meetings: &[PairedMeeting],
    folds: usize,
) -> Vec<(Vec<&PairedMeeting>, Vec<&PairedMeeting>)> {
    let mut splits: Vec<(Vec<&PairedMeeting>, Vec<&PairedMeeting>)> =
        (0..folds).map(|_| (Vec::new(), Vec::new())).collect();
    let mut text = 0usize;
    for (index, meeting) in meetings.iter().enumerate() {
        if index > 0 && meetings[index - 1].text != meeting.text {
            text += 1;
        }
        for (fold, (training, held_out)) in splits.iter_mut().enumerate() {
            if fold == text % folds {
                held_out.push(meeting);
            } else {
                training.push(meeting);
            }
        }
    }
    splits
}

/// Places by the rules alone and by the rules and the place model under k-fold
/// cross-validation over texts.
fn cross_validate_places(
    meetings: &[PairedMeeting],
    folds: usize,
    options: FitOptions,
) -> (PlaceTally, PlaceTally) {
    let (mut rules, mut model_tally) = (PlaceTally::default(), PlaceTally::default());
    for (training, held_out) in fold_splits(meetings, folds) {
        let model = CandidateModel::fit(&place_examples(training.into_iter()), options);
        for meeting in held_out {
            rules.add(meeting, meeting.rule_place.as_deref());
            model_tally.add(meeting, chosen_place(&model, meeting));
        }
    }
    (rules, model_tally)
}

/// Tallies of the model by k-fold cross-validation over texts, overall and by source.
fn cross_validate(
    meetings: &[PairedMeeting],
    folds: usize,
    options: FitOptions,
    mut outcomes: Option<&mut Vec<Value>>,
) -> (Tally, BTreeMap<String, Tally>) {
    let mut total = Tally::default();
    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    for (training, held_out) in fold_splits(meetings, folds) {
        let model = CandidateModel::fit(&examples(training.into_iter()), options);
        for meeting in held_out {
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
        let model = CandidateModel::fit(&training, inputs.options);
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
    let (place_rules, place_cv) = cross_validate_places(&meetings, folds, inputs.options);
    let place_training = place_examples(meetings.iter());
    let place_model = CandidateModel::fit(&place_training, inputs.options);
    let all = examples(meetings.iter());
    let model = CandidateModel::fit(&all, inputs.options);
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
    if let Some(out) = &inputs.places_out {
        let header = format!(
            "Meeting place model: logistic regression over the place candidate features of \
             src/nlp/meetings/participant_candidates.rs; it picks a place where the rules \
             found none.\nTrained by `article-enricher train meetings` on {} place candidates \
             ({} of them the place); l2 {}, {} epochs.\nModel card: models/README.md.",
            place_training.len(),
            place_training.iter().filter(|(_, label)| *label).count(),
            inputs.options.l2,
            inputs.options.epochs,
        );
        std::fs::write(out, place_model.to_text(&header)).map_err(|source| TrainError::Write {
            path: out.display().to_string(),
            source,
        })?;
    }
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
        "places": {
            "rules": place_rules.json(),
            "rules_and_model_cross_validated": place_cv.json(),
            "candidates": place_training.len(),
            "features": place_model.features(),
        },
    }))
}
