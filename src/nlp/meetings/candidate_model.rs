//! The meeting stage's learnt models: logistic regression over the candidate features of
//! `participant_candidates.rs`. The participant model decides which of the candidates the
//! rules did not choose took part in a meeting as well; the place model picks the place of a
//! meeting the rules found none for. Both are learnt by `article-enricher train meetings`
//! from meeting annotations (the RAMS and WikiEvents dev sets and the project's training
//! set) and shipped as readable tables, `models/meeting-participants.tsv` and
//! `models/meeting-places.tsv` (model cards in `models/README.md`).
//!
//! The learning is plain L2-regularised logistic regression by full-batch gradient descent
//! with AdaGrad steps: a few thousand candidates and a few thousand features train in well
//! under a second, deterministically.

use super::participant_candidates::{
    candidates_of, place_candidates_of, ParticipantCandidate, Who,
};
use super::view::TextView;
use crate::nlp::document::{Meeting, Span};
use rustc_hash::FxHashMap;
use std::sync::{Arc, LazyLock};

/// A learnt candidate model (participants or places).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateModel {
    weights: FxHashMap<String, f64>,
    /// A candidate takes part when its probability reaches this.
    threshold: f64,
}

/// How [`CandidateModel::fit`] learns.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// L2 penalty on the weights (the bias is not penalised), per example.
    pub l2: f64,
    pub epochs: usize,
    pub threshold: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            l2: 0.003,
            epochs: 300,
            threshold: 0.5,
        }
    }
}

/// The two models of the meeting stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingModels {
    pub participants: CandidateModel,
    pub places: CandidateModel,
}

const PARTICIPANTS: &str = include_str!("../../../models/meeting-participants.tsv");
const PLACES: &str = include_str!("../../../models/meeting-places.tsv");

/// The models shipped with the binary, parsed once per process.
pub fn embedded_models() -> Arc<MeetingModels> {
    static MODELS: LazyLock<Arc<MeetingModels>> = LazyLock::new(|| {
        let read = |text| {
            CandidateModel::parse(text)
                .expect("the embedded meeting models are readable (a build defect otherwise)")
        };
        Arc::new(MeetingModels {
            participants: read(PARTICIPANTS),
            places: read(PLACES),
        })
    });
    Arc::clone(&MODELS)
}

impl CandidateModel {
    /// Reads the table written by [`CandidateModel::to_text`]: `#` comment lines, a
    /// `threshold` line, then one `feature<TAB>weight` line per feature.
    pub fn parse(text: &str) -> Result<CandidateModel, String> {
        let mut model = CandidateModel {
            threshold: 0.5,
            ..CandidateModel::default()
        };
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .rsplit_once('\t')
                .ok_or_else(|| format!("line {}: no tab", number + 1))?;
            let value: f64 = value
                .parse()
                .map_err(|_| format!("line {}: `{value}` is not a number", number + 1))?;
            if name == "threshold" {
                model.threshold = value;
            } else {
                model.weights.insert(name.to_string(), value);
            }
        }
        Ok(model)
    }

    /// The table: `header` as comment lines, the threshold, the features sorted by name.
    pub fn to_text(&self, header: &str) -> String {
        let mut text: String = header.lines().map(|line| format!("# {line}\n")).collect();
        text.push_str(&format!("threshold\t{}\n", self.threshold));
        let mut weights: Vec<(&String, &f64)> = self
            .weights
            .iter()
            .filter(|(_, weight)| weight.abs() >= 1e-4)
            .collect();
        weights.sort_by(|a, b| a.0.cmp(b.0));
        for (name, weight) in weights {
            text.push_str(&format!("{name}\t{weight:.4}\n"));
        }
        text
    }

    pub fn features(&self) -> usize {
        self.weights.len()
    }

    /// The probability that a candidate with these features took part.
    pub fn probability(&self, features: &[String]) -> f64 {
        let score: f64 = features
            .iter()
            .filter_map(|feature| self.weights.get(feature))
            .sum();
        1.0 / (1.0 + (-score).exp())
    }

    pub fn takes_part(&self, features: &[String]) -> bool {
        self.probability(features) >= self.threshold
    }

    /// The item this model scores highest among those that reach the threshold (the first
    /// on a tie), reading each item's features through `features`.
    pub fn best<'a, T>(&self, items: &'a [T], features: impl Fn(&T) -> &[String]) -> Option<&'a T> {
        let mut best: Option<(f64, &T)> = None;
        for item in items {
            let probability = self.probability(features(item));
            if probability >= self.threshold && best.is_none_or(|(top, _)| probability > top) {
                best = Some((probability, item));
            }
        }
        best.map(|(_, item)| item)
    }

    /// Learns a model from candidates' features and whether each took part.
    pub fn fit(examples: &[(&[String], bool)], options: FitOptions) -> CandidateModel {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let rows: Vec<(Vec<usize>, f64)> = examples
            .iter()
            .map(|(features, label)| {
                let mut row: Vec<usize> = features
                    .iter()
                    .map(|feature| {
                        let next = index.len();
                        *index.entry(feature.as_str()).or_insert(next)
                    })
                    .collect();
                row.sort_unstable();
                row.dedup();
                (row, if *label { 1.0 } else { 0.0 })
            })
            .collect();
        let bias = index.get("bias").copied();
        let mut weights = vec![0.0f64; index.len()];
        let mut squares = vec![1e-8f64; index.len()];
        let count = rows.len().max(1) as f64;
        const RATE: f64 = 0.5;
        for _ in 0..options.epochs {
            let mut gradient = vec![0.0f64; weights.len()];
            for (row, label) in &rows {
                let score: f64 = row.iter().map(|&feature| weights[feature]).sum();
                let error = 1.0 / (1.0 + (-score).exp()) - label;
                for &feature in row {
                    gradient[feature] += error / count;
                }
            }
            for (feature, slot) in gradient.iter_mut().enumerate() {
                if Some(feature) != bias {
                    *slot += options.l2 * weights[feature];
                }
                squares[feature] += *slot * *slot;
                weights[feature] -= RATE * *slot / squares[feature].sqrt();
            }
        }
        CandidateModel {
            weights: index
                .into_iter()
                .map(|(name, slot)| (name.to_string(), weights[slot]))
                .collect(),
            threshold: options.threshold,
        }
    }
}

