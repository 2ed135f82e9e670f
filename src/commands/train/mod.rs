//! The `train` command: its arguments and how its report is printed. Reading the corpora and
//! driving the training is `from_corpora.rs`; the learning itself belongs to the core
//! ([`crate::nlp::entities::tagger::train`], [`crate::nlp::quotes::speech_tagger`], both over
//! [`crate::nlp::linear`]).

use crate::nlp::entities::tagger::train::TrainingOptions;
use crate::nlp::linear::clusters::ClusterOptions;
use crate::nlp::quotes::speech_tagger::TrainingOptions as QuoteOptions;
mod from_corpora;
mod meetings;

use crate::nlp::meetings::FitOptions;
pub use from_corpora::{
    csv_fields, train_ner, train_quotes, NerTrainingInputs, QuoteTrainingInputs, TrainError,
};
pub use meetings::{train_meetings, MeetingTrainingInputs};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    pub task: TrainTask,
}

/// The models `train` builds.
#[derive(Debug, clap::Subcommand)]
pub enum TrainTask {
    /// The name tagger (averaged perceptron over BIO labels, word clusters, gazetteers).
    Ner {
        /// CoNLL-2003 training files (the target annotation convention).
        #[arg(long, value_name = "FILE", required = true)]
        conll: Vec<PathBuf>,
        /// The GMB NER CSV, trained as a second corpus (feature augmentation).
        #[arg(long, value_name = "FILE")]
        gmb: Option<PathBuf>,
        /// JSON-lines articles (`title`, `body`) whose text feeds the word clusters.
        #[arg(long, value_name = "FILE")]
        unlabelled: Vec<PathBuf>,
        /// A CoNLL file to score the tagger alone on after training.
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Use at most this many sentences of each labelled corpus (quick runs).
        #[arg(long, value_name = "N")]
        max_sentences: Option<usize>,
        /// Fine word clusters (coarse ones are an eighth of this).
        #[arg(long, default_value_t = 512)]
        clusters: usize,
        /// Hold every K-th CoNLL document out of training and score the tagger on them (a
        /// split for model selection that leaves the dev file untouched).
        #[arg(long, value_name = "K")]
        holdout_every: Option<usize>,
        /// Keep the word clusters of this model file instead of learning new ones (the
        /// reported-speech tagger reads the same clusters, so its model stays valid).
        #[arg(long, value_name = "FILE", conflicts_with = "unlabelled")]
        clusters_from: Option<PathBuf>,
    },
    /// The reported-speech tagger (averaged perceptron over the quote rules' findings).
    Quotes {
        /// A PolNeAR split directory to train on (e.g. train).
        #[arg(long, value_name = "DIR")]
        polnear: PathBuf,
        /// A PolNeAR split to run `eval quotes` on with the new model.
        #[arg(long, value_name = "DIR")]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, default_value_t = 14)]
        epochs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Features seen fewer times than this in the training data are not used.
        #[arg(long, default_value_t = 8)]
        min_feature_count: u32,
        /// One pass only, without the second pass over the first pass's labels.
        #[arg(long)]
        single_pass: bool,
    },
    /// The meeting participant model (logistic regression over the meeting rules'
    /// candidates), with cross-validated figures.
    Meetings {
        /// The RAMS file (JSON lines) to learn from.
        #[arg(long, value_name = "FILE")]
        rams: Option<PathBuf>,
        /// The WikiEvents file (JSON lines) to learn from.
        #[arg(long, value_name = "FILE")]
        wikievents: Option<PathBuf>,
        /// Meeting annotations of the project (`devsets/meetings/*.jsonl`); repeatable.
        #[arg(long, value_name = "FILE", requires = "data")]
        annotations: Vec<PathBuf>,
        /// The data folder the annotated texts are rebuilt from.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Folds of the cross-validation (over texts).
        #[arg(long, default_value_t = 10)]
        folds: usize,
        /// Where to write the participant model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Where to write the place model.
        #[arg(long, value_name = "FILE")]
        places_out: Option<PathBuf>,
        /// L2 penalty.
        #[arg(long, default_value_t = FitOptions::default().l2)]
        l2: f64,
        /// Probability at which a candidate takes part.
        #[arg(long, default_value_t = FitOptions::default().threshold)]
        threshold: f64,
        #[arg(long, default_value_t = FitOptions::default().epochs)]
        epochs: usize,
        /// Write every candidate with its cross-validated probability here (JSON lines).
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
    },
}

/// `train`: trains, writes the model and prints the training report as JSON; exit 2 when
/// training could not run.
pub fn main(args: TrainArgs) -> ExitCode {
    let report = match args.task {
        TrainTask::Quotes {
            polnear,
            dev,
            out,
            epochs,
            seed,
            min_feature_count,
            single_pass,
        } => train_quotes(&QuoteTrainingInputs {
            polnear,
            dev,
            out,
            options: QuoteOptions {
                epochs,
                seed,
                min_feature_count,
                stacked: !single_pass,
            },
        }),
        TrainTask::Meetings {
            rams,
            wikievents,
            annotations,
            data,
            folds,
            out,
            places_out,
            l2,
            threshold,
            epochs,
            outcomes,
        } => train_meetings(&MeetingTrainingInputs {
            rams,
            wikievents,
            annotations,
            data,
            folds,
            out,
            places_out,
            outcomes,
            options: FitOptions {
                l2,
                epochs,
                threshold,
            },
        }),
        task @ TrainTask::Ner { .. } => train_ner_task(task),
    };
    match report {
        Ok(report) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("a report is always serializable")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn train_ner_task(task: TrainTask) -> Result<serde_json::Value, TrainError> {
    let TrainTask::Ner {
        conll,
        gmb,
        unlabelled,
        dev,
        out,
        epochs,
        seed,
        max_sentences,
        clusters,
        holdout_every,
        clusters_from,
    } = task
    else {
        unreachable!("train_ner_task is called for `train ner` only")
    };
    let inputs = NerTrainingInputs {
        conll,
        gmb,
        unlabelled,
        dev,
        out,
        options: TrainingOptions {
            epochs,
            seed,
            ..TrainingOptions::default()
        },
        clusters: ClusterOptions {
            fine: clusters,
            coarse: (clusters / 8).max(2),
            seed,
            ..ClusterOptions::default()
        },
        max_sentences,
        holdout_every,
        clusters_from,
    };
    train_ner(&inputs)
}
