//! The `article-enricher` binary: parses the command line and dispatches.

use article_enricher::nlp::Pipeline;
use article_enricher::offline::enrich_inputs;
use clap::{Parser, Subcommand};
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
    /// Enrich JSON or JSONL from files (or stdin) and print JSONL; no broker needed.
    Enrich {
        /// Input files; `-` or none reads stdin.
        files: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
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
