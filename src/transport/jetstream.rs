//! JetStream: the three streams, the durable pull consumer, and pull requests.
//!
//! Pulls are issued here rather than through `async_nats`' consumer streams so that the
//! worker decides how many messages it can take (never more than its free in-flight slots)
//! and can withdraw a waiting pull on shutdown without stranding messages: the inbox is
//! drained, so whatever the server already sent is still handed to the worker. A pull
//! request asks for idle heartbeats; one that falls silent (lost in a reconnect or a server
//! restart) is reported as [`TransportError::MissedHeartbeat`] and the worker pulls again.
//!
//! [`Connection::publish_stored`] publishes an output and reports what its PubAck says,
//! including `duplicate`: the worker counts an output the stream already held instead of
//! taking it for a new one.

use super::connect::{headers_wire_len, jetstream_publish_failure, Connection};
use super::{Delivery, InboundMessage, PublishFailure, TransportError};
use crate::config::{ConsumerSettings, Storage, StreamSettings, StreamsSettings};
use async_nats::jetstream::consumer::{pull, AckPolicy, DeliverPolicy, ReplayPolicy};
use async_nats::jetstream::stream;
use async_nats::{HeaderMap, StatusCode};
use bytes::Bytes;
use futures::StreamExt;
use std::time::{Duration, Instant};

/// Extra time given to the server to end a pull request itself before the client does.
const PULL_GRACE: Duration = Duration::from_secs(2);

fn stream_config(settings: &StreamSettings) -> stream::Config {
    stream::Config {
        name: settings.name.clone(),
        subjects: settings.subjects.clone(),
        max_age: settings.max_age,
        max_bytes: settings.max_bytes,
        num_replicas: settings.replicas.max(1),
        storage: match settings.storage {
            Storage::File => stream::StorageType::File,
            Storage::Memory => stream::StorageType::Memory,
        },
        duplicate_window: settings.duplicate_window,
        retention: stream::RetentionPolicy::Limits,
        discard: stream::DiscardPolicy::Old,
        ..Default::default()
    }
}

/// What the PubAck of a stored publish said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The stream stored the message now.
    New,
    /// The stream already held a message with this `Nats-Msg-Id` (within its duplicate
    /// window) and dropped this one.
    Duplicate,
}

impl Connection {
    /// Publishes `payload` to `subject` with `Nats-Msg-Id: message_id` and the `carried`
    /// headers, waits for the PubAck and says whether the stream stored it or already held it.
    pub async fn publish_stored(
        &self,
        subject: &str,
        message_id: &str,
        carried: Option<HeaderMap>,
        payload: Vec<u8>,
    ) -> Result<Stored, PublishFailure> {
        let mut headers = carried.unwrap_or_default();
        headers.insert(async_nats::header::NATS_MESSAGE_ID, message_id);
        let size = headers_wire_len(&headers) + payload.len();
        let max_payload = self.max_payload();
        if max_payload > 0 && size > max_payload {
            return Err(PublishFailure::TooLarge { size, max_payload });
        }
        let ack = self
            .jetstream
            .publish_with_headers(subject.to_string(), headers, Bytes::from(payload))
            .await
            .map_err(|error| jetstream_publish_failure(error, size, max_payload))?
            .await
            .map_err(|error| jetstream_publish_failure(error, size, max_payload))?;
        Ok(if ack.duplicate {
            Stored::Duplicate
        } else {
            Stored::New
        })
    }

    /// Makes sure the three streams exist: creates the missing ones when `streams.create`,
    /// else reports them. Existing streams are left as they are.
    pub async fn ensure_streams(&self, streams: &StreamsSettings) -> Result<(), TransportError> {
        for settings in [&streams.articles, &streams.enriched, &streams.dlq] {
            let found = self.jetstream.get_stream(&settings.name).await;
            match found {
                Ok(_) => continue,
                Err(error) if is_stream_not_found(&error) => {
                    if !streams.create {
                        return Err(TransportError::StreamMissing {
                            name: settings.name.clone(),
                        });
                    }
                    self.jetstream
                        .create_stream(stream_config(settings))
                        .await
                        .map_err(|error| TransportError::JetStream {
                            what: format!("create stream {}", settings.name),
                            reason: error.to_string(),
                        })?;
                    tracing::info!(stream = %settings.name, subjects = ?settings.subjects, "created stream");
                }
                Err(error) => return Err(jetstream_error("look up stream", &settings.name, error)),
            }
        }
        Ok(())
    }

