//! The NATS connection: options from [`NatsSettings`], publishing, flushing and draining.
//!
//! The first connection is retried in the background and lost connections are re-established
//! forever: a worker never gives up on its broker, it reports itself not ready instead.
//! Subscriptions survive reconnects (the client re-subscribes); pull requests do not, which
//! [`super::jetstream`] handles.
//!
//! Credentials written inside the server URLs are taken out of them and handed to the client
//! as options: async-nats ignores a URL's user info when it authenticates, and prints server
//! addresses (user info included) in its debug output.

use super::{PublishFailure, TransportError};
use crate::config::NatsSettings;
use async_nats::{ConnectOptions, HeaderMap, ServerAddr};
use bytes::Bytes;
use std::time::Duration;

/// One connection to NATS and its JetStream context.
#[derive(Clone)]
pub struct Connection {
    pub(super) client: async_nats::Client,
    pub(super) jetstream: async_nats::jetstream::Context,
}

/// Whether a publish must be stored by JetStream before it counts as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// Wait for the PubAck: the message is in a stream.
    Stored,
    /// Core publish: handed to the connection, nothing confirms it.
    BestEffort,
}

impl Connection {
    /// Starts connecting and returns at once; see [`Connection::wait_until_connected`].
    /// Credentials inside `settings.url` are used (and kept out of every URL the client
    /// sees, so out of its logs too); see [`NatsSettings::take_url_credentials`].
    pub async fn connect(settings: &NatsSettings) -> Result<Connection, TransportError> {
        let mut settings = settings.clone();
        settings
            .take_url_credentials()
            .map_err(|error| TransportError::InvalidUrl {
                url: "nats.url".to_string(),
                reason: error.to_string(),
            })?;
        let settings = &settings;
        let servers = parse_servers(&settings.url)?;
        let options = connect_options(settings).await?;
        let client =
            options
                .connect(servers)
                .await
                .map_err(|error| TransportError::InvalidUrl {
                    url: settings.url.clone(),
                    reason: error.to_string(),
                })?;
        let jetstream = async_nats::jetstream::ContextBuilder::new()
            .timeout(settings.request_timeout)
            .backpressure_on_inflight(true)
            .build(client.clone());
        Ok(Connection { client, jetstream })
    }

    pub fn is_connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    /// Returns once the connection is up (possibly never: callers race it with shutdown).
    pub async fn wait_until_connected(&self) {
        while !self.is_connected() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The largest message (headers included) the server accepts.
    pub fn max_payload(&self) -> usize {
        self.client.max_payload()
    }

    /// Publishes `payload` with `Nats-Msg-Id: message_id` and the given extra headers.
    pub async fn publish(
        &self,
        subject: &str,
        message_id: &str,
        extra_headers: Option<HeaderMap>,
        payload: Vec<u8>,
        guarantee: Guarantee,
    ) -> Result<(), PublishFailure> {
        let mut headers = extra_headers.unwrap_or_default();
        headers.insert(async_nats::header::NATS_MESSAGE_ID, message_id);
        let size = headers_wire_len(&headers) + payload.len();
        let max_payload = self.max_payload();
        if max_payload > 0 && size > max_payload {
            return Err(PublishFailure::TooLarge { size, max_payload });
        }
        let subject = subject.to_string();
        match guarantee {
            Guarantee::Stored => {
                let ack = self
                    .jetstream
                    .publish_with_headers(subject, headers, Bytes::from(payload))
                    .await
                    .map_err(|error| jetstream_publish_failure(error, size, max_payload))?;
                ack.await
                    .map(|_| ())
                    .map_err(|error| jetstream_publish_failure(error, size, max_payload))
            }
            Guarantee::BestEffort => self
                .client
                .publish_with_headers(subject, headers, Bytes::from(payload))
                .await
                .map_err(|error| match error.kind() {
                    async_nats::client::PublishErrorKind::MaxPayloadExceeded => {
                        PublishFailure::TooLarge { size, max_payload }
                    }
                    _ => PublishFailure::Broker {
                        cause: "connection_lost",
                        detail: error.to_string(),
                    },
                }),
        }
    }

    /// Unsubscribes everything, flushes and closes the connection, within `timeout` in all.
    /// Without a connection there is nothing to wait for: what is still buffered (acks) is
    /// dropped, and those messages are redelivered and their outputs deduplicated.
    pub async fn drain(&self, timeout: Duration) {
        if !self.is_connected() {
            tracing::warn!("not connected while stopping; unsent acks are dropped and those messages will be redelivered");
            return;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        match tokio::time::timeout_at(deadline, self.client.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "flush before closing failed"),
            Err(_) => tracing::warn!("flush before closing timed out"),
        }
        match tokio::time::timeout_at(deadline, self.client.drain()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "draining the NATS connection failed"),
            Err(_) => tracing::warn!("draining the NATS connection timed out"),
        }
    }
}

