//! Issue 23, item 1: `POST /v1/enrich` on `article-enricher serve`, a real process on a free
//! loopback port.
//!
//! - The answer is byte for byte what `enrich` prints for the same article: the example, and
//!   every invented text of `tests/cases` one by one and as one JSONL batch.
//! - Bad input gets a 4xx with the `{"error": {"kind", "message"}}` object of `enrich`'s
//!   error lines; over `worker.max_input_bytes` is 413; a wrong or missing bearer token 401;
//!   requests beyond `http.max_in_flight` 503; a body slower than `http.body_timeout` 408;
//!   and the server goes on answering after all of them. `/metrics` counts the answers by status. SIGTERM stops it with exit code 0.
//! - The worker (`run`) answers the same API on its HTTP port.

mod support;

use std::path::Path;
use std::time::Duration;
use support::serve::{request, ServeProcess};
use support::{run_enrich, NatsServer, WorkerProcess};

/// The example and every invented text of the case files, as one JSONL document.
fn sample_articles() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("tests/golden/lavrov-wang-yi.json")).unwrap();
    let example: serde_json::Value = serde_json::from_str(&example).unwrap();
    let mut lines = vec![serde_json::to_string(&example).unwrap()];
    for stage in ["dates", "entities", "meetings", "quotes"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/cases").join(stage))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let cases: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            for case in cases.as_array().into_iter().flatten() {
                if let Some(text) = case["text"].as_str() {
                    let mut article = serde_json::json!({"body": text});
                    if let Some(published) = case["published_at"].as_str() {
                        article["published_at"] = published.into();
                    }
                    lines.push(serde_json::to_string(&article).unwrap());
                }
            }
        }
    }
    assert!(lines.len() > 100, "the sample has {} articles", lines.len());
    let mut jsonl = lines.join("\n").into_bytes();
    jsonl.push(b'\n');
    jsonl
}

#[test]
fn answers_equal_what_enrich_prints_one_by_one_and_as_a_batch() {
    let serve = ServeProcess::start(&[]);
    let articles = sample_articles();
    let printed = run_enrich(&[], &articles);
    assert!(printed.status.success());
    let expected: Vec<&[u8]> = printed
        .stdout
        .split_inclusive(|&byte| byte == b'\n')
        .collect();
    let inputs: Vec<&[u8]> = articles
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(expected.len(), inputs.len());
    for (input, expected) in inputs.iter().zip(&expected) {
        let answer = serve.enrich(input);
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert!(
            answer.body == *expected,
            "the API and enrich differ on {}",
            String::from_utf8_lossy(input)
        );
    }
    let batch = serve.post(
        "/v1/enrich",
        &[("Content-Type", "application/x-ndjson")],
        &articles,
    );
    assert_eq!(batch.status, 200);
    assert_eq!(batch.header("content-type"), Some("application/x-ndjson"));
    assert!(
        batch.body == printed.stdout,
        "the batch differs from enrich"
    );
}

