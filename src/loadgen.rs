//! `article-enricher loadgen`: the worker's speed end to end through JetStream, measured in
//! one run beside the offline speed on the same articles and threads and beside the broker's
//! ceiling.
//!
//! For each thread count it asked for, one run:
//! 1. **offline**: decodes, enriches and encodes every article on that many threads, as
//!    `enrich` does (articles/s, words/s, and the time of each article: p50/p99);
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

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
    /// Decode, enrich and encode of one article, in milliseconds.
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

/// Offline: decode, enrich and encode each article on `threads` threads.
fn measure_offline(articles: &[LoadArticle], threads: usize) -> OfflineFigures {
    let payloads: Vec<Vec<u8>> = articles
        .iter()
        .enumerate()
        .map(|(n, article)| article.payload(&format!("offline-{n}")))
        .collect();
    let pipeline = Pipeline::new();
    if let Some(first) = payloads.first() {
        enrich_payload(&pipeline, first);
    }
    let next = AtomicUsize::new(0);
    let cpu_before = process_cpu_seconds("self");
    let started = Instant::now();
    let mut times: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut times = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(payload) = payloads.get(n) else {
                            return times;
                        };
                        let article_started = Instant::now();
                        enrich_payload(&pipeline, payload);
                        times.push(article_started.elapsed());
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("an offline thread panicked"))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds("self")
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    times.sort_unstable();
    let words: usize = articles.iter().map(|article| article.words).sum();
    OfflineFigures {
        articles_per_second: articles.len() as f64 / seconds,
        words_per_second: words as f64 / seconds,
        cpu_seconds,
        articles_per_cpu_second: cpu_seconds.map(|cpu| articles.len() as f64 / cpu),
        article_ms_p50: milliseconds(quantile(&times, 0.50)),
        article_ms_p99: milliseconds(quantile(&times, 0.99)),
        article_ms_max: milliseconds(times.last().copied().unwrap_or_default()),
    }
}

