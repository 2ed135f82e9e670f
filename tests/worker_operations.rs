//! Issue 18, item 8 and the loose ends around it: what an operator sees and gets.
//!
//! - Every metric family is in `/metrics` from the start, each labelled series at zero, and
//!   the duration histograms reach minutes.
//! - `/readyz` says 503 while the output stream refuses writes, and 200 again once it takes
//!   them.
//! - The raw message's own headers (`traceparent`, custom ones) travel to its output; its
//!   `Nats-*` headers do not.
//! - In core mode the same bad bytes on two subjects are two dead letters.
//! - With `streams.create = false` the worker creates nothing, not even its bucket of
//!   broker-side failures.
//!
//! Run against 2.9 and 2.15 (`NATS_SERVER=...`).

mod support;

use std::time::Duration;
use support::{article, eventually, transport_with_streams, NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_family_is_there_before_the_first_message() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let (status, metrics) = worker.http_get("/metrics").unwrap();
    assert_eq!(status, 200);
    for expected in [
        "enricher_messages_received_total 0",
        "enricher_messages_enriched_total 0",
        "enricher_messages_deduplicated_total 0",
        "enricher_messages_dead_lettered_total{reason=\"invalid_json\"} 0",
        "enricher_messages_dead_lettered_total{reason=\"poison\"} 0",
        "enricher_messages_retried_total{cause=\"publish_timeout\"} 0",
        "enricher_stage_duration_seconds_count{stage=\"entities\"} 0",
        "enricher_stages_skipped_total{stage=\"meetings\"} 0",
        // The top finite bucket is past three minutes.
        "enricher_message_duration_seconds_bucket{le=\"209.7152\"} 0",
        "enricher_enrichment_batch_articles_count 0",
    ] {
        assert!(
            metrics.contains(expected),
            "missing {expected} in\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_while_the_output_stream_refuses_writes() {
    use async_nats::jetstream::stream::DiscardPolicy;
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    let mut config = client
        .jetstream
        .get_stream("ENRICHED")
        .await
        .unwrap()
        .info()
        .await
        .unwrap()
        .config
        .clone();
    let open = config.clone();
    config.max_messages = 1;
    config.discard = DiscardPolicy::New;
    client.jetstream.update_stream(&config).await.unwrap();

    for id in ["fits", "refused"] {
        let raw = serde_json::to_vec(&article(id)).unwrap();
        client.publish("articles.raw.feed", raw).await;
    }
    let refused = eventually(WAIT, || async {
        worker
            .http_get("/readyz")
            .is_some_and(|(status, body)| status == 503 && body.contains("refuses writes"))
    })
    .await;
    assert!(
        refused,
        "{:?}\n{}",
        worker.http_get("/readyz"),
        worker.log()
    );

    client.jetstream.update_stream(&open).await.unwrap();
    assert!(
        client.wait_for_stream_count("ENRICHED", 2, WAIT).await,
        "{}",
        worker.log()
    );
    let ready = eventually(WAIT, || async {
        worker
            .http_get("/readyz")
            .is_some_and(|(status, _)| status == 200)
    })
    .await;
    assert!(ready, "{:?}", worker.http_get("/readyz"));
    assert_eq!(client.stream_count("DLQ").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_raw_messages_own_headers_travel_to_its_output() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("traceparent", traceparent);
    headers.insert("X-Scraper", "crawler-7");
    headers.insert("Nats-Msg-Id", "scraper-id-1");
    headers.insert("Nats-Expected-Stream", "ARTICLES");
    let raw = serde_json::to_vec(&article("traced")).unwrap();
    client
        .publish_with_headers("articles.raw.feed", headers, raw)
        .await;

    assert!(
        client.wait_for_stream_count("ENRICHED", 1, WAIT).await,
        "{}",
        worker.log()
    );
    let output = &client.stream_messages("ENRICHED").await[0];
    assert_eq!(output.header("traceparent").as_deref(), Some(traceparent));
    assert_eq!(output.header("X-Scraper").as_deref(), Some("crawler-7"));
    assert_eq!(output.header("Nats-Expected-Stream"), None);
    let id = output.header("Nats-Msg-Id").unwrap();
    assert!(id.starts_with("traced:"), "the output's own id: {id}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_core_mode_the_same_bad_bytes_on_two_subjects_are_two_dead_letters() {
    let server = NatsServer::start();
    let client = TestClient::connect(&server.url()).await;
    // The operator keeps the dead letters in a stream (with duplicate detection).
    client
        .jetstream
        .create_stream(async_nats::jetstream::stream::Config {
            name: "DLQ".to_string(),
            subjects: vec!["articles.dlq.>".to_string()],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut worker = WorkerProcess::start(&server.url(), &[("ENRICHER__MODE", "core")]);
    worker.wait_ready(WAIT);

    for subject in ["articles.raw.wire_a", "articles.raw.wire_b"] {
        client
            .client
            .publish(subject.to_string(), "{not json".into())
            .await
            .unwrap();
    }
    client.client.flush().await.unwrap();
    assert!(
        client.wait_for_stream_count("DLQ", 2, WAIT).await,
        "{}",
        worker.log()
    );
    let mut subjects: Vec<String> = client
        .stream_messages("DLQ")
        .await
        .into_iter()
        .map(|letter| letter.subject)
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["articles.dlq.wire_a", "articles.dlq.wire_b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_streams_create_the_worker_creates_nothing() {
    let server = NatsServer::start();
    // The operator makes the streams.
    transport_with_streams(&server.url()).await;

    let mut worker = WorkerProcess::start(&server.url(), &[("ENRICHER__STREAMS__CREATE", "false")]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let raw = serde_json::to_vec(&article("made-by-operator")).unwrap();
    client.publish("articles.raw.feed", raw).await;
    assert!(
        client.wait_for_stream_count("ENRICHED", 1, WAIT).await,
        "{}",
        worker.log()
    );

    use futures::StreamExt;
    let names: Vec<String> = client
        .jetstream
        .stream_names()
        .map(|name| name.unwrap())
        .collect()
        .await;
    assert!(
        !names.iter().any(|name| name.starts_with("KV_")),
        "the worker created {names:?}"
    );
    assert!(
        worker.log().contains("KV_enricher_excuses"),
        "the log should say the bucket is missing:\n{}",
        worker.log()
    );
}