    /// Deletes the three streams, and with them their consumers; absent ones are skipped.
    /// For throw-away streams (the load harness); the worker itself never deletes.
    pub async fn delete_streams(&self, streams: &StreamsSettings) -> Result<(), TransportError> {
        for settings in [&streams.articles, &streams.enriched, &streams.dlq] {
            match self.jetstream.delete_stream(&settings.name).await {
                Ok(_) => {}
                Err(error) if is_stream_not_found(&error) => {}
                Err(error) => return Err(jetstream_error("delete stream", &settings.name, error)),
            }
        }
        Ok(())
    }

    /// How many messages the stream `name` holds (the load harness's count of what was
    /// stored, duplicates dropped by the stream's window excluded).
    pub async fn stream_message_count(&self, name: &str) -> Result<u64, TransportError> {
        let mut stream = self
            .jetstream
            .get_stream(name)
            .await
            .map_err(|error| jetstream_error("look up stream", name, error))?;
        let info = stream
            .info()
            .await
            .map_err(|error| TransportError::JetStream {
                what: format!("stream info {name}"),
                reason: error.to_string(),
            })?;
        Ok(info.state.messages)
    }

    /// True when the server answers for every stream (used by `/readyz`).
    pub async fn streams_reachable(&self, streams: &StreamsSettings) -> bool {
        for settings in [&streams.articles, &streams.enriched, &streams.dlq] {
            if self.jetstream.get_stream(&settings.name).await.is_err() {
                return false;
            }
        }
        true
    }

    /// Creates the durable pull consumer, or updates the settings it has from `settings`.
    pub async fn ensure_consumer(
        &self,
        stream_name: &str,
        filter_subject: &str,
        settings: &ConsumerSettings,
    ) -> Result<PullConsumer, TransportError> {
        let stream = self
            .jetstream
            .get_stream_no_info(stream_name)
            .await
            .map_err(|error| jetstream_error("look up stream", stream_name, error))?;
        let config = pull::Config {
            durable_name: Some(settings.durable.clone()),
            description: Some("article-enricher workers".to_string()),
            deliver_policy: DeliverPolicy::All,
            ack_policy: AckPolicy::Explicit,
            ack_wait: settings.ack_wait,
            max_deliver: settings.max_deliver,
            max_ack_pending: settings.max_ack_pending,
            filter_subject: filter_subject.to_string(),
            replay_policy: ReplayPolicy::Instant,
            ..Default::default()
        };
        let consumer = stream.create_consumer(config).await.map_err(|error| {
            TransportError::JetStream {
                what: format!("create or update consumer {} on {stream_name}", settings.durable),
                reason: format!("{error}; if an older consumer of that name has other settings (push delivery, another filter), delete it"),
            }
        })?;
        let name = consumer.cached_info().name.clone();
        Ok(PullConsumer {
            connection: self.clone(),
            next_subject: format!("$JS.API.CONSUMER.MSG.NEXT.{stream_name}.{name}"),
        })
    }
}

fn is_stream_not_found(error: &async_nats::jetstream::context::GetStreamError) -> bool {
    use async_nats::jetstream::context::GetStreamErrorKind;
    match error.kind() {
        GetStreamErrorKind::JetStream(error) => {
            error.error_code() == async_nats::jetstream::ErrorCode::STREAM_NOT_FOUND
        }
        _ => false,
    }
}

fn jetstream_error(
    what: &str,
    name: &str,
    error: impl std::fmt::Display + std::fmt::Debug,
) -> TransportError {
    let reason = error.to_string();
    if reason.contains("no responders") {
        return TransportError::JetStreamUnavailable;
    }
    TransportError::JetStream {
        what: format!("{what} {name}"),
        reason,
    }
}

/// The durable pull consumer; cheap to clone.
#[derive(Clone)]
pub struct PullConsumer {
    connection: Connection,
    next_subject: String,
}

/// What a pull request gives next.
#[derive(Debug)]
pub enum PullEvent {
    Message(InboundMessage),
    /// The request is done: all messages came, it expired, or it was withdrawn.
    Finished,
    /// The request failed; pull again (after a pause when the failure repeats).
    Failed(TransportError),
}

