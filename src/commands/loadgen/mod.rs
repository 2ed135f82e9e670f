//! `article-enricher loadgen`: the worker's speed end to end through JetStream, measured in
//! one run beside the offline speed on the same articles and threads and beside the broker's
//! ceiling.
//!
//! For each thread count it asked for, one run:
//! 1. **offline**: decodes, enriches and encodes every article on that many threads, as
//!    `enrich` does, in batches (articles/s, words/s); then each article alone (articles/s
//!    one at a time, and the time of each article: p50/p99);
//! 2. **worker**: starts this binary's worker (`run`, `worker.enrich_threads` = threads) as a
//!    child process on throw-away streams, publishes every article at once and times the
//!    arrival of the enriched copies on the output subject (articles/s, from the first publish
//!    to the last arrival); then publishes fresh copies at half that rate and times each
//!    article from its publish to its enriched copy (latency p50/p99); reads the child's peak
//!    resident memory; stops it with SIGTERM;
//! 3. **pass-through**: the same worker started with `run --pass-through`, which republishes
//!    each raw message unchanged through the same pull, PubAck and ack path: the ceiling that
//!    the broker and the transport set.
//!
//! Every article gets an id of its own (`<run tag>-<phase>-<n>`), so the input stream's
//! deduplication never drops one. An article is lost when its enriched copy never arrived on
//! the output subject; copies stored twice are counted from the output stream's size
//! (published articles against stored messages), since a retried publish that the stream
//! deduplicated also reaches the subject's subscribers. The streams are named
//! `LOADGEN_<run>_*` and deleted at the end of each measurement, also when Ctrl-C stops the
//! run (a run killed outright leaves them behind, their messages expiring after an hour).
//! The publisher and the observer share one connection in this process; the worker has its
//! own.

use crate::config::{ConfigError, Settings, Sources};
use crate::contract::{self, Article, DecodeError};
use crate::nlp::Pipeline;
use crate::transport::{Connection, CoreSubscription, TransportError};
use futures::StreamExt;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

mod harness;
use harness::*;

/// The arguments of `loadgen`.
#[derive(Debug, clap::Args)]
pub struct LoadgenArgs {
    /// JSON-lines articles (or one JSON article), cycled to make up --count.
    #[arg(long, value_name = "FILE")]
    pub articles: PathBuf,
    /// Articles per phase.
    #[arg(long, default_value_t = 5000)]
    pub count: usize,
    /// Thread counts to measure, comma-separated (e.g. 1,2); each is a run of its own.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub threads: Vec<usize>,
    /// The NATS server with JetStream to run against.
    #[arg(long, env = "NATS_URL", default_value = "nats://127.0.0.1:4222")]
    pub url: String,
    /// Seconds to wait for the enriched copies of one phase; later ones count as lost.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Then run the worker this many seconds at half its throughput, sampling its
    /// memory every 10 s (e.g. 600 for the 10-minute check).
    #[arg(long, value_name = "SECONDS")]
    pub soak: Option<u64>,
}

