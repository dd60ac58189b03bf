//! The worker's TOML configuration.
//!
//! ```toml
//! [chain]
//! url = "ws://127.0.0.1:9944"            # node RPC (ws:// or wss://)
//!
//! [worker]
//! key_file = "worker-key.json"           # from `cxmpute-worker init`
//! # provision = "0x…"                    # default: the provision the key is authorized for
//! listen = "0.0.0.0:8090"                # /health, /metrics, /results/<hash>
//! public_url = "http://203.0.113.7:8090" # how users and validators reach `listen`
//! data_dir = "/var/lib/cxmpute-worker"   # stored outputs
//!
//! [models]
//! dir = "/srv/models"                    # .onnx files (+ tokenizer.json) by hash
//! # embeddings_model = "…64 hex…"         # default: the only model with a tokenizer
//! #                                      # that is not offered for Inference
//! max_batch = 16                         # concurrent jobs per model run
//! batch_window_ms = 2                    # wait for more jobs after the first
//!
//! [containers]
//! allow_network = false
//!
//! [provision]                            # what `register` puts on chain
//! region = "eu-west"
//! capacity = 4
//! [[provision.services]]
//! kind = "Embeddings"
//! price = 20                             # per unit, in micro-USD
//! ```

use std::{net::SocketAddr, path::PathBuf};

use serde::Deserialize;

use crate::{chain::ServiceKind, Result, WorkerError};

/// The whole configuration file.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// Chain connection.
	#[serde(default)]
	pub chain: ChainConfig,
	/// The worker process.
	pub worker: WorkerSection,
	/// ONNX models.
	#[serde(default)]
	pub models: ModelsConfig,
	/// Container policy.
	#[serde(default)]
	pub containers: ContainersConfig,
	/// What `register` declares on chain.
	#[serde(default)]
	pub provision: Option<ProvisionConfig>,
}

/// `[chain]`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
	/// Node RPC URL.
	#[serde(default = "default_url")]
	pub url: String,
}

impl Default for ChainConfig {
	fn default() -> Self {
		Self { url: default_url() }
	}
}

fn default_url() -> String {
	"ws://127.0.0.1:9944".into()
}

/// `[worker]`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct WorkerSection {
	/// The worker key file (Polkadot.js JSON).
	pub key_file: PathBuf,
	/// Provision id (0x + 64 hex); looked up from the key when absent.
	#[serde(default)]
	pub provision: Option<String>,
	/// HTTP listen address.
	#[serde(default = "default_listen")]
	pub listen: SocketAddr,
	/// Public base URL of `listen` (for result URIs and the health endpoint).
	#[serde(default)]
	pub public_url: Option<String>,
	/// Directory of stored outputs.
	#[serde(default = "default_data_dir")]
	pub data_dir: PathBuf,
	/// Outputs up to this many bytes go on chain inline (at most the chain's `MaxOutputLen`).
	#[serde(default = "default_inline_max")]
	pub inline_output_max: usize,
	/// Seconds running jobs get to finish after SIGINT/SIGTERM.
	#[serde(default = "default_grace")]
	pub grace_period_s: u64,
	/// Milliseconds a batch waits for more items before it is sent.
	#[serde(default = "default_batch_delay")]
	pub batch_delay_ms: u64,
	/// Seconds between reconciliations when no finalized block arrives.
	#[serde(default = "default_reconcile")]
	pub reconcile_interval_s: u64,
	/// Largest remote input fetched, in bytes.
	#[serde(default = "default_max_input")]
	pub max_remote_input_bytes: usize,
}

fn default_listen() -> SocketAddr {
	"0.0.0.0:8090".parse().expect("valid address")
}
fn default_data_dir() -> PathBuf {
	PathBuf::from("cxmpute-worker-data")
}
fn default_inline_max() -> usize {
	4096
}
fn default_grace() -> u64 {
	30
}
fn default_batch_delay() -> u64 {
	300
}
fn default_reconcile() -> u64 {
	12
}
fn default_max_input() -> usize {
	64 << 20
}

impl WorkerSection {
	/// The public base URL (`public_url`, else `http://<listen>`), without a trailing slash.
	pub fn base_url(&self) -> String {
		let url = self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen));
		url.trim_end_matches('/').to_string()
	}
}

