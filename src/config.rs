//! Typed settings of the `run` command, loaded in layers.
//!
//! Later layers override earlier ones, key by key:
//! 1. built-in defaults (the same values as `config/default.toml`, so the binary runs
//!    anywhere, even without the file);
//! 2. `config/default.toml`, relative to the current directory, when present;
//! 3. `config/<ENRICHER_ENV>.toml`, when `ENRICHER_ENV` is set (the file must then exist);
//! 4. the file named by `--config PATH` (must exist);
//! 5. `NATS_URL`, which sets `nats.url`;
//! 6. `ENRICHER__SECTION__KEY` environment variables, `__` separating the levels
//!    (`ENRICHER__HTTP__PORT=9000`, `ENRICHER__STREAMS__ARTICLES__MAX_AGE=1d`).
//!
//! Durations are written as a number with a unit (`500ms`, `30s`, `2m`, `1h`, `7d`) or as a
//! plain number of seconds (`30`, `0.5`). Secrets (passwords, tokens, nkey seeds) are held in
//! [`Secret`], whose `Debug` and `Display` print `[redacted]`.
//!
//! This module only reads and checks settings; it connects to nothing.

use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "ENRICHER";
/// The environment variable that names an extra settings file `config/<name>.toml`.
pub const ENV_NAME_VARIABLE: &str = "ENRICHER_ENV";
/// The conventional NATS environment variable; it overrides `nats.url`.
pub const NATS_URL_VARIABLE: &str = "NATS_URL";

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read settings: {0}")]
    Load(#[from] config::ConfigError),
    #[error("settings file {0} does not exist; create it or fix the path")]
    MissingFile(PathBuf),
    #[error("invalid settings: {0}")]
    Invalid(String),
}

/// A value that must never be logged: `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that hands it to the NATS client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// All settings of the worker.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `jetstream` (at least once in, exactly once out) or `core` (at most once).
    pub mode: Mode,
    pub nats: NatsSettings,
    pub subjects: SubjectSettings,
    pub streams: StreamsSettings,
    pub consumer: ConsumerSettings,
    pub worker: WorkerSettings,
    pub http: HttpSettings,
    pub log: LogSettings,
}

/// How the worker talks to NATS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Durable pull consumer on a stream, explicit acks, deduplicated output.
    #[default]
    JetStream,
    /// Queue-group subscription on plain NATS, no acks: a message in flight when the worker
    /// dies is lost.
    Core,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NatsSettings {
    /// One server URL or several separated by commas.
    pub url: String,
    /// The connection name shown by the server's monitoring.
    pub name: String,
    #[serde(deserialize_with = "duration_from_text")]
    pub connect_timeout: Duration,
    /// How long JetStream API requests and publish acknowledgements may take.
    #[serde(deserialize_with = "duration_from_text")]
    pub request_timeout: Duration,
    #[serde(deserialize_with = "duration_from_text")]
    pub ping_interval: Duration,
    /// The longest wait between two reconnection attempts (they back off up to it).
    #[serde(deserialize_with = "duration_from_text")]
    pub reconnect_delay_max: Duration,
    pub auth: AuthSettings,
    pub tls: TlsSettings,
}