/// `loadgen`: prints the report as JSON; exit 1 when an article was lost or the run
/// failed, 2 when it cannot start.
pub fn main(args: LoadgenArgs) -> ExitCode {
    crate::telemetry::init_tracing(&Settings::default().log);
    if args.count == 0 || args.threads.contains(&0) {
        eprintln!("error: --count and every --threads value must be at least 1");
        return ExitCode::from(2);
    }
    let worker_binary = match std::env::current_exe() {
        Ok(binary) => binary,
        Err(error) => {
            eprintln!("error: cannot find this program's binary to start the worker: {error}");
            return ExitCode::from(2);
        }
    };
    let options = LoadOptions {
        articles: args.articles,
        count: args.count,
        threads: args.threads,
        nats_url: args.url,
        worker_binary,
        phase_timeout: Duration::from_secs(args.timeout),
        soak: args.soak.map(Duration::from_secs),
    };
    let runtime =
        match crate::worker::start_runtime(&mut tokio::runtime::Builder::new_current_thread()) {
            Ok(runtime) => runtime,
            Err(code) => return code,
        };
    match runtime.block_on(run(&options)) {
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

/// What one `loadgen` invocation measures.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// JSON-lines articles (or one JSON article), cycled to make up `count`.
    pub articles: PathBuf,
    /// Articles per phase.
    pub count: usize,
    /// Thread counts to measure, each a run of its own.
    pub threads: Vec<usize>,
    /// The NATS server the worker and the load run against.
    pub nats_url: String,
    /// The `article-enricher` binary to start as the worker.
    pub worker_binary: PathBuf,
    /// How long to wait for every enriched copy of one phase; what has not come by then
    /// counts as lost.
    pub phase_timeout: Duration,
    /// After the runs, a soak of this length at half the worker's throughput, on the
    /// largest thread count, sampling the worker's memory.
    pub soak: Option<Duration>,
}

/// Why a load run could not finish.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the articles from {path}: {reason}")]
    Articles { path: String, reason: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the worker: {0}")]
    Worker(String),
    #[error("interrupted (Ctrl-C)")]
    Interrupted,
}

/// Ctrl-C, seen by every measurement: the one running stops, stops its worker and deletes
/// its streams, and no further one starts. The offline phase is not interrupted. A second
/// Ctrl-C exits at once (status 130), leaving whatever is left behind.
#[derive(Clone)]
struct Interrupt(watch::Receiver<bool>);

impl Interrupt {
    fn on_ctrl_c() -> Interrupt {
        let (pressed, receiver) = watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = pressed.send(true);
                tracing::warn!("interrupted: stopping the worker and deleting the run's streams");
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
        Interrupt(receiver)
    }

    fn check(&self) -> Result<(), LoadError> {
        if *self.0.borrow() {
            return Err(LoadError::Interrupted);
        }
        Ok(())
    }

    /// Runs `measurement` until it ends or Ctrl-C is pressed.
    async fn guard<T>(
        &self,
        measurement: impl std::future::Future<Output = Result<T, LoadError>>,
    ) -> Result<T, LoadError> {
        let mut pressed = self.0.clone();
        tokio::select! {
            result = measurement => result,
            _ = pressed.wait_for(|&pressed| pressed) => Err(LoadError::Interrupted),
        }
    }
}

/// The whole report, printed as JSON.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub source: String,
    /// Articles in each phase, and their words (whitespace-split title and body).
    pub articles: usize,
    pub words: usize,
    pub runs: Vec<ThreadRun>,
    pub soak: Option<SoakFigures>,
}

/// A long run at a steady rate: memory over time.
#[derive(Debug, Serialize)]
pub struct SoakFigures {
    pub threads: usize,
    pub seconds: f64,
    /// Articles published per second, and in all.
    pub rate: f64,
    pub articles: usize,
    pub lost: usize,
    pub duplicated: usize,
    pub latency_ms_p50: f64,
    pub latency_ms_p99: f64,
    /// The worker's resident set every 10 s, in MB.
    pub rss_mb: Vec<f64>,
    pub peak_rss_mb: Option<f64>,
    /// The largest sample of the last minute less the largest of the second minute (the
    /// first is warm-up); null with fewer than 18 samples (about three minutes).
    pub rss_growth_mb: Option<f64>,
}

