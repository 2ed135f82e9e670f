//! The `run` loop: pull raw articles, enrich them off the reactor, publish, then ack.
//!
//! [`run`] takes the shutdown signal as a future (the binary passes
//! [`termination_signal`], tests pass their own). In JetStream mode it pulls from the durable
//! consumer in batches sized to the free in-flight slots, enriches the articles on
//! `worker.enrich_threads` long-lived threads ([`crate::cpu_pool::BatchPool`]: a thread that
//! comes free takes up to `worker.batch_articles` of the messages waiting for it, at most
//! 128 KiB of them, and analyses them stage by stage; a redelivery runs alone), publishes
//! each result with
//! `Nats-Msg-Id = <article id>:<hash of the raw subject and payload>`, waits for the PubAck, and only
//! then acks the raw message. Failures are sorted by cause:
//!
//! | cause | what happens |
//! |---|---|
//! | undecodable input (`DecodeError`) | dead letter at once, then `term` |
//! | output larger than the server's `max_payload` | dead letter `output_too_large`, then `term` |
//! | enrichment panicked (a bug; the code is deterministic, a retry would panic again) | dead letter `panic`, then `term` |
//! | publish timeout, no responders, connection lost, stream refused | `nak` with a delay doubling per delivery; never dead-lettered |
//! | delivered `poison_after_deliveries` times and the earlier deliveries are not explained by broker-side failures (a worker died or stalled on the message) | dead letter `poison` before enriching again, then `term` |
//!
//! A dead letter is itself published with a PubAck before the `term`; if that publish fails
//! the message is nak'ed like any broker-side failure. While a message is held, the worker
//! sends in-progress acks (every third of `ack_wait`); only the time on an enrichment thread
//! counts towards `worker.stall_timeout` (waiting for a free thread or for a PubAck is not the
//! message's fault), and that is the time of the message's whole batch. Past it the worker
//! stops the acks, the server redelivers the message (which counts towards poison; it is
//! enriched alone this time, so the batch-mates of a message that stalls get through on
//! their next delivery), and the stalled enrichment's result, when it comes, is dropped: a
//! message is never both dead-lettered and enriched by its stalled attempt. A panic in a
//! batch is isolated by running the batch again one message at a time.
//!
//! Poison is decided on evidence. Every delivery counts against the message unless it ended
//! in a broker-side failure, and those are recorded where every worker sees them: a
//! key-value bucket on the server (`KV_enricher_excuses`, one key per raw message, see
//! [`crate::transport::jetstream::ExcuseKey`]), written before the nak, and read only when
//! the worker's own memory of failures would make the message poison. So an outage seen by
//! one worker excuses the redeliveries for another worker on the same consumer and for the
//! next one after a restart. The other way round was rejected: counting only the stalls a
//! worker saw itself can never catch a message that kills the worker (SIGKILL, OOM, abort),
//! since the one that saw it is gone. A delivery with no record, then, counts as a death.
//! When the bucket cannot be read the message is handed back like any broker-side failure,
//! rather than dead-lettered without evidence.
//!
//! `run --pass-through` (load measurements only, see [`crate::commands::loadgen`]) republishes each
//! raw message unchanged under its own `Nats-Msg-Id`, through the same publish-then-ack path.
//!
//! In core mode the worker reads a queue-group subscription and publishes without acks: at
//! most once. On shutdown it stops pulling (withdrawing the waiting pull request), finishes
//! and acks what it holds, drains the connection and returns, all within
//! `worker.shutdown_timeout`; what is unfinished by then is left for redelivery.
//!
//! Known limits: a failure the broker cannot record because the worker lost its connection
//! is remembered by that worker only (its nak is lost too, and the server redelivers after
//! `ack_wait`), so each such cut-off can cost a message one unexcused delivery in another
//! worker or after a restart; and a worker killed between the PubAck of an output and the
//! ack of its raw message leaves a delivery that counts as a death. Keep
//! `poison_after_deliveries` a few deliveries above one. Without the bucket (the server
//! refused to create it) only the failures the worker saw itself count, as it logs at start.

mod attempt;

