//! # article-enricher
//!
//! A stream worker for news pipelines: it reads raw articles from NATS (JetStream or core
//! NATS), extracts entities, dates, quotes and meetings, and publishes the article with an
//! `enrichment` object added.
//!
//! The crate is layered so that each part can be tested alone:
//! - [`article`] decodes input messages and encodes output;
//! - [`nlp`] is the pure, synchronous NLP core ([`nlp::Pipeline`]);
//! - [`enrichment`] is the output contract;
//! - the `run` command wires the NLP to NATS ([`worker`], [`transport`]);
//! - [`loadgen`] measures the worker's speed end to end through JetStream.
//!
//! ```
//! use article_enricher::{contract, nlp::Pipeline};
//!
//! let payload = br#"{"id": "a1", "body": "Angela Merkel visited Paris."}"#;
//! let enriched = contract::enrich(&Pipeline::new(), payload, usize::MAX).unwrap();
//! assert_eq!(enriched.article_id, "a1");
//! ```

pub mod config;
pub mod contract;
pub mod cpu_pool;
pub mod eval;
pub mod loadgen;
pub mod nlp;
pub mod offline;
pub mod telemetry;
pub mod train;
pub mod transport;
pub mod worker;