/// The three measurements at one thread count.
#[derive(Debug, Serialize)]
pub struct ThreadRun {
    pub threads: usize,
    pub offline: OfflineFigures,
    pub worker: WorkerFigures,
    pub pass_through: WorkerFigures,
    /// Worker articles/s over offline articles/s.
    pub worker_to_offline: f64,
    /// Worker articles per CPU second over offline articles per CPU second.
    pub worker_to_offline_per_cpu: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct OfflineFigures {
    pub articles_per_second: f64,
    pub words_per_second: f64,
    /// CPU time of this process over the offline pass, and articles per CPU second.
    pub cpu_seconds: Option<f64>,
    pub articles_per_cpu_second: Option<f64>,
    /// The same articles enriched one at a time (the pass that times each article).
    pub one_at_a_time_articles_per_second: f64,
    /// Decode, enrich and encode of one article alone, in milliseconds.
    pub article_ms_p50: f64,
    pub article_ms_p99: f64,
    pub article_ms_max: f64,
}

#[derive(Debug, Serialize)]
pub struct WorkerFigures {
    /// All articles published at once: first publish to last enriched copy.
    pub articles_per_second: f64,
    pub words_per_second: f64,
    /// CPU time of the worker process (all its threads) over the throughput phase, and the
    /// articles per CPU second: the worker's own cost, whatever else shares the cores.
    pub cpu_seconds: Option<f64>,
    pub articles_per_cpu_second: Option<f64>,
    /// CPU time of every process on the machine over the same phase (the worker, the
    /// broker when it is local, this load generator, anything else).
    pub machine_cpu_seconds: Option<f64>,
    /// Articles published at `latency_rate` per second, publish to enriched copy.
    pub latency_rate: f64,
    pub latency_ms_p50: f64,
    pub latency_ms_p99: f64,
    /// Over both phases: articles whose enriched copy never came, and copies stored twice in
    /// the output stream.
    pub lost: usize,
    pub duplicated: usize,
    /// The worker process's peak resident set (VmHWM), when the system reports it.
    pub peak_rss_mb: Option<f64>,
}

/// Runs the whole measurement.
pub async fn run(options: &LoadOptions) -> Result<LoadReport, LoadError> {
    let payloads = read_articles(&options.articles, options.count)?;
    let words = payloads.iter().map(|article| article.words).sum();
    let interrupt = Interrupt::on_ctrl_c();
    let mut runs = Vec::new();
    for &threads in &options.threads {
        interrupt.check()?;
        let offline = {
            let payloads = payloads.clone();
            tokio::task::spawn_blocking(move || measure_offline(&payloads, threads))
                .await
                .map_err(|error| LoadError::Worker(error.to_string()))?
        };
        tracing::info!(
            threads,
            articles_per_second = offline.articles_per_second,
            "offline"
        );
        let worker = measure_worker(options, &payloads, threads, false, &interrupt).await?;
        tracing::info!(
            threads,
            articles_per_second = worker.articles_per_second,
            "worker"
        );
        let pass_through = measure_worker(options, &payloads, threads, true, &interrupt).await?;
        tracing::info!(
            threads,
            articles_per_second = pass_through.articles_per_second,
            "pass-through"
        );
        runs.push(ThreadRun {
            threads,
            worker_to_offline: worker.articles_per_second / offline.articles_per_second,
            worker_to_offline_per_cpu: worker
                .articles_per_cpu_second
                .zip(offline.articles_per_cpu_second)
                .map(|(worker, offline)| worker / offline),
            offline,
            worker,
            pass_through,
        });
    }
    let soak = match (options.soak, runs.iter().max_by_key(|run| run.threads)) {
        (Some(duration), Some(last)) => {
            let rate = (last.worker.articles_per_second / 2.0).max(1.0);
            Some(soak(options, &payloads, last.threads, rate, duration, &interrupt).await?)
        }
        _ => None,
    };
    Ok(LoadReport {
        soak,
        source: options
            .articles
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned()),
        articles: payloads.len(),
        words,
        runs,
    })
}

/// One input article: its JSON object (the id is replaced per phase) and its words.
#[derive(Clone)]
struct LoadArticle {
    object: serde_json::Map<String, serde_json::Value>,
    words: usize,
}

impl LoadArticle {
    /// The payload with `id` as the article id.
    fn payload(&self, id: &str) -> Vec<u8> {
        let mut object = self.object.clone();
        object.insert("id".to_string(), serde_json::Value::String(id.to_string()));
        serde_json::to_vec(&object).expect("a JSON object always serialises")
    }
}