use crate::config::{Mode, Settings};
use crate::contract::article::{short_hash, short_hash_of_parts};
use crate::contract::{self, DecodeError};
use crate::cpu_pool::{BatchLimits, BatchPool, JobFailure};
use crate::http::{self, api::EnrichApi, HttpError, HttpState};
use crate::nlp::{Input, Pipeline, StageTimings};
use crate::telemetry::{self, Telemetry};
use crate::transport::connect::{Guarantee, PUBLISH_FAILURE_CAUSES};
use crate::transport::jetstream::ExcuseKey;
use crate::transport::{
    Connection, DeadLetterReason, Delivery, InboundMessage, PublishFailure, PullConsumer,
    PullEvent, Stored, TransportError,
};
use attempt::{Attempt, Tick};
use bytes::Bytes;
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Why the worker could not run.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("cannot start the enrichment threads: {0}")]
    Threads(std::io::Error),
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C). The handlers are installed when this is called,
/// so call it early; it needs a tokio runtime.
pub fn termination_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => tracing::info!("SIGTERM received; shutting down"),
                        _ = interrupt.recv() => tracing::info!("SIGINT received; shutting down"),
                    }
                }
                _ => {
                    tracing::warn!("cannot install signal handlers; only Ctrl-C stops the worker");
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async move {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Builds a tokio runtime with every driver enabled; when it cannot start, says so on stderr
/// and gives the exit code 2.
pub fn start_runtime(
    builder: &mut tokio::runtime::Builder,
) -> Result<tokio::runtime::Runtime, ExitCode> {
    builder.enable_all().build().map_err(|error| {
        eprintln!("error: cannot start the async runtime: {error}");
        ExitCode::from(2)
    })
}

/// The `run` command: loads the settings (`config` layered over the defaults), runs the
/// worker until SIGTERM or SIGINT and gives the exit code (1 when the worker stopped on an
/// error, 2 when it could not start).
pub fn main(config: Option<&Path>, pass_through: bool) -> ExitCode {
    let mut settings = match Settings::load(config) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if pass_through && settings.mode != Mode::JetStream {
        eprintln!("error: --pass-through needs mode = \"jetstream\"");
        return ExitCode::from(2);
    }
    settings.worker.pass_through = pass_through;
    telemetry::init_tracing(&settings.log);
    let runtime = match start_runtime(&mut tokio::runtime::Builder::new_multi_thread()) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let result = runtime.block_on(async { run(settings, termination_signal()).await });
    // Blocking enrichment threads still running past the shutdown deadline must not hold
    // the exit: their messages are unacked and will be redelivered.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the worker stopped");
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

/// Runs the worker until `shutdown` resolves, then shuts down gracefully.
pub async fn run(
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), WorkerError> {
    let telemetry = Telemetry::default();
    let http = match http::bind(&settings.http).await? {
        Some(listener) => {
            // The API's own threads: one unless configured, so the stream keeps its own.
            let threads = settings.http.enrich_threads.max(1);
            let api = EnrichApi::new(&settings, threads).map_err(WorkerError::Threads)?;
            let state = HttpState {
                telemetry: telemetry.clone(),
                api: Arc::new(api),
            };
            Some(tokio::spawn(http::serve(listener, state)))
        }
        None => None,
    };
    let result = run_with_telemetry(settings, telemetry, shutdown).await;
    if let Some(http) = http {
        http.abort();
    }
    result
}

/// [`run`] with metrics and readiness supplied by the caller (no HTTP endpoint of its own).
pub async fn run_with_telemetry(
    settings: Settings,
    telemetry: Telemetry,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), WorkerError> {
    let mut shutdown = std::pin::pin!(shutdown);
    let reasons: Vec<&str> = DecodeError::KINDS
        .iter()
        .chain(WORKER_DEAD_LETTER_KINDS)
        .copied()
        .collect();
    let causes: Vec<&str> = PUBLISH_FAILURE_CAUSES
        .iter()
        .chain(WORKER_RETRY_CAUSES)
        .copied()
        .collect();
    telemetry
        .metrics
        .declare_labels(crate::nlp::STAGES, &reasons, &causes);
    tracing::info!(mode = ?settings.mode, url = %settings.nats.url, "starting the worker");
    let connection = Connection::connect(&settings.nats).await?;
    // The embedded gazetteers are parsed when the first pipeline is made: do it on the
    // blocking pool, and now rather than on the first message.
    let time_budget = settings.worker.time_budget;
    let pipeline = tokio::task::spawn_blocking(move || {
        let pipeline = Pipeline::new().with_time_budget(time_budget);
        pipeline.analyse(&Input::field("body", "Warming up."));
        pipeline
    });
    let connected = tokio::select! {
        _ = shutdown.as_mut() => false,
        _ = connection.wait_until_connected() => true,
    };
    if !connected {
        tracing::info!("stopped before the first connection to NATS");
        return Ok(());
    }
    let pipeline = match pipeline.await {
        Ok(pipeline) => pipeline,
        Err(error) => {
            tracing::error!(%error, "warming up the pipeline failed");
            Pipeline::new().with_time_budget(time_budget)
        }
    };
    let worker = Arc::new(Worker::new(settings, connection, telemetry, pipeline)?);
    let monitor = tokio::spawn(worker.clone().monitor_readiness());
    let stopped_at = match worker.settings.mode {
        Mode::JetStream => worker.clone().consume_jetstream(shutdown.as_mut()).await,
        Mode::Core => worker.clone().consume_core(shutdown.as_mut()).await,
    };
    monitor.abort();
    worker.telemetry.readiness.set_streams_reachable(false);
    let deadline = stopped_at + worker.settings.worker.shutdown_timeout;
    worker.finish_in_flight(deadline).await;
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    worker.connection.drain(remaining).await;
    tracing::info!("worker stopped");
    Ok(())
}

/// A warning in the log when an article's time budget ran out (its output says so too).
fn warn_of_skipped_stages(article_id: &str, timings: &StageTimings) {
    if !timings.skipped.is_empty() {
        tracing::warn!(
            article_id,
            skipped = %timings.skipped.join(","),
            "time budget ran out; stages skipped"
        );
    }
}

/// What enriching one payload gave.
enum Enriched {
    Article {
        id: String,
        output: Vec<u8>,
        timings: StageTimings,
    },
    Undecodable(DecodeError),
    Panicked(String),
    /// The blocking task was cancelled (the runtime is going away); nothing to report.
    Cancelled,
    /// The enrichment ran past `worker.stall_timeout`: the message was left for redelivery,
    /// so this result must not be published (the next delivery may be dead-lettered).
    GivenUp,
}

struct Worker {
    settings: Settings,
    connection: Connection,
    telemetry: Telemetry,
    /// One permit per message held, from receipt to ack.
    in_flight: Arc<Semaphore>,
    /// The enrichment threads, `worker.enrich_threads` of them, each enriching the messages
    /// that wait for it as one batch.
    cpu: EnrichPool,
    /// Stream sequence -> broker-side failures seen for it, to tell poison from outages.
    broker_failures: Mutex<HashMap<u64, u64>>,
    /// Set once the streams and the consumer (or the subscription) are in place.
    set_up: AtomicBool,
    /// Set when the excuse bucket (broker-side failures seen by every worker) is usable.
    shared_excuses: AtomicBool,
}

/// Dead-letter kinds the worker decides itself (the decoder's are [`DecodeError::KINDS`]).
const WORKER_DEAD_LETTER_KINDS: &[&str] = &["poison", "panic", "output_too_large"];

/// Retry causes the worker names itself (the publisher's are [`PUBLISH_FAILURE_CAUSES`]).
const WORKER_RETRY_CAUSES: &[&str] = &["dead_letter_too_large", "excuses_unreadable"];

/// Bound of the broker-failure memory; past it the memory starts afresh (see module docs).
const BROKER_FAILURE_MEMORY: usize = 100_000;

/// The enrichment threads: raw payloads in, each one's decoded and enriched result out.
type EnrichPool = BatchPool<Bytes, Result<contract::Enriched, DecodeError>>;

/// Once a batch's raw payloads hold this many bytes, no further message joins it, so that a
/// batch takes about as long as one large article at most: every message of a batch counts
/// the whole batch's time towards `worker.stall_timeout`.
const BATCH_INPUT_BYTES: usize = 128 * 1024;

impl Worker {
    fn new(
        settings: Settings,
        connection: Connection,
        telemetry: Telemetry,
        pipeline: Pipeline,
    ) -> Result<Worker, WorkerError> {
        let in_flight = Arc::new(Semaphore::new(settings.worker.in_flight));
        let threads = settings.worker.enrich_thread_count();
        let limits = BatchLimits {
            jobs: settings.worker.batch_articles,
            weight: BATCH_INPUT_BYTES,
        };
        let limit = settings.worker.max_input_bytes;
        let batch_sizes = telemetry.metrics.batch_articles.clone();
        let cpu = BatchPool::new("enrich", threads, limits, move |payloads: &[Bytes]| {
            batch_sizes.observe(payloads.len() as f64);
            let payloads: Vec<&[u8]> = payloads.iter().map(|payload| &payload[..]).collect();
            contract::enrich_batch(&pipeline, &payloads, limit)
        })
        .map_err(WorkerError::Threads)?;
        Ok(Worker {
            settings,
            connection,
            telemetry,
            in_flight,
            cpu,
            broker_failures: Mutex::new(HashMap::new()),
            set_up: AtomicBool::new(false),
            shared_excuses: AtomicBool::new(false),
        })
    }

    /// Keeps `/readyz` current: connection state every second, streams every five.
    async fn monitor_readiness(self: Arc<Self>) {
        let readiness = &self.telemetry.readiness;
        let mut ticks: u64 = 0;
        loop {
            readiness.set_connected(self.connection.is_connected());
            if self.settings.mode == Mode::JetStream
                && self.set_up.load(Ordering::Relaxed)
                && ticks.is_multiple_of(5)
            {
                let reachable = self
                    .connection
                    .streams_reachable(&self.settings.streams)
                    .await;
                readiness.set_streams_reachable(reachable && self.set_up.load(Ordering::Relaxed));
            }
            ticks += 1;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Streams and consumer, retried until they are in place or shutdown comes.
    async fn set_up_jetstream(
        &self,
        mut shutdown: Pin<&mut (impl Future<Output = ()> + Send)>,
    ) -> Option<PullConsumer> {
        let mut attempt: u32 = 0;
        loop {
            let result = async {
                self.connection
                    .ensure_streams(&self.settings.streams)
                    .await?;
                self.connection
                    .ensure_consumer(
                        &self.settings.streams.articles.name,
                        &self.settings.subjects.input,
                        &self.settings.consumer,
                    )
                    .await
            }
            .await;
            match result {
                Ok(consumer) => {
                    self.set_up_excuse_bucket().await;
                    self.set_up.store(true, Ordering::Relaxed);
                    self.telemetry.readiness.set_streams_reachable(true);
                    tracing::info!(
                        stream = %self.settings.streams.articles.name,
                        consumer = %self.settings.consumer.durable,
                        "consuming"
                    );
                    return Some(consumer);
                }
                Err(error) => {
                    self.set_up.store(false, Ordering::Relaxed);
                    self.telemetry.readiness.set_streams_reachable(false);
                    tracing::error!(%error, "cannot set up the streams and the consumer; retrying");
                    attempt += 1;
                    let pause = pause_after_failures(attempt);
                    tokio::select! {
                        _ = shutdown.as_mut() => return None,
                        _ = tokio::time::sleep(pause) => {}
                    }
                }
            }
        }
    }

    /// The bucket of broker-side failures shared by every worker. Without it (it cannot be
    /// created) the worker counts only the failures it saw itself, and says so.
    async fn set_up_excuse_bucket(&self) {
        let replicas = self.settings.streams.articles.replicas;
        let create = self.settings.streams.create;
        match self.connection.ensure_excuse_bucket(replicas, create).await {
            Ok(()) => self.shared_excuses.store(true, Ordering::Relaxed),
            Err(error) => {
                self.shared_excuses.store(false, Ordering::Relaxed);
                tracing::warn!(%error, "cannot set up the bucket of broker-side failures; only the failures this worker sees excuse redeliveries, so a restart or another worker may dead-letter a message as poison after an outage");
            }
        }
    }

    /// The JetStream loop; returns when shutdown was signalled, with the time it was.
    async fn consume_jetstream(
        self: Arc<Self>,
        mut shutdown: Pin<&mut (impl Future<Output = ()> + Send)>,
    ) -> Instant {
        let Some(mut consumer) = self.set_up_jetstream(shutdown.as_mut()).await else {
            return Instant::now();
        };
        let batch = self
            .settings
            .consumer
            .batch
            .min(self.settings.worker.in_flight);
        let enough_room = batch.div_ceil(2) as u32;
        let expires = self.settings.consumer.fetch_expires;
        let heartbeat = self.settings.consumer.idle_heartbeat;
        let mut failures: u32 = 0;
        loop {
            // Pull only when at least half a batch fits, so pulls stay batched under load.
            let mut permits = tokio::select! {
                _ = shutdown.as_mut() => return Instant::now(),
                permits = self.in_flight.clone().acquire_many_owned(enough_room) => {
                    permits.expect("the in-flight semaphore is never closed")
                }
            };
            while permits.num_permits() < batch {
                match self.in_flight.clone().try_acquire_owned() {
                    Ok(more) => permits.merge(more),
                    Err(_) => break,
                }
            }
            // While the connection is down the request waits for it; shutdown must not.
            let requested = tokio::select! {
                _ = shutdown.as_mut() => return Instant::now(),
                requested = consumer.pull(permits.num_permits(), expires, heartbeat) => requested,
            };
            let mut pull = match requested {
                Ok(pull) => pull,
                Err(error) => {
                    failures += 1;
                    tracing::warn!(%error, "cannot send a pull request; retrying");
                    drop(permits);
                    if self.pause(shutdown.as_mut(), failures).await {
                        return Instant::now();
                    }
                    continue;
                }
            };
            let mut stopped_at = None;
            let mut set_up_again = false;
            loop {
                let event = tokio::select! {
                    biased;
                    _ = shutdown.as_mut(), if stopped_at.is_none() => {
                        stopped_at = Some(Instant::now());
                        pull.withdraw().await;
                        continue;
                    }
                    event = pull.next() => event,
                };
                match event {
                    PullEvent::Message(message) => {
                        failures = 0;
                        let permit = permits
                            .split(1)
                            .expect("a pull never brings more messages than it asked for");
                        tokio::spawn(self.clone().handle_jetstream(message, permit));
                    }
                    PullEvent::Finished => break,
                    PullEvent::Failed(error) => {
                        failures += 1;
                        set_up_again = matches!(
                            error,
                            TransportError::ConsumerDeleted | TransportError::JetStreamUnavailable
                        );
                        match error {
                            TransportError::MissedHeartbeat => {
                                tracing::info!(%error, "pulling again")
                            }
                            _ => tracing::warn!(%error, "pull request failed; pulling again"),
                        }
                        break;
                    }
                }
            }
            drop(permits);
            if let Some(stopped_at) = stopped_at {
                return stopped_at;
            }
            if failures > 1 && self.pause(shutdown.as_mut(), failures).await {
                return Instant::now();
            }
            if set_up_again {
                match self.set_up_jetstream(shutdown.as_mut()).await {
                    Some(again) => consumer = again,
                    None => return Instant::now(),
                }
            }
        }
    }

    /// Waits after repeated failures; true when shutdown came meanwhile.
    async fn pause(
        &self,
        shutdown: Pin<&mut (impl Future<Output = ()> + Send)>,
        failures: u32,
    ) -> bool {
        tokio::select! {
            _ = shutdown => true,
            _ = tokio::time::sleep(pause_after_failures(failures)) => false,
        }
    }

    /// The core-NATS loop; returns when shutdown was signalled, with the time it was.
    async fn consume_core(
        self: Arc<Self>,
        mut shutdown: Pin<&mut (impl Future<Output = ()> + Send)>,
    ) -> Instant {
        let subject = self.settings.subjects.input.clone();
        let group = self.settings.worker.queue_group.clone();
        let mut attempt = 0;
        let mut subscription = loop {
            match self.connection.queue_subscribe(&subject, &group).await {
                Ok(subscription) => break subscription,
                Err(error) => {
                    attempt += 1;
                    tracing::error!(%error, "cannot subscribe; retrying");
                    if self.pause(shutdown.as_mut(), attempt).await {
                        return Instant::now();
                    }
                }
            }
        };
        self.set_up.store(true, Ordering::Relaxed);
        self.telemetry.readiness.set_streams_reachable(true);
        tracing::info!(%subject, queue_group = %group, "consuming (core NATS, at most once)");
        let stopped_at = loop {
            let permit = tokio::select! {
                _ = shutdown.as_mut() => break Instant::now(),
                permit = self.in_flight.clone().acquire_owned() => {
                    permit.expect("the in-flight semaphore is never closed")
                }
            };
            let message = tokio::select! {
                _ = shutdown.as_mut() => break Instant::now(),
                message = subscription.next() => message,
            };
            match message {
                Some(message) => {
                    tokio::spawn(self.clone().handle_core(message, permit));
                }
                None => break Instant::now(),
            }
        };
        // What the server sent before it saw the unsubscribe is still ours to handle.
        subscription.drain().await;
        let deadline = stopped_at + self.settings.worker.shutdown_timeout;
        loop {
            let next = async {
                let permit = self.in_flight.clone().acquire_owned().await.ok()?;
                Some((subscription.next().await?, permit))
            };
            match tokio::time::timeout_at(deadline, next).await {
                Ok(Some((message, permit))) => {
                    tokio::spawn(self.clone().handle_core(message, permit));
                }
                _ => break,
            }
        }
        stopped_at
    }

    /// Waits until every held message is acked (all in-flight permits are back).
    async fn finish_in_flight(&self, deadline: Instant) {
        let total = self.settings.worker.in_flight as u32;
        match tokio::time::timeout_at(deadline, self.in_flight.acquire_many(total)).await {
            Ok(_) => tracing::info!("all in-flight messages finished"),
            Err(_) => tracing::warn!(
                unfinished = total as usize - self.in_flight.available_permits(),
                "shutdown timeout reached; unfinished messages stay unacked and will be redelivered"
            ),
        }
    }

    async fn handle_jetstream(
        self: Arc<Self>,
        message: InboundMessage,
        permit: OwnedSemaphorePermit,
    ) {
        let started = Instant::now();
        let metrics = &self.telemetry.metrics;
        metrics.received.inc();
        metrics.in_flight.inc();
        let Some(delivery) = message.delivery() else {
            tracing::error!(subject = %message.subject, "a JetStream message without delivery metadata; skipping it");
            metrics.in_flight.dec();
            return;
        };
        let attempt = Arc::new(Attempt::default());
        let work = self.process_jetstream(&message, delivery, &attempt);
        let mut work = std::pin::pin!(work);
        let progress_every = (self.settings.consumer.ack_wait / 3).max(Duration::from_millis(100));
        let mut progress = tokio::time::interval_at(started + progress_every, progress_every);
        loop {
            tokio::select! {
                _ = work.as_mut() => break,
                _ = progress.tick() => match attempt.tick(self.settings.worker.stall_timeout) {
                    Tick::KeepAlive => {
                        if let Err(error) = message.in_progress().await {
                            tracing::debug!(%error, "in-progress ack failed");
                        }
                    }
                    Tick::GaveUpNow => tracing::warn!(
                        subject = %message.subject,
                        stream_sequence = delivery.stream_sequence,
                        "message enriched for longer than worker.stall_timeout; letting the server redeliver it, and this attempt's result will be dropped"
                    ),
                    Tick::GivenUp => {}
                },
            }
        }
        metrics.in_flight.dec();
        metrics
            .message_seconds
            .observe(started.elapsed().as_secs_f64());
        drop(permit);
    }

    async fn process_jetstream(
        &self,
        message: &InboundMessage,
        delivery: Delivery,
        attempt: &Arc<Attempt>,
    ) {
        let Some(unexplained) = self.unexplained_deliveries(message, delivery).await else {
            return;
        };
        if unexplained >= self.settings.worker.poison_after_deliveries {
            let reason = DeadLetterReason {
                kind: "poison".to_string(),
                message: format!(
                    "delivered {} times, {unexplained} of them without a result (the worker died or stalled on it); not enriching it again",
                    delivery.delivered
                ),
                deliveries: delivery.delivered,
            };
            self.dead_letter(message, Some(delivery), reason).await;
            return;
        }
        if self.settings.worker.pass_through {
            // The publisher's id (or "raw") with the subject and payload hashed in: a copy on
            // another subject is an output of its own here too.
            let article_id = message.message_id().unwrap_or("raw");
            let message_id = output_message_id(article_id, &message.subject, &message.payload);
            let output = message.payload.to_vec();
            self.publish_then_ack(message, delivery, &message_id, output)
                .await;
            return;
        }
        match self
            .enrich_message(message, delivery.delivered, Some(attempt))
            .await
        {
            Some(Ok((message_id, output))) => {
                self.publish_then_ack(message, delivery, &message_id, output)
                    .await;
            }
            Some(Err(reason)) => self.dead_letter(message, Some(delivery), reason).await,
            None => {}
        }
    }

    /// Enriches a message's payload and records its stage timings. An article gives its
    /// output's message id and the output; an undecodable payload or a panic the reason to
    /// dead-letter the message (delivered `deliveries` times); a cancelled enrichment, or one
    /// that ran past `worker.stall_timeout` in `attempt`, nothing.
    async fn enrich_message(
        &self,
        message: &InboundMessage,
        deliveries: u64,
        attempt: Option<&Arc<Attempt>>,
    ) -> Option<Result<(String, Vec<u8>), DeadLetterReason>> {
        // A redelivery is enriched alone: if its earlier delivery stalled in a batch, the
        // batch-mates must not stall with it again.
        let alone = deliveries > 1;
        match self.enrich(message.payload.clone(), attempt, alone).await {
            Enriched::Article {
                id,
                output,
                timings,
            } => {
                self.telemetry
                    .metrics
                    .record_stages(&timings.took, &timings.skipped);
                warn_of_skipped_stages(&id, &timings);
                let message_id = output_message_id(&id, &message.subject, &message.payload);
                Some(Ok((message_id, output)))
            }
            Enriched::Undecodable(error) => Some(Err(DeadLetterReason {
                kind: error.kind().to_string(),
                message: error.to_string(),
                deliveries,
            })),
            Enriched::Panicked(panic) => Some(Err(panic_reason(&panic, deliveries))),
            Enriched::Cancelled => None,
            Enriched::GivenUp => {
                tracing::warn!(
                    subject = %message.subject,
                    "enrichment ended after worker.stall_timeout; its result is dropped, the redelivered message decides"
                );
                None
            }
        }
    }

    /// Publishes `output` to the output subject, waits for the PubAck, then acks the raw
    /// message; an output the server cannot take is dead-lettered, a broker failure retried.
    async fn publish_then_ack(
        &self,
        message: &InboundMessage,
        delivery: Delivery,
        message_id: &str,
        output: Vec<u8>,
    ) {
        let subject = self.settings.subjects.output_subject(&message.subject);
        let published = self
            .connection
            .publish_stored(&subject, message_id, message.carried_headers(), output)
            .await;
        let readiness = &self.telemetry.readiness;
        match published {
            Ok(stored) => {
                readiness.set_output_stored(true);
                if let Err(error) = message.ack().await {
                    // The output is stored; the redelivery that follows is the broker's
                    // doing, and must not count towards poison (here or in another worker).
                    tracing::warn!(%error, "ack failed; the message will be redelivered and its output deduplicated");
                    let local = self.remember_broker_failure(delivery.stream_sequence);
                    self.store_excuse(delivery, local).await;
                } else {
                    self.forget(delivery.stream_sequence);
                }
                if stored == Stored::Duplicate {
                    self.telemetry.metrics.deduplicated.inc();
                    tracing::info!(%subject, %message_id, "output already stored (a redelivery, or the same bytes again on the same subject); not stored twice");
                } else {
                    self.telemetry.metrics.enriched.inc();
                    tracing::debug!(%subject, %message_id, "enriched");
                }
            }
            Err(PublishFailure::TooLarge { size, max_payload }) => {
                let reason = too_large_reason(size, max_payload, delivery.delivered);
                self.dead_letter(message, Some(delivery), reason).await;
            }
            Err(PublishFailure::Broker { cause, detail }) => {
                // Only a refusal (stream full or missing) makes the worker unready: a timeout
                // or a lost connection is transient (a broker restart, load), the connection
                // state already says so, and a late timeout of an earlier publish must not
                // leave the worker unready after every later output was stored.
                if matches!(cause, "publish_rejected" | "no_responders") {
                    readiness.set_output_stored(false);
                }
                self.retry(message, delivery, cause, &detail).await;
            }
        }
    }

    async fn handle_core(self: Arc<Self>, message: InboundMessage, permit: OwnedSemaphorePermit) {
        let started = Instant::now();
        let metrics = &self.telemetry.metrics;
        metrics.received.inc();
        metrics.in_flight.inc();
        match self.enrich_message(&message, 1, None).await {
            Some(Ok((message_id, output))) => {
                let subject = self.settings.subjects.output_subject(&message.subject);
                let published = self
                    .connection
                    .publish(
                        &subject,
                        &message_id,
                        message.carried_headers(),
                        output,
                        Guarantee::BestEffort,
                    )
                    .await;
                match published {
                    Ok(()) => {
                        metrics.enriched.inc();
                    }
                    Err(PublishFailure::TooLarge { size, max_payload }) => {
                        let reason = too_large_reason(size, max_payload, 1);
                        self.dead_letter(&message, None, reason).await;
                    }
                    Err(PublishFailure::Broker { detail, .. }) => {
                        tracing::error!(%subject, %detail, "publish failed; the article is lost (core mode is at most once)");
                    }
                }
            }
            Some(Err(reason)) => self.dead_letter(&message, None, reason).await,
            None => {}
        }
        metrics.in_flight.dec();
        metrics
            .message_seconds
            .observe(started.elapsed().as_secs_f64());
        drop(permit);
    }

    /// Decodes and enriches on the enrichment threads, in a batch with the other messages
    /// that wait for a thread (or `alone`). The stall timer of `attempt` runs from the moment
    /// its batch starts on a thread until the batch ends.
    async fn enrich(
        &self,
        payload: Bytes,
        attempt: Option<&Arc<Attempt>>,
        alone: bool,
    ) -> Enriched {
        let weight = payload.len();
        let started = attempt.cloned();
        let result = self
            .cpu
            .run(payload, weight, alone, move || {
                if let Some(attempt) = started {
                    attempt.start_enriching();
                }
            })
            .await;
        if attempt.is_some_and(|attempt| !attempt.finish_enriching()) {
            return Enriched::GivenUp;
        }
        match result {
            Ok(Ok(enriched)) => Enriched::Article {
                id: enriched.article_id,
                output: enriched.output,
                timings: enriched.timings,
            },
            Ok(Err(error)) => Enriched::Undecodable(error),
            Err(JobFailure::Panicked(text)) => Enriched::Panicked(text),
            Err(JobFailure::Stopped) => Enriched::Cancelled,
        }
    }

    /// Publishes the dead letter and terms the message; a failed publish is retried instead.
    async fn dead_letter(
        &self,
        message: &InboundMessage,
        delivery: Option<Delivery>,
        reason: DeadLetterReason,
    ) {
        let subject = self.settings.subjects.dead_letter_subject(&message.subject);
        // Subject and payload: the same bad bytes on two subjects are two dead letters.
        let hash = subject_payload_hash(&message.subject, &message.payload);
        let (message_id, guarantee) = match delivery {
            // The stream sequence makes the id unique per raw message and stable across its
            // redeliveries, so a crash between the dead letter and the term stores it once.
            Some(delivery) => (
                format!("dlq:{}:{hash}", delivery.stream_sequence),
                Guarantee::Stored,
            ),
            None => (format!("dlq:{hash}"), Guarantee::BestEffort),
        };
        let published = self
            .connection
            .publish_dead_letter(message, &subject, &reason, &message_id, guarantee)
            .await;
        match (published, delivery) {
            (Ok(()), delivery) => {
                if delivery.is_some() {
                    if let Err(error) = message.term().await {
                        tracing::warn!(%error, "term failed; the message will be redelivered and its dead letter deduplicated");
                    }
                }
                if let Some(delivery) = delivery {
                    self.forget(delivery.stream_sequence);
                }
                self.telemetry.metrics.record_dead_letter(&reason.kind);
                tracing::warn!(
                    kind = %reason.kind,
                    reason = %reason.message,
                    from = %message.subject,
                    to = %subject,
                    "dead-lettered"
                );
            }
            (Err(failure), Some(delivery)) => {
                let cause = match &failure {
                    PublishFailure::Broker { cause, .. } => *cause,
                    PublishFailure::TooLarge { .. } => "dead_letter_too_large",
                };
                self.retry(message, delivery, cause, &failure.to_string())
                    .await;
            }
            (Err(failure), None) => {
                tracing::error!(%failure, kind = %reason.kind, "cannot publish the dead letter; the message is lost (core mode is at most once)");
            }
        }
    }

    /// How many of the message's deliveries, this one included, are not explained by a
    /// broker-side failure: the local count of such failures, else (when that alone would
    /// make the message poison) the count every worker stored in the excuse bucket. `None`
    /// when the bucket cannot be read: the message was handed back (a broker-side failure).
    async fn unexplained_deliveries(
        &self,
        message: &InboundMessage,
        delivery: Delivery,
    ) -> Option<u64> {
        let local = self.broker_failures_of(delivery.stream_sequence);
        let unexplained = delivery.delivered.saturating_sub(local);
        if unexplained < self.settings.worker.poison_after_deliveries
            || !self.shared_excuses.load(Ordering::Relaxed)
        {
            return Some(unexplained);
        }
        match self
            .connection
            .stored_excuses(&self.excuse_key(delivery))
            .await
        {
            Ok(stored) => Some(delivery.delivered.saturating_sub(local.max(stored))),
            Err(error) => {
                self.retry(message, delivery, "excuses_unreadable", &error.to_string())
                    .await;
                None
            }
        }
    }

    fn excuse_key(&self, delivery: Delivery) -> ExcuseKey {
        ExcuseKey::new(
            &self.settings.streams.articles.name,
            &self.settings.consumer.durable,
            delivery.stream_sequence,
        )
    }

    /// Stores one more broker-side failure of the message where every worker sees it: the
    /// stored count plus one, or this worker's own count when that is higher. When the
    /// broker cannot take it either, only this worker remembers it.
    async fn store_excuse(&self, delivery: Delivery, local: u64) {
        if !self.shared_excuses.load(Ordering::Relaxed) {
            return;
        }
        let key = self.excuse_key(delivery);
        let stored = match self.connection.stored_excuses(&key).await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::debug!(%error, "cannot read the stored broker-side failures");
                return;
            }
        };
        if let Err(error) = self
            .connection
            .store_excuses(&key, (stored + 1).max(local))
            .await
        {
            tracing::debug!(%error, "cannot store the broker-side failure");
        }
    }

    /// Hands the message back for redelivery after a broker-side failure.
    async fn retry(&self, message: &InboundMessage, delivery: Delivery, cause: &str, detail: &str) {
        let local = self.remember_broker_failure(delivery.stream_sequence);
        self.store_excuse(delivery, local).await;
        self.telemetry.metrics.record_retry(cause);
        let delay = retry_delay(
            delivery.delivered,
            self.settings.worker.retry_backoff_base,
            self.settings.worker.retry_backoff_max,
        );
        tracing::warn!(
            cause,
            %detail,
            subject = %message.subject,
            delivered = delivery.delivered,
            ?delay,
            "broker-side failure; the message will be redelivered"
        );
        if let Err(error) = message.nak(delay).await {
            tracing::debug!(%error, "nak failed; the server redelivers after ack_wait anyway");
        }
    }

    fn broker_failures_of(&self, stream_sequence: u64) -> u64 {
        let failures = self.broker_failures.lock().expect("never poisoned");
        failures.get(&stream_sequence).copied().unwrap_or(0)
    }

    /// Counts one more broker-side failure of a message; gives the count.
    fn remember_broker_failure(&self, stream_sequence: u64) -> u64 {
        let mut failures = self.broker_failures.lock().expect("never poisoned");
        if failures.len() >= BROKER_FAILURE_MEMORY && !failures.contains_key(&stream_sequence) {
            failures.clear();
        }
        let count = failures.entry(stream_sequence).or_insert(0);
        *count += 1;
        *count
    }

    fn forget(&self, stream_sequence: u64) {
        let mut failures = self.broker_failures.lock().expect("never poisoned");
        failures.remove(&stream_sequence);
    }
}

fn panic_reason(panic: &str, deliveries: u64) -> DeadLetterReason {
    DeadLetterReason {
        kind: "panic".to_string(),
        message: format!("enrichment panicked: {panic}; this is a bug in article-enricher, please report it with this payload"),
        deliveries,
    }
}

fn too_large_reason(size: usize, max_payload: usize, deliveries: u64) -> DeadLetterReason {
    DeadLetterReason {
        kind: "output_too_large".to_string(),
        message: format!("the enriched article is {size} bytes, more than the server's max_payload of {max_payload}; raise max_payload on the server or send a shorter article"),
        deliveries,
    }
}

/// The `Nats-Msg-Id` of an output: `<article id>:<hash of the raw subject and payload>`, so a
/// redelivery is stored once while the same bytes on another subject (a syndicated copy) are
/// an output of their own. An id that is not plain printable ASCII (header values cannot
/// carry line breaks) or is very long is replaced by its own hash, so the header stays valid
/// and the id stays stable.
pub fn output_message_id(article_id: &str, subject: &str, raw_payload: &[u8]) -> String {
    let id_is_header_safe = !article_id.is_empty()
        && article_id.len() <= 200
        && article_id.bytes().all(|byte| byte.is_ascii_graphic());
    let id = if id_is_header_safe {
        article_id.to_string()
    } else {
        format!("id-{}", short_hash(article_id.as_bytes()))
    };
    format!("{id}:{}", subject_payload_hash(subject, raw_payload))
}

/// A short hash of a raw message's subject and payload. A subject holds no NUL byte, so
/// subject and payload cannot be shifted into each other.
fn subject_payload_hash(subject: &str, payload: &[u8]) -> String {
    short_hash_of_parts(&[subject.as_bytes(), b"\0", payload])
}

/// The nak delay after a broker-side failure on the `delivered`-th delivery:
/// `base * 2^(delivered - 1)`, at most `max`.
pub fn retry_delay(delivered: u64, base: Duration, max: Duration) -> Duration {
    let exponent = delivered.saturating_sub(1).min(20) as u32;
    base.saturating_mul(2u32.saturating_pow(exponent)).min(max)
}

/// Pause before retrying something that failed `failures` times in a row: 0.5 s doubling to 5 s.
fn pause_after_failures(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(4);
    (Duration::from_millis(500) * 2u32.pow(exponent)).min(Duration::from_secs(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_up_to_the_maximum() {
        let base = Duration::from_secs(1);
        let max = Duration::from_secs(60);
        let delays: Vec<u64> = (1..=8)
            .map(|delivered| retry_delay(delivered, base, max).as_secs())
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(retry_delay(1000, base, max), max);
    }

    #[test]
    fn message_ids_combine_article_id_subject_and_payload_hash() {
        let id = output_message_id("okafor-visit", "articles.raw.a", b"{}");
        assert_eq!(
            id,
            format!("okafor-visit:{}", short_hash(b"articles.raw.a\0{}"))
        );
        assert_ne!(
            id,
            output_message_id("okafor-visit", "articles.raw.a", b"{ }")
        );
        assert_ne!(
            id,
            output_message_id("okafor-visit", "articles.raw.b", b"{}")
        );
        let unsafe_id = output_message_id("line\r\nbreak", "articles.raw.a", b"{}");
        assert!(unsafe_id.starts_with("id-"), "{unsafe_id}");
        assert!(unsafe_id.bytes().all(|byte| byte.is_ascii_graphic()));
    }
}
