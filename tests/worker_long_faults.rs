//! The slower fault tests: a burst of 50,000 messages with the worker's memory sampled while
//! it works through them, and the broker gone for a minute under load. Each prints its
//! figures (run with `-- --nocapture`).

mod support;

use std::time::{Duration, Instant};
use support::{NatsServer, TestClient, WorkerProcess};

const WAIT: Duration = Duration::from_secs(60);

/// The resident set of a process in MB (Linux), None elsewhere.
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_50000_messages_is_worked_through_in_bounded_memory() {
    const TOTAL: usize = 50_000;
    let server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let started = Instant::now();
    client
        .publish_articles_at_once("articles.raw.burst", "burst", TOTAL)
        .await;
    let published_in = started.elapsed();
    let pid = worker.pid();
    let mut samples = Vec::new();
    loop {
        if let Some(rss) = rss_mb(pid) {
            samples.push(rss);
        }
        if client.stream_count("ENRICHED").await >= TOTAL as u64 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "not done in 15 minutes\n{}",
            worker.log()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let (lost, duplicated) = client.lost_and_duplicated(TOTAL).await;
    let largest = |samples: &[f64]| samples.iter().copied().fold(0.0, f64::max);
    let quarter = (samples.len() / 4).max(1).min(samples.len());
    let peak = largest(&samples);
    let early = largest(&samples[..quarter]);
    let late = largest(&samples[samples.len() - quarter..]);
    eprintln!(
        "burst of {TOTAL} published in {:.1} s, enriched in {:.1} s: {lost} lost, \
         {duplicated} duplicated; worker RSS peak {peak:.0} MB, first quarter {early:.0} MB, \
         last quarter {late:.0} MB ({} samples)",
        published_in.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        samples.len()
    );
    assert_eq!((lost, duplicated), (0, 0));
    if cfg!(target_os = "linux") {
        // The backlog waits in the stream, not in the worker: at most worker.in_flight
        // messages are held at once, so memory does not follow the size of the burst.
        assert!(samples.len() >= 4, "too few memory samples");
        assert!(peak < 400.0, "the worker grew to {peak:.0} MB");
        assert!(
            late < early + 50.0,
            "memory grew from {early:.0} to {late:.0} MB"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_gone_for_a_minute_under_load_loses_and_dead_letters_nothing() {
    const TOTAL: usize = 3_000;
    let mut server = NatsServer::start();
    let mut worker = WorkerProcess::start(&server.url(), &[]);
    worker.wait_ready(WAIT);
    let client = TestClient::connect(&server.url()).await;
    let started = Instant::now();
    client
        .publish_articles_at_once("articles.raw.burst", "outage", TOTAL)
        .await;
    let busy = client
        .wait_for_stream_count("ENRICHED", TOTAL / 5, Duration::from_secs(300))
        .await;
    assert!(busy, "{}", worker.log());
    let before = client.stream_count("ENRICHED").await;
    assert!(
        before < TOTAL as u64,
        "the worker finished before the outage; publish more"
    );
    server.kill();
    tokio::time::sleep(Duration::from_secs(60)).await;
    server.restart();
    let done = client
        .wait_for_stream_count("ENRICHED", TOTAL, Duration::from_secs(600))
        .await;
    assert!(done, "{}\n{}", worker.log(), server.log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", worker.log());
    let (lost, duplicated) = client.lost_and_duplicated(TOTAL).await;
    let dead = client.stream_count("DLQ").await;
    eprintln!(
        "{TOTAL} articles, the broker killed for 60 s after {before} outputs: {lost} lost, \
         {duplicated} duplicated, {dead} dead-lettered, {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    assert_eq!((lost, duplicated, dead), (0, 0, 0));
    assert_eq!(
        worker.http_get("/readyz").map(|(status, _)| status),
        Some(200)
    );
}
