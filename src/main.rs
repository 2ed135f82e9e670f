//! The `article-enricher` binary: parses the command line and dispatches.

use article_enricher::config::Settings;
use article_enricher::loadgen::LoadOptions;
use article_enricher::nlp::attribution::AttributionModel;
use article_enricher::nlp::Pipeline;
use article_enricher::offline::enrich_inputs;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the enrichment allocates many small short-lived objects per article, from
/// several threads; glibc's allocator spent measurably more time on them (README, Speed).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "article-enricher",
    version,
    about = "Enriches news articles with entities, dates, quotes and meetings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the worker: NATS in, enriched articles out (settings: config/default.toml,
    /// config/<ENRICHER_ENV>.toml, --config, NATS_URL, ENRICHER__SECTION__KEY).
    Run {
        /// An extra settings file, layered over config/default.toml.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Load measurements only: republish each raw message unchanged instead of enriching
        /// it (JetStream mode), to measure what the broker allows (see `loadgen`).
        #[arg(long)]
        pass_through: bool,
    },
    /// Measure the worker end to end through JetStream: throughput, latency and memory,
    /// beside offline `enrich` with the same threads and a pass-through worker. Prints JSON.
    Loadgen {
        /// JSON-lines articles (or one JSON article), cycled to make up --count.
        #[arg(long, value_name = "FILE")]
        articles: PathBuf,
        /// Articles per phase.
        #[arg(long, default_value_t = 5000)]
        count: usize,
        /// Thread counts to measure, comma-separated (e.g. 1,2); each is a run of its own.
        #[arg(long, value_delimiter = ',', default_value = "1")]
        threads: Vec<usize>,
        /// The NATS server with JetStream to run against.
        #[arg(long, env = "NATS_URL", default_value = "nats://127.0.0.1:4222")]
        url: String,
        /// Seconds to wait for the enriched copies of one phase; later ones count as lost.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Then run the worker this many seconds at half its throughput, sampling its
        /// memory every 10 s (e.g. 600 for the 10-minute check).
        #[arg(long, value_name = "SECONDS")]
        soak: Option<u64>,
    },
    /// Enrich JSON or JSONL from files (or stdin) and print JSONL; no broker needed.
    Enrich {
        /// Input files; `-` or none reads stdin.
        files: Vec<String>,
    },
    /// Measure accuracy on a labelled corpus and print a JSON report.
    /// Train a model from labelled corpora and write the model file.
    Train {
        #[command(subcommand)]
        task: TrainTask,
    },
    Eval {
        #[command(subcommand)]
        task: EvalTask,
        /// A committed report: exit 1 when a score falls below it.
        #[arg(long, value_name = "REPORT", global = true)]
        baseline: Option<PathBuf>,
        /// A name-tagger model file to use instead of the embedded one.
        #[arg(long, value_name = "FILE", global = true)]
        model: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TrainTask {
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
}

#[derive(Subcommand)]
enum EvalTask {
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
    /// Quotes against PolNeAR brat files (direct and indirect, speakers).
    Quotes {
        /// A PolNeAR split directory (text files with their .ann files).
        #[arg(long, value_name = "DIR")]
        polnear: PathBuf,
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
    /// Meetings against RAMS and WikiEvents meeting events (triggers, participants, places).
    Meetings {
        /// RAMS dev file (.jsonlines).
        #[arg(long, value_name = "FILE")]
        rams: PathBuf,
        /// WikiEvents dev file (.jsonl).
        #[arg(long, value_name = "FILE")]
        wikievents: PathBuf,
        /// Also write every gold meeting (found or missed, with the gold and predicted
        /// participants and places) and every unmatched predicted meeting here, as JSON lines.
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            config,
            pass_through,
        } => run_worker(config, pass_through),
        Command::Loadgen {
            articles,
            count,
            threads,
            url,
            timeout,
            soak,
        } => run_loadgen(LoadOptions {
            articles,
            count,
            threads,
            nats_url: url,
            worker_binary: PathBuf::new(),
            phase_timeout: std::time::Duration::from_secs(timeout),
            soak: soak.map(std::time::Duration::from_secs),
        }),
        Command::Eval {
            task,
            baseline,
            model,
        } => run_eval(task, baseline, model),
        Command::Train { task } => run_train(task),
        Command::Enrich { files } => {
            let pipeline = Pipeline::new();
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match enrich_inputs(&pipeline, &files, &mut out) {
                Ok(summary) if summary.failed == 0 => ExitCode::SUCCESS,
                Ok(summary) => {
                    eprintln!(
                        "{} of {} inputs could not be enriched",
                        summary.failed,
                        summary.failed + summary.enriched
                    );
                    ExitCode::from(1)
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn run_train(task: TrainTask) -> ExitCode {
    use article_enricher::nlp::attribution::TrainingOptions as QuoteOptions;
    use article_enricher::train::{train_quotes, QuoteTrainingInputs};
    let report = match task {
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
        TrainTask::Ner { .. } => train_ner_task(task),
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

fn train_ner_task(
    task: TrainTask,
) -> Result<serde_json::Value, article_enricher::train::TrainError> {
    use article_enricher::nlp::tagger::clusters::ClusterOptions;
    use article_enricher::nlp::tagger::train::TrainingOptions;
    use article_enricher::train::{train_ner, NerTrainingInputs};
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
    };
    train_ner(&inputs)
}

fn run_eval(task: EvalTask, baseline: Option<PathBuf>, model: Option<PathBuf>) -> ExitCode {
    use article_enricher::eval;
    let pipeline = match model {
        None => Pipeline::new(),
        Some(path) => {
            let read = std::fs::read(&path)
                .map_err(|error| error.to_string())
                .and_then(|bytes| {
                    article_enricher::nlp::tagger::model::Model::from_bytes(&bytes)
                        .map_err(|error| error.to_string())
                });
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
        EvalTask::Ner { conll } => eval::ner::evaluate(&conll, &pipeline),
        EvalTask::Dates { timeml, outcomes } => {
            eval::dates::evaluate(&timeml, &pipeline, outcomes.as_deref())
        }
        EvalTask::Quotes {
            polnear,
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
            match content_model {
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
                // The embedded model.
                Ok(Some(None)) => eval::quotes::evaluate(&polnear, &pipeline, outcomes.as_deref()),
                Ok(replacement) => eval::quotes::evaluate(
                    &polnear,
                    &pipeline.clone().with_content_model(replacement.flatten()),
                    outcomes.as_deref(),
                ),
            }
        }
        EvalTask::Meetings {
            rams,
            wikievents,
            outcomes,
        } => eval::meetings::evaluate(&rams, &wikievents, &pipeline, outcomes.as_deref()),
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
    match eval::read_report(&baseline) {
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

fn run_loadgen(mut options: LoadOptions) -> ExitCode {
    article_enricher::telemetry::init_tracing(&Settings::default().log);
    if options.count == 0 || options.threads.contains(&0) {
        eprintln!("error: --count and every --threads value must be at least 1");
        return ExitCode::from(2);
    }
    options.worker_binary = match std::env::current_exe() {
        Ok(binary) => binary,
        Err(error) => {
            eprintln!("error: cannot find this program's binary to start the worker: {error}");
            return ExitCode::from(2);
        }
    };
    let Some(runtime) = build_runtime(tokio::runtime::Builder::new_current_thread()) else {
        return ExitCode::from(2);
    };
    match runtime.block_on(article_enricher::loadgen::run(&options)) {
        Ok(report) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("the report serialises")
            );
            let lost: usize = report
                .runs
                .iter()
                .map(|run| run.worker.lost + run.pass_through.lost)
                .chain(report.soak.iter().map(|soak| soak.lost))
                .sum();
            if lost > 0 {
                eprintln!("error: {lost} articles never came out enriched");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

/// The async runtime, or `None` after saying why it cannot start.
fn build_runtime(mut builder: tokio::runtime::Builder) -> Option<tokio::runtime::Runtime> {
    match builder.enable_all().build() {
        Ok(runtime) => Some(runtime),
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            None
        }
    }
}

fn run_worker(config: Option<PathBuf>, pass_through: bool) -> ExitCode {
    let mut settings = match Settings::load(config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if pass_through && settings.mode != article_enricher::config::Mode::JetStream {
        eprintln!("error: --pass-through needs mode = \"jetstream\"");
        return ExitCode::from(2);
    }
    settings.worker.pass_through = pass_through;
    article_enricher::telemetry::init_tracing(&settings.log);
    let Some(runtime) = build_runtime(tokio::runtime::Builder::new_multi_thread()) else {
        return ExitCode::from(2);
    };
    let result = runtime.block_on(async {
        let shutdown = article_enricher::worker::termination_signal();
        article_enricher::worker::run(settings, shutdown).await
    });
    // Blocking enrichment threads still running past the shutdown deadline must not hold
    // the exit: their messages are unacked and will be redelivered.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the worker stopped");
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}
