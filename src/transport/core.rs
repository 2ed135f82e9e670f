//! Core-NATS mode: a queue-group subscription on the input subject.
//!
//! Instances in one queue group share the messages. There are no acks and no redelivery:
//! a message is lost if the worker dies while holding it (at most once). Streams are neither
//! needed nor created; if a stream happens to capture the output subject, the
//! `Nats-Msg-Id` header still deduplicates there.

use super::connect::Connection;
use super::{InboundMessage, TransportError};
use futures::StreamExt;

/// The queue-group subscription of core mode.
pub struct CoreSubscription {
    subscriber: async_nats::Subscriber,
}

impl Connection {
    /// Subscribes to `subject` in `queue_group` and waits until the server has registered it.
    pub async fn queue_subscribe(
        &self,
        subject: &str,
        queue_group: &str,
    ) -> Result<CoreSubscription, TransportError> {
        let subscribe_error = |reason: String| TransportError::Subscribe {
            subject: subject.to_string(),
            reason,
        };
        let subscriber = self
            .client
            .queue_subscribe(subject.to_string(), queue_group.to_string())
            .await
            .map_err(|error| subscribe_error(error.to_string()))?;
        // After the flush the server knows the subscription, so "ready" means "receiving".
        self.client
            .flush()
            .await
            .map_err(|error| subscribe_error(error.to_string()))?;
        Ok(CoreSubscription { subscriber })
    }
}

impl CoreSubscription {
    /// The next message; `None` once the subscription is closed (drained).
    pub async fn next(&mut self) -> Option<InboundMessage> {
        let message = self.subscriber.next().await?;
        Some(InboundMessage {
            subject: message.subject.to_string(),
            payload: message.payload,
            headers: message.headers,
            acker: None,
            delivery: None,
        })
    }

    /// Stops new messages; those already received are still returned by [`Self::next`].
    pub async fn drain(&mut self) {
        if let Err(error) = self.subscriber.drain().await {
            tracing::debug!(%error, "draining the subscription failed");
        }
    }
}
