//! The worker's error type.
//!
//! Every variant says what was wrong and, where it helps, what to do about it. Executors never
//! panic on bad input: a job with a malformed tensor, an unknown model or a broken container
//! image comes back as one of these errors, which the caller turns into a failed job result.

use std::path::PathBuf;

/// Result type of the worker's library.
pub type Result<T, E = WorkerError> = std::result::Result<T, E>;

/// Everything that can go wrong while preparing or running a job.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
	/// No ONNX Runtime library was configured.
	#[error(
		"no ONNX Runtime library configured: set ORT_DYLIB_PATH (or the worker config's \
		 `ort_dylib_path`) to libonnxruntime.so; scripts/worker-assets.sh lays one out"
	)]
	OrtLibraryNotConfigured,
	/// The configured ONNX Runtime library file does not exist.
	#[error("ONNX Runtime library not found at {path}: check ORT_DYLIB_PATH or run scripts/worker-assets.sh")]
	OrtLibraryMissing {
		/// Path that was tried.
		path: PathBuf,
	},
	/// The ONNX Runtime library exists but could not be loaded or initialised.
	#[error("could not load ONNX Runtime from {path}: {reason}")]
	OrtLoad {
		/// Path that was tried.
		path: PathBuf,
		/// What the loader said.
		reason: String,
	},
	/// A second, different ONNX Runtime library was requested in the same process.
	#[error(
		"ONNX Runtime is already loaded from {loaded} in this process; cannot switch to {requested} \
		 (one library per process)"
	)]
	OrtAlreadyLoaded {
		/// Library in use.
		loaded: PathBuf,
		/// Library asked for.
		requested: PathBuf,
	},
	/// CUDA was asked for but cannot be used. There is no silent CPU fallback.
	#[error("CUDA execution provider unavailable (device {device_id}): {reason}")]
	CudaUnavailable {
		/// CUDA device index that was asked for.
		device_id: i32,
		/// Why it cannot be used.
		reason: String,
	},
	/// An ONNX Runtime call failed.
	#[error("ONNX Runtime error while {context}: {reason}")]
	Ort {
		/// What the worker was doing.
		context: String,
		/// ONNX Runtime's message.
		reason: String,
	},
	/// A file or directory could not be read.
	#[error("I/O error on {path}: {source}")]
	Io {
		/// Path being read.
		path: PathBuf,
		/// Underlying error.
		source: std::io::Error,
	},
	/// A model directory does not exist or is not a directory.
	#[error("model directory {path} does not exist or is not a directory")]
	ModelDirMissing {
		/// Path that was given.
		path: PathBuf,
	},
	/// No model with this hash is in the store.
	#[error("unknown model {hash}: no ONNX file in the model store has this blake2b-256 hash")]
	UnknownModel {
		/// Hex hash that was asked for.
		hash: String,
	},
	/// A model hash is not 64 hex characters.
	#[error("invalid model hash {hash:?}: expected 64 hex characters (blake2b-256)")]
	InvalidModelHash {
		/// What was given.
		hash: String,
	},
	/// The file is not a loadable ONNX model.
	#[error("model {path} is not a valid ONNX model: {reason}")]
	InvalidModel {
		/// The model file.
		path: PathBuf,
		/// ONNX Runtime's message.
		reason: String,
	},
	/// The model's inputs/outputs do not fit the pipeline it was used with.
	#[error("model {model} does not fit the {pipeline} pipeline: {reason}")]
	ModelSignature {
		/// Model hash or path.
		model: String,
		/// Pipeline name (embeddings, generation, ...).
		pipeline: &'static str,
		/// What is missing or mismatched.
		reason: String,
	},
	/// The tokenizer file could not be loaded or failed on an input.
	#[error("tokenizer {path}: {reason}")]
	Tokenizer {
		/// tokenizer.json path.
		path: PathBuf,
		/// What went wrong.
		reason: String,
	},
	/// The job's input is malformed.
	#[error("invalid input: {0}")]
	InvalidInput(String),
	/// The Docker engine cannot be reached.
	#[error("Docker engine unavailable at {host}: {reason} (scripts/docker-dev.sh starts one)")]
	DockerUnavailable {
		/// DOCKER_HOST or default socket.
		host: String,
		/// What failed.
		reason: String,
	},
	/// A Docker API call failed.
	#[error("Docker error while {context}: {source}")]
	Docker {
		/// What the worker was doing.
		context: String,
		/// bollard's error.
		source: bollard::errors::Error,
	},
	/// The job's image is not present locally and pulling is not allowed.
	#[error("image {image} is not present on this provider and pulling is disabled")]
	ImageNotFound {
		/// The image reference.
		image: String,
	},
	/// The job asked for network access but the provider does not allow it.
	#[error("the job asks for network access but this provider's config does not allow it")]
	NetworkNotAllowed,
	/// Container limits are out of range.
	#[error("invalid container limits: {0}")]
	InvalidLimits(String),
	/// A chain RPC call, read or transaction failed.
	#[error("chain: {0}")]
	Chain(String),
	/// The node's runtime does not have the calls/storage/constants this worker was built for.
	#[error(
		"the chain's metadata does not match what this worker was built for ({0}); update \
		 cxmpute-worker (or rebuild it after scripts/worker-metadata.sh)"
	)]
	ChainIncompatible(String),
	/// A key file or secret URI problem.
	#[error(transparent)]
	Key(#[from] crate::keyfile::KeyError),
	/// A remote input could not be fetched or did not match its hash.
	#[error("remote input {uri}: {reason}")]
	RemoteInput {
		/// The URI.
		uri: String,
		/// What went wrong.
		reason: String,
	},
}

impl WorkerError {
	/// Wraps an ONNX Runtime error with what the worker was doing.
	pub fn ort<R>(context: impl Into<String>, err: ort::Error<R>) -> Self {
		WorkerError::Ort { context: context.into(), reason: err.to_string() }
	}

	/// Wraps a Docker API error with what the worker was doing.
	pub fn docker(context: impl Into<String>, source: bollard::errors::Error) -> Self {
		WorkerError::Docker { context: context.into(), source }
	}

	/// Wraps an I/O error with the path involved.
	pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
		WorkerError::Io { path: path.into(), source }
	}
}
