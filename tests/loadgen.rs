//! `article-enricher loadgen` against a real nats-server: every article of every phase comes
//! out once, the figures are there, and the run leaves no streams behind.

mod support;

use std::process::Command;
use std::time::Duration;
use support::{NatsServer, TestClient};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loadgen_measures_worker_offline_and_pass_through_and_cleans_up() {
    let server = NatsServer::start();
    let output = tokio::task::spawn_blocking({
        let url = server.url();
        move || {
            Command::new(env!("CARGO_BIN_EXE_article-enricher"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["loadgen", "--articles", "tests/golden/lavrov-wang-yi.json"])
                .args(["--count", "40", "--threads", "1,2", "--timeout", "60"])
                .args(["--url", &url])
                .env_remove("NATS_URL")
                .output()
                .expect("cannot start article-enricher loadgen")
        }
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "loadgen failed: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("the report is not JSON ({error}): {stderr}"));
    assert_eq!(report["articles"], 40);
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, threads) in runs.iter().zip([1, 2]) {
        assert_eq!(run["threads"], threads);
        assert!(run["offline"]["articles_per_second"].as_f64().unwrap() > 0.0);
        assert!(run["offline"]["article_ms_p99"].as_f64().unwrap() > 0.0);
        for phase in ["worker", "pass_through"] {
            let figures = &run[phase];
            assert_eq!(figures["lost"], 0, "{phase}: {figures}");
            assert_eq!(figures["duplicated"], 0, "{phase}: {figures}");
            assert!(figures["articles_per_second"].as_f64().unwrap() > 0.0);
            assert!(figures["latency_ms_p99"].as_f64().unwrap() > 0.0);
            if cfg!(target_os = "linux") {
                assert!(figures["peak_rss_mb"].as_f64().unwrap() > 1.0);
            }
        }
        assert!(run["worker_to_offline"].as_f64().unwrap() > 0.0);
    }
    // The throw-away streams are gone.
    let client = TestClient::connect(&server.url()).await;
    let names: Vec<String> = {
        use futures::TryStreamExt;
        tokio::time::timeout(
            Duration::from_secs(10),
            client.jetstream.stream_names().try_collect(),
        )
        .await
        .expect("listing streams timed out")
        .expect("cannot list streams")
    };
    assert!(
        names.iter().all(|name| !name.starts_with("LOADGEN_")),
        "streams left behind: {names:?}"
    );
}
