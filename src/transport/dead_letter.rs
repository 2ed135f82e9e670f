//! Dead letters (design.md section 3, "DLQ messages").
//!
//! The body is `{"error": {"kind", "message", "deliveries"}, "subject", "payload"}`, with
//! `payload_base64` instead of `payload` when the original bytes are not UTF-8, and
//! `original_message_id` holding the original `Nats-Msg-Id` when there was one. The other
//! original headers come along, `Nats-*` ones renamed `X-Original-Nats-*` (as they are they
//! would change how JetStream stores the dead letter). A header `X-Enricher-Error` repeats the
//! kind for consumers that filter on headers.
//!
//! Why the original id is in the body: nats-server 2.9 reads `Nats-Msg-Id` by searching the
//! header block for the first occurrence of that text, and ignores the id when that occurrence
//! is part of another header (`X-Original-Nats-Msg-Id`, which a hash map puts first about
//! half the time): dead letters were then not deduplicated. So no copied header may contain
//! `Nats-Msg-Id` in its name or value; such headers are left out (and counted, below).
//!
//! A dead letter always fits the server's `max_payload`, headers included, so it can always be
//! stored (one that did not fit was retried forever). The error and subject come first; then,
//! while room is left, the original id, the payload (cut to a prefix that fits:
//! `payload_truncated: true` and `payload_bytes`, the original size) and the original headers
//! (those that do not fit are left out: `headers_omitted` and `headers_omitted_bytes`).

use super::connect::{headers_wire_len, Connection, Guarantee};
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

/// Room kept for the notes of what was cut (`payload_truncated`, `payload_bytes`,
/// `headers_omitted`, `headers_omitted_bytes`).
const NOTE_ALLOWANCE: usize = 256;

/// Text that no copied header may contain (any case): nats-server 2.9 would take it for the
/// dead letter's own `Nats-Msg-Id`.
pub(super) const MESSAGE_ID_HEADER: &str = "Nats-Msg-Id";

