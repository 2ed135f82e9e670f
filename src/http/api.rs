//! `POST /v1/enrich`: one article in, the enriched article out, without a broker.
//!
//! The body is what a scraper would publish (any of the stream's input formats); the answer
//! is the enriched article exactly as `enrich` prints it (the same bytes, a newline at the
//! end). With `Content-Type: application/x-ndjson` (or `application/jsonl`) the body is a
//! batch, one article per line, and the answer one line per non-blank input line, in order,
//! an error object in place of a line that cannot be decoded, as `enrich` prints a JSONL
//! file. Errors answer `{"error": {"kind", "message"}}`, the object of `enrich`'s error
//! lines: 400 for bytes that are not JSON, 422 for JSON that is not an article, 413 for an
//! article over `worker.max_input_bytes` (a batch over `http.max_batch_bytes`), 401 without
//! the configured bearer token, 503 (`busy`, with `Retry-After`) beyond `http.max_in_flight`
//! requests at once, 408 for a body that takes longer than `http.body_timeout` to arrive
//! (so slow uploads cannot hold the slots). Articles are enriched on threads of the API's own, each within
//! `worker.time_budget`, as the worker does; every answer is counted by status in
//! `/metrics`.

use super::HttpState;
use crate::config::{Secret, Settings};
use crate::contract::{self, DecodeError};
use crate::cpu_pool::{CpuPool, JobFailure};
use crate::nlp::Pipeline;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The route, as counted in `/metrics`.
const ROUTE: &str = "/v1/enrich";

/// Media types that make a body a batch of articles, one per line.
const BATCH_TYPES: &[&str] = &[
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/jsonlines",
];

/// The API's pipeline, threads and limits.
pub struct EnrichApi {
    pipeline: Pipeline,
    cpu: CpuPool,
    /// One permit per request being answered.
    slots: Arc<Semaphore>,
    max_input_bytes: usize,
    max_batch_bytes: usize,
    body_timeout: std::time::Duration,
    token: Option<Secret>,
}

impl EnrichApi {
    /// The API with `threads` enrichment threads and the limits of `settings`.
    pub fn new(settings: &Settings, threads: usize) -> std::io::Result<EnrichApi> {
        Ok(EnrichApi {
            pipeline: Pipeline::new().with_time_budget(settings.worker.time_budget),
            cpu: CpuPool::new("http-enrich", threads)?,
            slots: Arc::new(Semaphore::new(settings.http.max_in_flight)),
            max_input_bytes: settings.worker.max_input_bytes,
            max_batch_bytes: settings.http.max_batch_bytes,
            body_timeout: settings.http.body_timeout,
            token: settings.http.token.clone(),
        })
    }

    /// The answer to one request.
    async fn answer(&self, headers: &HeaderMap, body: Body) -> Response {
        if let Some(token) = &self.token {
            if !authorized(headers, token.expose()) {
                return with_header(
                    error_response(
                        StatusCode::UNAUTHORIZED,
                        "unauthorized",
                        "this endpoint needs the header `Authorization: Bearer <token>` with the token set as http.token (ENRICHER__HTTP__TOKEN)",
                    ),
                    header::WWW_AUTHENTICATE,
                    "Bearer",
                );
            }
        }
        let Ok(_permit) = Arc::clone(&self.slots).try_acquire_owned() else {
            return with_header(
                error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "too many requests are being answered (http.max_in_flight); try again shortly",
                ),
                header::RETRY_AFTER,
                "1",
            );
        };
        let batch = is_batch(headers);
        let limit = if batch {
            self.max_batch_bytes
        } else {
            self.max_input_bytes
        };
        let read = tokio::time::timeout(self.body_timeout, read_body(headers, body, limit));
        let Ok(read) = read.await else {
            return error_response(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                &format!(
                    "the request body did not arrive within {:?} (http.body_timeout)",
                    self.body_timeout
                ),
            );
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge(size)) if batch => {
                return error_response(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "input_too_large",
                    &format!("the batch is {size} bytes or more, more than the limit of {limit} (http.max_batch_bytes); send it in smaller batches"),
                )
            }
            Err(BodyError::TooLarge(size)) => {
                return decode_error_response(&DecodeError::TooLarge { size, limit })
            }
            Err(BodyError::Unreadable(message)) => {
                return error_response(StatusCode::BAD_REQUEST, "unreadable_body", &message)
            }
        };
        let pipeline = self.pipeline.clone();
        let max_input_bytes = self.max_input_bytes;
        let result = self
            .cpu
            .run(move || {
                if batch {
                    Ok(enrich_batch(&pipeline, &bytes, max_input_bytes))
                } else {
                    contract::enrich(&pipeline, &bytes, max_input_bytes).map(|enriched| {
                        let mut output = enriched.output;
                        output.push(b'\n');
                        output
                    })
                }
            })
            .await;
        let content_type = if batch {
            "application/x-ndjson"
        } else {
            "application/json"
        };
        match result {
            Ok(Ok(output)) => ([(header::CONTENT_TYPE, content_type)], output).into_response(),
            Ok(Err(error)) => decode_error_response(&error),
            Err(JobFailure::Panicked(message)) => {
                tracing::error!(%message, "enriching an article for the HTTP API panicked");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "panic",
                    "the enrichment failed on this article (a defect); the server goes on",
                )
            }
            Err(JobFailure::Stopped) => error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting_down",
                "the server is shutting down",
            ),
        }
    }
}

