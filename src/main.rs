//! The `article-enricher` binary: parses the command line and dispatches to the service
//! (`run`) or to one of the tools (`serve`, `enrich`, `eval`, `loadgen`, `train`).

use article_enricher::commands::enrich::EnrichArgs;
use article_enricher::commands::eval::EvalArgs;
use article_enricher::commands::loadgen::LoadgenArgs;
use article_enricher::commands::serve::ServeArgs;
use article_enricher::commands::train::TrainArgs;
use article_enricher::commands::{enrich, eval, loadgen, serve, train};
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
    /// Serve POST /v1/enrich and the review page at / without a broker (settings as `run`).
    Serve(ServeArgs),
    /// Measure the worker end to end through JetStream: throughput, latency and memory,
    /// beside offline `enrich` with the same threads and a pass-through worker. Prints JSON.
    Loadgen(LoadgenArgs),
    /// Enrich JSON or JSONL from files (or stdin) and print JSONL; no broker needed.
    Enrich(EnrichArgs),
    /// Train a model from labelled corpora and write the model file.
    Train(TrainArgs),
    /// Measure accuracy on a labelled corpus and print a JSON report.
    Eval(EvalArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run {
            config,
            pass_through,
        } => article_enricher::worker::main(config.as_deref(), pass_through),
        Command::Serve(args) => serve::main(args),
        Command::Loadgen(args) => loadgen::main(args),
        Command::Enrich(args) => enrich::main(args),
        Command::Train(args) => train::main(args),
        Command::Eval(args) => eval::main(args),
    }
}
