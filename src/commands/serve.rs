//! The `serve` command: the HTTP API (`POST /v1/enrich`) and the review page without a
//! broker, for back-fills, an editor's preview or a test harness.
//!
//! It reads the worker's settings (the same files and `ENRICHER__*` variables; only
//! `http`, `worker.max_input_bytes`, `worker.time_budget`, `worker.enrich_threads` and `log`
//! matter here), serves [`crate::http`] on `http.bind:http.port` (loopback unless
//! configured) until SIGTERM or SIGINT, then lets the requests in flight finish.

use crate::config::Settings;
use crate::http::{self, api::EnrichApi, HttpState};
use crate::telemetry::{self, Telemetry};
use crate::worker::{start_runtime, termination_signal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// The arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// An extra settings file, layered over config/default.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Listen on this port instead of `http.port` (0 picks a free one; the address is logged).
    #[arg(long)]
    pub port: Option<u16>,
}

/// `serve`: exit 0 after a signal, 2 when it could not start.
pub fn main(args: ServeArgs) -> ExitCode {
    let settings = match Settings::load(args.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_tracing(&settings.log);
    let runtime = match start_runtime(&mut tokio::runtime::Builder::new_multi_thread()) {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let result = runtime.block_on(async {
        let shutdown = termination_signal();
        let port = match args.port {
            Some(port) => port,
            None if settings.http.port == 0 => return Err(ServeError::NoPort),
            None => settings.http.port,
        };
        let address = format!("{}:{port}", settings.http.bind);
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .map_err(|source| http::HttpError::Bind { address, source })?;
        let threads = match settings.http.enrich_threads {
            0 => settings.worker.enrich_thread_count(),
            threads => threads,
        };
        let api = EnrichApi::new(&settings, threads).map_err(ServeError::Threads)?;
        let telemetry = Telemetry::default();
        telemetry.readiness.set_broker_less();
        let address = listener.local_addr().map_err(ServeError::Io)?;
        let state = HttpState {
            telemetry,
            api: Arc::new(api),
        };
        tracing::info!(%address, threads, "review page at http://{address}/");
        let router = http::router(state);
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServeError::Io)?;
        tracing::info!("stopped");
        Ok::<(), ServeError>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "serve stopped");
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Why `serve` could not run.
#[derive(Debug, thiserror::Error)]
enum ServeError {
    #[error(transparent)]
    Http(#[from] http::HttpError),
    #[error("cannot start the enrichment threads: {0}")]
    Threads(std::io::Error),
    #[error("serve needs a port: http.port is 0 (off); give --port or ENRICHER__HTTP__PORT")]
    NoPort,
    #[error("the HTTP server failed: {0}")]
    Io(std::io::Error),
}