/// `POST /v1/enrich`.
pub async fn enrich(State(state): State<HttpState>, headers: HeaderMap, body: Body) -> Response {
    let response = state.api.answer(&headers, body).await;
    state
        .telemetry
        .metrics
        .record_request(ROUTE, response.status().as_u16());
    response
}

/// Each non-blank line of `bytes` enriched, one output line per input line, as `enrich`
/// prints a JSONL file (line numbers count every line, blank ones too); like `enrich`, the
/// lines are analysed [`contract::BATCH_ARTICLES`] at a time, stage by stage
/// ([`contract::enrich_batch`]).
fn enrich_batch(pipeline: &Pipeline, bytes: &[u8], limit: usize) -> Vec<u8> {
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|&byte| byte == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for chunk in lines.chunks(contract::BATCH_ARTICLES) {
        let payloads: Vec<&[u8]> = chunk.iter().map(|&(_, line)| line).collect();
        let results = contract::enrich_batch(pipeline, &payloads, limit);
        for (&(index, _), result) in chunk.iter().zip(results) {
            match result {
                Ok(enriched) => out.extend_from_slice(&enriched.output),
                Err(error) => {
                    out.extend_from_slice(&contract::error_object(&error, Some(index + 1)))
                }
            }
            out.push(b'\n');
        }
    }
    out
}

/// Whether the request's media type is one of [`BATCH_TYPES`].
fn is_batch(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| {
            BATCH_TYPES
                .iter()
                .any(|batch| media.trim().eq_ignore_ascii_case(batch))
        })
}

/// Whether the request carries `Authorization: Bearer <token>` with this token (compared in
/// constant time, so the answer's timing does not tell how much of a guess was right).
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, given)) = value.trim().split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer") && same_bytes(given.trim().as_bytes(), token.as_bytes())
}

fn same_bytes(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

enum BodyError {
    /// More than the limit: the declared length, or the bytes read before giving up.
    TooLarge(usize),
    Unreadable(String),
}

/// The body, refused as soon as it is known to exceed `limit` bytes (from `Content-Length`,
/// else while it streams in), so an oversized request is never held whole.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if let Some(length) = declared.filter(|&length| length > limit) {
        return Err(BodyError::TooLarge(length));
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| {
            BodyError::Unreadable(format!("the request body could not be read: {error}"))
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(bytes.len() + chunk.len()));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The status of a decode error: 413 too large, 400 not JSON, 422 JSON but not an article.
fn decode_error_response(error: &DecodeError) -> Response {
    let status = match error {
        DecodeError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        DecodeError::InvalidUtf8(_) | DecodeError::InvalidJson(_) => StatusCode::BAD_REQUEST,
        DecodeError::NotAnObject | DecodeError::NoText | DecodeError::FieldNotAString(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    json_error(status, contract::error_object(error, None))
}

fn error_response(status: StatusCode, kind: &str, message: &str) -> Response {
    let body = serde_json::json!({"error": {"kind": kind, "message": message}});
    json_error(
        status,
        serde_json::to_vec(&body).expect("a JSON value is always serializable"),
    )
}

/// `response` with one more header.
fn with_header(mut response: Response, name: header::HeaderName, value: &'static str) -> Response {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
    response
}

fn json_error(status: StatusCode, mut body: Vec<u8>) -> Response {
    body.push(b'\n');
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_bearer_token_must_match_exactly() {
        let token = "t0ken";
        assert!(authorized(
            &headers(&[(header::AUTHORIZATION, "Bearer t0ken")]),
            token
        ));
        assert!(authorized(
            &headers(&[(header::AUTHORIZATION, "bearer  t0ken ")]),
            token
        ));
        for wrong in ["Bearer t0ke", "Bearer t0kenn", "Basic t0ken", "t0ken", ""] {
            assert!(
                !authorized(&headers(&[(header::AUTHORIZATION, wrong)]), token),
                "{wrong}"
            );
        }
        assert!(!authorized(&HeaderMap::new(), token));
    }

    #[test]
    fn jsonl_media_types_make_a_batch() {
        assert!(is_batch(&headers(&[(
            header::CONTENT_TYPE,
            "application/x-ndjson; charset=utf-8"
        )])));
        assert!(is_batch(&headers(&[(
            header::CONTENT_TYPE,
            "Application/JSONL"
        )])));
        assert!(!is_batch(&headers(&[(
            header::CONTENT_TYPE,
            "application/json"
        )])));
        assert!(!is_batch(&HeaderMap::new()));
    }

    #[test]
    fn a_batch_gives_one_line_per_article_with_errors_in_place() {
        let pipeline = Pipeline::new();
        let out = enrich_batch(
            &pipeline,
            b"{\"body\": \"One.\"}\n\nnot json\n{\"body\": \"Two.\"}",
            1000,
        );
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["body"], "One.");
        assert_eq!(lines[1]["error"]["kind"], "invalid_json");
        assert_eq!(lines[1]["line"], 3);
        assert_eq!(lines[2]["body"], "Two.");
    }

    #[test]
    fn decode_errors_map_to_client_statuses() {
        assert_eq!(
            decode_error_response(&DecodeError::InvalidJson("x".into())).status(),
            400
        );
        assert_eq!(decode_error_response(&DecodeError::NoText).status(), 422);
        assert_eq!(
            decode_error_response(&DecodeError::TooLarge { size: 2, limit: 1 }).status(),
            413
        );
    }
}