/// Adds to the participants and groups of `meeting` (the rules' choice) the other
/// candidates the participant model takes, in text order after the rules' own. The rules'
/// participants stay: by cross-validation the model dropped almost none of them, and keeping
/// them keeps what the rules know that a candidate's features do not show (a plural reference
/// such as "the two leaders" resolved to the persons named before). Then, when the rules
/// found no place, the place model's best candidate becomes the place if it reaches the
/// threshold.
pub(super) fn choose(view: &TextView, meeting: &mut Meeting, models: &MeetingModels) {
    choose_participants(view, meeting, &models.participants);
    if meeting.location.is_none() {
        meeting.location = best_place(view, meeting, &models.places);
    }
}

fn choose_participants(view: &TextView, meeting: &mut Meeting, model: &CandidateModel) {
    let candidates = candidates_of(view, meeting);
    if candidates.is_empty() {
        return;
    }
    let taken: Vec<Who> = candidates
        .iter()
        .filter(|candidate| candidate.rule || model.takes_part(&candidate.features))
        .map(|candidate| candidate.who)
        .collect();
    let mut participants: Vec<usize> = meeting.participants.clone();
    let mut groups: Vec<Span> = meeting.groups.clone();
    for who in taken {
        match who {
            Who::Entity(entity) if !participants.contains(&entity) => participants.push(entity),
            Who::Group(span) if !groups.contains(&span) => groups.push(span),
            _ => {}
        }
    }
    meeting.participants = participants;
    meeting.groups = groups;
}

/// The place candidate `model` scores highest, if it reaches the threshold.
fn best_place(view: &TextView, meeting: &Meeting, model: &CandidateModel) -> Option<usize> {
    let candidates = place_candidates_of(view, meeting);
    let best = model.best(&candidates, |candidate: &ParticipantCandidate| {
        &candidate.features
    });
    best.and_then(|candidate| match candidate.who {
        Who::Entity(entity) => Some(entity),
        Who::Group(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn learns_which_feature_marks_a_participant_and_round_trips_as_text() {
        let yes = features(&["bias", "left=with"]);
        let no = features(&["bias", "left=in"]);
        let examples: Vec<(&[String], bool)> = (0..20)
            .flat_map(|_| [(yes.as_slice(), true), (no.as_slice(), false)])
            .collect();
        let model = CandidateModel::fit(&examples, FitOptions::default());
        assert!(model.takes_part(&yes));
        assert!(!model.takes_part(&no));
        let text = model.to_text("a test model");
        assert!(text.starts_with("# a test model\nthreshold\t0.5\n"));
        let read = CandidateModel::parse(&text).unwrap();
        assert!((read.probability(&yes) - model.probability(&yes)).abs() < 1e-3);
        assert!(CandidateModel::parse("threshold 0.5").is_err());
    }
}
