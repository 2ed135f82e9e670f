//! The command-line tools beside the service: `serve` (the HTTP API and the review page
//! without a broker), `enrich` (articles from files, no broker),
//! `eval` (accuracy on labelled corpora), `loadgen` (the worker's speed end to end) and
//! `train` (the two taggers' models from corpora on disk). Each module holds its command's
//! arguments (parsed by `main.rs`) and the function that runs it and gives the process exit
//! code. They use the service's parts (the contract, the NLP core, the worker) as any caller
//! would.

pub mod enrich;
pub mod eval;
pub mod loadgen;
pub mod serve;
pub mod train;
