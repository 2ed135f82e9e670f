//! Accuracy evaluations on labelled corpora: `article-enricher eval <task> ...`.
//!
//! Each task rebuilds articles from a corpus the way the product is judged
//! (`../shared/docs/evaluation.md`), runs them through the same [`Pipeline`] as `enrich`,
//! and scores the output against the gold annotations. The result is a [`Report`]: a JSON
//! object whose `scores` are the guarded figures. Reports are committed under
//! `accuracy-reports/`; `--baseline REPORT` makes the command fail when any score falls
//! below the committed one, which is how CI guards accuracy. Corpora are read from paths
//! given on the command line and never copied into the project.

/// Declares a struct of counts with `+=`, which adds another one field by field (each field a
/// count, or counts declared the same way), and `sum` over references. Defined before the
/// task modules, which use it.
macro_rules! counts {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $type,)*
        }

        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, other: $name) {
                $(self.$field += other.$field;)*
            }
        }

        impl<'a> std::iter::Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(counts: I) -> $name {
                counts.fold($name::default(), |mut total, counts| {
                    total += *counts;
                    total
                })
            }
        }
    };
}

pub mod dates;
pub mod meeting_annotations;
pub mod meetings;
pub mod ner;
pub mod quote_annotations;
pub mod quotes;

use crate::contract::{enrichment_of, Article, Enrichment};
use crate::nlp::entities::tagger::model::Model;
use crate::nlp::quotes::speech_tagger::AttributionModel;
use crate::nlp::Pipeline;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub task: EvalTask,
    /// A committed report: exit 1 when a score falls below it.
    #[arg(long, value_name = "REPORT", global = true)]
    pub baseline: Option<PathBuf>,
    /// A name-tagger model file to use instead of the embedded one.
    #[arg(long, value_name = "FILE", global = true)]
    pub model: Option<PathBuf>,
}

/// The evaluation tasks.
#[derive(Debug, clap::Subcommand)]
pub enum EvalTask {
    /// Entities against a CoNLL-2003 file (conlleval rules, exact spans).
    Ner {
        /// The CoNLL file (IOB tags in the last column).
        #[arg(long, value_name = "FILE")]
        conll: PathBuf,
    },
    /// Dates against a directory of TimeML files (TIMEX3 of type DATE, value F1).
    Dates {
        /// A directory searched recursively for .tml files.
        #[arg(long, value_name = "DIR")]
        timeml: PathBuf,
        /// Also write the outcome of every gold and predicted date here, as JSON lines:
        /// right, wrong_value, missed or spurious, with the text, the values and the context.
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
    },
    /// Quotes against PolNeAR brat files (direct and indirect, speakers), or against
    /// annotations of our own in British style (`--annotations` with `--articles`).
    Quotes {
        /// A PolNeAR split directory (text files with their .ann files).
        #[arg(
            long,
            value_name = "DIR",
            required_unless_present = "annotations",
            conflicts_with = "annotations"
        )]
        polnear: Option<PathBuf>,
        /// Quote annotations as ids and offsets (`devsets/bbc-quotes/annotations.jsonl`).
        #[arg(long, value_name = "FILE", requires = "articles")]
        annotations: Option<PathBuf>,
        /// The corpus the annotations point into (JSON lines with id, title and body).
        #[arg(long, value_name = "FILE", requires = "annotations")]
        articles: Option<PathBuf>,
        /// Also write the outcome of every scored item here, as JSON lines: matched (right
        /// speaker), wrong_speaker, missed or spurious, with the texts, sources and cues.
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
        /// A reported-speech model file to use instead of the embedded one.
        #[arg(long, value_name = "FILE", conflicts_with = "rules_only")]
        content_model: Option<PathBuf>,
        /// Reported speech from the rules alone, without the trained tagger.
        #[arg(long)]
        rules_only: bool,
    },
    /// Meetings against RAMS and WikiEvents meeting events (triggers, participants, places),
    /// or against annotations of our own (`--annotations` with `--data`).
    Meetings {
        /// RAMS dev file (.jsonlines).
        #[arg(
            long,
            value_name = "FILE",
            requires = "wikievents",
            required_unless_present = "annotations"
        )]
        rams: Option<PathBuf>,
        /// WikiEvents dev file (.jsonl).
        #[arg(long, value_name = "FILE", requires = "rams")]
        wikievents: Option<PathBuf>,
        /// Meeting annotations as ids and offsets (`devsets/meetings/annotations.jsonl`).
        #[arg(long, value_name = "FILE", requires = "data", conflicts_with = "rams")]
        annotations: Option<PathBuf>,
        /// The data folder the annotations point into (`../shared/data`: BBC News and GMB).
        #[arg(long, value_name = "DIR", requires = "annotations")]
        data: Option<PathBuf>,
        /// Also write every gold meeting (found or missed, with the gold and predicted
        /// participants and places) and every unmatched predicted meeting here, as JSON lines.
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
        /// Participants and places from the rules alone, without the trained models.
        #[arg(long)]
        rules_only: bool,
    },
}