fn enrich_payload(pipeline: &Pipeline, payload: &[u8]) -> usize {
    match contract::enrich(pipeline, payload, usize::MAX) {
        Ok(enriched) => enriched.output.len(),
        Err(_) => 0,
    }
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

/// One worker child on its own streams, with this process's connection to the same server.
struct Harness {
    run: RunNames,
    settings: Settings,
    connection: Connection,
    worker: WorkerChild,
    config_file: PathBuf,
}

impl Harness {
    /// Writes the run's settings, connects, starts the worker and waits until it is ready.
    async fn start(
        options: &LoadOptions,
        threads: usize,
        pass_through: bool,
    ) -> Result<Harness, LoadError> {
        let run = RunNames::new(pass_through);
        let environment = child_environment();
        let config_file = std::env::temp_dir().join(format!("article-enricher-{}.toml", run.tag));
        let http_port =
            free_loopback_port().map_err(|error| LoadError::Worker(error.to_string()))?;
        std::fs::write(
            &config_file,
            run.worker_config(&options.nats_url, threads, http_port),
        )
        .map_err(|error| LoadError::Worker(format!("cannot write its settings: {error}")))?;
        let started = async {
            let settings = Settings::load_from(Sources {
                config_dir: PathBuf::from("config"),
                config_file: Some(config_file.clone()),
                environment: environment.clone(),
            })?;
            let connection = Connection::connect(&settings.nats).await?;
            let mut worker = WorkerChild::start(
                &options.worker_binary,
                &config_file,
                environment,
                pass_through,
            )?;
            if let Err(error) = worker.wait_ready(http_port, Duration::from_secs(60)).await {
                worker.stop(Duration::from_secs(5)).await;
                let _ = connection.delete_streams(&settings.streams).await;
                return Err(error);
            }
            Ok((settings, connection, worker))
        }
        .await;
        match started {
            Ok((settings, connection, worker)) => Ok(Harness {
                run,
                settings,
                connection,
                worker,
                config_file,
            }),
            Err(error) => {
                let _ = std::fs::remove_file(&config_file);
                Err(error)
            }
        }
    }

    /// Messages in the run's output stream beyond the `arrived` distinct articles: copies
    /// stored twice. Waits a moment first, for a late duplicate to land.
    async fn duplicates_stored(&self, arrived: u64) -> Result<usize, LoadError> {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let stored = self
            .connection
            .stream_message_count(&self.settings.streams.enriched.name)
            .await?;
        Ok(stored.saturating_sub(arrived) as usize)
    }

    /// Starts watching the run's output subject.
    async fn observer(&self) -> Result<Observer, LoadError> {
        let subscription = self
            .connection
            .queue_subscribe(
                &self.run.output_subject(),
                &format!("observer-{}", self.run.tag),
            )
            .await?;
        Ok(Observer::new(subscription))
    }

    /// Stops the worker, deletes the run's streams and settings file.
    async fn finish(mut self) {
        self.worker.stop(Duration::from_secs(30)).await;
        let _ = std::fs::remove_file(&self.config_file);
        if let Err(error) = self.connection.delete_streams(&self.settings.streams).await {
            tracing::warn!(%error, "cannot delete the load streams");
        }
        self.connection.drain(Duration::from_secs(5)).await;
    }
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

/// The names of one worker run: streams, subjects and consumer, all its own.
struct RunNames {
    tag: String,
}

impl RunNames {
    fn new(pass_through: bool) -> RunNames {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let kind = if pass_through { "p" } else { "w" };
        RunNames {
            tag: format!("lg{}{kind}{}", std::process::id(), nanos % 1_000_000_000),
        }
    }

    /// The payloads of one phase, each article under an id of its own.
    fn load(&self, phase: &str, articles: &[LoadArticle]) -> Load {
        articles
            .iter()
            .enumerate()
            .map(|(n, article)| {
                let id = format!("{}-{phase}-{n}", self.tag);
                let payload = article.payload(&id);
                (id, payload)
            })
            .collect()
    }

    fn input_subject(&self) -> String {
        format!("loadgen.{}.raw.article", self.tag)
    }

    fn output_subject(&self) -> String {
        format!("loadgen.{}.enriched.>", self.tag)
    }

    /// The worker's settings file: this run's streams and subjects, loopback HTTP.
    fn worker_config(&self, nats_url: &str, threads: usize, http_port: u16) -> String {
        let tag = &self.tag;
        let upper = tag.to_uppercase();
        let stream = |name: &str, subject: &str| {
            format!(
                "[streams.{name}]\nname = \"LOADGEN_{upper}_{}\"\nsubjects = [\"loadgen.{tag}.{subject}.>\"]\nmax_age = \"1h\"\n",
                name.to_uppercase()
            )
        };
        format!(
            "mode = \"jetstream\"\n\
             [nats]\nurl = {nats_url:?}\nname = \"article-enricher-loadgen\"\n\
             [subjects]\ninput = \"loadgen.{tag}.raw.>\"\n\
             output_prefix = \"loadgen.{tag}.enriched\"\ndlq_prefix = \"loadgen.{tag}.dlq\"\n\
             [streams]\ncreate = true\n{}{}{}\
             [consumer]\ndurable = \"loadgen\"\n\
             [worker]\nenrich_threads = {threads}\n\
             [http]\nbind = \"127.0.0.1\"\nport = {http_port}\n\
             [log]\nformat = \"json\"\nfilter = \"warn\"\n",
            stream("articles", "raw"),
            stream("enriched", "enriched"),
            stream("dlq", "dlq"),
        )
    }
}

/// The environment of the worker child and of this process's settings: the caller's, less
/// what would move the worker off its run's settings file (credentials and TLS are kept) and
/// `RUST_LOG`, which would override the run's quiet log filter.
fn child_environment() -> HashMap<String, String> {
    std::env::vars()
        .filter(|(name, _)| {
            let settings_variable =
                name.starts_with("ENRICHER_") || name == "NATS_URL" || name == "RUST_LOG";
            !settings_variable
                || name.starts_with("ENRICHER__NATS__AUTH__")
                || name.starts_with("ENRICHER__NATS__TLS__")
        })
        .collect()
}

fn free_loopback_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// What one phase saw: when each article was published and when its copy arrived.
struct Phase {
    sent_at: HashMap<String, Instant>,
    arrivals: HashMap<String, Instant>,
    lost: usize,
    /// The worker's resident set every 10 s, when it was sampled.
    rss_mb: Vec<f64>,
}

impl Phase {
    /// Publish to arrival of each article that came, sorted.
    fn latencies(&self) -> Vec<Duration> {
        let mut latencies: Vec<Duration> = self
            .arrivals
            .iter()
            .filter_map(|(id, arrived)| Some(arrived.duration_since(*self.sent_at.get(id)?)))
            .collect();
        latencies.sort_unstable();
        latencies
    }
}

/// The enriched copies seen on the output subject, by article id.
struct Observer {
    subscription: CoreSubscription,
    arrivals: HashMap<String, Instant>,
}

impl Observer {
    fn new(subscription: CoreSubscription) -> Observer {
        Observer {
            subscription,
            arrivals: HashMap::new(),
        }
    }

    /// Notes one enriched copy; its article id when it is the first copy of that article.
    fn record(&mut self, message_id: Option<&str>) -> Option<String> {
        // `<article id>:<payload hash>` from the worker, the bare id from the pass-through.
        let id = message_id?.split(':').next()?;
        if self.arrivals.contains_key(id) {
            return None;
        }
        self.arrivals.insert(id.to_string(), Instant::now());
        Some(id.to_string())
    }

    /// Records arrivals while `publishing` runs and then until every article it published
    /// has come or `timeout` has passed since its end; a failed publish ends the phase at
    /// once. With `rss_of`, samples that process's resident set every 10 s meanwhile.
    async fn observe(
        &mut self,
        mut publishing: tokio::task::JoinHandle<Result<HashMap<String, Instant>, LoadError>>,
        timeout: Duration,
        rss_of: Option<&WorkerChild>,
    ) -> Result<Phase, LoadError> {
        let joined = |outcome: Result<_, tokio::task::JoinError>| {
            outcome.map_err(|error| LoadError::Worker(error.to_string()))?
        };
        let mut sent_at: Option<HashMap<String, Instant>> = None;
        let mut waiting = 0;
        let mut deadline = tokio::time::Instant::now() + timeout;
        let mut sampler = tokio::time::interval(Duration::from_secs(10));
        let mut rss_mb = Vec::new();
        while sent_at.is_none() || waiting > 0 {
            tokio::select! {
                outcome = &mut publishing, if sent_at.is_none() => {
                    let sent = joined(outcome)?;
                    waiting = sent.keys().filter(|id| !self.arrivals.contains_key(*id)).count();
                    deadline = tokio::time::Instant::now() + timeout;
                    sent_at = Some(sent);
                }
                message = self.subscription.next() => match message {
                    Some(message) => {
                        let first = self.record(message.message_id());
                        let expected = |id: &String| sent_at.as_ref().is_some_and(|sent| sent.contains_key(id));
                        if first.as_ref().is_some_and(expected) {
                            waiting -= 1;
                        }
                    }
                    None => break,
                },
                _ = sampler.tick(), if rss_of.is_some() => {
                    if let Some(rss) = rss_of.and_then(WorkerChild::rss_mb) {
                        rss_mb.push(rss);
                    }
                }
                _ = tokio::time::sleep_until(deadline), if sent_at.is_some() => break,
            }
        }
        let sent_at = match sent_at {
            Some(sent_at) => sent_at,
            None => joined(publishing.await)?,
        };
        let arrivals: HashMap<String, Instant> = sent_at
            .keys()
            .filter_map(|id| Some((id.clone(), *self.arrivals.get(id)?)))
            .collect();
        Ok(Phase {
            lost: sent_at.len() - arrivals.len(),
            arrivals,
            sent_at,
            rss_mb,
        })
    }
}

/// The worker process of one run.
struct WorkerChild {
    child: tokio::process::Child,
}

impl WorkerChild {
    fn start(
        binary: &Path,
        config_file: &Path,
        environment: HashMap<String, String>,
        pass_through: bool,
    ) -> Result<WorkerChild, LoadError> {
        let mut command = tokio::process::Command::new(binary);
        command
            .arg("run")
            .arg("--config")
            .arg(config_file)
            .env_clear()
            .envs(environment)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        if pass_through {
            command.arg("--pass-through");
        }
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and touches no memory of this process. The
        // worker then dies with this process rather than outlive an interrupted run.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = command.spawn().map_err(|error| {
            LoadError::Worker(format!("cannot start {}: {error}", binary.display()))
        })?;
        Ok(WorkerChild { child })
    }

    /// Polls `/readyz` until the worker answers 200 (connected, streams and consumer set up).
    async fn wait_ready(&mut self, http_port: u16, timeout: Duration) -> Result<(), LoadError> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(LoadError::Worker(format!(
                    "it exited before it was ready ({status})"
                )));
            }
            if readyz_status(http_port).await == Some(200) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(LoadError::Worker(format!(
            "not ready within {} s",
            timeout.as_secs()
        )))
    }

    /// The peak resident set in MB (Linux `/proc/<pid>/status`, VmHWM).
    fn peak_rss_mb(&self) -> Option<f64> {
        self.memory_status("VmHWM:")
    }

    /// The resident set now, in MB (VmRSS).
    fn rss_mb(&self) -> Option<f64> {
        self.memory_status("VmRSS:")
    }

    fn memory_status(&self, field: &str) -> Option<f64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with(field))?;
        let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kilobytes / 1024.0)
    }

    /// CPU time used so far by all the worker's threads (Linux `/proc/<pid>/stat`).
    fn cpu_seconds(&self) -> Option<f64> {
        process_cpu_seconds(&self.child.id()?.to_string())
    }

    /// SIGTERM, then a kill if it has not exited within `timeout`.
    async fn stop(&mut self, timeout: Duration) {
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) with a pid this process started and has not yet reaped.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGTERM);
            }
        }
        if tokio::time::timeout(timeout, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

/// CPU time used so far by all the threads of process `pid` ("self" for this one), from
/// Linux `/proc/<pid>/stat`.
fn process_cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / clock_ticks_per_second())
}

/// CPU time spent by the whole machine so far, all cores, not idle (Linux `/proc/stat`).
fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find(|line| line.starts_with("cpu "))?;
    let ticks: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&n| ticks.get(n))
        .sum();
    Some(busy / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system constant.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if ticks > 0 {
            return ticks as f64;
        }
    }
    100.0
}

/// The HTTP status of `GET /readyz` on loopback, if anything answers.
async fn readyz_status(port: u16) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream
        .write_all(b"GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .ok()?;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut response))
        .await
        .ok()?
        .ok()?;
    let status_line = std::str::from_utf8(&response).ok()?.lines().next()?;
    status_line.split_whitespace().nth(1)?.parse().ok()
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
