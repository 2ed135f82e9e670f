//! The worker in core-NATS mode against a real nats-server: queue-group subscription in,
//! plain publishes out, dead letters for bad input, no streams, clean exit on SIGTERM.

mod support;

use futures::StreamExt;
use std::time::Duration;
use support::{article, NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn core_mode_enriches_and_dead_letters_without_streams() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[("ENRICHER__MODE", "core")]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let mut enriched = client
        .client
        .subscribe("articles.enriched.>")
        .await
        .unwrap();
    let mut dead = client.client.subscribe("articles.dlq.>").await.unwrap();
    client.client.flush().await.unwrap();

    for n in 0..10 {
        let payload = serde_json::to_vec(&article(&format!("core-{n}"))).unwrap();
        client
            .client
            .publish("articles.raw.bbc", payload.into())
            .await
            .unwrap();
    }
    client
        .client
        .publish("articles.raw.bbc", "not json".into())
        .await
        .unwrap();
    client.client.flush().await.unwrap();

    let mut ids = Vec::new();
    for _ in 0..10 {
        let message = tokio::time::timeout(WAIT, enriched.next())
            .await
            .unwrap_or_else(|_| panic!("no enriched message\n{}", worker.log()))
            .unwrap();
        assert_eq!(message.subject.as_str(), "articles.enriched.bbc");
        let value: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
        assert_eq!(value["source"], "test");
        ids.push(
            value["enrichment"]["article_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        let message_id = message
            .headers
            .as_ref()
            .and_then(|headers| headers.get("Nats-Msg-Id"))
            .map(|value| value.as_str().to_string())
            .unwrap();
        assert!(message_id.starts_with(&format!("{}:", ids.last().unwrap())));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10);

    let letter = tokio::time::timeout(WAIT, dead.next())
        .await
        .expect("no dead letter")
        .unwrap();
    assert_eq!(letter.subject.as_str(), "articles.dlq.bbc");
    let value: serde_json::Value = serde_json::from_slice(&letter.payload).unwrap();
    assert_eq!(value["error"]["kind"], "invalid_json");
    assert_eq!(value["payload"], "not json");

    let streams: Vec<String> = client
        .jetstream
        .stream_names()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(streams.is_empty(), "core mode created streams: {streams:?}");

    worker.signal(libc::SIGTERM);
    let status = worker.wait_exit(WAIT);
    assert!(status.success(), "exit status {status}\n{}", worker.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_the_broker_is_away_and_readiness_follows_it() {
    let mut server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[("ENRICHER__MODE", "core")]);
    worker.wait_ready(WAIT);
    server.kill();
    let not_ready = support::eventually(WAIT, || async {
        worker
            .http_get("/readyz")
            .is_some_and(|(status, _)| status == 503)
    })
    .await;
    assert!(
        not_ready,
        "/readyz stayed ready without a server\n{}",
        worker.log()
    );
    assert_eq!(
        worker.http_get("/healthz").map(|(status, _)| status),
        Some(200)
    );
    server.restart();
    worker.wait_ready(WAIT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_time_budget_is_counted_logged_and_written_in_the_output() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(
        &server.url(),
        &[
            ("ENRICHER__MODE", "core"),
            ("ENRICHER__WORKER__TIME_BUDGET", "0.000001ms"),
        ],
    );
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let value = client
        .enrich_one_in_core("articles.raw.bbc", "budget-1", WAIT)
        .await
        .unwrap_or_else(|| panic!("no enriched message\n{}", worker.log()));
    let warnings = value["enrichment"]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|warning| warning.as_str().unwrap().contains("time budget")),
        "{warnings:?}"
    );
    let (_, metrics) = worker.http_get("/metrics").unwrap();
    assert!(
        metrics.contains("enricher_stages_skipped_total{stage=\"entities\"} 1"),
        "{metrics}"
    );
    assert!(worker.log().contains("stages skipped"), "{}", worker.log());
    worker.signal(libc::SIGTERM);
    assert!(worker.wait_exit(WAIT).success(), "{}", worker.log());
}
