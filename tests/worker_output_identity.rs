//! Issue 18, items 3, 4 and 6: every raw message gives exactly one stored output on its own
//! subject, and every dead letter can be stored, once.
//!
//! - The same bytes on two subjects (a syndicated copy) are two outputs; the same bytes again
//!   on the same subject are one, and the PubAck's `duplicate` is counted, not taken for a
//!   new output.
//! - A dead letter whose copied headers would exceed the server's `max_payload` is cut to fit
//!   and stored (it used to be retried forever).
//! - Publishing the same dead letter twice stores it once on nats-server 2.9 too (2.9 ignored
//!   the id about half the time, confused by the copied `X-Original-Nats-Msg-Id`).
//!
//! Run against 2.9 and 2.15 (`NATS_SERVER=...`).

mod support;

use article_enricher::config::ConsumerSettings;
use article_enricher::transport::connect::Guarantee;
use article_enricher::transport::{DeadLetterReason, PullEvent};
use std::time::Duration;
use support::{article, eventually, transport_with_streams, NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(30);

fn metric(metrics: &str, name: &str) -> Option<u64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_bytes_on_two_subjects_are_two_outputs_and_a_repeat_is_counted_once() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    let raw = serde_json::to_vec(&article("syndicated")).unwrap();
    client.publish("articles.raw.wire_a", raw.clone()).await;
    client.publish("articles.raw.wire_b", raw.clone()).await;
    // The same bytes again on the same subject (no Nats-Msg-Id, so ARTICLES keeps both).
    client.publish("articles.raw.wire_a", raw.clone()).await;

    let counted = eventually(WAIT, || async {
        worker.http_get("/metrics").is_some_and(|(_, body)| {
            let enriched = metric(&body, "enricher_messages_enriched_total ").unwrap_or(0);
            let deduplicated = metric(&body, "enricher_messages_deduplicated_total ").unwrap_or(0);
            enriched + deduplicated >= 3
        })
    })
    .await;
    let (_, metrics) = worker.http_get("/metrics").unwrap();
    assert!(counted, "{metrics}\n{}", worker.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());

    let outputs = client.stream_messages("ENRICHED").await;
    let mut subjects: Vec<&str> = outputs
        .iter()
        .map(|output| output.subject.as_str())
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        ["articles.enriched.wire_a", "articles.enriched.wire_b"],
        "one output per subject"
    );
    assert_ne!(
        outputs[0].header("Nats-Msg-Id"),
        outputs[1].header("Nats-Msg-Id")
    );
    assert_eq!(
        metric(&metrics, "enricher_messages_enriched_total "),
        Some(2),
        "{metrics}"
    );
    assert_eq!(
        metric(&metrics, "enricher_messages_deduplicated_total "),
        Some(1),
        "{metrics}"
    );
    assert_eq!(client.stream_count("DLQ").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_letter_over_max_payload_is_cut_to_fit_and_stored() {
    let server = NatsServer::start_with("max_payload: 65536");
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    // 20 KB of quotes doubles in the JSON of the dead letter (40 KB); with a 30 KB header
    // the dead letter would be 70 KB on a 64 KB server.
    let payload = format!("{{{}", "\"".repeat(20_000));
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("X-Huge", "h".repeat(30_000).as_str());
    headers.insert("Content-Type", "application/json");
    client
        .publish_with_headers("articles.raw.feed", headers, payload.clone())
        .await;

    assert!(
        client.wait_for_stream_count("DLQ", 1, WAIT).await,
        "the dead letter was never stored:\n{}",
        worker.log()
    );
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let dead = client.stream_messages("DLQ").await;
    assert_eq!(dead.len(), 1);
    let letter = &dead[0];
    assert_eq!(letter.subject, "articles.dlq.feed");
    assert_eq!(letter.header("X-Huge"), None);
    assert_eq!(
        letter.header("Content-Type").as_deref(),
        Some("application/json")
    );
    let value = letter.json();
    assert_eq!(value["error"]["kind"], "invalid_json");
    assert_eq!(value["payload"], payload.as_str());
    assert_eq!(value["headers_omitted"], 1);
    assert_eq!(value["headers_omitted_bytes"], 30_000 + "X-Huge".len() + 4);
    let (_, metrics) = worker.http_get("/metrics").unwrap();
    assert!(
        metrics.contains("enricher_messages_dead_lettered_total{reason=\"invalid_json\"} 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_dead_letter_published_twice_is_stored_once() {
    const MESSAGES: usize = 20;
    let server = NatsServer::start();
    let client = TestClient::connect(&server.url()).await;
    let connection = transport_with_streams(&server.url()).await;
    let consumer = connection
        .ensure_consumer("ARTICLES", "articles.raw.>", &ConsumerSettings::default())
        .await
        .unwrap();

    for n in 0..MESSAGES {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", format!("scraper-{n}").as_str());
        headers.insert("Content-Type", "application/json");
        client
            .publish_with_headers("articles.raw.feed", headers, format!("{{broken {n}"))
            .await;
    }
    let mut pull = consumer
        .pull(MESSAGES, Duration::from_secs(5), Duration::ZERO)
        .await
        .unwrap();
    let mut messages = Vec::new();
    while messages.len() < MESSAGES {
        match pull.next().await {
            PullEvent::Message(message) => messages.push(message),
            other => panic!("pulled {} of {MESSAGES}, then {other:?}", messages.len()),
        }
    }

    let reason = DeadLetterReason {
        kind: "invalid_json".to_string(),
        message: "payload is not valid JSON".to_string(),
        deliveries: 1,
    };
    // As a worker does when its term is lost and the message comes again: the same dead
    // letter, the same id, twice. One in two used to be stored twice on 2.9.
    for message in &messages {
        let id = format!("dlq:{}:test", message.delivery().unwrap().stream_sequence);
        for _ in 0..2 {
            connection
                .publish_dead_letter(
                    message,
                    "articles.dlq.feed",
                    &reason,
                    &id,
                    Guarantee::Stored,
                )
                .await
                .unwrap();
        }
    }
    let dead = client.stream_messages("DLQ").await;
    assert_eq!(dead.len(), MESSAGES, "each dead letter must be stored once");
    let mut original_ids: Vec<String> = dead
        .iter()
        .map(|letter| {
            letter.json()["original_message_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    original_ids.sort();
    let mut expected: Vec<String> = (0..MESSAGES).map(|n| format!("scraper-{n}")).collect();
    expected.sort();
    assert_eq!(original_ids, expected);
}
