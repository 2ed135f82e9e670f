//! Logs, metrics and health endpoints of the worker.
//!
//! [`build_subscriber`] makes the tracing subscriber (human-readable or JSON lines, filtered
//! by `log.filter` or `RUST_LOG`), generic over the writer so tests can capture or silence
//! it; [`init_tracing`] installs it for the process. [`Metrics`] holds the Prometheus
//! counters, gauge and histograms; [`Readiness`] is the state that the worker updates and
//! `/readyz` reports; [`crate::http`] serves them. Nothing here knows about NATS or about
//! articles: the worker and the HTTP API record, this module keeps and encodes.
//!
//! Every log line passes through [`redact_url_user_info`] on its way out, so a URL with
//! credentials in it (`nats://user:password@host`) is never printed whole, whoever logs it
//! (our code, a dependency's debug output, an error echoing a setting). The settings already
//! take credentials out of `nats.url`; this is the net under that.

use crate::config::{LogFormat, LogSettings};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// A tracing subscriber writing to `writer` in the configured format, with colours when
/// `ansi`. `RUST_LOG`, when set, replaces `log.filter`; an invalid filter falls back to `info`.
pub fn build_subscriber<W>(
    settings: &LogSettings,
    writer: W,
    ansi: bool,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|filter| !filter.trim().is_empty())
        .unwrap_or_else(|| settings.filter.clone());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(RedactUrls(writer));
    match settings.format {
        LogFormat::Json => Box::new(builder.json().flatten_event(true).finish()),
        LogFormat::Pretty => Box::new(builder.finish()),
    }
}

/// A [`MakeWriter`] whose writers pass each log line through [`redact_url_user_info`].
/// The formatter hands a whole event to one `write` call, so a URL is never split.
struct RedactUrls<M>(M);

impl<'writer, M: MakeWriter<'writer>> MakeWriter<'writer> for RedactUrls<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'writer self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }

    fn make_writer_for(&'writer self, meta: &tracing::Metadata<'_>) -> Self::Writer {
        RedactingWriter(self.0.make_writer_for(meta))
    }
}

struct RedactingWriter<W>(W);

impl<W: std::io::Write> std::io::Write for RedactingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(&redact_url_user_info(bytes))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// `nats://user:password@host` -> `nats://[redacted]@host`, for every URL in `text` (any
/// scheme); text without a URL holding user info comes back as it is, without copying.
pub fn redact_url_user_info(text: &[u8]) -> Cow<'_, [u8]> {
    static USER_INFO: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r#"([A-Za-z][A-Za-z0-9+.\-]*://)[^\s/@,"'<>]+@"#)
            .expect("the user-info pattern is valid")
    });
    if !text.windows(3).any(|window| window == b"://") {
        return Cow::Borrowed(text);
    }
    USER_INFO.replace_all(text, &b"${1}[redacted]@"[..])
}

/// Installs the subscriber for the whole process, writing to stderr (stdout stays free for
/// the `enrich` command's output).
pub fn init_tracing(settings: &LogSettings) {
    use std::io::IsTerminal;
    let subscriber = build_subscriber(settings, std::io::stderr, std::io::stderr().is_terminal());
    // A second installation (tests calling run twice) keeps the first one; that is fine.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Label of the dead-letter counter: the error kind (`invalid_json`, `poison`, ...).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

/// Label of the retry counter: the broker-side cause.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CauseLabel {
    pub cause: String,
}

/// Labels of the HTTP request counter: the route and the status code answered.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabel {
    pub route: String,
    pub status: String,
}

/// Label of the per-stage histogram (the NLP core's stage names).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StageLabel {
    pub stage: String,
}

fn duration_histogram() -> Histogram {
    // 50 µs .. ~3.5 min: a stage on a short article up to a message redelivered after a
    // stall or waiting out a broker outage.
    Histogram::new(exponential_buckets(0.00005, 2.0, 23))
}

