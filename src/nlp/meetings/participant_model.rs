//! The participant model: logistic regression over the candidate features of
//! `participant_candidates.rs`, deciding which of the candidates the rules did not choose
//! took part in a meeting as well. It is
//! learnt by `article-enricher train meetings` from meeting annotations (the RAMS and
//! WikiEvents dev sets and the project's own dev set) and shipped as a readable table,
//! `models/meeting-participants.tsv` (model card in `models/README.md`).
//!
//! The learning is plain L2-regularised logistic regression by full-batch gradient descent
//! with AdaGrad steps: a few thousand candidates and a few thousand features train in well
//! under a second, deterministically.

use super::participant_candidates::{candidates_of, Who};
use super::view::TextView;
use crate::nlp::document::{Meeting, Span};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// A learnt participant model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParticipantModel {
    weights: HashMap<String, f64>,
    /// A candidate takes part when its probability reaches this.
    threshold: f64,
}

/// How [`ParticipantModel::fit`] learns.
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

const EMBEDDED: &str = include_str!("../../../models/meeting-participants.tsv");

/// The model shipped with the binary, parsed once per process.
pub fn embedded_model() -> Arc<ParticipantModel> {
    static MODEL: LazyLock<Arc<ParticipantModel>> = LazyLock::new(|| {
        Arc::new(
            ParticipantModel::parse(EMBEDDED)
                .expect("the embedded participant model is readable (a build defect otherwise)"),
        )
    });
    Arc::clone(&MODEL)
}

impl ParticipantModel {
    /// Reads the table written by [`ParticipantModel::to_text`]: `#` comment lines, a
    /// `threshold` line, then one `feature<TAB>weight` line per feature.
    pub fn parse(text: &str) -> Result<ParticipantModel, String> {
        let mut model = ParticipantModel {
            threshold: 0.5,
            ..ParticipantModel::default()
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

    /// Learns a model from candidates' features and whether each took part.
    pub fn fit(examples: &[(&[String], bool)], options: FitOptions) -> ParticipantModel {
        let mut index: HashMap<&str, usize> = HashMap::new();
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
        ParticipantModel {
            weights: index
                .into_iter()
                .map(|(name, slot)| (name.to_string(), weights[slot]))
                .collect(),
            threshold: options.threshold,
        }
    }
}

/// Adds to the participants and groups of `meeting` (the rules' choice) the other
/// candidates `model` takes, in text order after the rules' own. The rules' participants
/// stay: by cross-validation the model dropped almost none of them, and keeping them keeps
/// what the rules know that a candidate's features do not show (a plural reference such
/// as "the two leaders" resolved to the persons named before).
pub(super) fn choose(view: &TextView, meeting: &mut Meeting, model: &ParticipantModel) {
    let candidates = candidates_of(view, meeting);
    if candidates.is_empty() {
        return;
    }
    let taken: Vec<Who> = candidates
        .iter()
        .filter(|candidate| candidate.rule || model.takes_part(&candidate.features))
        .map(|candidate| candidate.who)
        .collect();
    let mut participants: Vec<usize> = meeting
        .participants
        .iter()
        .copied()
        .filter(|&entity| taken.contains(&Who::Entity(entity)))
        .collect();
    let mut groups: Vec<Span> = meeting
        .groups
        .iter()
        .copied()
        .filter(|&span| taken.contains(&Who::Group(span)))
        .collect();
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
        let model = ParticipantModel::fit(&examples, FitOptions::default());
        assert!(model.takes_part(&yes));
        assert!(!model.takes_part(&no));
        let text = model.to_text("a test model");
        assert!(text.starts_with("# a test model\nthreshold\t0.5\n"));
        let read = ParticipantModel::parse(&text).unwrap();
        assert!((read.probability(&yes) - model.probability(&yes)).abs() < 1e-3);
        assert!(ParticipantModel::parse("threshold 0.5").is_err());
    }
}