impl Default for NatsSettings {
    fn default() -> Self {
        NatsSettings {
            url: "nats://127.0.0.1:4222".to_string(),
            name: "article-enricher".to_string(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(10),
            reconnect_delay_max: Duration::from_secs(5),
            auth: AuthSettings::default(),
            tls: TlsSettings::default(),
        }
    }
}

impl NatsSettings {
    /// Moves credentials written inside `url` (`nats://user:password@host`,
    /// `nats://token@host`, percent-encoded where needed) into `auth`, leaving `url` without
    /// them: the client only uses credentials from its options, and a URL is printed in
    /// logs and errors while [`Secret`]s never are. Every server of the list that carries
    /// credentials must carry the same ones (one connection has one identity); servers
    /// without any use them too. Credentials in both the URL and `nats.auth` are refused
    /// unless they are the same. A URL without credentials is left as it is.
    pub fn take_url_credentials(&mut self) -> Result<(), ConfigError> {
        let mut found: Option<AuthSettings> = None;
        let mut servers = Vec::new();
        for part in self.url.split(',').map(str::trim) {
            let (server, credentials) = split_user_info(part);
            servers.push(server);
            match (credentials, &found) {
                (Some(credentials), Some(earlier)) if credentials != *earlier => {
                    return Err(ConfigError::Invalid(
                        "the servers in nats.url (or NATS_URL) carry different credentials; \
                         write the same user:password@ or token@ in each, or set them once in nats.auth"
                            .to_string(),
                    ));
                }
                (Some(credentials), _) => found = Some(credentials),
                (None, _) => {}
            }
        }
        let Some(from_url) = found else {
            return Ok(());
        };
        if self.auth != AuthSettings::default() && self.auth != from_url {
            return Err(ConfigError::Invalid(
                "nats.url (or NATS_URL) carries credentials and nats.auth sets others; \
                 keep them in one place"
                    .to_string(),
            ));
        }
        self.url = servers
            .into_iter()
            .filter(|server| !server.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        self.auth = from_url;
        Ok(())
    }
}

/// Splits one server URL into the URL without its user info and the credentials the user
/// info held: `user:password` or a token. The user info ends at the last `@`, so a password
/// may even hold an unencoded `@`.
fn split_user_info(server: &str) -> (String, Option<AuthSettings>) {
    let (scheme, rest) = match server.find("://") {
        Some(at) => server.split_at(at + 3),
        None => ("", server),
    };
    let Some(at) = rest.rfind('@') else {
        return (server.to_string(), None);
    };
    let (user_info, host) = (&rest[..at], &rest[at + 1..]);
    let without = format!("{scheme}{host}");
    if user_info.is_empty() {
        return (without, None);
    }
    let credentials = match user_info.split_once(':') {
        Some((user, password)) => AuthSettings {
            user: Some(percent_decode(user)),
            password: Some(Secret::new(percent_decode(password))),
            ..AuthSettings::default()
        },
        None => AuthSettings {
            token: Some(Secret::new(percent_decode(user_info))),
            ..AuthSettings::default()
        },
    };
    (without, Some(credentials))
}

/// Decodes `%XX` escapes; anything else, a malformed escape included, stays as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// At most one way of authenticating; all absent means no authentication.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub token: Option<Secret>,
    /// A `.creds` file (JWT and nkey seed), as issued by `nsc`.
    pub creds_file: Option<PathBuf>,
    /// An nkey seed (`SU...`).
    pub nkey_seed: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsSettings {
    /// Refuse to talk to a server that does not offer TLS.
    pub required: bool,
    /// PEM file of the certificate authorities that sign the server's certificate.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate and key, for servers that verify clients.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubjectSettings {
    /// What the worker consumes. Its tokens before the first wildcard are the input prefix.
    pub input: String,
    /// Replaces the input prefix in the output subject.
    pub output_prefix: String,
    /// Replaces the input prefix in the dead-letter subject.
    pub dlq_prefix: String,
}

impl Default for SubjectSettings {
    fn default() -> Self {
        SubjectSettings {
            input: "articles.raw.>".to_string(),
            output_prefix: "articles.enriched".to_string(),
            dlq_prefix: "articles.dlq".to_string(),
        }
    }
}

impl SubjectSettings {
    /// The literal tokens of `input` before its first wildcard (`articles.raw`).
    pub fn input_prefix(&self) -> String {
        self.input
            .split('.')
            .take_while(|token| *token != "*" && *token != ">")
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The output subject of a raw message received on `subject`.
    pub fn output_subject(&self, subject: &str) -> String {
        rewrite_prefix(subject, &self.input_prefix(), &self.output_prefix)
    }

    /// The dead-letter subject of a raw message received on `subject`.
    pub fn dead_letter_subject(&self, subject: &str) -> String {
        rewrite_prefix(subject, &self.input_prefix(), &self.dlq_prefix)
    }
}

/// `articles.raw.tass` -> `articles.enriched.tass`. A subject outside the input prefix keeps
/// all its tokens under the new prefix, so nothing is ever published back to the input.
fn rewrite_prefix(subject: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        return format!("{to}.{subject}");
    }
    match subject.strip_prefix(from) {
        Some("") => to.to_string(),
        Some(rest) if rest.starts_with('.') => format!("{to}{rest}"),
        _ => format!("{to}.{subject}"),
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreamsSettings {
    /// Create the three streams when they are absent. Existing streams are never changed.
    pub create: bool,
    pub articles: StreamSettings,
    pub enriched: StreamSettings,
    pub dlq: StreamSettings,
}

impl Default for StreamsSettings {
    fn default() -> Self {
        StreamsSettings {
            create: true,
            articles: StreamSettings::new("ARTICLES", "articles.raw.>", 7, 2 * 60),
            enriched: StreamSettings::new("ENRICHED", "articles.enriched.>", 7, 10 * 60),
            dlq: StreamSettings::new("DLQ", "articles.dlq.>", 30, 10 * 60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreamSettings {
    pub name: String,
    pub subjects: Vec<String>,
    /// How long messages are kept; 0 keeps them until `max_bytes` is reached.
    #[serde(deserialize_with = "duration_from_text")]
    pub max_age: Duration,
    /// Size limit in bytes, oldest messages dropped first; -1 is unlimited.
    pub max_bytes: i64,
    pub replicas: usize,
    pub storage: Storage,
    /// Publishes with the same `Nats-Msg-Id` within this window are stored once.
    #[serde(deserialize_with = "duration_from_text")]
    pub duplicate_window: Duration,
}

impl StreamSettings {
    fn new(name: &str, subject: &str, max_age_days: u64, duplicate_seconds: u64) -> Self {
        StreamSettings {
            name: name.to_string(),
            subjects: vec![subject.to_string()],
            max_age: Duration::from_secs(max_age_days * 24 * 3600),
            max_bytes: -1,
            replicas: 1,
            storage: Storage::File,
            duplicate_window: Duration::from_secs(duplicate_seconds),
        }
    }
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings::new("ARTICLES", "articles.raw.>", 7, 2 * 60)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    #[default]
    File,
    Memory,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerSettings {
    /// The durable pull consumer shared by every worker instance.
    pub durable: String,
    /// How long the server waits for an ack before redelivering.
    #[serde(deserialize_with = "duration_from_text")]
    pub ack_wait: Duration,
    /// Deliveries before the server gives up on a message; -1 is unlimited.
    pub max_deliver: i64,
    /// Messages delivered and not yet acked, across all instances.
    pub max_ack_pending: i64,
    /// Messages asked for by one pull request.
    pub batch: usize,
    /// How long one pull request waits for messages.
    #[serde(deserialize_with = "duration_from_text")]
    pub fetch_expires: Duration,
    /// Heartbeat of a waiting pull; a pull silent for twice as long is replaced. 0 disables.
    #[serde(deserialize_with = "duration_from_text")]
    pub idle_heartbeat: Duration,
}

impl Default for ConsumerSettings {
    fn default() -> Self {
        ConsumerSettings {
            durable: "enricher".to_string(),
            ack_wait: Duration::from_secs(30),
            max_deliver: -1,
            max_ack_pending: 1000,
            batch: 32,
            fetch_expires: Duration::from_secs(5),
            idle_heartbeat: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerSettings {
    /// Messages one worker holds at once (received, not yet acked).
    pub in_flight: usize,
    /// Articles enriched at once; 0 means one per CPU core.
    pub enrich_threads: usize,
    /// Messages one enrichment thread takes at once, of those waiting for a thread: the
    /// NLP core analyses them stage by stage, which is faster than one by one. It never
    /// waits for a batch to fill; 1 enriches one message at a time.
    pub batch_articles: usize,
    /// A message delivered this many times without a broker-side failure to explain the
    /// earlier deliveries is dead-lettered as poison instead of being enriched again.
    pub poison_after_deliveries: u64,
    /// Delay of the first retry after a broker-side failure; it doubles per delivery.
    #[serde(deserialize_with = "duration_from_text")]
    pub retry_backoff_base: Duration,
    #[serde(deserialize_with = "duration_from_text")]
    pub retry_backoff_max: Duration,
    /// How long a message may be worked on while the worker keeps extending its ack
    /// deadline; after that the server redelivers it, which counts towards poison.
    #[serde(deserialize_with = "duration_from_text")]
    pub stall_timeout: Duration,
    /// Deadline for finishing in-flight messages after SIGTERM or SIGINT.
    #[serde(deserialize_with = "duration_from_text")]
    pub shutdown_timeout: Duration,
    /// Queue group of the core NATS subscription.
    pub queue_group: String,
    /// Larger raw messages are dead-lettered (`input_too_large`) without being decoded.
    pub max_input_bytes: usize,
    /// Time one article may take: past it the stages not yet started are skipped, with a
    /// warning in the output.
    #[serde(deserialize_with = "duration_from_text")]
    pub time_budget: Duration,
    /// Load measurements only, set by `run --pass-through` and never by a settings file:
    /// JetStream messages are republished unchanged instead of enriched (the broker's ceiling).
    #[serde(skip)]
    pub pass_through: bool,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            in_flight: 64,
            enrich_threads: 0,
            batch_articles: crate::contract::BATCH_ARTICLES,
            poison_after_deliveries: 5,
            retry_backoff_base: Duration::from_secs(1),
            retry_backoff_max: Duration::from_secs(60),
            stall_timeout: Duration::from_secs(300),
            shutdown_timeout: Duration::from_secs(25),
            queue_group: "enricher".to_string(),
            max_input_bytes: 1024 * 1024,
            time_budget: Duration::from_secs(2),
            pass_through: false,
        }
    }
}

impl WorkerSettings {
    /// `enrich_threads`, with 0 resolved to the number of CPU cores.
    pub fn enrich_thread_count(&self) -> usize {
        if self.enrich_threads > 0 {
            return self.enrich_threads;
        }
        std::thread::available_parallelism().map_or(1, |cores| cores.get())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    pub bind: String,
    /// Port of `/healthz`, `/readyz`, `/metrics`, `POST /v1/enrich` and the review page;
    /// 0 turns the HTTP server off.
    pub port: u16,
    /// When set, `POST /v1/enrich` needs `Authorization: Bearer <token>`.
    pub token: Option<Secret>,
    /// Requests to `POST /v1/enrich` being answered at once; one more is refused with 503.
    pub max_in_flight: usize,
    /// Threads enriching the API's articles; 0 = one under `run` (the stream keeps
    /// `worker.enrich_threads`), `worker.enrich_threads` under `serve`.
    pub enrich_threads: usize,
    /// Largest JSONL batch body in bytes (each line is still held to
    /// `worker.max_input_bytes`); one article's body is held to `worker.max_input_bytes`.
    pub max_batch_bytes: usize,
    /// Time a client has to send the body of a `POST /v1/enrich` (408 after it), so slow
    /// uploads cannot hold the in-flight slots.
    #[serde(deserialize_with = "duration_from_text")]
    pub body_timeout: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            bind: "127.0.0.1".to_string(),
            port: 8080,
            token: None,
            max_in_flight: 16,
            enrich_threads: 0,
            max_batch_bytes: 16 * 1024 * 1024,
            body_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter (`info`, `article_enricher=debug,async_nats=warn`); `RUST_LOG`, when
    /// set, takes precedence.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Pretty,
            filter: "info,async_nats=warn".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// Where the layers come from; [`Settings::load`] uses the process's own.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The folder holding `default.toml` and `<ENRICHER_ENV>.toml`.
    pub config_dir: PathBuf,
    /// The file given with `--config`.
    pub config_file: Option<PathBuf>,
    /// The environment variables to read.
    pub environment: HashMap<String, String>,
}

impl Settings {
    /// Loads settings from `./config`, `--config` and the process environment.
    pub fn load(config_file: Option<&Path>) -> Result<Settings, ConfigError> {
        Settings::load_from(Sources {
            config_dir: PathBuf::from("config"),
            config_file: config_file.map(Path::to_path_buf),
            environment: std::env::vars().collect(),
        })
    }

    /// Loads settings from explicit sources (tests pass their own environment).
    pub fn load_from(sources: Sources) -> Result<Settings, ConfigError> {
        let mut builder = config::Config::builder();
        let default_file = sources.config_dir.join("default.toml");
        if default_file.is_file() {
            builder = builder.add_source(config::File::from(default_file));
        }
        let environment_name = sources
            .environment
            .get(ENV_NAME_VARIABLE)
            .filter(|name| !name.is_empty());
        if let Some(name) = environment_name {
            let file = sources.config_dir.join(format!("{name}.toml"));
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file));
            }
            builder = builder.add_source(config::File::from(file));
        }
        if let Some(file) = &sources.config_file {
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file.clone()));
            }
            builder = builder.add_source(config::File::from(file.as_path()));
        }
        let nats_url = sources
            .environment
            .get(NATS_URL_VARIABLE)
            .filter(|url| !url.is_empty());
        if let Some(url) = nats_url {
            builder = builder.add_source(
                config::Config::builder()
                    .set_override("nats.url", url.as_str())?
                    .build()?,
            );
        }
        let overrides: config::Map<String, String> = sources
            .environment
            .iter()
            .filter(|(key, _)| key.starts_with(&format!("{ENV_PREFIX}__")))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix(ENV_PREFIX)
                .prefix_separator("__")
                .separator("__")
                .ignore_empty(true)
                .source(Some(overrides)),
        );
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        settings.nats.take_url_credentials()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what serde cannot: combinations and ranges.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |message: &str| Err(ConfigError::Invalid(message.to_string()));
        let auth = &self.nats.auth;
        let methods = [
            auth.user.is_some() || auth.password.is_some(),
            auth.token.is_some(),
            auth.creds_file.is_some(),
            auth.nkey_seed.is_some(),
        ];
        if methods.iter().filter(|used| **used).count() > 1 {
            return invalid(
                "nats.auth: set only one of user/password, token, creds_file or nkey_seed",
            );
        }
        if auth.user.is_some() != auth.password.is_some() {
            return invalid("nats.auth: user and password must be set together");
        }
        let tls = &self.nats.tls;
        if tls.cert_file.is_some() != tls.key_file.is_some() {
            return invalid("nats.tls: cert_file and key_file must be set together");
        }
        if self.nats.url.trim().is_empty() {
            return invalid("nats.url is empty; set it or NATS_URL to e.g. nats://127.0.0.1:4222");
        }
        if self.worker.in_flight == 0 {
            return invalid("worker.in_flight must be at least 1");
        }
        if self.consumer.batch == 0 {
            return invalid("consumer.batch must be at least 1");
        }
        if self.consumer.fetch_expires < Duration::from_millis(100) {
            return invalid("consumer.fetch_expires must be at least 100ms");
        }
        if !self.consumer.idle_heartbeat.is_zero()
            && self.consumer.idle_heartbeat >= self.consumer.fetch_expires
        {
            return invalid("consumer.idle_heartbeat must be shorter than consumer.fetch_expires (or 0 to disable)");
        }
        if self.worker.time_budget.is_zero() {
            return invalid("worker.time_budget must be more than 0");
        }
        if self.worker.max_input_bytes == 0 {
            return invalid("worker.max_input_bytes must be at least 1");
        }
        if self.http.max_in_flight == 0 {
            return invalid("http.max_in_flight must be at least 1");
        }
        if self.http.body_timeout.is_zero() {
            return invalid("http.body_timeout must be more than 0");
        }
        if self.http.max_batch_bytes == 0 {
            return invalid("http.max_batch_bytes must be at least 1");
        }
        if self
            .http
            .token
            .as_ref()
            .is_some_and(|token| token.expose().is_empty())
        {
            return invalid("http.token must not be empty (leave it unset for no token)");
        }
        if self.worker.batch_articles == 0 {
            return invalid("worker.batch_articles must be at least 1");
        }
        if self.worker.poison_after_deliveries < 2 {
            return invalid("worker.poison_after_deliveries must be at least 2");
        }
        if self.consumer.max_deliver > 0
            && self.consumer.max_deliver < self.worker.poison_after_deliveries as i64
        {
            return invalid("consumer.max_deliver must be -1 (unlimited) or at least worker.poison_after_deliveries, or messages are stranded in the stream");
        }
        if self.subjects.input_prefix().is_empty() {
            return invalid(
                "subjects.input must start with at least one literal token, e.g. articles.raw.>",
            );
        }
        Ok(())
    }
}

/// Parses `500ms`, `30s`, `2m`, `1h`, `7d` or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 30s, 2m, 500ms or 7d"))?;
    let seconds_per_unit = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "m" | "min" | "mins" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` in `{text}`; use ms, s, m, h or d"
            ))
        }
    };
    Duration::try_from_secs_f64(value * seconds_per_unit)
        .map_err(|_| format!("`{text}` is not a valid duration"))
}

fn duration_from_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    struct DurationVisitor;
    impl serde::de::Visitor<'_> for DurationVisitor {
        type Value = Duration;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a duration such as \"30s\", \"2m\", \"500ms\" or a number of seconds")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Duration, E> {
            parse_duration(text).map_err(E::custom)
        }
        fn visit_u64<E: serde::de::Error>(self, seconds: u64) -> Result<Duration, E> {
            Ok(Duration::from_secs(seconds))
        }
        fn visit_i64<E: serde::de::Error>(self, seconds: i64) -> Result<Duration, E> {
            u64::try_from(seconds)
                .map(Duration::from_secs)
                .map_err(|_| E::custom("a duration cannot be negative"))
        }
        fn visit_f64<E: serde::de::Error>(self, seconds: f64) -> Result<Duration, E> {
            Duration::try_from_secs_f64(seconds).map_err(E::custom)
        }
    }
    deserializer.deserialize_any(DurationVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_config_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
    }

    fn load(environment: &[(&str, &str)], config_dir: PathBuf) -> Result<Settings, ConfigError> {
        Settings::load_from(Sources {
            config_dir,
            config_file: None,
            environment: environment
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect(),
        })
    }

    #[test]
    fn the_default_file_and_the_built_in_defaults_agree() {
        let from_file = load(&[], project_config_dir()).unwrap();
        let empty_dir = tempfile::tempdir().unwrap();
        let built_in = load(&[], empty_dir.path().to_path_buf()).unwrap();
        assert_eq!(from_file, built_in);
        assert_eq!(built_in, Settings::default());
    }

    #[test]
    fn environment_overrides_files_and_nats_url() {
        let settings = load(
            &[
                ("NATS_URL", "nats://10.0.0.1:4222"),
                ("ENRICHER__HTTP__PORT", "9100"),
                ("ENRICHER__MODE", "core"),
                ("ENRICHER__CONSUMER__ACK_WAIT", "2m"),
                ("ENRICHER__CONSUMER__MAX_DELIVER", "-1"),
                ("ENRICHER__STREAMS__ARTICLES__MAX_AGE", "12h"),
                ("ENRICHER__STREAMS__CREATE", "false"),
                ("ENRICHER__WORKER__SHUTDOWN_TIMEOUT", "7"),
                ("ENRICHER_ENV", ""),
            ],
            project_config_dir(),
        )
        .unwrap();
        assert_eq!(settings.nats.url, "nats://10.0.0.1:4222");
        assert_eq!(settings.http.port, 9100);
        assert_eq!(settings.mode, Mode::Core);
        assert_eq!(settings.consumer.ack_wait, Duration::from_secs(120));
        assert_eq!(settings.consumer.max_deliver, -1);
        assert_eq!(
            settings.streams.articles.max_age,
            Duration::from_secs(12 * 3600)
        );
        assert!(!settings.streams.create);
        assert_eq!(settings.worker.shutdown_timeout, Duration::from_secs(7));
    }

    #[test]
    fn an_explicit_variable_beats_nats_url() {
        let settings = load(
            &[
                ("NATS_URL", "nats://a:4222"),
                ("ENRICHER__NATS__URL", "nats://b:4222"),
            ],
            project_config_dir(),
        )
        .unwrap();
        assert_eq!(settings.nats.url, "nats://b:4222");
    }

    #[test]
    fn files_are_layered_default_then_environment_file_then_command_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.toml"),
            "[http]\nport = 1000\n[log]\nformat = \"json\"\n[worker]\nin_flight = 3\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("staging.toml"),
            "[http]\nport = 2000\n[worker]\nin_flight = 4\n",
        )
        .unwrap();
        let extra = dir.path().join("extra.toml");
        std::fs::write(&extra, "[worker]\nin_flight = 5\n").unwrap();
        let settings = Settings::load_from(Sources {
            config_dir: dir.path().to_path_buf(),
            config_file: Some(extra),
            environment: [("ENRICHER_ENV".to_string(), "staging".to_string())].into(),
        })
        .unwrap();
        assert_eq!(settings.log.format, LogFormat::Json);
        assert_eq!(settings.http.port, 2000);
        assert_eq!(settings.worker.in_flight, 5);
        assert_eq!(settings.consumer.durable, "enricher");
    }

    #[test]
    fn a_missing_environment_file_is_an_error_that_names_it() {
        let error = load(&[("ENRICHER_ENV", "nope")], project_config_dir()).unwrap_err();
        assert!(error.to_string().contains("nope.toml"), "{error}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let error = load(&[("ENRICHER__HTTP__PROT", "1")], project_config_dir()).unwrap_err();
        assert!(error.to_string().contains("prot"), "{error}");
    }

    #[test]
    fn secrets_never_print() {
        let settings = load(
            &[
                ("ENRICHER__NATS__AUTH__USER", "alice"),
                ("ENRICHER__NATS__AUTH__PASSWORD", "hunter2-password"),
            ],
            project_config_dir(),
        )
        .unwrap();
        assert_eq!(
            settings.nats.auth.password.as_ref().unwrap().expose(),
            "hunter2-password"
        );
        let debug = format!("{settings:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("[redacted]"));
        assert_eq!(Secret::new("seed").to_string(), "[redacted]");
        let token = load(
            &[("ENRICHER__NATS__AUTH__TOKEN", "s3cr3t-token")],
            project_config_dir(),
        )
        .unwrap();
        assert!(!format!("{token:?}").contains("s3cr3t"));
    }

    #[test]
    fn credentials_in_the_url_move_to_auth_and_leave_the_url() {
        let settings = load(
            &[(
                "NATS_URL",
                "nats://alice:pa%40ss@a:4222, b:4223,nats://alice:pa%40ss@c",
            )],
            project_config_dir(),
        )
        .unwrap();
        assert_eq!(settings.nats.url, "nats://a:4222,b:4223,nats://c");
        assert_eq!(settings.nats.auth.user.as_deref(), Some("alice"));
        assert_eq!(
            settings.nats.auth.password.as_ref().unwrap().expose(),
            "pa@ss"
        );
        assert!(!format!("{settings:?}").contains("pa@ss"));

        let token = load(&[("NATS_URL", "tls://t0k@host:4443")], project_config_dir()).unwrap();
        assert_eq!(token.nats.url, "tls://host:4443");
        assert_eq!(token.nats.auth.token.as_ref().unwrap().expose(), "t0k");
        assert_eq!(token.nats.auth.user, None);

        let plain = load(&[("NATS_URL", "nats://host:4222")], project_config_dir()).unwrap();
        assert_eq!(plain.nats.url, "nats://host:4222");
        assert_eq!(plain.nats.auth, AuthSettings::default());
    }

    #[test]
    fn url_credentials_that_disagree_are_refused_without_naming_them() {
        for environment in [
            &[("NATS_URL", "nats://a:one-pw@h1,nats://a:two-pw@h2")][..],
            &[
                ("NATS_URL", "nats://a:one-pw@h1"),
                ("ENRICHER__NATS__AUTH__TOKEN", "two-pw"),
            ][..],
        ] {
            let error = load(environment, project_config_dir()).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(!text.contains("-pw"), "{text}");
            assert!(text.contains("nats.url"), "{text}");
        }
        let same = load(
            &[
                ("NATS_URL", "nats://t0k@h1"),
                ("ENRICHER__NATS__AUTH__TOKEN", "t0k"),
            ],
            project_config_dir(),
        )
        .unwrap();
        assert_eq!(same.nats.url, "nats://h1");
    }

    #[test]
    fn conflicting_auth_is_rejected() {
        let error = load(
            &[
                ("ENRICHER__NATS__AUTH__TOKEN", "t"),
                ("ENRICHER__NATS__AUTH__NKEY_SEED", "SU"),
            ],
            project_config_dir(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("only one"), "{error}");
    }

    #[test]
    fn durations_accept_units_and_plain_seconds() {
        let cases = [
            ("30s", Duration::from_secs(30)),
            ("2m", Duration::from_secs(120)),
            ("500ms", Duration::from_millis(500)),
            ("7d", Duration::from_secs(7 * 86400)),
            ("1h", Duration::from_secs(3600)),
            ("45", Duration::from_secs(45)),
            ("0.25", Duration::from_millis(250)),
            ("0", Duration::ZERO),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
        assert!(parse_duration("10 parsecs").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn subjects_are_rewritten_by_prefix() {
        let subjects = SubjectSettings::default();
        assert_eq!(subjects.input_prefix(), "articles.raw");
        assert_eq!(
            subjects.output_subject("articles.raw.tass"),
            "articles.enriched.tass"
        );
        assert_eq!(
            subjects.dead_letter_subject("articles.raw.a.b"),
            "articles.dlq.a.b"
        );
        assert_eq!(
            subjects.output_subject("articles.rawfeed"),
            "articles.enriched.articles.rawfeed"
        );
    }
}
