//! Everything that talks to NATS; the only module that imports `async_nats`.
//!
//! - [`connect`]: the connection (auth, TLS, retry of the first connect, endless
//!   reconnects), publishing with or without waiting for JetStream's PubAck, drain.
//! - [`jetstream`]: the three streams, the durable pull consumer, pull requests with
//!   heartbeats, the acks of one delivery, and publishing with the PubAck's `duplicate` flag.
//! - [`core`]: the queue-group subscription of core-NATS mode.
//! - [`dead_letter`]: the JSON and headers of a dead letter (design.md section 3).
//!
//! The worker sees [`InboundMessage`], [`PublishFailure`] and plain settings, never an
//! `async_nats` type. This module never looks inside a payload: it moves bytes.

pub mod connect;
pub mod core;
pub mod dead_letter;
pub mod jetstream;

pub use self::connect::Connection;
pub use self::core::CoreSubscription;
pub use self::dead_letter::DeadLetterReason;
pub use self::jetstream::{Pull, PullConsumer, PullEvent, Stored};

use bytes::Bytes;
use std::time::Duration;

/// A failure of the connection, the streams, the consumer or an ack.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("invalid NATS server address `{url}`: {reason}; set nats.url (or NATS_URL) to e.g. nats://127.0.0.1:4222")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot read the NATS credentials file {path}: {reason}; fix nats.auth.creds_file")]
    Credentials { path: String, reason: String },
    #[error("JetStream request failed ({what}): {reason}")]
    JetStream { what: String, reason: String },
    #[error("stream {name} does not exist; create it or set streams.create = true")]
    StreamMissing { name: String },
    #[error("the pull request failed: {0}")]
    Pull(String),
    #[error("the consumer was deleted on the server; it will be created again")]
    ConsumerDeleted,
    #[error("JetStream is not available (no responders); start nats-server with -js, or set mode = \"core\"")]
    JetStreamUnavailable,
    #[error("no heartbeat on the pending pull request; it was probably lost in a reconnect")]
    MissedHeartbeat,
    #[error("cannot subscribe to {subject}: {reason}")]
    Subscribe { subject: String, reason: String },
    #[error("cannot acknowledge the message: {0}")]
    Ack(String),
}

/// Why a publish did not end with the message stored (JetStream) or sent (core).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishFailure {
    /// Permanent: the server would refuse this message whatever happens.
    #[error("the message is {size} bytes with headers, more than the server's max_payload of {max_payload}")]
    TooLarge { size: usize, max_payload: usize },
    /// Temporary: the broker did not store it (timeout, no responders, connection lost,
    /// stream refused it). Retried, never dead-lettered.
    #[error("the broker did not store the message ({cause}): {detail}")]
    Broker { cause: &'static str, detail: String },
}

/// How a JetStream message was delivered: which one and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Sequence of the message in its stream: stable across redeliveries.
    pub stream_sequence: u64,
    /// 1 on the first delivery, counting every redelivery.
    pub delivered: u64,
}

/// A message received from NATS, with the means to acknowledge it when it came from
/// JetStream. Core-NATS messages have no [`Delivery`] and their acks do nothing.
pub struct InboundMessage {
    pub subject: String,
    pub payload: Bytes,
    headers: Option<async_nats::HeaderMap>,
    // Boxed: a JetStream message with its context is large, and most code moves the rest.
    acker: Option<Box<async_nats::jetstream::Message>>,
    delivery: Option<Delivery>,
}

impl std::fmt::Debug for InboundMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundMessage")
            .field("subject", &self.subject)
            .field("bytes", &self.payload.len())
            .field("delivery", &self.delivery)
            .finish()
    }
}

impl InboundMessage {
    pub fn delivery(&self) -> Option<Delivery> {
        self.delivery
    }

    /// The `Nats-Msg-Id` header, when the publisher set one.
    pub fn message_id(&self) -> Option<&str> {
        self.headers
            .as_ref()?
            .get(async_nats::header::NATS_MESSAGE_ID)
            .map(|value| value.as_str())
    }

    /// The raw message's headers that travel on to its output: all but the `Nats-*` ones
    /// (they steer how JetStream stores a message) and any naming `Nats-Msg-Id` in its name
    /// or value (nats-server 2.9 would take it for the output's own id). `traceparent` and
    /// other tracing or custom headers pass this way. `None` when nothing is carried.
    pub fn carried_headers(&self) -> Option<async_nats::HeaderMap> {
        let original = self.headers.as_ref()?;
        let mut carried = async_nats::HeaderMap::new();
        let mut any = false;
        for (name, values) in original.iter() {
            let name: &str = name.as_ref();
            if name.len() >= 5 && name[..5].eq_ignore_ascii_case("nats-") {
                continue;
            }
            if dead_letter::contains_ignore_case(name, dead_letter::MESSAGE_ID_HEADER) {
                continue;
            }
            for value in values {
                if !dead_letter::contains_ignore_case(
                    value.as_str(),
                    dead_letter::MESSAGE_ID_HEADER,
                ) {
                    carried.append(name, value.as_str());
                    any = true;
                }
            }
        }
        any.then_some(carried)
    }

    /// The message was handled: the server forgets it.
    pub async fn ack(&self) -> Result<(), TransportError> {
        self.send_ack(async_nats::jetstream::AckKind::Ack).await
    }

    /// Redeliver after `delay` (a broker-side failure).
    pub async fn nak(&self, delay: Duration) -> Result<(), TransportError> {
        self.send_ack(async_nats::jetstream::AckKind::Nak(Some(delay)))
            .await
    }

    /// Never redeliver (it went to the dead-letter subject).
    pub async fn term(&self) -> Result<(), TransportError> {
        self.send_ack(async_nats::jetstream::AckKind::Term).await
    }

    /// Still working on it: restart the server's ack timer.
    pub async fn in_progress(&self) -> Result<(), TransportError> {
        self.send_ack(async_nats::jetstream::AckKind::Progress)
            .await
    }

    async fn send_ack(&self, kind: async_nats::jetstream::AckKind) -> Result<(), TransportError> {
        match &self.acker {
            Some(message) => message
                .ack_with(kind)
                .await
                .map_err(|error| TransportError::Ack(error.to_string())),
            None => Ok(()),
        }
    }
}