/// A dead letter ready to publish.
#[derive(Debug)]
pub struct DeadLetter {
    /// `Nats-Msg-Id` (the dead letter's own id), `X-Enricher-Error` and the copied headers.
    pub headers: HeaderMap,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl DeadLetter {
    /// Its size as the server counts it against `max_payload`.
    pub fn size(&self) -> usize {
        headers_wire_len(&self.headers) + self.body.len()
    }
}

/// The dead letter of `payload` received on `subject` with `original` headers, published
/// with `Nats-Msg-Id: message_id`, within `max_payload` (0: no limit).
pub fn dead_letter(
    reason: &DeadLetterReason,
    subject: &str,
    payload: &[u8],
    original: Option<&HeaderMap>,
    message_id: &str,
    max_payload: usize,
) -> DeadLetter {
    let limit = if max_payload == 0 {
        usize::MAX
    } else {
        max_payload
    };
    let built = build(reason, subject, payload, original, message_id, limit);
    if built.size() <= limit {
        return built;
    }
    // Only if the estimates above were wrong: nothing optional at all.
    build(reason, subject, payload, original, message_id, 0)
}

/// Builds the dead letter with the optional parts that fit in `limit` bytes.
fn build(
    reason: &DeadLetterReason,
    subject: &str,
    payload: &[u8],
    original: Option<&HeaderMap>,
    message_id: &str,
    limit: usize,
) -> DeadLetter {
    let mut headers = HeaderMap::new();
    headers.insert(async_nats::header::NATS_MESSAGE_ID, message_id);
    headers.insert("X-Enricher-Error", reason.kind.as_str());
    let skeleton = |message: &str| {
        json!({
            "error": {
                "kind": reason.kind,
                "message": message,
                "deliveries": reason.deliveries,
            },
            "subject": subject,
        })
    };
    let mut body = skeleton(&reason.message);
    let mut fixed = headers_wire_len(&headers) + json_len(&body) + NOTE_ALLOWANCE;
    if fixed > limit {
        // A very long reason (a panic message): keep what fits of it.
        let excess = fixed - limit;
        let message = prefix_within(
            &reason.message,
            escaped_len(&reason.message).saturating_sub(excess),
        );
        body = skeleton(message);
        fixed = headers_wire_len(&headers) + json_len(&body) + NOTE_ALLOWANCE;
    }
    let mut room = limit.saturating_sub(fixed);
    let object = body.as_object_mut().expect("built as an object");
    let mut omitted_headers = 0usize;
    let mut omitted_header_bytes = 0usize;

    let original_id = original.and_then(|headers| {
        headers
            .iter()
            .find(|(name, _)| {
                let name: &str = name.as_ref();
                name.eq_ignore_ascii_case(MESSAGE_ID_HEADER)
            })
            .and_then(|(_, values)| values.first())
            .map(|value| value.as_str().to_string())
    });
    if let Some(id) = original_id {
        let cost = field_cost("original_message_id", &id);
        if cost <= room {
            object.insert("original_message_id".to_string(), Value::String(id));
            room -= cost;
        } else {
            omitted_headers += 1;
            omitted_header_bytes += header_cost(MESSAGE_ID_HEADER, &id);
        }
    }

    let truncated = match std::str::from_utf8(payload) {
        Ok(text) => {
            let kept = prefix_within(text, room.saturating_sub(field_cost("payload", "")));
            room = room.saturating_sub(field_cost("payload", kept));
            object.insert("payload".to_string(), Value::String(kept.to_string()));
            kept.len() < text.len()
        }
        Err(_) => {
            let encoded_len = payload.len().div_ceil(3) * 4;
            let available = room.saturating_sub(field_cost("payload_base64", ""));
            let kept = if encoded_len <= available {
                payload
            } else {
                &payload[..available / 4 * 3]
            };
            let encoded = base64::engine::general_purpose::STANDARD.encode(kept);
            room = room.saturating_sub(field_cost("payload_base64", &encoded));
            object.insert("payload_base64".to_string(), Value::String(encoded));
            kept.len() < payload.len()
        }
    };
    if truncated {
        object.insert("payload_truncated".to_string(), Value::Bool(true));
        object.insert("payload_bytes".to_string(), Value::from(payload.len()));
    }

    if let Some(original) = original {
        let mut copied: Vec<(String, &str)> = Vec::new();
        for (name, values) in original.iter() {
            let name: &str = name.as_ref();
            if name.eq_ignore_ascii_case(MESSAGE_ID_HEADER) {
                continue; // in the body as original_message_id
            }
            let renamed = if name.len() >= 5 && name[..5].eq_ignore_ascii_case("nats-") {
                format!("X-Original-{name}")
            } else {
                name.to_string()
            };
            for value in values {
                copied.push((renamed.clone(), value.as_str()));
            }
        }
        // Sorted, so that the same message gives the same dead letter.
        copied.sort();
        for (name, value) in copied {
            let cost = header_cost(&name, value);
            let confusing = contains_ignore_case(&name, MESSAGE_ID_HEADER)
                || contains_ignore_case(value, MESSAGE_ID_HEADER)
                || name.eq_ignore_ascii_case("X-Enricher-Error");
            if !confusing && cost <= room {
                headers.append(name.as_str(), value);
                room -= cost;
            } else {
                omitted_headers += 1;
                omitted_header_bytes += cost;
            }
        }
    }
    if omitted_headers > 0 {
        object.insert("headers_omitted".to_string(), Value::from(omitted_headers));
        object.insert(
            "headers_omitted_bytes".to_string(),
            Value::from(omitted_header_bytes),
        );
    }
    DeadLetter {
        headers,
        body: serde_json::to_vec(&body).expect("a JSON value always serializes"),
    }
}

fn json_len(value: &Value) -> usize {
    serde_json::to_vec(value)
        .expect("a JSON value always serializes")
        .len()
}

/// The bytes of `"key":"value",` in JSON.
fn field_cost(key: &str, value: &str) -> usize {
    escaped_len(key) + escaped_len(value) + 6
}

/// The bytes of `name: value\r\n` in a header block.
fn header_cost(name: &str, value: &str) -> usize {
    name.len() + 2 + value.len() + 2
}

/// How long a character is inside a JSON string, as serde_json writes it.
fn escaped_char_len(character: char) -> usize {
    match character {
        '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
        '\u{0}'..='\u{1f}' => 6,
        other => other.len_utf8(),
    }
}

/// How long `text` is inside a JSON string.
fn escaped_len(text: &str) -> usize {
    text.chars().map(escaped_char_len).sum()
}

/// The longest prefix of `text` (cut between characters) that takes at most `budget` bytes
/// inside a JSON string.
fn prefix_within(text: &str, budget: usize) -> &str {
    let mut used = 0;
    for (index, character) in text.char_indices() {
        used += escaped_char_len(character);
        if used > budget {
            return &text[..index];
        }
    }
    text
}

pub(super) fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
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
        let letter = dead_letter(
            reason,
            &message.subject,
            &message.payload,
            message.headers.as_ref(),
            message_id,
            self.max_payload(),
        );
        self.publish(
            subject,
            message_id,
            Some(letter.headers),
            letter.body,
            guarantee,
        )
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

    fn letter(payload: &[u8], original: Option<&HeaderMap>, max_payload: usize) -> DeadLetter {
        dead_letter(
            &reason(),
            "articles.raw.x",
            payload,
            original,
            "dlq:7:abc",
            max_payload,
        )
    }

    fn body(letter: &DeadLetter) -> Value {
        serde_json::from_slice(&letter.body).unwrap()
    }

