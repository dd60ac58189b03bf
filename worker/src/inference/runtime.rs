//! ONNX Runtime setup: loading the shared library and creating sessions on the chosen device.
//!
//! The worker loads `libonnxruntime` at run time (`ort`'s `load-dynamic`), so the binary builds
//! without downloading anything and providers ship the library that fits their hardware (the CPU
//! wheel, or onnxruntime-gpu's library next to the CUDA provider). ONNX Runtime allows one library
//! per process, so the environment is a process-wide singleton shared by every [`Runtime`].

use std::{
	path::{Path, PathBuf},
	sync::{Mutex, OnceLock},
};

use ort::{
	environment::Environment,
	session::{builder::GraphOptimizationLevel, Session},
};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};

/// Environment variable naming the ONNX Runtime shared library.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// Where inference runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExecutionProvider {
	/// ONNX Runtime's default CPU provider.
	#[default]
	Cpu,
	/// NVIDIA GPU through the CUDA execution provider. Never falls back to CPU silently.
	Cuda {
		/// CUDA device index.
		device_id: i32,
	},
}

/// How to set up ONNX Runtime.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RuntimeConfig {
	/// Path of `libonnxruntime.so`; `None` reads [`ORT_DYLIB_ENV`].
	pub dylib_path: Option<PathBuf>,
	/// Device to run on.
	#[serde(default)]
	pub provider: ExecutionProvider,
	/// Threads used inside one operator; `None` lets ONNX Runtime pick (one per core).
	#[serde(default)]
	pub intra_threads: Option<usize>,
}

impl RuntimeConfig {
	/// CPU config with the library path taken from `ORT_DYLIB_PATH`.
	pub fn cpu_from_env() -> Self {
		Self::default()
	}

	/// The library path: the configured one, else `ORT_DYLIB_PATH`.
	///
	/// # Errors
	/// [`WorkerError::OrtLibraryNotConfigured`] when neither is set.
	pub fn resolve_dylib_path(&self) -> Result<PathBuf> {
		if let Some(p) = &self.dylib_path {
			return Ok(p.clone());
		}
		match std::env::var_os(ORT_DYLIB_ENV) {
			Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
			_ => Err(WorkerError::OrtLibraryNotConfigured),
		}
	}
}

/// The process-wide ONNX Runtime environment and the library it came from.
struct LoadedEnv {
	path: PathBuf,
	env: Environment,
}

static ENV: OnceLock<LoadedEnv> = OnceLock::new();
// Serialises first initialisation so two threads do not race to load different libraries.
static ENV_INIT: Mutex<()> = Mutex::new(());

/// Loads ONNX Runtime once per process; later calls must name the same library.
fn environment(path: &Path) -> Result<&'static Environment> {
	// Checked first, on every call: a missing file is a configuration error even when another
	// library is already loaded (ort would otherwise ignore the path silently).
	if !path.is_file() {
		return Err(WorkerError::OrtLibraryMissing { path: path.to_path_buf() });
	}
	let canonical = path.canonicalize().map_err(|e| WorkerError::io(path, e))?;
	let _guard = ENV_INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	if let Some(loaded) = ENV.get() {
		if loaded.path != canonical {
			return Err(WorkerError::OrtAlreadyLoaded {
				loaded: loaded.path.clone(),
				requested: canonical,
			});
		}
		return Ok(&loaded.env);
	}
	let builder = ort::init_from(&canonical)
		.map_err(|e| WorkerError::OrtLoad { path: canonical.clone(), reason: e.to_string() })?;
	let env = builder
		.with_name("cxmpute-worker")
		.build()
		.map_err(|e| WorkerError::OrtLoad { path: canonical.clone(), reason: e.to_string() })?;
	tracing::info!(path = %canonical.display(), "loaded ONNX Runtime");
	Ok(&ENV.get_or_init(|| LoadedEnv { path: canonical, env }).env)
}

/// A configured ONNX Runtime: creates sessions on one execution provider.
#[derive(Clone)]
pub struct Runtime {
	env: &'static Environment,
	dylib_path: PathBuf,
	provider: ExecutionProvider,
	intra_threads: Option<usize>,
}

impl std::fmt::Debug for Runtime {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Runtime")
			.field("dylib_path", &self.dylib_path)
			.field("provider", &self.provider)
			.field("intra_threads", &self.intra_threads)
			.finish()
	}
}

impl Runtime {
	/// Loads the library and checks that the asked-for execution provider can be used.
	///
	/// # Errors
	/// Missing or unloadable library, or CUDA asked for where it is not available (this build
	/// lacks the `cuda` feature, or the library has no CUDA provider).
	pub fn new(config: &RuntimeConfig) -> Result<Self> {
		let dylib_path = config.resolve_dylib_path()?;
		let env = environment(&dylib_path)?;
		let runtime = Self {
			env,
			dylib_path,
			provider: config.provider,
			intra_threads: config.intra_threads,
		};
		runtime.check_provider()?;
		Ok(runtime)
	}