#[test]
fn bad_input_gets_a_client_error_with_the_error_object_and_the_server_goes_on() {
    let serve = ServeProcess::start(&[("ENRICHER__WORKER__MAX_INPUT_BYTES", "2000")]);
    let cases: [(&[u8], u16, &str); 6] = [
        (b"not json", 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_utf8"),
        (b"[1, 2]", 422, "not_an_object"),
        (br#"{"title": "No body"}"#, 422, "no_text"),
        (br#"{"body": 42}"#, 422, "invalid_field"),
        (br#"{"body": ""}"#, 422, "no_text"),
    ];
    for (body, status, kind) in cases {
        let answer = serve.enrich(body);
        assert_eq!(answer.status, status, "{}", String::from_utf8_lossy(body));
        let error = answer.json();
        assert_eq!(error["error"]["kind"], kind);
        assert!(error["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        // The same object as enrich's error line, without the line number.
        let printed = run_enrich(&[], body);
        let mut line: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
        line.as_object_mut().unwrap().remove("line");
        assert_eq!(error, line);
    }
    let long = serde_json::to_vec(&serde_json::json!({"body": "Word. ".repeat(1000)})).unwrap();
    let answer = serve.enrich(&long);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["error"]["kind"], "input_too_large");
    let batch = serve.post(
        "/v1/enrich",
        &[("Content-Type", "application/x-ndjson")],
        &[long.as_slice(), b"\n{\"body\": \"Still here.\"}\n"].concat(),
    );
    assert_eq!(batch.status, 200, "a long line of a batch is an error line");
    let lines: Vec<serde_json::Value> = batch
        .body
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).unwrap())
        .collect();
    assert_eq!(lines[0]["error"]["kind"], "input_too_large");
    assert_eq!(lines[1]["body"], "Still here.");

    let answer = serve.enrich(br#"{"body": "The server still answers."}"#);
    assert_eq!(answer.status, 200);
    let metrics = String::from_utf8(serve.get("/metrics").body).unwrap();
    for (status, count) in [("200", 2), ("400", 2), ("413", 1), ("422", 4)] {
        let series = format!(
            "enricher_http_requests_total{{route=\"/v1/enrich\",status=\"{status}\"}} {count}"
        );
        assert!(metrics.contains(&series), "no `{series}` in\n{metrics}");
    }
    assert_eq!(serve.get("/readyz").status, 200);
    assert!(serve.terminate().success());
}

#[test]
fn the_bearer_token_guards_the_api_and_never_reaches_the_log() {
    let token = "s3cret-review-token";
    let serve = ServeProcess::start(&[("ENRICHER__HTTP__TOKEN", token)]);
    let body = br#"{"body": "Token test."}"#;
    assert_eq!(serve.enrich(body).status, 401);
    let wrong = serve.post("/v1/enrich", &[("Authorization", "Bearer wrong")], body);
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"]["kind"], "unauthorized");
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    let right = serve.post(
        "/v1/enrich",
        &[("Authorization", &format!("Bearer {token}"))],
        body,
    );
    assert_eq!(right.status, 200);
    // The page and the probes stay open.
    assert_eq!(serve.get("/").status, 200);
    assert_eq!(serve.get("/healthz").status, 200);
    assert!(!serve.log().contains(token));
}

#[test]
fn requests_beyond_the_in_flight_limit_are_refused_with_503() {
    // One request at a time; a slow upload holds the one slot while another is refused.
    let serve = ServeProcess::start(&[
        ("ENRICHER__HTTP__MAX_IN_FLIGHT", "1"),
        ("ENRICHER__HTTP__BODY_TIMEOUT", "60s"),
    ]);
    use std::io::Write;
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    write!(
        slow,
        "POST /v1/enrich HTTP/1.0\r\nHost: x\r\nContent-Length: 40\r\n\r\n{{\"body\": "
    )
    .unwrap();
    slow.flush().unwrap();
    let refused = (0..100).find_map(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let answer = serve.enrich(br#"{"body": "Second."}"#);
        (answer.status == 503).then_some(answer)
    });
    let refused = refused.expect("a second request was never refused while the first was held");
    assert_eq!(refused.json()["error"]["kind"], "busy");
    assert_eq!(refused.header("retry-after"), Some("1"));
    drop(slow);
    let ok = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        serve.enrich(br#"{"body": "Third."}"#).status == 200
    });
    assert!(ok, "the slot was not given back");
}

#[test]
fn the_worker_answers_the_api_on_its_own_http_port_too() {
    let nats = NatsServer::start();
    let mut worker = WorkerProcess::start(&nats.url(), &[]);
    worker.wait_ready(Duration::from_secs(30));
    let body = br#"{"id": "w1", "body": "Angela Merkel met Emmanuel Macron in Paris on Monday."}"#;
    let answer = request(
        worker.http_port,
        "POST",
        "/v1/enrich",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, run_enrich(&[], body).stdout);
    assert_eq!(request(worker.http_port, "GET", "/", &[], b"").status, 200);
}

#[test]
fn an_upload_slower_than_the_body_timeout_gets_408_and_frees_its_slot() {
    use std::io::{Read, Write};
    let serve = ServeProcess::start(&[
        ("ENRICHER__HTTP__MAX_IN_FLIGHT", "1"),
        ("ENRICHER__HTTP__BODY_TIMEOUT", "1s"),
    ]);
    let started = std::time::Instant::now();
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        slow,
        "POST /v1/enrich HTTP/1.0\r\nHost: x\r\nContent-Length: 40\r\n\r\n{{\"body\": "
    )
    .unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.0 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(serve.enrich(br#"{"body": "Next."}"#).status, 200);
}