    #[test]
    fn utf8_payloads_are_kept_as_text() {
        let value = body(&letter(b"{oops", None, 1 << 20));
        assert_eq!(value["error"]["kind"], "invalid_json");
        assert_eq!(value["error"]["deliveries"], 2);
        assert_eq!(value["subject"], "articles.raw.x");
        assert_eq!(value["payload"], "{oops");
        assert!(value.get("payload_base64").is_none());
        assert!(value.get("payload_truncated").is_none());
        assert!(value.get("headers_omitted").is_none());
    }

    #[test]
    fn other_payloads_are_base64() {
        let value = body(&letter(b"\xff\xfe", None, 1 << 20));
        assert_eq!(value["payload_base64"], "//4=");
        assert!(value.get("payload").is_none());
    }

    #[test]
    fn a_payload_too_large_to_carry_is_cut_with_a_note() {
        let payload = vec![b'a'; 10_000];
        let letter = letter(&payload, None, 8_000);
        assert!(letter.size() <= 8_000, "{}", letter.size());
        let value = body(&letter);
        let kept = value["payload"].as_str().unwrap();
        assert!(kept.len() > 7_000 && kept.len() < 8_000, "{}", kept.len());
        assert_eq!(value["payload_truncated"], true);
        assert_eq!(value["payload_bytes"], 10_000);
    }

    #[test]
    fn headers_that_do_not_fit_are_left_out_with_a_note() {
        let mut original = HeaderMap::new();
        original.insert("X-Huge", "h".repeat(30_000).as_str());
        original.insert("Content-Type", "application/json");
        let payload = "\"".repeat(20_000);
        let letter = letter(payload.as_bytes(), Some(&original), 65_536);
        assert!(letter.size() <= 65_536, "{}", letter.size());
        assert!(letter.headers.get("X-Huge").is_none());
        assert_eq!(
            letter.headers.get("Content-Type").unwrap().as_str(),
            "application/json"
        );
        let value = body(&letter);
        assert_eq!(value["payload"], payload.as_str());
        assert_eq!(value["headers_omitted"], 1);
        assert_eq!(value["headers_omitted_bytes"], 30_000 + "X-Huge".len() + 4);
    }

    #[test]
    fn a_dead_letter_always_fits_whatever_it_carries() {
        let mut original = HeaderMap::new();
        original.insert("Nats-Msg-Id", "i".repeat(3_000).as_str());
        original.insert("X-A", "\u{1}".repeat(2_000).as_str());
        original.insert("X-B", "b".repeat(5_000).as_str());
        let payloads: [Vec<u8>; 4] = [
            "\u{1}\"\\é".repeat(5_000).into_bytes(),
            vec![0xff; 20_000],
            b"plain".to_vec(),
            Vec::new(),
        ];
        for max_payload in [400, 700, 1_000, 2_048, 4_096, 9_999, 65_536] {
            for payload in &payloads {
                let letter = letter(payload, Some(&original), max_payload);
                assert!(
                    letter.size() <= max_payload,
                    "{} > {max_payload}",
                    letter.size()
                );
                let value = body(&letter);
                assert_eq!(value["error"]["kind"], "invalid_json");
            }
        }
    }

    #[test]
    fn the_original_id_travels_in_the_body_and_no_header_can_pass_for_the_id() {
        let mut original = HeaderMap::new();
        original.insert("Nats-Msg-Id", "scraper-1");
        original.insert("Nats-Expected-Stream", "ARTICLES");
        original.insert("X-Trace", "copied from Nats-Msg-Id");
        original.insert("Content-Type", "application/json");
        original.insert("X-Enricher-Error", "forged");
        let letter = letter(b"{", Some(&original), 1 << 20);
        assert_eq!(body(&letter)["original_message_id"], "scraper-1");
        assert_eq!(body(&letter)["headers_omitted"], 2);
        assert_eq!(
            letter.headers.get("Nats-Msg-Id").unwrap().as_str(),
            "dlq:7:abc"
        );
        assert_eq!(
            letter
                .headers
                .get("X-Original-Nats-Expected-Stream")
                .unwrap()
                .as_str(),
            "ARTICLES"
        );
        assert_eq!(
            letter.headers.get("Content-Type").unwrap().as_str(),
            "application/json"
        );
        assert_eq!(
            letter.headers.get("X-Enricher-Error").unwrap().as_str(),
            "invalid_json"
        );
        for (name, values) in letter.headers.iter() {
            let name: &str = name.as_ref();
            if name == "Nats-Msg-Id" {
                continue;
            }
            assert!(!contains_ignore_case(name, MESSAGE_ID_HEADER), "{name}");
            for value in values {
                assert!(
                    !contains_ignore_case(value.as_str(), MESSAGE_ID_HEADER),
                    "{name}: {value}"
                );
            }
        }
    }
}