/// The worker's Prometheus metrics.
pub struct Metrics {
    registry: Registry,
    pub received: Counter,
    pub enriched: Counter,
    pub deduplicated: Counter,
    pub dead_lettered: Family<ReasonLabel, Counter>,
    pub retried: Family<CauseLabel, Counter>,
    pub in_flight: Gauge,
    pub stage_seconds: Family<StageLabel, Histogram>,
    pub stages_skipped: Family<StageLabel, Counter>,
    pub message_seconds: Histogram,
    pub batch_articles: Histogram,
    pub http_requests: Family<RequestLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        /// Makes the metrics, each registered (in this order) under its name and help.
        macro_rules! registered {
            ($($field:ident: $metric:expr, $name:literal, $help:literal;)*) => {{
                let mut registry = Registry::with_prefix("enricher");
                let metrics = Metrics {
                    registry: Registry::default(),
                    $($field: $metric,)*
                };
                $(registry.register($name, $help, metrics.$field.clone());)*
                Metrics { registry, ..metrics }
            }};
        }
        registered! {
            received: Counter::default(), "messages_received",
                "Raw messages received from NATS (redeliveries included)";
            enriched: Counter::default(), "messages_enriched",
                "Messages enriched and stored (JetStream) or published (core)";
            deduplicated: Counter::default(), "messages_deduplicated",
                "Messages whose output the stream already held (a redelivery, or the same bytes again on the same subject)";
            dead_lettered: Family::default(), "messages_dead_lettered",
                "Messages sent to the dead-letter subject, by reason";
            retried: Family::default(), "messages_retried",
                "Messages handed back for redelivery after a broker-side failure, by cause";
            in_flight: Gauge::default(), "messages_in_flight",
                "Messages received and not yet acked";
            stage_seconds: Family::new_with_constructor(duration_histogram),
                "stage_duration_seconds", "Enrichment time per pipeline stage";
            stages_skipped: Family::default(), "stages_skipped",
                "Pipeline stages left out because an article's time budget ran out";
            message_seconds: duration_histogram(), "message_duration_seconds",
                "Time from receiving a message to acking it";
            batch_articles: Histogram::new(exponential_buckets(1.0, 2.0, 8)),
                "enrichment_batch_articles", "Messages enriched together in one batch by one thread";
            http_requests: Family::default(), "http_requests",
                "Requests to the HTTP API (POST /v1/enrich), by route and status code";
        }
    }

    /// Makes every labelled series the worker can report, at zero, so that each metric
    /// family is in `/metrics` from the start (a dashboard or an alert on a rate needs the
    /// series before its first event). The caller names the labels: this module knows
    /// nothing of stages, error kinds or broker causes.
    pub fn declare_labels(&self, stages: &[&str], reasons: &[&str], causes: &[&str]) {
        for stage in stages {
            let label = StageLabel {
                stage: stage.to_string(),
            };
            drop(self.stage_seconds.get_or_create(&label));
            drop(self.stages_skipped.get_or_create(&label));
        }
        for reason in reasons {
            drop(self.dead_lettered.get_or_create(&ReasonLabel {
                reason: reason.to_string(),
            }));
        }
        for cause in causes {
            drop(self.retried.get_or_create(&CauseLabel {
                cause: cause.to_string(),
            }));
        }
    }

    pub fn record_dead_letter(&self, reason: &str) {
        self.dead_lettered
            .get_or_create(&ReasonLabel {
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn record_retry(&self, cause: &str) {
        self.retried
            .get_or_create(&CauseLabel {
                cause: cause.to_string(),
            })
            .inc();
    }

    pub fn record_request(&self, route: &str, status: u16) {
        self.http_requests
            .get_or_create(&RequestLabel {
                route: route.to_string(),
                status: status.to_string(),
            })
            .inc();
    }

    /// Records how long each stage took on one article, and which it skipped.
    pub fn record_stages(&self, took: &[(&str, Duration)], skipped: &[&str]) {
        for (stage, took) in took {
            self.stage_seconds
                .get_or_create(&StageLabel {
                    stage: stage.to_string(),
                })
                .observe(took.as_secs_f64());
        }
        for stage in skipped {
            self.stages_skipped
                .get_or_create(&StageLabel {
                    stage: stage.to_string(),
                })
                .inc();
        }
    }

    /// The metrics in the text exposition format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

/// What `/readyz` reports: the worker sets it, the endpoint reads it.
#[derive(Debug, Default)]
pub struct Readiness {
    connected: AtomicBool,
    streams_reachable: AtomicBool,
    /// Set when the last attempt to store an output was refused by the broker (the output
    /// stream is full or missing); cleared by the next success. Timeouts do not set it.
    output_refused: AtomicBool,
    /// Set by `serve`, which runs without a broker: ready as soon as it answers.
    broker_less: AtomicBool,
}

impl Readiness {
    /// Marks a process that runs without a broker (`serve`): always ready.
    pub fn set_broker_less(&self) {
        self.broker_less.store(true, Ordering::Relaxed);
    }

    pub fn set_connected(&self, connected: bool) {
        self.connected.store(connected, Ordering::Relaxed);
    }

    pub fn set_streams_reachable(&self, reachable: bool) {
        self.streams_reachable.store(reachable, Ordering::Relaxed);
    }

    /// Records whether the last output was stored (`true`) or refused by the broker.
    pub fn set_output_stored(&self, stored: bool) {
        self.output_refused.store(!stored, Ordering::Relaxed);
    }

    /// `Ok` when ready, else what is missing.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.broker_less.load(Ordering::Relaxed) {
            return Ok(());
        }
        if !self.connected.load(Ordering::Relaxed) {
            return Err("not connected to NATS");
        }
        if !self.streams_reachable.load(Ordering::Relaxed) {
            return Err("streams or subscription not ready");
        }
        if self.output_refused.load(Ordering::Relaxed) {
            return Err(
                "the output stream refuses writes (full or missing); messages wait for redelivery",
            );
        }
        Ok(())
    }
}

/// Metrics and readiness, shared by the worker and the HTTP endpoint.
#[derive(Clone, Default)]
pub struct Telemetry {
    pub metrics: Arc<Metrics>,
    pub readiness: Arc<Readiness>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_exposed_with_their_labels() {
        let metrics = Metrics::new();
        metrics.received.inc();
        metrics.record_dead_letter("invalid_json");
        metrics.record_retry("publish_timeout");
        metrics.record_stages(&[("entities", Duration::from_millis(3))], &["quotes"]);
        let text = metrics.encode();
        for expected in [
            "enricher_messages_received_total 1",
            "enricher_messages_dead_lettered_total{reason=\"invalid_json\"} 1",
            "enricher_messages_retried_total{cause=\"publish_timeout\"} 1",
            "enricher_stage_duration_seconds_count{stage=\"entities\"} 1",
            "enricher_stages_skipped_total{stage=\"quotes\"} 1",
            "enricher_messages_in_flight 0",
        ] {
            assert!(text.contains(expected), "missing {expected} in\n{text}");
        }
    }

    #[test]
    fn declared_labels_are_exposed_before_any_event() {
        let metrics = Metrics::new();
        metrics.declare_labels(&["entities"], &["poison"], &["publish_timeout"]);
        let text = metrics.encode();
        for expected in [
            "enricher_messages_dead_lettered_total{reason=\"poison\"} 0",
            "enricher_messages_retried_total{cause=\"publish_timeout\"} 0",
            "enricher_stage_duration_seconds_count{stage=\"entities\"} 0",
            "enricher_stages_skipped_total{stage=\"entities\"} 0",
            "enricher_message_duration_seconds_bucket{le=\"209.7152\"} 0",
        ] {
            assert!(text.contains(expected), "missing {expected} in\n{text}");
        }
    }

    #[test]
    fn readiness_needs_connection_and_streams() {
        let readiness = Readiness::default();
        assert!(readiness.check().is_err());
        readiness.set_connected(true);
        assert_eq!(readiness.check(), Err("streams or subscription not ready"));
        readiness.set_streams_reachable(true);
        assert_eq!(readiness.check(), Ok(()));
        readiness.set_output_stored(false);
        assert!(readiness.check().unwrap_err().contains("refuses writes"));
        readiness.set_output_stored(true);
        assert_eq!(readiness.check(), Ok(()));
        readiness.set_connected(false);
        assert_eq!(readiness.check(), Err("not connected to NATS"));
    }

    #[test]
    fn user_info_in_urls_is_redacted_and_nothing_else() {
        let redact =
            |text: &str| String::from_utf8(redact_url_user_info(text.as_bytes()).to_vec()).unwrap();
        assert_eq!(
            redact("url=nats://u:pw@a:4222,tls://t0k@b:4443 next"),
            "url=nats://[redacted]@a:4222,tls://[redacted]@b:4443 next"
        );
        assert_eq!(
            redact(r#"{"url":"nats://u:p%40ss@h"}"#),
            r#"{"url":"nats://[redacted]@h"}"#
        );
        for untouched in ["url=nats://a:4222", "mail me@example.org", "no url at all"] {
            assert!(matches!(
                redact_url_user_info(untouched.as_bytes()),
                Cow::Borrowed(_)
            ));
        }
    }

    #[test]
    fn json_logs_are_one_object_per_line() {
        #[derive(Clone, Default)]
        struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let captured = Captured::default();
        let writer = captured.clone();
        let settings = LogSettings {
            format: LogFormat::Json,
            filter: "info".to_string(),
        };
        let subscriber = build_subscriber(&settings, move || writer.clone(), false);
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(subject = "articles.raw.x", "enriched");
        });
        let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line: serde_json::Value = serde_json::from_str(output.trim()).unwrap();
        assert_eq!(line["message"], "enriched");
        assert_eq!(line["subject"], "articles.raw.x");
    }
}