/// `[models]`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ModelsConfig {
	/// Model directory; no ONNX jobs without it.
	#[serde(default)]
	pub dir: Option<PathBuf>,
	/// The model `Embeddings` jobs use (hex hash).
	#[serde(default)]
	pub embeddings_model: Option<String>,
	/// libonnxruntime.so (default: `$ORT_DYLIB_PATH`).
	#[serde(default)]
	pub ort_dylib: Option<PathBuf>,
	/// CUDA device for inference (no CPU fallback).
	#[serde(default)]
	pub cuda_device: Option<i32>,
	/// Most concurrent jobs served by one model run (embeddings texts are further split into
	/// runs of at most 64).
	#[serde(default = "default_max_batch")]
	pub max_batch: usize,
	/// Milliseconds a model run waits for more jobs after the first; jobs that queue while the
	/// model is busy join the next run without waiting.
	#[serde(default = "default_batch_window")]
	pub batch_window_ms: u64,
}

impl Default for ModelsConfig {
	fn default() -> Self {
		Self {
			dir: None,
			embeddings_model: None,
			ort_dylib: None,
			cuda_device: None,
			max_batch: default_max_batch(),
			batch_window_ms: default_batch_window(),
		}
	}
}

fn default_max_batch() -> usize {
	16
}
fn default_batch_window() -> u64 {
	2
}

/// `[containers]`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ContainersConfig {
	/// Whether jobs may ask for network access.
	#[serde(default)]
	pub allow_network: bool,
	/// Whether missing images may be pulled.
	#[serde(default)]
	pub allow_pull: bool,
	/// The most CPU cores one job gets.
	#[serde(default = "default_max_cpus")]
	pub max_cpus: f64,
	/// The most memory one job gets, in MiB.
	#[serde(default = "default_max_memory")]
	pub max_memory_mb: u32,
	/// The most processes in one job.
	#[serde(default = "default_max_pids")]
	pub max_pids: u32,
	/// The longest a job may run, in seconds.
	#[serde(default = "default_max_timeout")]
	pub max_timeout_s: u32,
	/// Bytes of stdout/stderr kept per job.
	#[serde(default = "default_max_output")]
	pub max_output_bytes: usize,
}

impl Default for ContainersConfig {
	fn default() -> Self {
		Self {
			allow_network: false,
			allow_pull: false,
			max_cpus: default_max_cpus(),
			max_memory_mb: default_max_memory(),
			max_pids: default_max_pids(),
			max_timeout_s: default_max_timeout(),
			max_output_bytes: default_max_output(),
		}
	}
}

fn default_max_cpus() -> f64 {
	4.0
}
fn default_max_memory() -> u32 {
	4096
}
fn default_max_pids() -> u32 {
	1024
}
fn default_max_timeout() -> u32 {
	3600
}
fn default_max_output() -> usize {
	16 << 20
}

/// `[provision]`: the offer `register` puts on chain.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProvisionConfig {
	/// Region, e.g. `eu-west`.
	pub region: String,
	/// Concurrent jobs.
	#[serde(default = "default_capacity")]
	pub capacity: u32,
	/// Health endpoint (default: `<public_url>/health`).
	#[serde(default)]
	pub endpoint: Option<String>,
	/// Last available block; indefinite when absent.
	#[serde(default)]
	pub available_until: Option<u32>,
	/// Overrides of detected hardware.
	#[serde(default)]
	pub hardware: HardwareOverride,
	/// Offered services.
	pub services: Vec<ServiceConfig>,
}

fn default_capacity() -> u32 {
	1
}

/// Values that replace what hardware detection found (e.g. to declare less than the machine).
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct HardwareOverride {
	/// GPU model name.
	pub gpu_model: Option<String>,
	/// VRAM in MiB.
	pub vram_mb: Option<u32>,
	/// CPU cores.
	pub cpu_cores: Option<u32>,
	/// RAM in MiB.
	pub ram_mb: Option<u32>,
	/// Disk in GB.
	pub disk_gb: Option<u32>,
}

