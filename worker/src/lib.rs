//! # Cxmpute worker
//!
//! The provider process of Cxmpute: job executors, the chain client, the main loop that
//! heartbeats, accepts, runs and answers jobs, and the HTTP server (health, metrics, results).
//!
//! ## Overview
//! - [`inference`]: ONNX Runtime jobs (raw tensors, text embeddings, text generation) on CPU
//!   or CUDA, with models from the [`model_store`] identified by the blake2b-256 hash of the
//!   ONNX file (the same hash the chain uses).
//! - [`container`]: container jobs and serverless functions through the Docker Engine API,
//!   with CPU, memory, pids, network, time and output limits.
//! - [`error`]: one error type; executors return errors for bad input, never panic.
//! - [`chain`]: subxt client (static types from `artifacts/cxmpute.scale`), nonce handling,
//!   reconnection, metadata compatibility check.
//! - [`runner`]: the `run` loop: heartbeats, reconciliation with on-chain state, batches of
//!   accepts/results/failures, graceful shutdown.
//! - [`keyfile`], [`config`], [`hardware`], [`canonical`], [`results`], [`http`], [`metrics`],
//!   [`nonce`]: the pieces it uses.
//!
//! ## Environment
//! - `ORT_DYLIB_PATH`: ONNX Runtime shared library (`scripts/worker-assets.sh` provides one).
//! - `DOCKER_HOST`: Docker engine socket (`scripts/docker-dev.sh` starts one for development).

#![deny(missing_docs)]

pub mod canonical;
pub mod chain;
pub mod config;
pub mod container;
pub mod error;
pub mod hardware;
pub mod http;
pub mod inference;
pub mod keyfile;
pub mod metrics;
pub mod model_store;
pub mod nonce;
pub mod results;
pub mod runner;

pub use error::{Result, WorkerError};

/// Target name for the worker's `tracing` logs.
pub const LOG_TARGET: &str = "cxmpute-worker";