/// Reads JSON-lines articles (or a file holding one JSON article) and cycles them to `count`.
fn read_articles(path: &Path, count: usize) -> Result<Vec<LoadArticle>, LoadError> {
    let failure = |reason: String| LoadError::Articles {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|error| failure(error.to_string()))?;
    let decode = |text: &str| -> Result<LoadArticle, DecodeError> {
        let article = Article::decode(text.as_bytes())?;
        let words = article.word_count();
        Ok(LoadArticle {
            object: article.into_raw(),
            words,
        })
    };
    let mut articles: Vec<LoadArticle> = match decode(&text) {
        Ok(article) => vec![article],
        Err(_) => text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| decode(line).ok())
            .collect(),
    };
    if articles.is_empty() {
        return Err(failure("no line is an article with a text".to_string()));
    }
    let distinct = articles.len();
    articles = (0..count).map(|n| articles[n % distinct].clone()).collect();
    Ok(articles)
}

/// Offline: decode, enrich and encode every article on `threads` threads, as `enrich` does
/// ([`contract::BATCH_ARTICLES`] at a time, stage by stage), for the throughput; then each
/// article alone, for the time one article takes.
fn measure_offline(articles: &[LoadArticle], threads: usize) -> OfflineFigures {
    let payloads: Vec<Vec<u8>> = articles
        .iter()
        .enumerate()
        .map(|(n, article)| article.payload(&format!("offline-{n}")))
        .collect();
    let pipeline = Pipeline::new();
    if let Some(first) = payloads.first() {
        enrich_payloads(&pipeline, std::slice::from_ref(first));
    }
    let cpu_before = process_cpu_seconds("self");
    let started = Instant::now();
    on_threads(&payloads, threads, contract::BATCH_ARTICLES, |batch| {
        enrich_payloads(&pipeline, batch);
    });
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds("self")
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let started_alone = Instant::now();
    let mut times = on_threads(&payloads, threads, 1, |one| {
        let started = Instant::now();
        enrich_payloads(&pipeline, one);
        started.elapsed()
    });
    let alone_seconds = started_alone.elapsed().as_secs_f64();
    times.sort_unstable();
    let words: usize = articles.iter().map(|article| article.words).sum();
    OfflineFigures {
        articles_per_second: articles.len() as f64 / seconds,
        words_per_second: words as f64 / seconds,
        cpu_seconds,
        articles_per_cpu_second: cpu_seconds.map(|cpu| articles.len() as f64 / cpu),
        one_at_a_time_articles_per_second: articles.len() as f64 / alone_seconds,
        article_ms_p50: milliseconds(quantile(&times, 0.50)),
        article_ms_p99: milliseconds(quantile(&times, 0.99)),
        article_ms_max: milliseconds(times.last().copied().unwrap_or_default()),
    }
}

/// Runs `work` over `payloads` in chunks of `chunk` on `threads` threads, each taking the
/// next chunk; gives what each call returned.
fn on_threads<T: Send>(
    payloads: &[Vec<u8>],
    threads: usize,
    chunk: usize,
    work: impl Fn(&[Vec<u8>]) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut results = Vec::new();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= payloads.len() {
                            return results;
                        }
                        let end = (start + chunk).min(payloads.len());
                        results.push(work(&payloads[start..end]));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("an offline thread panicked"))
            .collect()
    })
}

fn enrich_payloads(pipeline: &Pipeline, payloads: &[Vec<u8>]) -> usize {
    let payloads: Vec<&[u8]> = payloads.iter().map(Vec::as_slice).collect();
    contract::enrich_batch(pipeline, &payloads, usize::MAX)
        .into_iter()
        .flatten()
        .map(|enriched| enriched.output.len())
        .sum()
}