/// One offered service.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
	/// `Inference`, `Embeddings`, `Container`, `Serverless`, `Rental`, `TextToSpeech`,
	/// `WebScraping`: the runtime's own `ServiceKind`, read from its metadata.
	pub kind: ServiceKind,
	/// Price per unit (micro-USD per 1K tokens, per second of compute, ...).
	pub price: u64,
	/// Model hashes (Inference only).
	#[serde(default)]
	pub models: Vec<String>,
}

impl Config {
	/// Parses a configuration from TOML text.
	pub fn parse(text: &str) -> Result<Self> {
		let config: Config =
			toml::from_str(text).map_err(|e| WorkerError::InvalidInput(format!("config: {e}")))?;
		config.validate()?;
		Ok(config)
	}

	/// Reads and parses a configuration file; relative paths in it stay relative to the
	/// current directory.
	pub fn load(path: &std::path::Path) -> Result<Self> {
		let text = std::fs::read_to_string(path).map_err(|e| WorkerError::io(path, e))?;
		Self::parse(&text)
			.map_err(|e| WorkerError::InvalidInput(format!("{}: {e}", path.display())))
	}

	/// Checks values serde cannot.
	fn validate(&self) -> Result<()> {
		let bad = |m: String| Err(WorkerError::InvalidInput(m));
		if !(self.chain.url.starts_with("ws://") || self.chain.url.starts_with("wss://")) {
			return bad(format!("chain.url must be ws:// or wss://, not {}", self.chain.url));
		}
		if let Some(p) = &self.worker.provision {
			parse_hash32(p)?;
		}
		if let Some(p) = &self.provision {
			if p.services.is_empty() {
				return bad("provision.services is empty".into());
			}
			if p.capacity == 0 {
				return bad("provision.capacity must be at least 1".into());
			}
		}
		if !(self.containers.max_cpus.is_finite() && self.containers.max_cpus > 0.0) {
			return bad("containers.max_cpus must be > 0".into());
		}
		Ok(())
	}
}

/// Parses `0x` + 64 hex (or 64 hex) into 32 bytes.
pub fn parse_hash32(s: &str) -> Result<[u8; 32]> {
	let h = s.strip_prefix("0x").unwrap_or(s);
	let bytes =
		hex::decode(h).map_err(|_| WorkerError::InvalidInput(format!("{s:?} is not hex")))?;
	bytes
		.try_into()
		.map_err(|_| WorkerError::InvalidInput(format!("{s:?} is not 32 bytes (64 hex digits)")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_a_full_config() {
		let c = Config::parse(
			r#"
			[chain]
			url = "ws://127.0.0.1:9966"
			[worker]
			key_file = "k.json"
			listen = "127.0.0.1:8091"
			public_url = "http://example.org:8091/"
			[models]
			dir = "/m"
			[containers]
			allow_network = true
			[provision]
			region = "eu-west"
			capacity = 2
			[[provision.services]]
			kind = "Embeddings"
			price = 20
			[[provision.services]]
			kind = "Container"
			price = 1000
			"#,
		)
		.unwrap();
		assert_eq!(c.worker.base_url(), "http://example.org:8091");
		assert_eq!(c.worker.grace_period_s, 30);
		let p = c.provision.unwrap();
		assert_eq!(p.services[1].kind, ServiceKind::Container);
		assert!(c.containers.allow_network);
	}

	#[test]
	fn rejects_bad_values() {
		let base = "[worker]\nkey_file = \"k\"\n";
		assert!(Config::parse(base).is_ok());
		assert!(Config::parse(&format!("[chain]\nurl = \"http://x\"\n{base}")).is_err());
		assert!(Config::parse(&format!("{base}provision = \"0x12\"\n")).is_err());
		assert!(Config::parse(&format!("{base}unknown = 1\n")).is_err());
		assert!(Config::parse(&format!(
			"{base}[provision]\nregion = \"x\"\ncapacity = 0\n[[provision.services]]\nkind = \"Embeddings\"\nprice = 1\n"
		))
		.is_err());
	}

	#[test]
	fn the_example_parses() {
		let c = Config::parse(include_str!("../worker.example.toml")).unwrap();
		assert_eq!(c.provision.unwrap().services.len(), 2);
	}

	#[test]
	fn hash32() {
		assert_eq!(parse_hash32(&format!("0x{}", "ab".repeat(32))).unwrap(), [0xab; 32]);
		assert!(parse_hash32("zz").is_err());
	}
}
