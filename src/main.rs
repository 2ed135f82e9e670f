//! The `article-enricher` binary: parses the command line and dispatches.

use article_enricher::config::Settings;
use article_enricher::nlp::Pipeline;
use article_enricher::offline::enrich_inputs;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    },
    /// Enrich JSON or JSONL from files (or stdin) and print JSONL; no broker needed.
    Enrich {
        /// Input files; `-` or none reads stdin.
        files: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { config } => run_worker(config),
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

fn run_worker(config: Option<PathBuf>) -> ExitCode {
    let settings = match Settings::load(config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    article_enricher::telemetry::init_tracing(&settings.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
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