/// The worker (or the pass-through worker) as a child process: throughput, then latency.
async fn measure_worker(
    options: &LoadOptions,
    articles: &[LoadArticle],
    threads: usize,
    pass_through: bool,
    interrupt: &Interrupt,
) -> Result<WorkerFigures, LoadError> {
    interrupt.check()?;
    let harness = Harness::start(options, threads, pass_through).await?;
    let result = interrupt
        .guard(async {
            let mut observer = harness.observer().await?;
            // Throughput: everything at once, observed while it is being published.
            let throughput = harness.run.load("t", articles);
            let cpu_before = harness.worker.cpu_seconds();
            let machine_before = machine_busy_seconds();
            let started = Instant::now();
            let publishing = tokio::spawn(publish_all(
                harness.connection.clone(),
                harness.run.input_subject(),
                throughput.clone(),
                None,
            ));
            let phase = observer
                .observe(publishing, options.phase_timeout, None)
                .await?;
            let cpu_seconds = harness
                .worker
                .cpu_seconds()
                .zip(cpu_before)
                .map(|(after, before)| after - before);
            let machine_cpu_seconds = machine_busy_seconds()
                .zip(machine_before)
                .map(|(after, before)| after - before);
            let mut lost = phase.lost;
            let last = phase.arrivals.values().max().copied().unwrap_or(started);
            let seconds = last.duration_since(started).as_secs_f64().max(1e-9);
            let phase_articles = phase.arrivals.len();
            let articles_per_second = phase_articles as f64 / seconds;
            let words: usize = throughput
                .iter()
                .zip(articles)
                .filter(|((id, _), _)| phase.arrivals.contains_key(id))
                .map(|(_, article)| article.words)
                .sum();
            // Latency: at half the throughput, each article timed from its publish.
            let latency_rate = (articles_per_second / 2.0).max(1.0);
            let latency_count = articles
                .len()
                .min((latency_rate * 5.0).ceil() as usize)
                .max(1);
            let latency = harness.run.load("l", &articles[..latency_count]);
            let publishing = tokio::spawn(publish_all(
                harness.connection.clone(),
                harness.run.input_subject(),
                latency.clone(),
                Some(latency_rate),
            ));
            let phase = observer
                .observe(publishing, options.phase_timeout, None)
                .await?;
            lost += phase.lost;
            let latencies = phase.latencies();
            let arrived = (phase_articles + phase.arrivals.len()) as u64;
            let duplicated = harness.duplicates_stored(arrived).await?;
            let peak_rss_mb = harness.worker.peak_rss_mb();
            Ok(WorkerFigures {
                articles_per_second,
                words_per_second: words as f64 / seconds,
                cpu_seconds,
                articles_per_cpu_second: cpu_seconds.map(|cpu| phase_articles as f64 / cpu),
                machine_cpu_seconds,
                latency_rate,
                latency_ms_p50: milliseconds(quantile(&latencies, 0.50)),
                latency_ms_p99: milliseconds(quantile(&latencies, 0.99)),
                lost,
                duplicated,
                peak_rss_mb,
            })
        })
        .await;
    harness.finish().await;
    result
}

/// The worker at a steady `rate` for `duration`, its memory sampled every 10 s.
async fn soak(
    options: &LoadOptions,
    articles: &[LoadArticle],
    threads: usize,
    rate: f64,
    duration: Duration,
    interrupt: &Interrupt,
) -> Result<SoakFigures, LoadError> {
    interrupt.check()?;
    tracing::info!(threads, rate, seconds = duration.as_secs(), "soak");
    let harness = Harness::start(options, threads, false).await?;
    let result = interrupt
        .guard(async {
            let mut observer = harness.observer().await?;
            let tag = harness.run.tag.clone();
            let articles = articles.to_vec();
            let started = Instant::now();
            let until = started + duration;
            let load = (0..).map_while(move |n: usize| {
                (Instant::now() < until).then(|| {
                    let id = format!("{tag}-s-{n}");
                    let payload = articles[n % articles.len()].payload(&id);
                    (id, payload)
                })
            });
            let publishing = tokio::spawn(publish_all(
                harness.connection.clone(),
                harness.run.input_subject(),
                load,
                Some(rate),
            ));
            let phase = observer
                .observe(publishing, options.phase_timeout, Some(&harness.worker))
                .await?;
            let latencies = phase.latencies();
            let samples = &phase.rss_mb;
            let largest = |samples: &[f64]| samples.iter().copied().fold(0.0, f64::max);
            let rss_growth_mb = (samples.len() >= 18)
                .then(|| largest(&samples[samples.len() - 6..]) - largest(&samples[6..12]));
            Ok(SoakFigures {
                threads,
                seconds: started.elapsed().as_secs_f64(),
                rate,
                articles: phase.sent_at.len(),
                lost: phase.lost,
                duplicated: harness
                    .duplicates_stored(phase.arrivals.len() as u64)
                    .await?,
                latency_ms_p50: milliseconds(quantile(&latencies, 0.50)),
                latency_ms_p99: milliseconds(quantile(&latencies, 0.99)),
                peak_rss_mb: harness.worker.peak_rss_mb(),
                rss_growth_mb,
                rss_mb: phase.rss_mb,
            })
        })
        .await;
    harness.finish().await;
    result
}