	/// The execution provider sessions are created on.
	pub fn provider(&self) -> ExecutionProvider {
		self.provider
	}

	/// The process-wide ONNX Runtime environment (ONNX Runtime allows only one per process), for
	/// code that needs plain `ort` sessions next to the worker's, such as the benchmarks.
	pub fn environment(&self) -> &'static Environment {
		self.env
	}

	/// Path of the ONNX Runtime library in use.
	pub fn dylib_path(&self) -> &Path {
		&self.dylib_path
	}

	/// Fails early (before any model loads) when the provider cannot work at all.
	fn check_provider(&self) -> Result<()> {
		match self.provider {
			ExecutionProvider::Cpu => Ok(()),
			ExecutionProvider::Cuda { device_id } => cuda::check_available(device_id),
		}
	}

	/// Creates a session builder with the provider registered (error on failure, no fallback).
	fn builder(&self) -> Result<ort::session::builder::SessionBuilder> {
		let mut builder =
			Session::builder(self.env).map_err(|e| WorkerError::ort("creating session", e))?;
		builder = builder
			.with_optimization_level(GraphOptimizationLevel::Level3)
			.map_err(|e| WorkerError::ort("setting optimisation level", e))?;
		if let Some(n) = self.intra_threads {
			builder = builder
				.with_intra_threads(n)
				.map_err(|e| WorkerError::ort("setting intra-op threads", e))?;
		}
		if let ExecutionProvider::Cuda { device_id } = self.provider {
			builder = cuda::register(builder, device_id)?;
		}
		Ok(builder)
	}

	/// Loads a model from memory (the bytes whose hash identifies it).
	///
	/// # Errors
	/// [`WorkerError::InvalidModel`] when ONNX Runtime rejects the bytes; provider errors.
	pub fn session_from_memory(&self, bytes: &[u8], origin: &Path) -> Result<Session> {
		let mut builder = self.builder()?;
		builder.commit_from_memory(bytes).map_err(|e| WorkerError::InvalidModel {
			path: origin.to_path_buf(),
			reason: e.to_string(),
		})
	}

	/// Loads a model from a file (external data files next to it are found by ONNX Runtime).
	///
	/// # Errors
	/// [`WorkerError::InvalidModel`] when ONNX Runtime rejects the file; provider errors.
	pub fn session_from_file(&self, path: &Path) -> Result<Session> {
		let mut builder = self.builder()?;
		builder.commit_from_file(path).map_err(|e| WorkerError::InvalidModel {
			path: path.to_path_buf(),
			reason: e.to_string(),
		})
	}
}

#[cfg(feature = "cuda")]
mod cuda {
	//! CUDA provider, registered with `error_on_failure` so a broken GPU setup is an error.
	use ort::ep::{ExecutionProvider as _, CUDA};

	use crate::error::{Result, WorkerError};

	pub(super) fn check_available(device_id: i32) -> Result<()> {
		if device_id < 0 {
			return Err(WorkerError::CudaUnavailable {
				device_id,
				reason: "device id must be >= 0".into(),
			});
		}
		match CUDA::is_available() {
			Ok(true) => Ok(()),
			Ok(false) => Err(WorkerError::CudaUnavailable {
				device_id,
				reason: "the loaded ONNX Runtime library has no CUDA execution provider \
				         (use onnxruntime-gpu's libonnxruntime.so)"
					.into(),
			}),
			Err(e) => Err(WorkerError::CudaUnavailable { device_id, reason: e.to_string() }),
		}
	}

	pub(super) fn register(
		builder: ort::session::builder::SessionBuilder,
		device_id: i32,
	) -> Result<ort::session::builder::SessionBuilder> {
		// TF32 off: the verification scheme compares fp32 providers, and TF32 (on by default in
		// ONNX Runtime's CUDA provider) changes results by ~3e-7 cosine.
		let ep =
			CUDA::default().with_device_id(device_id).with_tf32(false).build().error_on_failure();
		builder
			.with_execution_providers([ep])
			.map_err(|e| WorkerError::CudaUnavailable { device_id, reason: e.to_string() })
	}
}

#[cfg(not(feature = "cuda"))]
mod cuda {
	//! Built without CUDA: asking for it is an explicit error.
	use crate::error::{Result, WorkerError};

	const REASON: &str = "this worker was built without the `cuda` cargo feature \
	                      (rebuild with `--features cuda` and use onnxruntime-gpu)";

	pub(super) fn check_available(device_id: i32) -> Result<()> {
		Err(WorkerError::CudaUnavailable { device_id, reason: REASON.into() })
	}

	pub(super) fn register(
		_builder: ort::session::builder::SessionBuilder,
		device_id: i32,
	) -> Result<ort::session::builder::SessionBuilder> {
		Err(WorkerError::CudaUnavailable { device_id, reason: REASON.into() })
	}
}