/// `eval`: prints the report as JSON; exit 1 when a score fell below `--baseline`, 2 when
/// the evaluation could not run.
pub fn main(args: EvalArgs) -> ExitCode {
    let EvalArgs {
        task,
        baseline,
        model,
    } = args;
    let pipeline = match model {
        None => Pipeline::new(),
        Some(path) => {
            let read = std::fs::read(&path)
                .map_err(|error| error.to_string())
                .and_then(|bytes| Model::from_bytes(&bytes).map_err(|error| error.to_string()));
            match read {
                Ok(model) => Pipeline::with_model(model),
                Err(error) => {
                    eprintln!("error: cannot read the model {}: {error}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
    };
    let report = match task {
        EvalTask::Ner { conll } => ner::evaluate(&conll, &pipeline),
        EvalTask::Dates { timeml, outcomes } => {
            dates::evaluate(&timeml, &pipeline, outcomes.as_deref())
        }
        EvalTask::Quotes {
            polnear,
            annotations,
            articles,
            outcomes,
            content_model,
            rules_only,
        } => {
            let content_model = match (content_model, rules_only) {
                (_, true) => Ok(None),
                (None, false) => Ok(Some(None)),
                (Some(path), false) => std::fs::read(&path)
                    .map_err(|error| error.to_string())
                    .and_then(|bytes| {
                        AttributionModel::from_bytes(&bytes).map_err(|error| error.to_string())
                    })
                    .map(|model| Some(Some(model)))
                    .map_err(|error| format!("{}: {error}", path.display())),
            };
            let pipeline = match content_model {
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
                // The embedded model.
                Ok(Some(None)) => pipeline,
                Ok(replacement) => pipeline.clone().with_content_model(replacement.flatten()),
            };
            match (polnear, annotations, articles) {
                (Some(polnear), _, _) => quotes::evaluate(&polnear, &pipeline, outcomes.as_deref()),
                (None, Some(annotations), Some(articles)) => quote_annotations::evaluate(
                    &annotations,
                    &articles,
                    &pipeline,
                    outcomes.as_deref(),
                ),
                _ => unreachable!("clap requires --polnear or --annotations with --articles"),
            }
        }
        EvalTask::Meetings {
            rams,
            wikievents,
            annotations,
            data,
            outcomes,
            rules_only,
        } => {
            let pipeline = if rules_only {
                pipeline.with_meeting_models(None)
            } else {
                pipeline
            };
            match (rams, wikievents, annotations, data) {
                (Some(rams), Some(wikievents), _, _) => {
                    meetings::evaluate(&rams, &wikievents, &pipeline, outcomes.as_deref())
                }
                (_, _, Some(annotations), Some(data)) => meeting_annotations::evaluate(
                    &annotations,
                    &data,
                    &pipeline,
                    outcomes.as_deref(),
                ),
                _ => {
                    unreachable!(
                        "clap requires --rams with --wikievents or --annotations with --data"
                    )
                }
            }
        }
    };
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("a report is always serializable")
    );
    let Some(baseline) = baseline else {
        return ExitCode::SUCCESS;
    };
    match read_report(&baseline) {
        Ok(committed) => {
            let regressions = report.regressions(&committed);
            if regressions.is_empty() {
                eprintln!("no score below {}", baseline.display());
                ExitCode::SUCCESS
            } else {
                for regression in &regressions {
                    eprintln!("regression: {regression}");
                }
                ExitCode::from(1)
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

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

/// `part / whole` rounded with [`round4`]; zero when `whole` is zero.
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round4(part as f64 / whole as f64)
    }
}

/// The SHA-256 of `text` (UTF-8) in lowercase hex: how annotation files pin the corpus text
/// their offsets point into.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
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

/// The text an evaluation enriched and the time `enrich` took on it, for the informative
/// `speed` figures of a report.
#[derive(Debug, Default)]
pub struct Speed {
    chars: usize,
    words: usize,
    time: Duration,
}

impl Speed {
    /// Enriches `article` as the `enrich` command does, timing only that, and counts the
    /// characters and words of `text` (the article's body).
    pub fn enrich(&mut self, pipeline: &Pipeline, article: &Article, text: &str) -> Enrichment {
        let started = Instant::now();
        let enrichment = enrichment_of(pipeline, article);
        self.time += started.elapsed();
        self.chars += text.chars().count();
        self.words += text.split_whitespace().count();
        enrichment
    }

    /// The `speed` object of a report.
    pub fn details(&self) -> Value {
        serde_json::json!({
            "chars": self.chars,
            "words": self.words,
            "chars_per_second": per_second(self.chars, self.time),
            "words_per_second": per_second(self.words, self.time),
        })
    }
}

/// Pairs two lists one to one from scored candidate pairs `(score, left index, right
/// index)`: the highest score first (ties to the higher left, then right, index), each index
/// used once. The pairs come back in that order, as `(left index, right index)`.
pub fn pair_greedily<S: Ord>(
    mut candidates: Vec<(S, usize, usize)>,
    left: usize,
    right: usize,
) -> Vec<(usize, usize)> {
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    let mut left_used = vec![false; left];
    let mut right_used = vec![false; right];
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if left_used[i] || right_used[j] {
            continue;
        }
        left_used[i] = true;
        right_used[j] = true;
        pairs.push((i, j));
    }
    pairs
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