/// Articles of one phase: id and payload.
type Load = Vec<(String, Vec<u8>)>;

/// Publishes every article of `load` (all at once, or at `rate` per second) and waits for
/// each PubAck; when each publish started, by id. `load` may be produced lazily (a soak).
async fn publish_all(
    connection: Connection,
    subject: String,
    load: impl IntoIterator<Item = (String, Vec<u8>)> + Send + 'static,
    rate: Option<f64>,
) -> Result<HashMap<String, Instant>, LoadError> {
    let mut sent_at = HashMap::new();
    match rate {
        None => {
            let published = futures::stream::iter(load)
                .map(|(id, payload)| {
                    let (connection, subject) = (&connection, &subject);
                    async move {
                        let started = Instant::now();
                        publish_article(connection, subject, &id, payload).await?;
                        Ok::<_, LoadError>((id, started))
                    }
                })
                .buffer_unordered(256)
                .collect::<Vec<_>>()
                .await;
            for outcome in published {
                let (id, started) = outcome?;
                sent_at.insert(id, started);
            }
        }
        Some(rate) => {
            let mut publishes = tokio::task::JoinSet::new();
            let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            for (id, payload) in load {
                ticker.tick().await;
                sent_at.insert(id.clone(), Instant::now());
                let (connection, subject) = (connection.clone(), subject.clone());
                publishes.spawn(async move {
                    publish_article(&connection, &subject, &id, payload).await
                });
                while let Some(outcome) = publishes.try_join_next() {
                    outcome.map_err(|error| LoadError::Worker(error.to_string()))??;
                }
            }
            while let Some(outcome) = publishes.join_next().await {
                outcome.map_err(|error| LoadError::Worker(error.to_string()))??;
            }
        }
    }
    Ok(sent_at)
}

async fn publish_article(
    connection: &Connection,
    subject: &str,
    id: &str,
    payload: Vec<u8>,
) -> Result<(), LoadError> {
    use crate::transport::connect::Guarantee;
    connection
        .publish(subject, id, None, payload, Guarantee::Stored)
        .await
        .map_err(|error| LoadError::Worker(format!("publishing an article failed: {error}")))
}

/// The `q` quantile of sorted durations (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&times, 0.50), Duration::from_millis(50));
        assert_eq!(quantile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&times[..1], 0.99), Duration::from_millis(1));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn the_worker_settings_of_a_run_load_and_keep_to_its_own_names() {
        let run = RunNames::new(false);
        let dir = std::env::temp_dir().join(format!("{}-settings", run.tag));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("run.toml");
        std::fs::write(&file, run.worker_config("nats://127.0.0.1:4999", 3, 8999)).unwrap();
        let settings = Settings::load_from(Sources {
            config_dir: dir.clone(),
            config_file: Some(file),
            environment: HashMap::new(),
        })
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(settings.worker.enrich_threads, 3);
        assert_eq!(settings.http.port, 8999);
        assert!(settings.streams.articles.name.starts_with("LOADGEN_"));
        assert_eq!(
            settings.subjects.output_subject(&run.input_subject()),
            format!("loadgen.{}.enriched.article", run.tag)
        );
    }
}
