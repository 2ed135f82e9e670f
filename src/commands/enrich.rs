//! The `enrich` command: JSON or JSONL from files or stdin, enriched JSONL on stdout.
//!
//! No broker is involved. Each input line (or a file holding one pretty-printed JSON object)
//! yields exactly one output line, in input order: the enriched article, or an error object
//! `{"error": {"kind", "message"}, "line": N}` for a line that cannot be decoded. Blank lines
//! are skipped. Errors are also reported on stderr with the file and line number. Lines are
//! enriched [`contract::BATCH_ARTICLES`] at a time ([`contract::enrich_batch`]: each stage
//! over the whole batch before the next, which keeps each stage's tables in the caches), or
//! fewer once they hold [`BATCH_BYTES`], so output comes a batch at a time; it is the same as
//! one article at a time. With
//! `--html OUT.html` the enriched articles are also written as the review page's offline
//! report ([`crate::http::review::report`]).

use crate::contract::{self, DecodeError};
use crate::nlp::Pipeline;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

/// The arguments of `enrich`.
#[derive(Debug, clap::Args)]
pub struct EnrichArgs {
    /// Input files; `-` or none reads stdin.
    pub files: Vec<String>,
    /// Spend at most this long on each article, as the worker does (`worker.time_budget`,
    /// e.g. `2s`); without it every stage runs to the end.
    #[arg(long, value_name = "DURATION", value_parser = crate::config::parse_duration)]
    pub time_budget: Option<std::time::Duration>,
    /// Also write the review view of the enriched articles to this HTML file (one section
    /// per article, for offline review and sharing); the JSONL still goes to stdout.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<std::path::PathBuf>,
}

/// `enrich`: enriched JSONL on stdout; exit 1 when an input could not be decoded, 2 when an
/// input could not be read.
pub fn main(args: EnrichArgs) -> ExitCode {
    let mut pipeline = Pipeline::new();
    if let Some(budget) = args.time_budget {
        pipeline = pipeline.with_time_budget(budget);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut report = args.html.as_ref().map(|_| Vec::new());
    let result = enrich_inputs(&pipeline, &args.files, &mut out, &mut report);
    if let (Some(path), Some(articles), Ok(_)) = (&args.html, &report, &result) {
        let title = if args.files.is_empty() {
            "article-enricher report".to_string()
        } else {
            format!("article-enricher report: {}", args.files.join(", "))
        };
        let html = crate::http::review::report(&title, articles);
        if let Err(error) = std::fs::write(path, html) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    match result {
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

/// What an `enrich` run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EnrichSummary {
    pub enriched: usize,
    pub failed: usize,
}

/// Enriches every input (`-` or no input means stdin) and writes JSONL to `out`; each
/// enriched article is also kept in `report` when it is `Some`.
pub fn enrich_inputs(
    pipeline: &Pipeline,
    inputs: &[String],
    out: &mut dyn Write,
    report: &mut Option<Vec<Vec<u8>>>,
) -> std::io::Result<EnrichSummary> {
    let mut summary = EnrichSummary::default();
    if inputs.is_empty() {
        let stdin = std::io::stdin();
        enrich_reader(pipeline, "<stdin>", stdin.lock(), out, report, &mut summary)?;
    }
    for input in inputs {
        if input == "-" {
            let stdin = std::io::stdin();
            enrich_reader(pipeline, "<stdin>", stdin.lock(), out, report, &mut summary)?;
        } else {
            let file = std::fs::File::open(Path::new(input)).map_err(|error| {
                std::io::Error::new(error.kind(), format!("cannot open {input}: {error}"))
            })?;
            enrich_reader(
                pipeline,
                input,
                BufReader::new(file),
                out,
                report,
                &mut summary,
            )?;
        }
    }
    out.flush()?;
    Ok(summary)
}

/// A batch is enriched early once its lines hold this many bytes, so that a file of huge
/// lines is not held 32 at a time.
const BATCH_BYTES: usize = 4 << 20;

/// Lines waiting to be enriched as one batch, with their line numbers.
struct Batch<'a> {
    pipeline: &'a Pipeline,
    name: &'a str,
    lines: Vec<(usize, Vec<u8>)>,
    bytes: usize,
}

impl Batch<'_> {
    fn push(
        &mut self,
        line_number: usize,
        payload: &[u8],
        out: &mut dyn Write,
        report: &mut Option<Vec<Vec<u8>>>,
        summary: &mut EnrichSummary,
    ) -> std::io::Result<()> {
        self.lines.push((line_number, payload.to_vec()));
        self.bytes += payload.len();
        if self.lines.len() >= contract::BATCH_ARTICLES || self.bytes >= BATCH_BYTES {
            self.flush(out, report, summary)?;
        }
        Ok(())
    }

    /// Enriches the waiting lines and writes their output lines in order.
    fn flush(
        &mut self,
        out: &mut dyn Write,
        report: &mut Option<Vec<Vec<u8>>>,
        summary: &mut EnrichSummary,
    ) -> std::io::Result<()> {
        let payloads: Vec<&[u8]> = self.lines.iter().map(|(_, line)| line.as_slice()).collect();
        let results = contract::enrich_batch(self.pipeline, &payloads, usize::MAX);
        for ((line_number, _), result) in self.lines.iter().zip(results) {
            write_result(self.name, *line_number, result, out, report, summary)?;
        }
        self.lines.clear();
        self.bytes = 0;
        Ok(())
    }
}

/// Enriches one input stream.
pub fn enrich_reader(
    pipeline: &Pipeline,
    name: &str,
    mut reader: impl BufRead,
    out: &mut dyn Write,
    report: &mut Option<Vec<Vec<u8>>>,
    summary: &mut EnrichSummary,
) -> std::io::Result<()> {
    let mut batch = Batch {
        pipeline,
        name,
        lines: Vec::new(),
        bytes: 0,
    };
    // The lines read before a read error are still enriched and written.
    let read = enrich_lines(&mut reader, &mut batch, out, report, summary);
    let flushed = batch.flush(out, report, summary);
    read.and(flushed)
}

/// Reads the lines of one input stream into `batch`.
fn enrich_lines(
    reader: &mut impl BufRead,
    batch: &mut Batch<'_>,
    out: &mut dyn Write,
    report: &mut Option<Vec<Vec<u8>>>,
    summary: &mut EnrichSummary,
) -> std::io::Result<()> {
    let mut write = |line_number: usize, payload: &[u8], out: &mut dyn Write| {
        batch.push(line_number, payload, out, report, summary)
    };
    let mut line_number = 0;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        line_number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if first {
            first = false;
            // A file that holds one pretty-printed object: its first line alone is not JSON.
            if serde_json::from_slice::<serde_json::Value>(&line).is_err() {
                let mut rest = Vec::new();
                reader.read_to_end(&mut rest)?;
                let mut whole = line.clone();
                whole.extend_from_slice(&rest);
                if serde_json::from_slice::<serde_json::Value>(&whole).is_ok() {
                    write(line_number, &whole, out)?;
                    return Ok(());
                }
                write(line_number, &line, out)?;
                let mut rest_reader = std::io::Cursor::new(rest);
                let mut rest_line = Vec::new();
                loop {
                    rest_line.clear();
                    if rest_reader.read_until(b'\n', &mut rest_line)? == 0 {
                        return Ok(());
                    }
                    line_number += 1;
                    if !rest_line.iter().all(u8::is_ascii_whitespace) {
                        write(line_number, &rest_line, out)?;
                    }
                }
            }
        }
        write(line_number, &line, out)?;
    }
    Ok(())
}

