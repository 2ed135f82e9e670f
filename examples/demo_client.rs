//! A small NATS client for `scripts/demo`: publishes one article to the raw subject through
//! JetStream (waiting for the stream's acknowledgement) and prints the enriched article the
//! worker publishes on the output subject, as a scraper and an indexer would see them.
//!
//! ```text
//! cargo run --release --example demo_client -- NATS_URL FILE [RAW_SUBJECT [ENRICHED_SUBJECT]]
//! ```
//!
//! Subjects default to `articles.raw.example` and `articles.enriched.example` (the worker's
//! default subjects). It subscribes to the output subject before publishing, so the answer
//! cannot be missed, and gives up after 30 seconds.

use futures::StreamExt;
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: demo_client NATS_URL FILE [RAW_SUBJECT [ENRICHED_SUBJECT]]");
        return ExitCode::from(2);
    }
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo_client: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let url = &args[0];
    let article = std::fs::read(&args[1])?;
    // One JSON object per message: a pretty-printed file is compacted first.
    let article: serde_json::Value = serde_json::from_slice(&article)?;
    let payload = serde_json::to_vec(&article)?;
    let raw = args.get(2).map_or("articles.raw.example", String::as_str);
    let enriched = args
        .get(3)
        .map_or("articles.enriched.example", String::as_str);

    let client = async_nats::connect(url.as_str()).await?;
    let mut answers = client.subscribe(enriched.to_string()).await?;
    client.flush().await?;
    let jetstream = async_nats::jetstream::new(client.clone());
    let ack = jetstream
        .publish(raw.to_string(), payload.into())
        .await?
        .await?;
    eprintln!(
        "published the article to {raw} (stream {}, sequence {}); waiting on {enriched}",
        ack.stream, ack.sequence
    );
    let message = tokio::time::timeout(Duration::from_secs(30), answers.next())
        .await
        .map_err(|_| format!("no enriched article on {enriched} within 30 s"))?
        .ok_or("the subscription ended")?;
    println!("{}", String::from_utf8_lossy(&message.payload));
    Ok(())
}
