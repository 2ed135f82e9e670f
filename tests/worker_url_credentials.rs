//! Credentials written inside `NATS_URL` (`nats://user:password@host`, `nats://token@host`,
//! several servers separated by commas) against real servers that require them: the worker
//! connects with them and enriches an article, and the password or token appears nowhere it
//! shows - its log at `RUST_LOG=trace` (async-nats's own output included), `/healthz`,
//! `/readyz` and `/metrics` - neither when it connects nor when the server refuses it.

mod support;

use std::time::Duration;
use support::{NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(30);

/// What the worker shows to the outside: its log and its three HTTP endpoints.
fn everything_shown(worker: &WorkerProcess) -> String {
    let mut shown = String::new();
    for path in ["/healthz", "/readyz", "/metrics"] {
        if let Some((status, body)) = worker.http_get(path) {
            shown.push_str(&format!("{path} {status}\n{body}\n"));
        }
    }
    shown.push_str(&worker.log());
    shown
}

/// Starts a core-mode worker on `worker_url` (credentials inside) at trace level, sends
/// one article with a client connected by `client_options`, checks that it comes out
/// enriched, and returns everything the worker showed, up to and after its clean exit.
async fn one_article_through(
    server: &NatsServer,
    worker_url: &str,
    client_options: async_nats::ConnectOptions,
) -> String {
    let mut worker = WorkerProcess::start(
        worker_url,
        &[("ENRICHER__MODE", "core"), ("RUST_LOG", "trace")],
    );
    worker.wait_ready(WAIT);
    let client = TestClient::connect_with(&server.url(), client_options).await;
    let value = client
        .enrich_one_in_core("articles.raw.url", "from-url", WAIT)
        .await
        .unwrap_or_else(|| panic!("no enriched message\n{}\n{}", worker.log(), server.log()));
    assert_eq!(value["id"], "from-url");
    let mut shown = everything_shown(&worker);
    worker.signal(libc::SIGTERM);
    assert!(worker.wait_exit(WAIT).success(), "{}", worker.log());
    shown.push_str(&worker.log());
    shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_password_in_the_url_connect_and_never_show() {
    let password = "url-pa55word-9173";
    let server = NatsServer::start_with(&format!(
        "authorization {{\n  user: enricher\n  password: {password}\n}}"
    ));
    let url = format!("nats://enricher:{password}@127.0.0.1:{}", server.port);
    let shown = one_article_through(&server, &url, as_enricher(password)).await;
    assert!(!shown.contains(password), "{shown}");
    assert!(
        shown.contains(&format!("127.0.0.1:{}", server.port)),
        "the log should still name the server\n{shown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_the_url_connects_and_never_shows() {
    let token = "url-t0ken-6620";
    let server = NatsServer::start_with(&format!("authorization {{\n  token: {token}\n}}"));
    let url = format!("nats://{token}@127.0.0.1:{}", server.port);
    let shown = one_article_through(
        &server,
        &url,
        async_nats::ConnectOptions::with_token(token.to_string()),
    )
    .await;
    assert!(!shown.contains(token), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_urls_with_percent_encoded_credentials_connect_and_never_show() {
    // `@` and `:` in a password are written percent-encoded in a URL.
    let password = "p@ss:w0rd-5081";
    let encoded = "p%40ss%3Aw0rd-5081";
    let server = NatsServer::start_with(&format!(
        "authorization {{\n  user: enricher\n  password: \"{password}\"\n}}"
    ));
    // The first server is not there: the worker must try the next one, with the same
    // credentials, and name neither password in what it prints about the dead one.
    let dead = support::free_port();
    let url = format!(
        "nats://enricher:{encoded}@127.0.0.1:{dead}, nats://enricher:{encoded}@127.0.0.1:{}",
        server.port
    );
    let shown = one_article_through(&server, &url, as_enricher(password)).await;
    assert!(!shown.contains(password), "{shown}");
    assert!(!shown.contains(encoded), "{shown}");
    assert!(!shown.contains("w0rd-5081"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_in_the_url_keeps_the_worker_unready_and_unshown() {
    let server =
        NatsServer::start_with("authorization {\n  user: enricher\n  password: right-pw\n}");
    let wrong = "wr0ng-url-pw-3141";
    let url = format!("nats://enricher:{wrong}@127.0.0.1:{}", server.port);
    let mut worker = WorkerProcess::start(&url, &[("RUST_LOG", "trace")]);
    let ready = support::eventually(Duration::from_secs(5), || async {
        worker.http_get("/readyz").map(|(status, _)| status) == Some(200)
    })
    .await;
    assert!(!ready, "ready with a wrong password");
    let mut shown = everything_shown(&worker);
    worker.signal(libc::SIGTERM);
    assert!(worker.wait_exit(WAIT).success(), "{}", worker.log());
    shown.push_str(&worker.log());
    assert!(shown.to_lowercase().contains("authorization"), "{shown}");
    assert!(!shown.contains(wrong), "{shown}");
}

#[test]
fn different_credentials_in_two_urls_are_refused_without_printing_them() {
    let dir = tempfile::tempdir().unwrap();
    let log_file = dir.path().join("worker.log");
    let log = std::fs::File::create(&log_file).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ENRICHER_ENV")
        .env(
            "NATS_URL",
            "nats://a:first-5ecret@127.0.0.1:1,nats://b:second-5ecret@127.0.0.1:2",
        )
        .env("ENRICHER__HTTP__PORT", "0")
        .env("RUST_LOG", "trace")
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("cannot start the worker binary");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed = std::fs::read_to_string(&log_file).unwrap_or_default();
    assert!(!printed.contains("5ecret"), "{printed}");
    let status = status.unwrap_or_else(|| panic!("the worker kept running\n{printed}"));
    assert!(!status.success(), "{printed}");
    assert!(printed.contains("different credentials"), "{printed}");
}

/// The test client's own connection to a server whose user is `enricher`.
fn as_enricher(password: &str) -> async_nats::ConnectOptions {
    async_nats::ConnectOptions::with_user_and_password("enricher".to_string(), password.to_string())
}