fn write_result(
    name: &str,
    line_number: usize,
    result: Result<contract::Enriched, DecodeError>,
    out: &mut dyn Write,
    report: &mut Option<Vec<Vec<u8>>>,
    summary: &mut EnrichSummary,
) -> std::io::Result<()> {
    match result {
        Ok(enriched) => {
            out.write_all(&enriched.output)?;
            if let Some(report) = report {
                report.push(enriched.output);
            }
            summary.enriched += 1;
        }
        Err(error) => {
            eprintln!("{name}:{line_number}: {error}");
            out.write_all(&error_line(&error, line_number))?;
            summary.failed += 1;
        }
    }
    out.write_all(b"\n")
}

/// The output line written in place of an input line that cannot be decoded.
pub fn error_line(error: &DecodeError, line_number: usize) -> Vec<u8> {
    contract::error_object(error, Some(line_number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn run(input: &str) -> (Vec<serde_json::Value>, EnrichSummary) {
        let mut out = Vec::new();
        let mut summary = EnrichSummary::default();
        enrich_reader(
            &Pipeline::new(),
            "test",
            input.as_bytes(),
            &mut out,
            &mut None,
            &mut summary,
        )
        .unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        (lines, summary)
    }

    #[test]
    fn one_line_out_per_line_in_with_errors_in_place() {
        let (lines, summary) = run("{\"body\": \"One.\"}\nnot json\n\n{\"body\": \"Two.\"}\n");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["body"], "One.");
        assert_eq!(lines[1]["error"]["kind"], "invalid_json");
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[2]["body"], "Two.");
        assert_eq!(
            summary,
            EnrichSummary {
                enriched: 2,
                failed: 1
            }
        );
    }

    #[test]
    fn a_pretty_printed_object_is_one_article() {
        let (lines, summary) = run("{\n  \"id\": \"x\",\n  \"body\": \"Text.\"\n}\n");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["enrichment"]["article_id"], "x");
        assert_eq!(summary.failed, 0);
    }

    #[test]
    fn more_lines_than_a_batch_come_out_in_order_and_a_read_error_keeps_those_read() {
        let input: String = (0..contract::BATCH_ARTICLES + 5)
            .map(|number| format!("{{\"id\": \"a{number}\", \"body\": \"Line {number}.\"}}\n"))
            .collect();
        let (lines, summary) = run(&input);
        assert_eq!(summary.enriched, contract::BATCH_ARTICLES + 5);
        for (number, line) in lines.iter().enumerate() {
            assert_eq!(line["id"], format!("a{number}"));
        }
        // Two lines, then the stream fails: both lines are still written.
        let failing =
            std::io::Cursor::new(b"{\"body\": \"One.\"}\n{\"body\": \"Two.\"}\n".to_vec())
                .chain(FailingRead);
        let mut out = Vec::new();
        let mut summary = EnrichSummary::default();
        let result = enrich_reader(
            &Pipeline::new(),
            "test",
            BufReader::new(failing),
            &mut out,
            &mut None,
            &mut summary,
        );
        assert!(result.is_err());
        assert_eq!(summary.enriched, 2);
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    }

    /// A stream that fails when read.
    struct FailingRead;

    impl std::io::Read for FailingRead {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("the disk went away"))
        }
    }
}
