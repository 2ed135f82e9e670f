//! A 3-node NATS cluster (three local servers with routes, JetStream streams with three
//! replicas) and two workers on the one durable consumer. One server and one worker are
//! killed with SIGKILL mid-stream: every article still comes out enriched, exactly once.

mod support;

use std::time::{Duration, Instant};
use support::{free_port, NatsServer, TestClient, WorkerProcess};

const TOTAL: usize = 3_000;
const WAIT: Duration = Duration::from_secs(60);

fn cluster() -> Vec<NatsServer> {
    let route_ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let routes = route_ports
        .iter()
        .map(|port| format!("nats-route://127.0.0.1:{port}"))
        .collect::<Vec<_>>()
        .join(", ");
    route_ports
        .iter()
        .enumerate()
        .map(|(n, port)| {
            NatsServer::start_with(&format!(
                "server_name: node{n}\ncluster {{\n  name: enrichers\n  listen: 127.0.0.1:{port}\n  routes: [{routes}]\n}}"
            ))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_losing_a_server_and_a_worker_loses_and_duplicates_nothing() {
    let mut servers = cluster();
    let urls = servers
        .iter()
        .map(NatsServer::url)
        .collect::<Vec<_>>()
        .join(",");
    let replicated = [
        ("ENRICHER__STREAMS__ARTICLES__REPLICAS", "3"),
        ("ENRICHER__STREAMS__ENRICHED__REPLICAS", "3"),
        ("ENRICHER__STREAMS__DLQ__REPLICAS", "3"),
    ];
    // The first worker may use any server. The second knows only the server that will be
    // killed, so it is surely connected there; it learns the others from the cluster and
    // must move to one of them.
    let mut first = WorkerProcess::start(&urls, &replicated);
    let mut second = WorkerProcess::start(&servers[1].url(), &replicated);
    first.wait_ready(WAIT);
    second.wait_ready(WAIT);
    let client = TestClient::connect(&servers[0].url()).await;
    let started = Instant::now();
    client
        .publish_articles_at_once("articles.raw.cluster", "cluster", TOTAL)
        .await;

    let busy = client
        .wait_for_stream_count("ENRICHED", TOTAL / 5, Duration::from_secs(300))
        .await;
    assert!(busy, "{}\n{}", first.log(), second.log());
    let at_kill = client.stream_count("ENRICHED").await as usize;
    servers[1].kill();
    first.kill();
    assert!(
        at_kill < TOTAL,
        "the workers finished before the faults; publish more"
    );

    let done = client
        .wait_for_stream_count("ENRICHED", TOTAL, Duration::from_secs(600))
        .await;
    assert!(done, "{}\n{}", second.log(), servers[0].log());
    assert!(client.wait_consumer_idle(WAIT).await, "{}", second.log());

    let (lost, duplicated) = client.lost_and_duplicated(TOTAL).await;
    eprintln!(
        "3-node cluster, R3 streams, 2 workers; server and worker killed after {at_kill} of \
         {TOTAL} outputs: {lost} lost, {duplicated} duplicated, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0);
    assert_eq!(duplicated, 0);
    assert_eq!(client.stream_count("DLQ").await, 0);
}
