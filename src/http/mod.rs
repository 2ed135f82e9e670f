//! The HTTP server of the worker and of `serve`: probes, metrics, the enrich API and the
//! review page.
//!
//! One server on `http.bind:http.port` answers `/healthz` (the process is alive), `/readyz`
//! (connected and the streams reachable; always ready under `serve`), `/metrics`
//! (Prometheus text), `POST /v1/enrich` ([`api`]: an article in, the enriched article out,
//! as `enrich` prints it) and `GET /` ([`review`]: a page that sends an article to the API
//! and shows what was found, marked in the text). The probes and metrics read
//! [`Telemetry`], which the worker keeps current; the API enriches on its own threads, so a
//! burst of requests never takes the stream's threads. Nothing here talks to NATS.

pub mod api;
pub mod review;

use crate::config::HttpSettings;
use crate::telemetry::Telemetry;
use api::EnrichApi;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

/// Why the HTTP server could not start.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot listen on {address} for the HTTP server (/healthz, /readyz, /metrics, /v1/enrich): {source}; choose another http.port (ENRICHER__HTTP__PORT) or 0 to turn it off")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

/// What the handlers share: the metrics and readiness, and the enrich API.
#[derive(Clone)]
pub struct HttpState {
    pub telemetry: Telemetry,
    pub api: Arc<EnrichApi>,
}

/// Binds the HTTP server; `None` when `http.port` is 0 (turned off).
pub async fn bind(settings: &HttpSettings) -> Result<Option<tokio::net::TcpListener>, HttpError> {
    if settings.port == 0 {
        return Ok(None);
    }
    let address = format!("{}:{}", settings.bind, settings.port);
    tokio::net::TcpListener::bind(&address)
        .await
        .map(Some)
        .map_err(|source| HttpError::Bind { address, source })
}

/// The routes, for [`serve`] and for tests that drive the router directly.
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/", get(review_page))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/v1/enrich", post(api::enrich))
        .with_state(state)
}

/// Serves the routes on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: HttpState) {
    let address = listener.local_addr().map_or_else(
        |_| "?".to_string(),
        |address: SocketAddr| address.to_string(),
    );
    tracing::info!(%address, "serving the review page at /, POST /v1/enrich, /healthz, /readyz and /metrics");
    if let Err(error) = axum::serve(listener, router(state)).await {
        tracing::error!(%error, "the HTTP server stopped");
    }
}

async fn review_page() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-cache")], Html(review::page()))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<HttpState>) -> impl IntoResponse {
    match state.telemetry.readiness.check() {
        Ok(()) => (StatusCode::OK, "ready\n".to_string()),
        Err(missing) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {missing}\n"),
        ),
    }
}

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.telemetry.metrics.encode(),
    )
}
