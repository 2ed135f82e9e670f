//! The input comes back unchanged (issue 18): number tokens exactly as sent (no rounding to
//! f64, `1E2` and `-0` kept, no range limit) and keys in their order, through the `enrich`
//! command and through the worker against a real nats-server; and an unreadable publication
//! time is reported in `enrichment.warnings` rather than dropped in silence.

mod support;

use serde_json::Value;
use std::process::Output;
use std::time::Duration;
use support::{NatsServer, TestClient, WorkerProcess};

/// A compact article whose other fields hold numbers that f64 would change or refuse. Its
/// strings have no escapes, so the output must begin with these very bytes.
const NUMBERS: &str = concat!(
    r#"{"id":"numbers","title":"Lavrov meets Wang Yi","#,
    r#""body":"Russian Foreign Minister Sergei Lavrov met Wang Yi in Cambodia on Friday.","#,
    r#""published_at":"2022-08-05T10:00:00Z","#,
    r#""big":123456789012345678901234567890,"exp":1E2,"zero":-0,"huge":1e999999,"#,
    r#""tiny":-1e-999999,"frac":1.50,"u64_plus_one":18446744073709551616,"#,
    r#""nested":{"list":[0.1,-0.0,2.5e+3,1e400],"z":1,"a":2}}"#
);

/// The output begins with the input's bytes, its closing brace replaced by the enrichment.
fn assert_passed_through(input: &str, output: &[u8]) {
    let output = std::str::from_utf8(output).expect("output is UTF-8");
    let kept = &input[..input.len() - 1];
    assert!(
        output.starts_with(&format!("{kept},\"enrichment\":{{")),
        "the input did not come back unchanged:\n in: {input}\nout: {}",
        &output[..output.len().min(input.len() + 40)]
    );
    let value: Value = serde_json::from_str(output).expect("output is JSON");
    assert_eq!(value["enrichment"]["article_id"], "numbers");
    assert_eq!(value["enrichment"]["warnings"], serde_json::json!([]));
}

fn enrich(stdin: &[u8]) -> Output {
    support::run_enrich(&[], stdin)
}

/// The warnings of each enriched line of `input`.
fn warnings(input: &str) -> Vec<Vec<String>> {
    let output = enrich(input.as_bytes());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap();
            serde_json::from_value(value["enrichment"]["warnings"].clone()).unwrap()
        })
        .collect()
}

#[test]
fn enrich_passes_numbers_through_as_they_came() {
    let output = enrich(format!("{NUMBERS}\n").as_bytes());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_passed_through(NUMBERS, &output.stdout);
}

#[test]
fn an_unreadable_publication_time_is_a_warning_naming_field_and_value() {
    const BODY: &str = "Anna Berg met Omar Haddad in Oslo on Friday.";
    let long = "x".repeat(500);
    let input = [
        serde_json::json!({"body": BODY, "published_at": "sometime last week"}),
        serde_json::json!({"body": BODY, "date": {"year": 2022}}),
        serde_json::json!({"body": BODY, "pubDate": long}),
        // An unreadable one before a readable alias: the warning, and the alias is used.
        serde_json::json!({"body": BODY, "published_at": "soon", "date": "2022-08-05"}),
        // Readable, absent or empty: no warning.
        serde_json::json!({"body": BODY, "published_at": "2022-08-05T10:00:00Z"}),
        serde_json::json!({"body": BODY, "published_at": 1659693600}),
        serde_json::json!({"body": BODY, "published_at": null, "date": " "}),
        serde_json::json!({"body": BODY}),
    ]
    .iter()
    .map(|article| format!("{article}\n"))
    .collect::<String>();
    let warnings = warnings(&input);
    assert_eq!(warnings.len(), 8);
    let only = |line: usize| -> &str {
        assert_eq!(warnings[line].len(), 1, "line {line}: {:?}", warnings[line]);
        &warnings[line][0]
    };
    assert!(only(0).contains("`published_at`"), "{}", only(0));
    assert!(only(0).contains("\"sometime last week\""), "{}", only(0));
    assert!(only(0).contains("RFC 3339"), "{}", only(0));
    assert!(only(1).contains("`date`"), "{}", only(1));
    assert!(only(1).contains(r#"{"year":2022}"#), "{}", only(1));
    assert!(only(2).contains("`pubDate`"), "{}", only(2));
    assert!(
        only(2).contains(&format!("\"{}\"…", "x".repeat(60))),
        "{}",
        only(2)
    );
    assert!(!only(2).contains(&"x".repeat(61)), "{}", only(2));
    assert!(only(3).contains("`published_at`"), "{}", only(3));
    for (line, found) in warnings.iter().enumerate().skip(4) {
        assert!(found.is_empty(), "line {line}: {found:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_stores_numbers_as_they_came() {
    const WAIT: Duration = Duration::from_secs(30);
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    client.publish("articles.raw.numbers", NUMBERS).await;
    assert!(
        client.wait_for_stream_count("ENRICHED", 1, WAIT).await,
        "nothing enriched; DLQ holds {}\n{}",
        client.stream_count("DLQ").await,
        worker.log()
    );
    let outputs = client.stream_messages("ENRICHED").await;
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs[0].subject, "articles.enriched.numbers");
    assert_passed_through(NUMBERS, &outputs[0].payload);
    assert_eq!(client.stream_count("DLQ").await, 0);
}
