//! Authentication and TLS against servers configured for each: user and password, token,
//! nkey, TLS with a certificate authority the test generates, and mutual TLS. In each case
//! an article goes through the worker (core mode), and the secret never reaches the
//! worker's log, which is written at debug level. A worker with a wrong token never becomes
//! ready.

mod support;

use std::time::Duration;
use support::{NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(30);

/// Starts a core-mode worker with `worker_env`, sends one article with a client connected
/// with `client_options`, checks that it comes out enriched, stops the worker and returns
/// its log.
async fn one_article_through(
    server: &NatsServer,
    url: &str,
    worker_env: &[(&str, &str)],
    client_options: async_nats::ConnectOptions,
) -> String {
    let mut env = vec![("ENRICHER__MODE", "core"), ("RUST_LOG", "debug")];
    env.extend_from_slice(worker_env);
    let mut worker = WorkerProcess::start(url, &env);
    worker.wait_ready(WAIT);
    let client = TestClient::connect_with(url, client_options).await;
    let value = client
        .enrich_one_in_core("articles.raw.secure", "secured", WAIT)
        .await
        .unwrap_or_else(|| panic!("no enriched message\n{}\n{}", worker.log(), server.log()));
    assert_eq!(value["id"], "secured");
    worker.signal(libc::SIGTERM);
    assert!(worker.wait_exit(WAIT).success());
    worker.log()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_password_authenticate_and_never_reach_the_logs() {
    let password = "s3cr3t-pw-4711";
    let server = NatsServer::start_with(&format!(
        "authorization {{\n  user: enricher\n  password: {password}\n}}"
    ));
    let log = one_article_through(
        &server,
        &server.url(),
        &[
            ("ENRICHER__NATS__AUTH__USER", "enricher"),
            ("ENRICHER__NATS__AUTH__PASSWORD", password),
        ],
        async_nats::ConnectOptions::with_user_and_password(
            "enricher".to_string(),
            password.to_string(),
        ),
    )
    .await;
    assert!(!log.contains(password), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_authenticates_and_never_reaches_the_logs() {
    let token = "t0ken-5ecret-0815";
    let server = NatsServer::start_with(&format!("authorization {{\n  token: {token}\n}}"));
    let log = one_article_through(
        &server,
        &server.url(),
        &[("ENRICHER__NATS__AUTH__TOKEN", token)],
        async_nats::ConnectOptions::with_token(token.to_string()),
    )
    .await;
    assert!(!log.contains(token), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_keeps_the_worker_unready_and_out_of_the_logs() {
    let server = NatsServer::start_with("authorization {\n  token: right-t0ken\n}");
    let wrong = "wr0ng-t0ken-4242";
    let mut worker = WorkerProcess::start(
        &server.url(),
        &[
            ("ENRICHER__NATS__AUTH__TOKEN", wrong),
            ("RUST_LOG", "debug"),
        ],
    );
    let ready = support::eventually(Duration::from_secs(5), || async {
        worker.http_get("/readyz").map(|(status, _)| status) == Some(200)
    })
    .await;
    assert!(!ready, "ready with a wrong token");
    assert_eq!(
        worker.http_get("/healthz").map(|(status, _)| status),
        Some(200)
    );
    worker.signal(libc::SIGTERM);
    assert!(worker.wait_exit(WAIT).success());
    let log = worker.log();
    assert!(log.to_lowercase().contains("authorization"), "{log}");
    assert!(!log.contains(wrong), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_nkey_authenticates_and_its_seed_never_reaches_the_logs() {
    let pair = nkeys::KeyPair::new_user();
    let seed = pair.seed().unwrap();
    let server = NatsServer::start_with(&format!(
        "authorization {{\n  users = [ {{ nkey: {} }} ]\n}}",
        pair.public_key()
    ));
    let log = one_article_through(
        &server,
        &server.url(),
        &[("ENRICHER__NATS__AUTH__NKEY_SEED", seed.as_str())],
        async_nats::ConnectOptions::with_nkey(seed.clone()),
    )
    .await;
    assert!(!log.contains(&seed), "{log}");
}

/// A certificate authority, a server certificate for 127.0.0.1 and a client certificate, as
/// PEM files in `dir`: (ca, server cert, server key, client cert, client key).
fn certificates(dir: &std::path::Path) -> [std::path::PathBuf; 5] {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca, &ca_key)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client = CertificateParams::new(vec!["enricher".to_string()])
        .unwrap()
        .signed_by(&client_key, &ca, &ca_key)
        .unwrap();
    let files = [
        ("ca.pem", ca.pem()),
        ("server.pem", server.pem()),
        ("server-key.pem", server_key.serialize_pem()),
        ("client.pem", client.pem()),
        ("client-key.pem", client_key.serialize_pem()),
    ];
    files.map(|(name, text)| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_the_servers_authority_and_mutual_tls_both_work() {
    let dir = tempfile::tempdir().unwrap();
    let [ca, server_cert, server_key, client_cert, client_key] = certificates(dir.path());
    let text = |path: &std::path::Path| path.to_str().unwrap().to_string();

    // Server-side TLS: the worker trusts the test's authority.
    let server = NatsServer::start_with(&format!(
        "tls {{\n  cert_file: {:?}\n  key_file: {:?}\n}}",
        text(&server_cert),
        text(&server_key)
    ));
    let url = format!("tls://127.0.0.1:{}", server.port);
    one_article_through(
        &server,
        &url,
        &[("ENRICHER__NATS__TLS__CA_FILE", text(&ca).as_str())],
        async_nats::ConnectOptions::new().add_root_certificates(ca.clone()),
    )
    .await;
    drop(server);

    // Mutual TLS: the server also verifies the worker's certificate.
    let server = NatsServer::start_with(&format!(
        "tls {{\n  cert_file: {:?}\n  key_file: {:?}\n  ca_file: {:?}\n  verify: true\n}}",
        text(&server_cert),
        text(&server_key),
        text(&ca)
    ));
    let url = format!("tls://127.0.0.1:{}", server.port);
    one_article_through(
        &server,
        &url,
        &[
            ("ENRICHER__NATS__TLS__CA_FILE", text(&ca).as_str()),
            (
                "ENRICHER__NATS__TLS__CERT_FILE",
                text(&client_cert).as_str(),
            ),
            ("ENRICHER__NATS__TLS__KEY_FILE", text(&client_key).as_str()),
        ],
        async_nats::ConnectOptions::new()
            .add_root_certificates(ca.clone())
            .add_client_certificate(client_cert.clone(), client_key.clone()),
    )
    .await;
}
