//! # article-enricher
//!
//! A stream worker for news pipelines: it reads raw articles from NATS (JetStream or core
//! NATS), extracts entities, dates, quotes and meetings, and publishes the article with an
//! `enrichment` object added.
//!
//! The crate is layered so that each part can be tested alone: the service calls the
//! contract, the contract calls the core, the core calls nothing outside itself, and the
//! tools call any of them as any other caller would.
//! - the service: [`worker`] (pull, enrich on the [`cpu_pool`], publish, ack; shutdown),
//!   [`transport`] (the only code that knows NATS), [`config`], [`telemetry`] and [`http`]
//!   (probes, metrics, `POST /v1/enrich` and the review page);
//! - [`contract`], the JSON contract: decodes what scrapers send and encodes what indexers
//!   receive; [`contract::enrich`] goes from a message's bytes to its enriched output;
//! - [`nlp`], the pure, synchronous NLP core: plain text fields in ([`nlp::Input`]), its own
//!   result out ([`nlp::Analysis`]); it knows nothing of the layers above;
//! - [`commands`], the tools beside the service: `serve` (the HTTP API and review page
//!   without a broker), `enrich` (files in, no broker), `eval`
//!   (accuracy on labelled corpora), `loadgen` (the worker's speed through JetStream) and
//!   `train` (the two taggers' models from corpora on disk; the learning itself is the
//!   core's, over [`nlp::linear`]).
//!
//! ```
//! use article_enricher::{contract, nlp::Pipeline};
//!
//! let payload = br#"{"id": "a1", "body": "Angela Merkel visited Paris."}"#;
//! let enriched = contract::enrich(&Pipeline::new(), payload, usize::MAX).unwrap();
//! assert_eq!(enriched.article_id, "a1");
//! ```

pub mod commands;
pub mod config;
pub mod contract;
pub mod cpu_pool;
pub mod http;
pub mod nlp;
pub mod telemetry;
pub mod transport;
pub mod worker;
