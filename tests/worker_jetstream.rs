//! The worker in JetStream mode against a real nats-server: enrichment end to end, dead
//! letters, deduplication, crashes, graceful shutdown, server restarts, poison messages and
//! broker outages. Each test starts its own server and worker processes.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;
use support::{
    article, count_by_article_id, eventually, publish_articles, retries, NatsServer, TestClient,
    WorkerProcess,
};

const WAIT: Duration = Duration::from_secs(30);

async fn wait_for_count(client: &TestClient, stream: &str, expected: u64, worker: &WorkerProcess) {
    let reached = client
        .wait_for_stream_count(stream, expected as usize, WAIT)
        .await;
    assert!(
        reached,
        "{stream} holds {} messages, expected {expected}\n{}",
        client.stream_count(stream).await,
        worker.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_raw_article_comes_out_enriched_once_with_its_fields_unchanged() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    assert_eq!(
        worker.http_get("/healthz").map(|(status, _)| status),
        Some(200)
    );
    let client = TestClient::connect(&server.url()).await;

    let published = publish_articles(&client, "tass", "fields", 25).await;
    wait_for_count(&client, "ENRICHED", 25, &worker).await;
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());

    let outputs = client.stream_messages("ENRICHED").await;
    assert_eq!(outputs.len(), 25);
    for output in &outputs {
        assert_eq!(output.subject, "articles.enriched.tass");
        let value = output.json();
        let id = value["enrichment"]["article_id"].as_str().unwrap();
        let input = &published[id];
        for (key, expected) in input.as_object().unwrap() {
            assert_eq!(&value[key], expected, "field {key} of {id} changed");
        }
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), input.as_object().unwrap().len() + 1);
        assert_eq!(value["enrichment"]["schema_version"], 1);
        let raw = serde_json::to_vec(input).unwrap();
        assert_eq!(
            output.header("Nats-Msg-Id"),
            Some(article_enricher::worker::output_message_id(
                id,
                "articles.raw.tass",
                &raw
            ))
        );
    }
    assert_eq!(count_by_article_id(&outputs).len(), 25);
    assert_eq!(client.stream_count("DLQ").await, 0);

    let metrics_ready = eventually(WAIT, || async {
        worker
            .http_get("/metrics")
            .is_some_and(|(_, body)| body.contains("enricher_messages_enriched_total 25"))
    })
    .await;
    let (status, metrics) = worker.http_get("/metrics").unwrap();
    assert_eq!(status, 200);
    assert!(metrics_ready, "{metrics}");
    for expected in [
        "enricher_messages_received_total 25",
        "enricher_messages_in_flight 0",
        "enricher_stage_duration_seconds_count{stage=\"entities\"} 25",
        "enricher_message_duration_seconds_count 25",
        // Every article went through a batch (of one or more).
        "enricher_enrichment_batch_articles_sum 25.0",
    ] {
        assert!(
            metrics.contains(expected),
            "missing {expected} in\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_dead_lettered_with_a_reason_while_good_messages_flow() {
    // A small max_payload lets an article whose enriched form is too large be sent.
    let server = NatsServer::start_with("max_payload: 32768");
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Nats-Msg-Id", "scraper-7");
    headers.insert("Content-Type", "application/json");
    client
        .publish_with_headers("articles.raw.feed", headers, b"{\"body\": broken".to_vec())
        .await;
    publish_articles(&client, "feed", "good-a", 3).await;
    client
        .publish("articles.raw.feed", b"\xff\xfe{}".to_vec())
        .await;
    client
        .publish("articles.raw.other", b"[1, 2, 3]".to_vec())
        .await;
    publish_articles(&client, "feed", "good-b", 3).await;
    client
        .publish(
            "articles.raw.feed",
            br#"{"id": "t", "title": "only a title"}"#.to_vec(),
        )
        .await;
    // HTML input puts the converted text into the output too: the output is about twice
    // the input, so 20 KB in cannot come out under 32 KB.
    let html = "<p>the cat sat on the mat and it was fine.</p>".repeat(450);
    let large = serde_json::json!({"id": "large", "html": html});
    client
        .publish("articles.raw.feed", serde_json::to_vec(&large).unwrap())
        .await;
    publish_articles(&client, "feed", "good-c", 3).await;

    wait_for_count(&client, "DLQ", 5, &worker).await;
    wait_for_count(&client, "ENRICHED", 9, &worker).await;
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());

    let enriched = client.stream_messages("ENRICHED").await;
    assert_eq!(enriched.len(), 9);
    assert!(count_by_article_id(&enriched)
        .keys()
        .all(|id| id.starts_with("good-")));

    let dead: Vec<_> = client.stream_messages("DLQ").await;
    assert_eq!(dead.len(), 5);
    let by_kind: BTreeMap<String, &support::StoredMessage> = dead
        .iter()
        .map(|message| {
            let kind = message.json()["error"]["kind"]
                .as_str()
                .unwrap()
                .to_string();
            (kind, message)
        })
        .collect();
    let kinds: Vec<&str> = by_kind.keys().map(String::as_str).collect();
    assert_eq!(
        kinds,
        [
            "invalid_json",
            "invalid_utf8",
            "no_text",
            "not_an_object",
            "output_too_large"
        ]
    );
    for message in &dead {
        let value = message.json();
        assert!(!value["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(value["error"]["deliveries"], 1);
    }

    let invalid_json = by_kind["invalid_json"];
    assert_eq!(invalid_json.subject, "articles.dlq.feed");
    let value = invalid_json.json();
    assert_eq!(value["subject"], "articles.raw.feed");
    assert_eq!(value["payload"], "{\"body\": broken");
    assert_eq!(value["original_message_id"], "scraper-7");
    assert_eq!(
        invalid_json.header("Content-Type").as_deref(),
        Some("application/json")
    );
    assert_ne!(
        invalid_json.header("Nats-Msg-Id").as_deref(),
        Some("scraper-7")
    );

    let invalid_utf8 = by_kind["invalid_utf8"].json();
    assert_eq!(invalid_utf8["payload_base64"], "//57fQ==");
    assert!(invalid_utf8.get("payload").is_none());
    assert_eq!(by_kind["not_an_object"].subject, "articles.dlq.other");
    assert!(by_kind["output_too_large"].json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("max_payload"));

    let (_, metrics) = worker.http_get("/metrics").unwrap();
    assert!(
        metrics.contains("enricher_messages_dead_lettered_total{reason=\"no_text\"} 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_article_published_twice_comes_out_once_and_a_correction_again() {
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    let original = serde_json::to_vec(&article("twice")).unwrap();
    client.publish("articles.raw.tass", original.clone()).await;
    client.publish("articles.raw.tass", original.clone()).await;
    let mut corrected = article("twice");
    corrected["title"] = serde_json::json!("Corrected title");
    client
        .publish("articles.raw.tass", serde_json::to_vec(&corrected).unwrap())
        .await;

    wait_for_count(&client, "ENRICHED", 2, &worker).await;
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    assert_eq!(client.stream_count("ARTICLES").await, 3);
    let outputs = client.stream_messages("ENRICHED").await;
    assert_eq!(outputs.len(), 2, "the repeat must be deduplicated");
    let titles: Vec<String> = outputs
        .iter()
        .map(|output| output.json()["title"].as_str().unwrap().to_string())
        .collect();
    assert!(
        titles.contains(&"Corrected title".to_string()),
        "{titles:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_stream_and_restarted_loses_and_duplicates_nothing() {
    const TOTAL: usize = 10_000;
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let started = std::time::Instant::now();
    client
        .publish_articles_at_once("articles.raw.reuters", "crash", TOTAL)
        .await;

    let busy = client
        .wait_for_stream_count("ENRICHED", TOTAL / 5, Duration::from_secs(300))
        .await;
    assert!(busy, "{}", worker.log());
    worker.kill();
    let at_kill = client.stream_count("ENRICHED").await as usize;
    assert!(
        at_kill < TOTAL,
        "the worker finished before it was killed; publish more articles"
    );

    let mut restarted = WorkerProcess::start(&server.url(), &[]);
    restarted.wait_ready(WAIT);
    let done = client
        .wait_for_stream_count("ENRICHED", TOTAL, Duration::from_secs(600))
        .await;
    assert!(done, "{}", restarted.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", restarted.log());

    let (lost, duplicated) = client.lost_and_duplicated(TOTAL).await;
    let outputs = client.stream_count("ENRICHED").await;
    eprintln!(
        "SIGKILL after {at_kill} of {TOTAL} outputs, restart: {} outputs, {lost} lost, \
         {duplicated} duplicated, {:.1} s",
        outputs,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0, "every article enriched");
    assert_eq!(duplicated, 0, "no article enriched twice");
    assert_eq!(outputs, TOTAL as u64);
    assert_eq!(client.stream_count("DLQ").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_and_acks_what_is_in_flight_and_exits_zero() {
    // Enough that the worker is still busy when the signal comes, on a fast machine too.
    const TOTAL: usize = 2_000;
    let server = NatsServer::start();
    let settings = [
        ("ENRICHER__WORKER__IN_FLIGHT", "16"),
        ("ENRICHER__CONSUMER__BATCH", "8"),
        ("ENRICHER__WORKER__ENRICH_THREADS", "1"),
    ];
    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    publish_articles(&client, "afp", "term", TOTAL).await;

    let busy = eventually(WAIT, || async {
        client.stream_count("ENRICHED").await >= 20
    })
    .await;
    assert!(busy, "{}", worker.log());
    let asked_to_stop = std::time::Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker.wait_exit(Duration::from_secs(20));
    assert!(status.success(), "exit status {status}\n{}", worker.log());
    assert!(asked_to_stop.elapsed() < Duration::from_secs(15));

    // Nothing it received is left unacked, and everything acked has its output.
    let (pending, unacked) = client.consumer_backlog().await.unwrap();
    assert_eq!(
        unacked,
        0,
        "messages left unacked after SIGTERM\n{}",
        worker.log()
    );
    let enriched = client.stream_count("ENRICHED").await;
    assert_eq!(enriched + pending, TOTAL as u64, "{}", worker.log());
    assert!(
        enriched < TOTAL as u64,
        "the worker finished before SIGTERM; publish more"
    );

    let mut next = WorkerProcess::start(&server.url(), &[]);
    next.wait_ready(WAIT);
    let done = eventually(WAIT, || async {
        client.stream_count("ENRICHED").await >= TOTAL as u64
    })
    .await;
    assert!(done, "{}", next.log());
    assert!(client.wait_consumer_idle(WAIT).await);
    let counts = count_by_article_id(&client.stream_messages("ENRICHED").await);
    assert_eq!(counts.len(), TOTAL);
    assert!(counts.values().all(|count| *count == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nats_server_restart_mid_stream_is_survived() {
    const BEFORE: usize = 150;
    const AFTER: usize = 30;
    let mut server = NatsServer::start();
    let settings = [
        ("ENRICHER__WORKER__ENRICH_THREADS", "1"),
        ("ENRICHER__WORKER__IN_FLIGHT", "8"),
        ("ENRICHER__CONSUMER__BATCH", "4"),
    ];
    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    publish_articles(&client, "ap", "before", BEFORE).await;
    let busy = eventually(WAIT, || async {
        client.stream_count("ENRICHED").await >= 20
    })
    .await;
    assert!(busy, "{}", worker.log());

    server.restart();
    assert!(
        client.stream_count("ENRICHED").await < BEFORE as u64,
        "the worker finished before the restart; publish more"
    );
    publish_articles(&client, "ap", "after", AFTER).await;

    let done = client
        .wait_for_stream_count("ENRICHED", BEFORE + AFTER, Duration::from_secs(50))
        .await;
    assert!(done, "{}\n{}", worker.log(), server.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let outputs = client.stream_messages("ENRICHED").await;
    let counts = count_by_article_id(&outputs);
    assert_eq!(counts.len(), BEFORE + AFTER);
    assert!(counts.values().all(|count| *count == 1));
    assert_eq!(outputs.len(), BEFORE + AFTER);
    let ready = eventually(WAIT, || async {
        worker
            .http_get("/readyz")
            .is_some_and(|(status, _)| status == 200)
    })
    .await;
    assert!(ready, "not ready again after the restart\n{}", worker.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_kept_failing_without_a_broker_cause_is_dead_lettered_as_poison() {
    let server = NatsServer::start();
    let settings = [("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "3")];
    // The first worker creates the streams and the consumer, then leaves.
    let mut first = WorkerProcess::start(&server.url(), &settings);
    first.wait_ready(WAIT);
    first.signal(libc::SIGTERM);
    assert!(first.wait_exit(WAIT).success());

    // Two deliveries that never finish, as if workers had died on the message.
    let client = TestClient::connect(&server.url()).await;
    client
        .publish(
            "articles.raw.x",
            serde_json::to_vec(&article("poison")).unwrap(),
        )
        .await;
    let consumer: async_nats::jetstream::consumer::PullConsumer = client
        .jetstream
        .get_stream("ARTICLES")
        .await
        .unwrap()
        .get_consumer("enricher")
        .await
        .unwrap();
    for _ in 0..2 {
        use futures::StreamExt;
        let mut batch = consumer
            .fetch()
            .max_messages(1)
            .expires(Duration::from_secs(5))
            .messages()
            .await
            .unwrap();
        let message = batch.next().await.expect("a delivery").unwrap();
        message
            .ack_with(async_nats::jetstream::AckKind::Nak(None))
            .await
            .unwrap();
    }
    client
        .publish(
            "articles.raw.x",
            serde_json::to_vec(&article("healthy")).unwrap(),
        )
        .await;

    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    wait_for_count(&client, "DLQ", 1, &worker).await;
    wait_for_count(&client, "ENRICHED", 1, &worker).await;
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let dead = client.stream_messages("DLQ").await;
    let value = dead[0].json();
    assert_eq!(value["error"]["kind"], "poison");
    assert_eq!(value["error"]["deliveries"], 3);
    assert!(value["payload"].as_str().unwrap().contains("\"poison\""));
    let enriched = client.stream_messages("ENRICHED").await;
    assert_eq!(enriched[0].json()["id"], "healthy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_side_outage_is_retried_and_never_dead_lettered() {
    let server = NatsServer::start();
    let settings = [("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "3")];
    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    // Without its output stream every publish finds no responders.
    client.jetstream.delete_stream("ENRICHED").await.unwrap();
    publish_articles(&client, "dpa", "outage", 5).await;
    let retried_enough = eventually(WAIT, || async {
        worker
            .http_get("/metrics")
            .is_some_and(|(_, body)| retries(&body, "no_responders") >= 20)
    })
    .await;
    assert!(retried_enough, "{}", worker.log());
    assert_eq!(
        client.stream_count("DLQ").await,
        0,
        "an outage must not dead-letter"
    );
    let not_ready = worker.http_get("/readyz").map(|(status, _)| status);

    client
        .jetstream
        .create_stream(async_nats::jetstream::stream::Config {
            name: "ENRICHED".to_string(),
            subjects: vec!["articles.enriched.>".to_string()],
            ..Default::default()
        })
        .await
        .unwrap();
    wait_for_count(&client, "ENRICHED", 5, &worker).await;
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    assert_eq!(client.stream_count("DLQ").await, 0);
    assert_eq!(
        count_by_article_id(&client.stream_messages("ENRICHED").await).len(),
        5
    );
    // Readiness is checked every five seconds, so it may or may not have noticed.
    assert!(matches!(not_ready, Some(200) | Some(503)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_the_server_is_down_still_exits_zero_in_time() {
    let mut server = NatsServer::start();
    let mut worker = WorkerProcess::start(
        &server.url(),
        &[("ENRICHER__WORKER__SHUTDOWN_TIMEOUT", "3s")],
    );
    worker.wait_ready(WAIT);
    server.kill();
    std::thread::sleep(Duration::from_millis(500));
    let asked_to_stop = std::time::Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "exit status {status}\n{}", worker.log());
    assert!(
        asked_to_stop.elapsed() < Duration::from_secs(6),
        "took {:?}\n{}",
        asked_to_stop.elapsed(),
        worker.log()
    );
}
