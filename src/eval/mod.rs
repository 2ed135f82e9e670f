//! Accuracy evaluations on labelled corpora: `article-enricher eval <task> ...`.
//!
//! Each task rebuilds articles from a corpus the way the product is judged
//! (`../shared/docs/evaluation.md`), runs them through the same [`Pipeline`](crate::nlp::Pipeline) as `enrich`,
//! and scores the output against the gold annotations. The result is a [`Report`]: a JSON
//! object whose `scores` are the guarded figures. Reports are committed under
//! `accuracy-reports/`; `--baseline REPORT` makes the command fail when any score falls
//! below the committed one, which is how CI guards accuracy. Corpora are read from paths
//! given on the command line and never copied into the project.

pub mod dates;
pub mod meetings;
pub mod ner;
pub mod quotes;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Tolerance below a baseline score before it counts as a regression (rounding of the
/// committed figures).
pub const TOLERANCE: f64 = 0.0005;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}; give the path of the corpus file or directory")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The outcome of one evaluation run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// `ner`, `dates`, ...
    pub task: String,
    /// What was evaluated, as given on the command line (file name only).
    pub corpus: String,
    /// The guarded figures, each in 0..=1 (precision, recall, F1 ...).
    pub scores: BTreeMap<String, f64>,
    /// Counts, per-type figures and speed: informative, not guarded.
    pub details: Value,
}

impl Report {
    /// Scores of `self` that fell below those of `baseline` by more than [`TOLERANCE`].
    pub fn regressions(&self, baseline: &Report) -> Vec<String> {
        baseline
            .scores
            .iter()
            .filter_map(|(name, &committed)| match self.scores.get(name) {
                None => Some(format!("{name}: missing (committed {committed:.4})")),
                Some(&measured) if measured + TOLERANCE < committed => Some(format!(
                    "{name}: {measured:.4} is below the committed {committed:.4}"
                )),
                Some(_) => None,
            })
            .collect()
    }
}

/// Rounds a figure for a report (four decimals keep diffs of committed reports readable).
pub fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The guarded scores of a report, each rounded with [`round4`].
pub fn scores(named: &[(&str, f64)]) -> BTreeMap<String, f64> {
    named
        .iter()
        .map(|&(name, score)| (name.to_string(), round4(score)))
        .collect()
}

/// Items per second of `elapsed` (0 when nothing was timed), for the informative speed
/// figures of a report.
pub fn per_second(count: usize, elapsed: std::time::Duration) -> u64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        (count as f64 / seconds).round() as u64
    } else {
        0
    }
}

/// Precision, recall and F1 from counts; zero where undefined.
pub fn precision_recall_f1(correct: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let precision = if predicted == 0 {
        0.0
    } else {
        correct as f64 / predicted as f64
    };
    let recall = if gold == 0 {
        0.0
    } else {
        correct as f64 / gold as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

/// The file name of `path`, for reports that must not carry paths of one machine.
pub fn corpus_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Writes the outcome records of an evaluation (`--outcomes FILE`) as JSON lines.
pub fn write_outcomes(path: &Path, records: &[Value]) -> Result<(), EvalError> {
    let lines: String = records.iter().map(|record| format!("{record}\n")).collect();
    std::fs::write(path, lines).map_err(|source| EvalError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// Reads a committed report.
pub fn read_report(path: &Path) -> Result<Report, EvalError> {
    let bytes = std::fs::read(path).map_err(|source| EvalError::Read {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|error| EvalError::Format {
        path: path.display().to_string(),
        message: format!("not a report: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(scores: &[(&str, f64)]) -> Report {
        Report {
            task: "t".into(),
            corpus: "c".into(),
            scores: scores.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            details: Value::Null,
        }
    }

    #[test]
    fn a_drop_below_the_baseline_is_a_regression_and_a_rise_is_not() {
        let baseline = report(&[("f1", 0.80), ("precision", 0.70)]);
        assert!(report(&[("f1", 0.81), ("precision", 0.70)])
            .regressions(&baseline)
            .is_empty());
        assert!(report(&[("f1", 0.7996), ("precision", 0.70)])
            .regressions(&baseline)
            .is_empty());
        let regressions = report(&[("f1", 0.79)]).regressions(&baseline);
        assert_eq!(regressions.len(), 2, "{regressions:?}");
    }

    #[test]
    fn scores_from_counts() {
        let (p, r, f) = precision_recall_f1(8, 10, 16);
        assert_eq!((p, r), (0.8, 0.5));
        assert!((f - 0.6153846).abs() < 1e-6);
        assert_eq!(precision_recall_f1(0, 0, 0), (0.0, 0.0, 0.0));
    }
}