/// Every `cause` a [`PublishFailure::Broker`] can carry (for metrics declared up front).
pub const PUBLISH_FAILURE_CAUSES: &[&str] = &[
    "connection_lost",
    "publish_timeout",
    "no_responders",
    "backpressure",
    "publish_rejected",
];

pub(super) fn jetstream_publish_failure(
    error: async_nats::jetstream::context::PublishError,
    size: usize,
    max_payload: usize,
) -> PublishFailure {
    use async_nats::jetstream::context::PublishErrorKind;
    let cause = match error.kind() {
        PublishErrorKind::MaxPayloadExceeded => {
            return PublishFailure::TooLarge { size, max_payload }
        }
        PublishErrorKind::TimedOut => "publish_timeout",
        PublishErrorKind::StreamNotFound => "no_responders",
        PublishErrorKind::BrokenPipe => "connection_lost",
        PublishErrorKind::MaxAckPending => "backpressure",
        _ => "publish_rejected",
    };
    PublishFailure::Broker {
        cause,
        detail: error.to_string(),
    }
}

/// The size of `headers` on the wire (`NATS/1.0\r\n`, `name: value\r\n` each, `\r\n`),
/// which counts against `max_payload` like the payload does.
pub(super) fn headers_wire_len(headers: &HeaderMap) -> usize {
    let mut size = "NATS/1.0\r\n".len() + 2;
    for (name, values) in headers.iter() {
        let name: &str = name.as_ref();
        for value in values {
            size += name.len() + 2 + value.as_str().len() + 2;
        }
    }
    size
}

fn parse_servers(url: &str) -> Result<Vec<ServerAddr>, TransportError> {
    let servers: Vec<ServerAddr> = url
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<ServerAddr>()
                .map_err(|error| TransportError::InvalidUrl {
                    url: part.to_string(),
                    reason: error.to_string(),
                })
        })
        .collect::<Result<_, _>>()?;
    if servers.is_empty() {
        return Err(TransportError::InvalidUrl {
            url: url.to_string(),
            reason: "no server given".to_string(),
        });
    }
    Ok(servers)
}

async fn connect_options(settings: &NatsSettings) -> Result<ConnectOptions, TransportError> {
    let auth = &settings.auth;
    let mut options = match &auth.creds_file {
        Some(path) => ConnectOptions::with_credentials_file(path.clone())
            .await
            .map_err(|error| TransportError::Credentials {
                path: path.display().to_string(),
                reason: error.to_string(),
            })?,
        None => ConnectOptions::new(),
    };
    if let (Some(user), Some(password)) = (&auth.user, &auth.password) {
        options = options.user_and_password(user.clone(), password.expose().to_string());
    }
    if let Some(token) = &auth.token {
        options = options.token(token.expose().to_string());
    }
    if let Some(seed) = &auth.nkey_seed {
        options = options.nkey(seed.expose().to_string());
    }
    let tls = &settings.tls;
    if tls.required {
        options = options.require_tls(true);
    }
    if let Some(ca_file) = &tls.ca_file {
        options = options.add_root_certificates(ca_file.clone());
    }
    if let (Some(cert), Some(key)) = (&tls.cert_file, &tls.key_file) {
        options = options.add_client_certificate(cert.clone(), key.clone());
    }
    let reconnect_delay_max = settings.reconnect_delay_max;
    Ok(options
        .name(&settings.name)
        .connection_timeout(settings.connect_timeout)
        .request_timeout(Some(settings.request_timeout))
        .ping_interval(settings.ping_interval)
        .retry_on_initial_connect()
        .max_reconnects(None)
        .reconnect_delay_callback(move |attempts| {
            // 0, 100ms, 200ms, 400ms, ... up to the configured maximum.
            let exponent = attempts.min(16) as u32;
            let delay = Duration::from_millis(50u64 << exponent) - Duration::from_millis(50);
            delay.min(reconnect_delay_max)
        })
        .event_callback(|event| async move {
            match event {
                async_nats::Event::Connected => tracing::info!("connected to NATS"),
                async_nats::Event::Disconnected => {
                    tracing::warn!("disconnected from NATS; reconnecting")
                }
                other => tracing::info!(event = %other, "NATS connection event"),
            }
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_size_matches_the_wire_format() {
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", "a:1");
        // "NATS/1.0\r\n" + "Nats-Msg-Id: a:1\r\n" + "\r\n"
        assert_eq!(headers_wire_len(&headers), 10 + 18 + 2);
    }

    #[test]
    fn several_servers_are_accepted_and_garbage_is_not() {
        assert_eq!(
            parse_servers("nats://a:4222, nats://b:4222").unwrap().len(),
            2
        );
        assert!(parse_servers(" , ").is_err());
        assert!(parse_servers("nats://host:notaport").is_err());
    }
}
