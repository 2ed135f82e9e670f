//! Poison is decided only on evidence (issue 18): articles that wait for a busy enrichment
//! thread are not counted as stalled, and broker-side failures excuse the extra deliveries
//! they caused for a worker that did not see them (the next worker after a restart, and the
//! other worker on the same consumer).
//! Each test starts its own server and worker processes.

mod support;

use std::time::Duration;
use support::{
    article, count_by_article_id, eventually, publish_articles, retries, NatsServer, TestClient,
    WorkerProcess,
};

const WAIT: Duration = Duration::from_secs(60);

/// A sentence with names, a place, a date, a quote and a meeting: every stage has work.
const BUSY_SENTENCE: &str = "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart \
    Wang Yi in Cambodia on Friday, TASS reported. \"We discussed cooperation,\" Lavrov said.";

/// An article whose enrichment takes about a second or two of one core (debug build).
fn slow_article(id: &str) -> serde_json::Value {
    let mut value = article(id);
    value["body"] = serde_json::Value::String(vec![BUSY_SENTENCE; 400].join(" "));
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_waiting_behind_slow_ones_are_not_stalled_nor_dead_lettered() {
    let server = NatsServer::start();
    // One thread, and a stall timeout shorter than the queue the slow articles make: the
    // articles behind them wait longer than worker.stall_timeout for the thread.
    let settings = [
        ("ENRICHER__WORKER__ENRICH_THREADS", "1"),
        ("ENRICHER__WORKER__STALL_TIMEOUT", "4s"),
        ("ENRICHER__CONSUMER__ACK_WAIT", "3s"),
        ("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "2"),
    ];
    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let id = format!("slow-{n}");
        let payload = serde_json::to_vec(&slow_article(&id)).unwrap();
        client.publish("articles.raw.x", payload).await;
        ids.push(id);
    }
    for n in 0..6 {
        let id = format!("normal-{n}");
        let payload = serde_json::to_vec(&article(&id)).unwrap();
        client.publish("articles.raw.x", payload).await;
        ids.push(id);
    }
    let done = client
        .wait_for_stream_count("ENRICHED", ids.len(), WAIT)
        .await;
    assert!(done, "{}", worker.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let dead = client.stream_messages("DLQ").await;
    let dead_ids: Vec<String> = dead
        .iter()
        .map(|message| message.json()["payload"].as_str().unwrap_or("").to_string())
        .map(|payload| {
            serde_json::from_str::<serde_json::Value>(&payload).map_or(payload.clone(), |value| {
                value["id"].as_str().unwrap_or("").to_string()
            })
        })
        .collect();
    assert!(dead.is_empty(), "dead-lettered: {dead_ids:?}");
    let counts = count_by_article_id(&client.stream_messages("ENRICHED").await);
    for id in &ids {
        assert_eq!(counts.get(id), Some(&1), "{id} in {counts:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_seen_by_a_worker_excuses_the_deliveries_for_the_next_worker() {
    const TOTAL: usize = 3;
    let server = NatsServer::start();
    let settings = [("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "3")];
    let mut first = WorkerProcess::start(&server.url(), &settings);
    first.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;

    // Without its output stream every publish finds no responders: each article is
    // delivered more often than poison_after_deliveries, every time a broker-side failure.
    client.jetstream.delete_stream("ENRICHED").await.unwrap();
    publish_articles(&client, "x", "outage", TOTAL).await;
    let retried_enough = eventually(WAIT, || async {
        first
            .http_get("/metrics")
            .is_some_and(|(_, body)| retries(&body, "no_responders") >= 5 * TOTAL as u64)
    })
    .await;
    assert!(retried_enough, "{}", first.log());
    first.signal(libc::SIGTERM);
    assert!(first.wait_exit(WAIT).success(), "{}", first.log());
    assert_eq!(client.stream_count("DLQ").await, 0);

    // The outage is over; a new worker, which saw none of it, takes over.
    recreate_enriched(&client).await;
    let mut second = WorkerProcess::start(&server.url(), &settings);
    second.wait_ready(WAIT);
    let done = client.wait_for_stream_count("ENRICHED", TOTAL, WAIT).await;
    assert!(done, "{}", second.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", second.log());
    assert_eq!(
        client.stream_count("DLQ").await,
        0,
        "an outage must not dead-letter, whichever worker saw it\n{}",
        second.log()
    );
    assert_eq!(
        count_by_article_id(&client.stream_messages("ENRICHED").await).len(),
        TOTAL
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_seen_by_two_workers_on_one_consumer_dead_letters_nothing() {
    const TOTAL: usize = 3;
    let server = NatsServer::start();
    let settings = [("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "3")];
    let mut workers = [
        WorkerProcess::start(&server.url(), &settings),
        WorkerProcess::start(&server.url(), &settings),
    ];
    for worker in &mut workers {
        worker.wait_ready(WAIT);
    }
    let client = TestClient::connect(&server.url()).await;
    let logs = |workers: &[WorkerProcess; 2]| format!("{}\n{}", workers[0].log(), workers[1].log());

    // Each redelivery goes to whichever worker pulls first, so neither sees all the
    // failures of an article.
    client.jetstream.delete_stream("ENRICHED").await.unwrap();
    publish_articles(&client, "x", "shared", TOTAL).await;
    let retried_enough = eventually(WAIT, || async {
        let total: u64 = workers
            .iter()
            .filter_map(|worker| worker.http_get("/metrics"))
            .map(|(_, body)| retries(&body, "no_responders"))
            .sum();
        total >= 8 * TOTAL as u64
    })
    .await;
    assert!(retried_enough, "{}", logs(&workers));
    assert_eq!(client.stream_count("DLQ").await, 0, "{}", logs(&workers));

    recreate_enriched(&client).await;
    let done = client.wait_for_stream_count("ENRICHED", TOTAL, WAIT).await;
    assert!(done, "{}", logs(&workers));
    assert!(client.wait_consumer_idle(WAIT).await, "{}", logs(&workers));
    assert_eq!(client.stream_count("DLQ").await, 0, "{}", logs(&workers));
    assert_eq!(
        count_by_article_id(&client.stream_messages("ENRICHED").await).len(),
        TOTAL
    );
}

/// Puts back the output stream the test deleted to cause the outage.
async fn recreate_enriched(client: &TestClient) {
    client
        .jetstream
        .create_stream(async_nats::jetstream::stream::Config {
            name: "ENRICHED".to_string(),
            subjects: vec!["articles.enriched.>".to_string()],
            ..Default::default()
        })
        .await
        .unwrap();
}

/// The stream sequences the worker gave up on (past `worker.stall_timeout`), from its log.
fn stalled_sequences(log: &str) -> Vec<u64> {
    log.lines()
        .filter(|line| line.contains("longer than worker.stall_timeout"))
        .filter_map(|line| {
            let after = &line[line.find("stream_sequence")? + "stream_sequence".len()..];
            let digits: String = after
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// An article whose body is [`BUSY_SENTENCE`] repeated to at least `bytes` bytes.
fn article_of_size(id: &str, bytes: usize) -> serde_json::Value {
    let sentence = format!("{BUSY_SENTENCE} ");
    let mut value = article(id);
    value["body"] = serde_json::Value::String(sentence.repeat(bytes.div_ceil(sentence.len())));
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_batch_mates_of_an_article_that_stalls_are_enriched_on_their_next_delivery() {
    let server = NatsServer::start();
    // One thread, batches, and a stall timeout far shorter than a large article takes (about
    // 6 ms per KB in a debug build) and far longer than a short one: a large article stalls,
    // and so does every message enriched in a batch with it.
    let settings = [
        ("ENRICHER__WORKER__ENRICH_THREADS", "1"),
        ("ENRICHER__WORKER__BATCH_ARTICLES", "32"),
        ("ENRICHER__WORKER__STALL_TIMEOUT", "250ms"),
        ("ENRICHER__WORKER__TIME_BUDGET", "60s"),
        ("ENRICHER__CONSUMER__ACK_WAIT", "450ms"),
        ("ENRICHER__WORKER__POISON_AFTER_DELIVERIES", "3"),
    ];
    let mut worker = WorkerProcess::start(&server.url(), &settings);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    // The first article, larger than a batch may hold (128 KiB), runs alone and keeps the
    // thread busy while the second one (large, but not too large to share a batch) and the
    // normal articles arrive: those wait for the thread and are taken as one batch (stream
    // sequences 2 to 6).
    for (id, bytes) in [("blocker", 150_000), ("large", 110_000)] {
        let payload = serde_json::to_vec(&article_of_size(id, bytes)).unwrap();
        client.publish("articles.raw.x", payload).await;
    }
    let normal: Vec<String> = (0..4).map(|n| format!("normal-{n}")).collect();
    for id in &normal {
        client
            .publish("articles.raw.x", serde_json::to_vec(&article(id)).unwrap())
            .await;
    }
    let done = client
        .wait_for_stream_count("ENRICHED", normal.len(), WAIT)
        .await;
    assert!(done, "{}", worker.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let stalled = stalled_sequences(&worker.log());
    assert!(
        (3..=6).any(|sequence| stalled.contains(&sequence)),
        "no normal article stalled with a slow one (stalled: {stalled:?}), so this test showed nothing\n{}",
        worker.log()
    );
    let counts = count_by_article_id(&client.stream_messages("ENRICHED").await);
    for id in &normal {
        assert_eq!(counts.get(id), Some(&1), "{id} in {counts:?}");
    }
    for message in client.stream_messages("DLQ").await {
        let payload = message.json()["payload"].as_str().unwrap_or("").to_string();
        assert!(
            !normal
                .iter()
                .any(|id| payload.contains(&format!("\"{id}\""))),
            "a normal article was dead-lettered: {}",
            message.json()
        );
    }
}