#[derive(serde::Serialize)]
struct PullRequest {
    batch: usize,
    expires: u64,
    #[serde(skip_serializing_if = "is_zero")]
    idle_heartbeat: u64,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl PullConsumer {
    /// Asks the server for up to `max_messages`, waiting at most `expires` for them.
    pub async fn pull(
        &self,
        max_messages: usize,
        expires: Duration,
        heartbeat: Duration,
    ) -> Result<Pull, TransportError> {
        let client = &self.connection.client;
        let inbox = client.new_inbox();
        let subscriber =
            client
                .subscribe(inbox.clone())
                .await
                .map_err(|error| TransportError::Subscribe {
                    subject: inbox.clone(),
                    reason: error.to_string(),
                })?;
        let request = PullRequest {
            batch: max_messages,
            expires: expires.as_nanos() as u64,
            idle_heartbeat: heartbeat.as_nanos() as u64,
        };
        let body = serde_json::to_vec(&request).expect("a pull request always serializes");
        client
            .publish_with_reply(self.next_subject.clone(), inbox, body.into())
            .await
            .map_err(|error| TransportError::Pull(error.to_string()))?;
        Ok(Pull {
            subscriber,
            context: self.connection.jetstream.clone(),
            remaining: max_messages,
            heartbeat,
            deadline: Instant::now() + expires + PULL_GRACE,
            withdrawn: false,
        })
    }
}

/// One pull request in progress.
pub struct Pull {
    subscriber: async_nats::Subscriber,
    context: async_nats::jetstream::Context,
    remaining: usize,
    heartbeat: Duration,
    deadline: Instant,
    withdrawn: bool,
}

impl Pull {
    /// The next message, or how the request ended. Cancel-safe.
    pub async fn next(&mut self) -> PullEvent {
        loop {
            if self.remaining == 0 && !self.withdrawn {
                return PullEvent::Finished;
            }
            let now = Instant::now();
            let until_deadline = self.deadline.saturating_duration_since(now);
            if until_deadline.is_zero() {
                // The server should have ended the request by now; assume it was lost.
                return PullEvent::Finished;
            }
            let silence_limit = if self.heartbeat.is_zero() {
                until_deadline
            } else {
                (self.heartbeat * 2 + Duration::from_millis(500)).min(until_deadline)
            };
            let received = tokio::time::timeout(silence_limit, self.subscriber.next()).await;
            let message = match received {
                Ok(Some(message)) => message,
                Ok(None) => return PullEvent::Finished,
                Err(_) if self.withdrawn => return PullEvent::Finished,
                Err(_) if Instant::now() >= self.deadline => return PullEvent::Finished,
                Err(_) => return PullEvent::Failed(TransportError::MissedHeartbeat),
            };
            match message.status {
                None | Some(StatusCode::OK) => {
                    self.remaining = self.remaining.saturating_sub(1);
                    match inbound(message, self.context.clone()) {
                        Some(inbound) => return PullEvent::Message(inbound),
                        None => continue,
                    }
                }
                Some(StatusCode::IDLE_HEARTBEAT) => continue,
                Some(StatusCode::TIMEOUT) | Some(StatusCode::NOT_FOUND) => {
                    if !self.withdrawn {
                        return PullEvent::Finished;
                    }
                }
                Some(StatusCode::REQUEST_TERMINATED) => {
                    let description = message.description.unwrap_or_default();
                    if description.eq_ignore_ascii_case("consumer deleted") {
                        return PullEvent::Failed(TransportError::ConsumerDeleted);
                    }
                    // Other 409s (max bytes, leadership change, exceeded max waiting) end
                    // this request only; a new one starts afresh.
                    tracing::debug!(%description, "pull request ended by the server");
                    if !self.withdrawn {
                        return PullEvent::Finished;
                    }
                }
                Some(StatusCode::NO_RESPONDERS) => {
                    return PullEvent::Failed(TransportError::JetStreamUnavailable)
                }
                Some(status) => {
                    return PullEvent::Failed(TransportError::Pull(format!(
                        "unexpected status {status}: {}",
                        message.description.unwrap_or_default()
                    )))
                }
            }
        }
    }

