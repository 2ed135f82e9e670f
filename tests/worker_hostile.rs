//! A corpus of hostile messages through the real worker and a real nats-server: each one is
//! enriched or dead-lettered with its reason, the worker stays up and ready, and the good
//! articles published between them all come out, once each.
//!
//! And the burst of issue 18: three slow 1 MB texts with five normal articles behind them,
//! each out within 15 s of its publish (four times that in a debug build) and the worker's
//! peak memory under 400 MB. `cargo test --release --test worker_hostile -- --nocapture
//! slow_texts` prints each article's time from publish to output and the peak memory.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use support::{article, count_by_article_id, eventually, NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(120);
/// `worker.max_input_bytes` of this test: room for a 1 MB token, and under the server's
/// `max_payload` (2 MiB here), so that a larger input reaches the worker.
const INPUT_LIMIT: usize = 1_100_000;

/// What must become of a hostile message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Enriched,
    DeadLettered(&'static str),
}

struct Hostile {
    name: &'static str,
    payload: Vec<u8>,
    outcome: Outcome,
}

fn object(id: &str, fields: serde_json::Value) -> Vec<u8> {
    let mut value = fields;
    value["id"] = serde_json::Value::String(id.to_string());
    serde_json::to_vec(&value).unwrap()
}

fn corpus() -> Vec<Hostile> {
    use Outcome::*;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_field = format!(
        r#"{{"id": "deep", "body": "Text.", "extra": {}{}}}"#,
        "{\"a\": ".repeat(10_000),
        "}".repeat(10_000)
    );
    let cases = [
        (
            "invalid JSON",
            b"{\"body\": \"unfinished".to_vec(),
            DeadLettered("invalid_json"),
        ),
        (
            "invalid UTF-8",
            b"{\"body\": \"caf\xe9 au lait\"}".to_vec(),
            DeadLettered("invalid_utf8"),
        ),
        ("an empty object", b"{}".to_vec(), DeadLettered("no_text")),
        (
            "a body that is a number",
            br#"{"body": 42}"#.to_vec(),
            DeadLettered("invalid_field"),
        ),
        (
            "a body that is an object",
            br#"{"body": {"text": "x"}}"#.to_vec(),
            DeadLettered("invalid_field"),
        ),
        (
            "an empty body",
            br#"{"body": ""}"#.to_vec(),
            DeadLettered("no_text"),
        ),
        (
            "a body over worker.max_input_bytes",
            object(
                "big",
                serde_json::json!({"body": "All quiet. ".repeat(INPUT_LIMIT / 10)}),
            ),
            DeadLettered("input_too_large"),
        ),
        (
            "a JSON array",
            br#"[{"body": "An article in an array."}]"#.to_vec(),
            DeadLettered("not_an_object"),
        ),
        (
            "a JSON string",
            br#""just a string""#.to_vec(),
            DeadLettered("not_an_object"),
        ),
        (
            "10,000-deep nesting",
            deep.into_bytes(),
            DeadLettered("invalid_json"),
        ),
        (
            "10,000-deep nesting in a field",
            deep_field.into_bytes(),
            DeadLettered("invalid_json"),
        ),
        (
            "200,000 quotation marks",
            object("quotes", serde_json::json!({"body": "\"".repeat(200_000)})),
            Enriched,
        ),
        (
            "a single 1 MB token",
            object("token", serde_json::json!({"body": "x".repeat(1_000_000)})),
            Enriched,
        ),
        (
            "NUL and control characters",
            object(
                "controls",
                serde_json::json!({"body": "Anna\u{0} Berg\u{7} met Omar\u{1b} Haddad in Oslo.\u{0}\u{8}\u{c}", "title": "\u{0}"}),
            ),
            Enriched,
        ),
        (
            "mixed scripts, bidi controls, emoji",
            object(
                "scripts",
                serde_json::json!({"body": "Владимир Иванов met 王小明 in Paris. \u{202e}desrever\u{202c} 🙂 \u{fe0f}\u{200d} said Anna Berg."}),
            ),
            Enriched,
        ),
        (
            "a German article, declared",
            object(
                "german-declared",
                serde_json::json!({"language": "de", "body": "Der Minister traf sich am Montag in Berlin mit seiner Amtskollegin."}),
            ),
            Enriched,
        ),
        (
            "a German article, undeclared",
            object(
                "german",
                serde_json::json!({"body": "Der Minister traf sich am Montag in Berlin mit seiner Amtskollegin und sagte, die Gespräche seien gut gewesen."}),
            ),
            Enriched,
        ),
        (
            "lone surrogate escapes",
            br#"{"id": "surrogate", "body": "Text \ud800 with a lone surrogate."}"#.to_vec(),
            DeadLettered("invalid_json"),
        ),
    ];
    cases
        .into_iter()
        .map(|(name, payload, outcome)| Hostile {
            name,
            payload,
            outcome,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_message_is_enriched_or_dead_lettered_and_good_ones_flow() {
    let server = NatsServer::start_with("max_payload: 2097152");
    let limit = INPUT_LIMIT.to_string();
    let mut worker = WorkerProcess::start(
        &server.url(),
        &[("ENRICHER__WORKER__MAX_INPUT_BYTES", limit.as_str())],
    );
    worker.wait_ready(Duration::from_secs(30));
    let client = TestClient::connect(&server.url()).await;

    let corpus = corpus();
    let started = Instant::now();
    let mut good_ids = Vec::new();
    for (number, hostile) in corpus.iter().enumerate() {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("X-Case", number.to_string().as_str());
        client
            .publish_with_headers("articles.raw.hostile", headers, hostile.payload.clone())
            .await;
        let id = format!("good-{number:02}");
        client
            .publish(
                "articles.raw.good",
                serde_json::to_vec(&article(&id)).unwrap(),
            )
            .await;
        good_ids.push(id);
    }
    let enriched_hostile = corpus
        .iter()
        .filter(|hostile| hostile.outcome == Outcome::Enriched)
        .count();
    let dead_hostile = corpus.len() - enriched_hostile;
    let expected_enriched = (good_ids.len() + enriched_hostile) as u64;
    let all_out = eventually(WAIT, || async {
        client.stream_count("ENRICHED").await >= expected_enriched
            && client.stream_count("DLQ").await >= dead_hostile as u64
    })
    .await;
    assert!(
        all_out,
        "ENRICHED {} of {expected_enriched}, DLQ {} of {dead_hostile}\n{}",
        client.stream_count("ENRICHED").await,
        client.stream_count("DLQ").await,
        worker.log()
    );
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let elapsed = started.elapsed();

    // Dead letters: the expected reason for each case, once.
    let mut dead_kinds: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for message in client.stream_messages("DLQ").await {
        let number: usize = message
            .header("X-Case")
            .expect("dead letters keep the original headers")
            .parse()
            .unwrap();
        let kind = message.json()["error"]["kind"]
            .as_str()
            .unwrap()
            .to_string();
        dead_kinds.entry(number).or_default().push(kind);
    }
    // Outputs: every good article once, and the hostile ones expected to be enriched.
    let enriched = client.stream_messages("ENRICHED").await;
    let counts = count_by_article_id(&enriched);
    for id in &good_ids {
        assert_eq!(counts.get(id), Some(&1), "{id} is not out exactly once");
    }
    let mut report = Vec::new();
    for (number, hostile) in corpus.iter().enumerate() {
        let got = match (dead_kinds.get(&number), hostile.outcome) {
            (Some(kinds), _) => format!("dead-lettered {}", kinds.join(", ")),
            (None, Outcome::Enriched) => {
                let id = serde_json::from_slice::<serde_json::Value>(&hostile.payload).unwrap()
                    ["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                match counts.get(&id) {
                    Some(1) => "enriched".to_string(),
                    other => format!("enriched {other:?} times"),
                }
            }
            (None, Outcome::DeadLettered(_)) => "neither enriched nor dead-lettered".to_string(),
        };
        let want = match hostile.outcome {
            Outcome::Enriched => "enriched".to_string(),
            Outcome::DeadLettered(kind) => format!("dead-lettered {kind}"),
        };
        assert_eq!(got, want, "{}", hostile.name);
        report.push(format!("{}: {got}", hostile.name));
    }
    assert_eq!(enriched.len(), good_ids.len() + enriched_hostile);
    assert_eq!(
        worker.http_get("/readyz").map(|(status, _)| status),
        Some(200)
    );
    eprintln!(
        "{} hostile and {} good messages in {:.1} s; nothing lost or doubled:\n  {}",
        corpus.len(),
        good_ids.len(),
        elapsed.as_secs_f64(),
        report.join("\n  ")
    );
}

/// The worker's peak resident memory (`VmHWM`), in MB.
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_texts_hold_up_the_articles_behind_them_for_seconds_not_minutes() {
    use futures::StreamExt;
    // Room for the output of a 1 MB input (the input and what was found in it).
    let server = NatsServer::start_with("max_payload: 4194304");
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(Duration::from_secs(30));
    let client = TestClient::connect(&server.url()).await;
    let mut outputs = client
        .client
        .subscribe("articles.enriched.>")
        .await
        .unwrap();
    client.client.flush().await.unwrap();

    // Each took minutes, or a gigabyte, before the stages were bounded.
    let slow = [
        "met officials. ",
        "He met Thomas Miller on Monday. ",
        "Lavrov said he met him. ",
    ];
    let mut published: Vec<(String, Instant)> = Vec::new();
    for (number, pattern) in slow.iter().enumerate() {
        let id = format!("slow-{number}");
        let body = pattern.repeat(1_000_000 / pattern.len());
        let payload = serde_json::json!({ "id": id, "body": body, "language": "en" });
        published.push((id, Instant::now()));
        client
            .publish("articles.raw.slow", serde_json::to_vec(&payload).unwrap())
            .await;
    }
    for number in 0..5 {
        let id = format!("normal-{number}");
        published.push((id.clone(), Instant::now()));
        client
            .publish(
                "articles.raw.normal",
                serde_json::to_vec(&article(&id)).unwrap(),
            )
            .await;
    }

    let mut arrived: BTreeMap<String, Instant> = BTreeMap::new();
    let give_up = Instant::now() + WAIT;
    while arrived.len() < published.len() {
        let left = give_up.saturating_duration_since(Instant::now());
        let Ok(Some(message)) = tokio::time::timeout(left, outputs.next()).await else {
            break;
        };
        let output: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
        let id = output["id"].as_str().unwrap().to_string();
        if id.starts_with("slow-") {
            let warnings = output["enrichment"]["warnings"].as_array().unwrap();
            assert!(
                !warnings.is_empty(),
                "{id}: no warning says it was cut short"
            );
        }
        arrived.entry(id).or_insert_with(Instant::now);
    }
    let peak = peak_rss_mb(worker.pid());
    let allowed = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 15 });
    let mut report = Vec::new();
    for (id, sent) in &published {
        let took = arrived.get(id).map(|at| at.duration_since(*sent));
        report.push(format!("{id}: {took:?}"));
        assert!(
            took.is_some_and(|took| took < allowed),
            "{id} took {took:?} (allowed {allowed:?}):\n{}\n{}",
            report.join("\n"),
            worker.log()
        );
    }
    assert_eq!(client.stream_count("DLQ").await, 0, "{}", worker.log());
    let peak = peak.expect("the worker's /proc status is readable");
    assert!(peak < 400.0, "peak resident memory {peak:.0} MB");
    eprintln!(
        "publish to output: {}; worker peak memory {peak:.0} MB",
        report.join(", ")
    );
}
