//! Dead letters (design.md section 3, "DLQ messages").
//!
//! The body is `{"error": {"kind", "message", "deliveries"}, "subject", "payload"}`, with
//! `payload_base64` instead of `payload` when the original bytes are not UTF-8. The original
//! headers come along, except that `Nats-*` headers (which would change how JetStream stores
//! the dead letter, e.g. deduplicate it) are renamed `X-Original-Nats-*`. A header
//! `X-Enricher-Error` repeats the kind for consumers that filter on headers. When the
//! original payload would make the dead letter exceed the server's `max_payload`, it is left
//! out and `payload_omitted` / `payload_bytes` say so, so the dead letter can always be stored.

use super::connect::{Connection, Guarantee};
use super::{InboundMessage, PublishFailure};
use async_nats::HeaderMap;
use base64::Engine;
use serde_json::{json, Value};

/// Why a message is dead-lettered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterReason {
    /// Machine-readable: `invalid_json`, `no_text`, `output_too_large`, `poison`, `panic`...
    pub kind: String,
    /// For people: what went wrong and what to do.
    pub message: String,
    /// How often the message had been delivered (1 in core mode).
    pub deliveries: u64,
}

/// Room left for the headers and the JSON around the payload when checking the size.
const ENVELOPE_ALLOWANCE: usize = 4096;

/// The JSON body of a dead letter for `payload` received on `subject`.
pub fn dead_letter_body(
    reason: &DeadLetterReason,
    subject: &str,
    payload: &[u8],
    max_payload: usize,
) -> Vec<u8> {
    let mut body = json!({
        "error": {
            "kind": reason.kind,
            "message": reason.message,
            "deliveries": reason.deliveries,
        },
        "subject": subject,
    });
    let object = body.as_object_mut().expect("built as an object");
    // Base64 grows the payload by a third and JSON escaping can double it: check the result.
    let encoded_payload = match std::str::from_utf8(payload) {
        Ok(text) => ("payload", Value::String(text.to_string())),
        Err(_) => (
            "payload_base64",
            Value::String(base64::engine::general_purpose::STANDARD.encode(payload)),
        ),
    };
    object.insert(encoded_payload.0.to_string(), encoded_payload.1);
    let bytes = serde_json::to_vec(&body).expect("a JSON value always serializes");
    if max_payload == 0 || bytes.len() + ENVELOPE_ALLOWANCE <= max_payload {
        return bytes;
    }
    let object = body.as_object_mut().expect("built as an object");
    object.remove(encoded_payload.0);
    object.insert("payload_omitted".to_string(), Value::Bool(true));
    object.insert("payload_bytes".to_string(), Value::from(payload.len()));
    serde_json::to_vec(&body).expect("a JSON value always serializes")
}

/// The original headers with `Nats-*` renamed `X-Original-Nats-*`, plus `X-Enricher-Error`.
pub fn dead_letter_headers(original: Option<&HeaderMap>, kind: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(original) = original {
        for (name, values) in original.iter() {
            let name: &str = name.as_ref();
            let renamed = if name.len() >= 5 && name[..5].eq_ignore_ascii_case("nats-") {
                format!("X-Original-{name}")
            } else {
                name.to_string()
            };
            for value in values {
                headers.append(renamed.as_str(), value.as_str());
            }
        }
    }
    headers.insert("X-Enricher-Error", kind);
    headers
}

impl Connection {
    /// Publishes the dead letter of `message` to `subject` with `Nats-Msg-Id: message_id`.
    pub async fn publish_dead_letter(
        &self,
        message: &InboundMessage,
        subject: &str,
        reason: &DeadLetterReason,
        message_id: &str,
        guarantee: Guarantee,
    ) -> Result<(), PublishFailure> {
        let body = dead_letter_body(
            reason,
            &message.subject,
            &message.payload,
            self.max_payload(),
        );
        let headers = dead_letter_headers(message.headers.as_ref(), &reason.kind);
        self.publish(subject, message_id, Some(headers), body, guarantee)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason() -> DeadLetterReason {
        DeadLetterReason {
            kind: "invalid_json".to_string(),
            message: "payload is not valid JSON".to_string(),
            deliveries: 2,
        }
    }

    #[test]
    fn utf8_payloads_are_kept_as_text() {
        let body = dead_letter_body(&reason(), "articles.raw.x", b"{oops", 1 << 20);
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["error"]["kind"], "invalid_json");
        assert_eq!(value["error"]["deliveries"], 2);
        assert_eq!(value["subject"], "articles.raw.x");
        assert_eq!(value["payload"], "{oops");
        assert!(value.get("payload_base64").is_none());
    }

    #[test]
    fn other_payloads_are_base64() {
        let body = dead_letter_body(&reason(), "s", b"\xff\xfe", 1 << 20);
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["payload_base64"], "//4=");
        assert!(value.get("payload").is_none());
    }

    #[test]
    fn a_payload_too_large_to_carry_is_left_out() {
        let payload = vec![b'a'; 10_000];
        let body = dead_letter_body(&reason(), "s", &payload, 8_000);
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert!(value.get("payload").is_none());
        assert_eq!(value["payload_omitted"], true);
        assert_eq!(value["payload_bytes"], 10_000);
    }

    #[test]
    fn nats_headers_are_renamed_and_others_kept() {
        let mut original = HeaderMap::new();
        original.insert("Nats-Msg-Id", "scraper-1");
        original.insert("Content-Type", "application/json");
        let headers = dead_letter_headers(Some(&original), "no_text");
        assert!(headers.get("Nats-Msg-Id").is_none());
        assert_eq!(
            headers.get("X-Original-Nats-Msg-Id").unwrap().as_str(),
            "scraper-1"
        );
        assert_eq!(
            headers.get("Content-Type").unwrap().as_str(),
            "application/json"
        );
        assert_eq!(headers.get("X-Enricher-Error").unwrap().as_str(), "no_text");
    }
}