    /// Withdraws the request: the server stops sending to it, and [`Pull::next`] then yields
    /// what had already arrived, followed by `Finished`.
    pub async fn withdraw(&mut self) {
        if self.withdrawn {
            return;
        }
        self.withdrawn = true;
        // Messages the server sent before it saw the unsubscribe still arrive: the client
        // closes the subscription only when the server confirms it.
        if let Err(error) = self.subscriber.drain().await {
            tracing::debug!(%error, "withdrawing the pull request failed");
        }
    }
}

fn inbound(
    message: async_nats::Message,
    context: async_nats::jetstream::Context,
) -> Option<InboundMessage> {
    let message = async_nats::jetstream::Message { message, context };
    let delivery = match message.info() {
        Ok(info) => Delivery {
            stream_sequence: info.stream_sequence,
            delivered: info.delivered.max(1) as u64,
        },
        Err(error) => {
            tracing::warn!(%error, subject = %message.subject, "ignoring a message without JetStream metadata on the pull inbox");
            return None;
        }
    };
    Some(InboundMessage {
        subject: message.subject.to_string(),
        payload: message.payload.clone(),
        headers: message.headers.clone(),
        acker: Some(Box::new(message)),
        delivery: Some(delivery),
    })
}

/// The stream of the key-value bucket that holds, per raw message, how many of its
/// deliveries ended in a broker-side failure (`$KV.enricher_excuses.<stream>.<consumer>.<sequence>`,
/// one value per key, the count as decimal text). Every worker on the consumer reads and
/// writes it, and it outlives restarts, so an outage seen by one worker excuses the extra
/// deliveries for all of them. A day of history is enough: a message is redelivered
/// within `worker.retry_backoff_max`, and each failure writes the key anew.
const EXCUSE_BUCKET_STREAM: &str = "KV_enricher_excuses";
const EXCUSE_BUCKET_PREFIX: &str = "$KV.enricher_excuses";

/// Where the broker-side failures of one raw message are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcuseKey(String);

impl ExcuseKey {
    pub fn new(stream: &str, consumer: &str, stream_sequence: u64) -> ExcuseKey {
        ExcuseKey(format!(
            "{EXCUSE_BUCKET_PREFIX}.{stream}.{consumer}.{stream_sequence}"
        ))
    }
}

impl Connection {
    /// Creates the excuse bucket when it is missing and `create` (with `replicas` copies);
    /// an existing one is left as it is. Without `create` (an operator who makes the streams
    /// themselves) a missing bucket is reported, not made.
    pub async fn ensure_excuse_bucket(
        &self,
        replicas: usize,
        create: bool,
    ) -> Result<(), TransportError> {
        if !create {
            return match self.jetstream.get_stream(EXCUSE_BUCKET_STREAM).await {
                Ok(_) => Ok(()),
                Err(error) if is_stream_not_found(&error) => Err(TransportError::StreamMissing {
                    name: EXCUSE_BUCKET_STREAM.to_string(),
                }),
                Err(error) => Err(jetstream_error(
                    "look up stream",
                    EXCUSE_BUCKET_STREAM,
                    error,
                )),
            };
        }
        let config = stream::Config {
            name: EXCUSE_BUCKET_STREAM.to_string(),
            subjects: vec![format!("{EXCUSE_BUCKET_PREFIX}.>")],
            max_messages_per_subject: 1,
            max_age: Duration::from_secs(24 * 3600),
            num_replicas: replicas.max(1),
            storage: stream::StorageType::File,
            discard: stream::DiscardPolicy::Old,
            ..Default::default()
        };
        self.jetstream
            .get_or_create_stream(config)
            .await
            .map(|_| ())
            .map_err(|error| jetstream_error("create stream", EXCUSE_BUCKET_STREAM, error))
    }

    /// The broker-side failures stored for a message (0 when none are).
    pub async fn stored_excuses(&self, key: &ExcuseKey) -> Result<u64, TransportError> {
        use async_nats::jetstream::stream::LastRawMessageErrorKind;
        let stream = self
            .jetstream
            .get_stream_no_info(EXCUSE_BUCKET_STREAM)
            .await
            .map_err(|error| jetstream_error("look up stream", EXCUSE_BUCKET_STREAM, error))?;
        match stream.get_last_raw_message_by_subject(&key.0).await {
            Ok(message) => Ok(std::str::from_utf8(&message.payload)
                .ok()
                .and_then(|text| text.trim().parse().ok())
                .unwrap_or(0)),
            Err(error) if error.kind() == LastRawMessageErrorKind::NoMessageFound => Ok(0),
            Err(error) => Err(jetstream_error("read from", EXCUSE_BUCKET_STREAM, error)),
        }
    }

    /// Stores the broker-side failures of a message, replacing the count stored before.
    pub async fn store_excuses(&self, key: &ExcuseKey, count: u64) -> Result<(), TransportError> {
        let stored = async {
            self.jetstream
                .publish(key.0.clone(), count.to_string().into())
                .await
                .map_err(|error| error.to_string())?
                .await
                .map(|_| ())
                .map_err(|error| error.to_string())
        };
        stored.await.map_err(|reason| TransportError::JetStream {
            what: format!("write to {EXCUSE_BUCKET_STREAM}"),
            reason,
        })
    }
}
