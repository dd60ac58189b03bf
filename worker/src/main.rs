//! `cxmpute-worker`: the provider process of Cxmpute.
//!
//! Chain commands:
//!
//! ```text
//! cxmpute-worker init     --key-file worker-key.json            # new encrypted worker key
//! cxmpute-worker register --config worker.toml --provider-suri //Eve [--authorize] [--start]
//! cxmpute-worker run      --config worker.toml                  # the main loop
//! cxmpute-worker status   --config worker.toml [--json]
//! ```
//!
//! Passwords come from `--password-file`, else `$CXMPUTE_WORKER_PASSWORD`, else a prompt.
//!
//! Executor commands run a single job by hand and print JSON:
//!
//! ```text
//! cxmpute-worker models   --model-dir D
//! cxmpute-worker embed    --model-dir D [--model HASH] "text" ["text" ...]
//! cxmpute-worker infer    --model-dir D [--model HASH] --input inputs.json   (- for stdin)
//! cxmpute-worker generate --model-dir D [--model HASH] (--prompt TEXT | --tokens 1,2,3) [--top-p P --seed S]
//! cxmpute-worker container --image cxmpute/busybox:local [--stdin FILE] -- echo hello
//! ```

use std::{io::Read, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, Parser, Subcommand};
use cxmpute_worker::{
	chain::{self, api, Chain},
	config::{parse_hash32, Config},
	container::{ContainerConfig, ContainerExecutor, ContainerJob, ContainerLimits},
	hardware,
	inference::{
		embed, generate, run_tensors, ExecutionProvider, GenerationRequest, NamedTensor, Prompt,
		Runtime, RuntimeConfig, Sampling,
	},
	keyfile::{ss58_decode, KeyJson, KeyPair},
	model_store::{LoadedModel, ModelHash, ModelStore},
	Result, WorkerError,
};
use serde::Serialize;

/// Cxmpute provider worker.
#[derive(Parser)]
#[command(name = "cxmpute-worker", version, about)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Generate an encrypted sr25519 worker key (Polkadot.js keystore JSON).
	Init {
		/// Where to write the key file (refuses to overwrite).
		#[arg(long, default_value = "worker-key.json")]
		key_file: PathBuf,
		/// Name stored in the key file's metadata.
		#[arg(long, default_value = "cxmpute-worker")]
		name: String,
		#[command(flatten)]
		password: PasswordArgs,
	},
	/// Register the provision described in the config, or update an existing one's services
	/// (kinds, prices, inference models); signed by the provider account.
	Register {
		/// Worker config (TOML) with a `[provision]` section.
		#[arg(long)]
		config: PathBuf,
		/// The provider's secret URI (`//Eve`, a mnemonic, ...).
		#[arg(long, conflicts_with = "provider_key_file")]
		provider_suri: Option<String>,
		/// The provider's key file (Polkadot.js JSON); password as for the worker key.
		#[arg(long)]
		provider_key_file: Option<PathBuf>,
		/// Update this provision's services (kinds, prices, models) instead of registering a new
		/// one; defaults to `worker.provision` from the config.
		#[arg(long)]
		provision: Option<String>,
		/// Also authorize the config's worker key for the provision.
		#[arg(long)]
		authorize: bool,
		/// Also start the provision (needs a worker key and enough stake).
		#[arg(long)]
		start: bool,
		/// Print what would be registered and exit.
		#[arg(long)]
		dry_run: bool,
		#[command(flatten)]
		password: PasswordArgs,
	},
	/// Run the worker: heartbeats, jobs, HTTP server.
	Run {
		/// Worker config (TOML).
		#[arg(long)]
		config: PathBuf,
		#[command(flatten)]
		password: PasswordArgs,
	},
	/// Show the provision and its in-flight jobs on chain.
	Status {
		/// Worker config (TOML).
		#[arg(long)]
		config: PathBuf,
		/// Provision id (default: the config's, else the worker key's).
		#[arg(long)]
		provision: Option<String>,
		/// Print JSON.
		#[arg(long)]
		json: bool,
	},
	/// List the models of a model directory with their hashes.
	Models(ModelArgs),
	/// Embed texts (mean-pooled, L2-normalised vectors).
	Embed {
		#[command(flatten)]
		model: ModelArgs,
		/// Texts to embed.
		#[arg(required = true)]
		texts: Vec<String>,
	},
	/// Run a model on raw tensors: a JSON list of {name, shape, dtype, data}.
	Infer {
		#[command(flatten)]
		model: ModelArgs,
		/// JSON file with the input tensors, `-` for stdin.
		#[arg(long)]
		input: PathBuf,
	},
	/// Generate tokens with a KV-cache decoder model.
	Generate {
		#[command(flatten)]
		model: ModelArgs,
		/// Text prompt (needs tokenizer.json next to the model).
		#[arg(long, conflicts_with = "tokens")]
		prompt: Option<String>,
		/// Prompt as comma-separated token ids.
		#[arg(long, value_delimiter = ',')]
		tokens: Option<Vec<u32>>,
		/// Most tokens to generate.
		#[arg(long, default_value_t = 32)]
		max_new_tokens: u32,
		/// Top-p sampling mass; greedy when absent.
		#[arg(long)]
		top_p: Option<f32>,
		/// Sampling temperature (with --top-p).
		#[arg(long, default_value_t = 1.0)]
		temperature: f32,
		/// Sampling seed (with --top-p).
		#[arg(long, default_value_t = 0)]
		seed: u64,
		/// Stop token ids.
		#[arg(long, value_delimiter = ',')]
		stop: Vec<u32>,
	},
	/// Run one container job (or serverless function with --stdin).
	Container {
		/// Image name, name@sha256:digest or sha256:id.
		#[arg(long)]
		image: String,
		/// File whose bytes go to the container's stdin (`-` for this process's stdin).
		#[arg(long)]
		stdin: Option<PathBuf>,
		/// CPU cores (fractions allowed).
		#[arg(long, default_value_t = 1.0)]
		cpus: f64,
		/// Memory limit in MiB.
		#[arg(long, default_value_t = 512)]
		memory_mib: i64,
		/// Process limit.
		#[arg(long, default_value_t = 256)]
		pids: i64,
		/// Timeout in seconds.
		#[arg(long, default_value_t = 60.0)]
		timeout_s: f64,
		/// Bytes of stdout/stderr kept.
		#[arg(long, default_value_t = 1 << 20)]
		max_output_bytes: usize,
		/// Ask for network access (also needs --allow-network).
		#[arg(long)]
		network: bool,
		/// Provider policy: allow jobs to use the network.
		#[arg(long)]
		allow_network: bool,
		/// Command to run.
		#[arg(last = true)]
		cmd: Vec<String>,
	},
}

#[derive(Args, Clone)]
struct PasswordArgs {
	/// File holding the key password (first line).
	#[arg(long)]
	password_file: Option<PathBuf>,
}

impl PasswordArgs {
	/// The password: file, else $CXMPUTE_WORKER_PASSWORD, else a prompt (twice if `confirm`).
	fn get(&self, prompt: &str, confirm: bool) -> Result<String> {
		if let Some(f) = &self.password_file {
			let text = std::fs::read_to_string(f).map_err(|e| WorkerError::io(f, e))?;
			return Ok(text.lines().next().unwrap_or("").to_string());
		}
		if let Ok(p) = std::env::var("CXMPUTE_WORKER_PASSWORD") {
			return Ok(p);
		}
		let read =
			|p: &str| rpassword::prompt_password(p).map_err(|e| WorkerError::io("<terminal>", e));
		let pw = read(prompt)?;
		if confirm && read("Repeat the password: ")? != pw {
			return Err(WorkerError::InvalidInput("the passwords differ".into()));
		}
		Ok(pw)
	}
}

#[derive(Args)]
struct ModelArgs {
	/// Directory scanned for .onnx models.
	#[arg(long)]
	model_dir: PathBuf,
	/// Model hash (blake2b-256 hex); optional when the directory holds one model.
	#[arg(long)]
	model: Option<String>,
	/// libonnxruntime.so (defaults to $ORT_DYLIB_PATH).
	#[arg(long)]
	ort_dylib: Option<PathBuf>,
	/// Run on this CUDA device instead of the CPU (no fallback).
	#[arg(long)]
	cuda: Option<i32>,
}

impl ModelArgs {
	fn store(&self) -> Result<ModelStore> {
		let provider = match self.cuda {
			Some(device_id) => ExecutionProvider::Cuda { device_id },
			None => ExecutionProvider::Cpu,
		};
		let runtime = Runtime::new(&RuntimeConfig {
			dylib_path: self.ort_dylib.clone(),
			provider,
			intra_threads: None,
		})?;
		ModelStore::open(runtime, &self.model_dir)
	}

	fn load(&self, store: &ModelStore) -> Result<std::sync::Arc<LoadedModel>> {
		let hash = match &self.model {
			Some(h) => h.parse::<ModelHash>()?,
			None => match store.entries().as_slice() {
				[only] => only.hash,
				entries => {
					return Err(WorkerError::InvalidInput(format!(
						"{} models in {}: pick one with --model HASH (see `models`)",
						entries.len(),
						store.dir().display()
					)))
				},
			},
		};
		let (model, info) = store.get(&hash)?;
		tracing::info!(?info, "model ready");
		Ok(model)
	}
}

fn print<T: Serialize>(value: &T) -> Result<()> {
	let s = serde_json::to_string_pretty(value)
		.map_err(|e| WorkerError::InvalidInput(format!("cannot print the result: {e}")))?;
	println!("{s}");
	Ok(())
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>> {
	if path.as_os_str() == "-" {
		let mut buf = Vec::new();
		std::io::stdin().read_to_end(&mut buf).map_err(|e| WorkerError::io("<stdin>", e))?;
		Ok(buf)
	} else {
		std::fs::read(path).map_err(|e| WorkerError::io(path, e))
	}
}

/// A multi-threaded tokio runtime.
fn tokio_rt() -> Result<tokio::runtime::Runtime> {
	tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.map_err(|e| WorkerError::io("<tokio runtime>", e))
}

/// The SS58 address stored in a key file (no password needed).
fn key_file_address(path: &std::path::Path) -> Result<subxt::utils::AccountId32> {
	let text = std::fs::read_to_string(path).map_err(|e| WorkerError::io(path, e))?;
	let json: KeyJson = serde_json::from_str(&text)
		.map_err(|e| WorkerError::InvalidInput(format!("{}: {e}", path.display())))?;
	ss58_decode(&json.address)
		.map(subxt::utils::AccountId32)
		.ok_or_else(|| WorkerError::InvalidInput(format!("{}: bad address", path.display())))
}

/// The provision to work for: `--provision`, else the config's, else the key's on chain.
async fn find_provision(
	chain: &Chain,
	flag: Option<&str>,
	cfg: &Config,
	worker: &subxt::utils::AccountId32,
) -> Result<[u8; 32]> {
	if let Some(p) = flag.or(cfg.worker.provision.as_deref()) {
		return parse_hash32(p);
	}
	chain.provision_of_worker(worker).await?.ok_or_else(|| {
		WorkerError::InvalidInput(format!(
			"the worker key {} serves no provision: the provider must call \
			 provisions.authorizeWorker(id, {}) (or `register --authorize`)",
			worker, worker
		))
	})
}

fn cmd_init(key_file: PathBuf, name: String, password: PasswordArgs) -> Result<()> {
	let pw = password.get("Password for the new worker key: ", true)?;
	let pair = KeyPair::generate();
	pair.save(&key_file, &pw, &name)?;
	println!("worker key written to {}", key_file.display());
	println!("account: {}", pair.ss58());
	println!(
		"next: the provider authorizes it with provisions.authorizeWorker(<provision id>, {}) \
		 (or `cxmpute-worker register --authorize`), and sends it a little CXM for fees",
		pair.ss58()
	);
	Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn cmd_register(
	config: PathBuf,
	provider_suri: Option<String>,
	provider_key_file: Option<PathBuf>,
	provision: Option<String>,
	authorize: bool,
	start: bool,
	dry_run: bool,
	password: PasswordArgs,
) -> Result<()> {
	let cfg = Config::load(&config)?;
	let p = cfg.provision.clone().ok_or_else(|| {
		WorkerError::InvalidInput(format!("{}: no [provision] section", config.display()))
	})?;
	let det = hardware::detect(&cfg.worker.data_dir);
	let gpu = det.gpus.first();
	let o = &p.hardware;
	let hw = chain::Hardware {
		gpu_model: o
			.gpu_model
			.clone()
			.unwrap_or_else(|| gpu.map(|g| g.name.clone()).unwrap_or_default()),
		vram_mb: o.vram_mb.unwrap_or_else(|| gpu.map_or(0, |g| g.vram_mb)),
		cpu_cores: o.cpu_cores.unwrap_or(det.cpu_cores),
		ram_mb: o.ram_mb.unwrap_or(det.ram_mb),
		disk_gb: o.disk_gb.unwrap_or(det.disk_gb),
		region: p.region.clone(),
	};
	let endpoint =
		p.endpoint.clone().unwrap_or_else(|| format!("{}/health", cfg.worker.base_url()));
	let mut services = Vec::new();
	for s in &p.services {
		let models = s.models.iter().map(|m| parse_hash32(m)).collect::<Result<Vec<_>>>()?;
		services.push(chain::ServiceInput { kind: s.kind.clone(), price: s.price as u128, models });
	}
	eprintln!(
		"hardware: {hw:?}{}",
		det.gpu_note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
	);
	if dry_run {
		return print(
			&serde_json::json!({ "hardware": hw, "endpoint": endpoint, "capacity": p.capacity }),
		);
	}
	let signer = match (provider_suri, provider_key_file) {
		(Some(uri), _) => KeyPair::from_uri(&uri)?,
		(None, Some(f)) => KeyPair::load(&f, &password.get("Provider key password: ", false)?)?,
		(None, None) => return Err(WorkerError::InvalidInput(
			"registration is signed by the provider: give --provider-suri or --provider-key-file"
				.into(),
		)),
	};
	let chain = Chain::connect(&cfg.chain.url, signer, 5).await?;
	let tx = api::transactions().provisions();
	let id = match provision.or(cfg.worker.provision.clone()) {
		Some(id) => {
			// An existing provision gets the config's services, prices and models.
			let id = parse_hash32(&id)?;
			chain.submit(&tx.set_services(id, services), "set_services").await?;
			eprintln!("services updated");
			id
		},
		None => {
			let call = tx.register_provision(
				chain::hardware_input(hw),
				services,
				endpoint.clone().into_bytes(),
				p.available_until,
				p.capacity,
			);
			let events = chain.submit(&call, "register_provision").await?;
			let ev = events
				.find_first::<api::provisions::events::ProvisionRegistered>()
				.ok_or_else(|| WorkerError::Chain("no ProvisionRegistered event".into()))?
				.map_err(|e| WorkerError::Chain(e.to_string()))?;
			ev.id
		},
	};
	let id_hex = format!("0x{}", hex::encode(id));
	println!("provision: {id_hex}");
	let worker = key_file_address(&cfg.worker.key_file).ok();
	if authorize {
		let w = worker.ok_or_else(|| {
			WorkerError::InvalidInput(format!("cannot read {}", cfg.worker.key_file.display()))
		})?;
		chain.submit(&tx.authorize_worker(id, w), "authorize_worker").await?;
		println!("worker authorized: {w}");
	}
	if start {
		chain.submit(&tx.start_provision(id), "start_provision").await?;
		println!("provision started");
	}
	println!("next steps:");
	if !authorize {
		let w = worker.map(|w| w.to_string()).unwrap_or_else(|| "<worker account>".into());
		println!("  - provisions.authorizeWorker({id_hex}, {w})");
	}
	if !start {
		println!("  - bond stake for the tier (providerStaking.bond) and provisions.startProvision({id_hex})");
	}
	println!("  - cxmpute-worker run --config {}", config.display());
	Ok(())
}

async fn cmd_run(config: PathBuf, password: PasswordArgs) -> Result<()> {
	use cxmpute_worker::{http, metrics::Metrics, results::ResultStore, runner};
	let cfg = Config::load(&config)?;
	let key = KeyPair::load(&cfg.worker.key_file, &password.get("Worker key password: ", false)?)?;
	tracing::info!(account = %key.ss58(), url = %cfg.chain.url, "connecting");
	let chain = Chain::connect(&cfg.chain.url, key.clone(), 0).await?;
	let provision = find_provision(&chain, None, &cfg, &key.account()).await?;
	tracing::info!(provision = %hex::encode(provision), params = ?chain.params, "worker ready");
	let metrics = Metrics::new();
	metrics.chain_connected.set(1);
	let results = ResultStore::open(&cfg.worker.data_dir)?;
	// The models the provision offers for Inference are loaded (and checked) before any job.
	let offered = chain
		.provision(provision)
		.await?
		.map(|p| {
			p.services
				.0
				.into_iter()
				.filter(|s| s.kind == chain::ServiceKind::Inference)
				.flat_map(|s| s.models.0.into_iter().map(ModelHash))
				.collect::<Vec<_>>()
		})
		.unwrap_or_default();
	let exec = runner::Executors::from_config(&cfg, &metrics, &provision, &offered).await?;
	let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
	let mut http_stop = stop_rx.clone();
	let server = http::serve(
		cfg.worker.listen,
		http::HttpState {
			metrics: metrics.clone(),
			results: results.clone(),
			provision: std::sync::Arc::new(format!("0x{}", hex::encode(provision))),
		},
		async move {
			let _ = http_stop.wait_for(|v| *v).await;
		},
	)
	.await
	.map_err(|e| WorkerError::io(format!("listen {}", cfg.worker.listen), e))?;
	let (runner, queues) = runner::Runner::new(chain, cfg, provision, metrics, results, exec);
	let signal = async {
		use tokio::signal::unix::{signal, SignalKind};
		let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
		tokio::select! {
			_ = tokio::signal::ctrl_c() => tracing::info!("SIGINT"),
			_ = term.recv() => tracing::info!("SIGTERM"),
		}
	};
	runner.run(queues, signal).await?;
	let _ = stop_tx.send(true);
	let _ = server.await;
	Ok(())
}

async fn cmd_status(config: PathBuf, provision: Option<String>, json: bool) -> Result<()> {
	let cfg = Config::load(&config)?;
	let worker = key_file_address(&cfg.worker.key_file)?;
	// Reads only: a throwaway key signs nothing.
	let chain = Chain::connect(&cfg.chain.url, KeyPair::generate(), 5).await?;
	let id = find_provision(&chain, provision.as_deref(), &cfg, &worker).await?;
	let p = chain
		.provision(id)
		.await?
		.ok_or_else(|| WorkerError::InvalidInput(format!("no provision 0x{}", hex::encode(id))))?;
	let (block, jobs) = chain.in_flight(id).await?;
	let jobs: Vec<serde_json::Value> = jobs
		.iter()
		.map(|(job, rec)| {
			let (service, run) = match rec {
				Some(j) => (
					format!("{:?}", j.spec.service)
						.split([' ', '{', '('])
						.next()
						.unwrap_or("")
						.to_string(),
					chain::our_run(j, &id)
						.map(|(r, acc)| {
							format!("run {r} {}", if acc { "Accepted" } else { "Assigned" })
						})
						.unwrap_or_else(|| "-".into()),
				),
				None => ("?".into(), "-".into()),
			};
			serde_json::json!({ "job": job, "service": service, "run": run })
		})
		.collect();
	let doc = serde_json::json!({
		"provision": format!("0x{}", hex::encode(id)),
		"finalized_block": block,
		"state": format!("{:?}", p.state),
		"worker": p.worker.as_ref().map(|w| w.to_string()),
		"this_worker": worker.to_string(),
		"last_heartbeat": p.last_heartbeat,
		"capacity": p.capacity,
		"endpoint": String::from_utf8_lossy(&p.endpoint.0),
		"in_flight": jobs,
	});
	if json {
		return print(&doc);
	}
	println!("provision       {}", doc["provision"].as_str().unwrap_or(""));
	println!("state           {}", doc["state"].as_str().unwrap_or(""));
	println!("worker key      {} (this worker: {worker})", doc["worker"]);
	println!("last heartbeat  block {} (finalized now: {block})", p.last_heartbeat);
	println!("capacity        {}", p.capacity);
	println!("in flight       {}", jobs.len());
	for j in &jobs {
		println!(
			"  job {:>8}  {:<12} {}",
			j["job"],
			j["service"].as_str().unwrap_or(""),
			j["run"].as_str().unwrap_or("")
		);
	}
	Ok(())
}

fn run(cli: Cli) -> Result<()> {
	match cli.command {
		Command::Init { key_file, name, password } => cmd_init(key_file, name, password),
		Command::Register {
			config,
			provider_suri,
			provider_key_file,
			provision,
			authorize,
			start,
			dry_run,
			password,
		} => tokio_rt()?.block_on(cmd_register(
			config,
			provider_suri,
			provider_key_file,
			provision,
			authorize,
			start,
			dry_run,
			password,
		)),
		Command::Run { config, password } => tokio_rt()?.block_on(cmd_run(config, password)),
		Command::Status { config, provision, json } => {
			tokio_rt()?.block_on(cmd_status(config, provision, json))
		},
		Command::Models(args) => print(&args.store()?.entries()),
		Command::Embed { model, texts } => {
			let store = model.store()?;
			print(&embed(&*model.load(&store)?, &texts)?)
		},
		Command::Infer { model, input } => {
			let store = model.store()?;
			let tensors: Vec<NamedTensor> = serde_json::from_slice(&read_input(&input)?)
				.map_err(|e| WorkerError::InvalidInput(format!("input tensors JSON: {e}")))?;
			print(&run_tensors(&*model.load(&store)?, &tensors, None)?)
		},
		Command::Generate {
			model,
			prompt,
			tokens,
			max_new_tokens,
			top_p,
			temperature,
			seed,
			stop,
		} => {
			let store = model.store()?;
			let prompt = match (prompt, tokens) {
				(Some(text), _) => Prompt::Text(text),
				(None, Some(t)) => Prompt::Tokens(t),
				(None, None) => {
					return Err(WorkerError::InvalidInput(
						"give --prompt TEXT or --tokens IDS".into(),
					))
				},
			};
			let sampling = match top_p {
				Some(p) => Sampling::TopP { p, temperature, seed },
				None => Sampling::Greedy,
			};
			let req = GenerationRequest {
				prompt,
				max_new_tokens,
				sampling,
				stop_tokens: stop,
				use_cache: true,
				max_prompt_tokens: None,
			};
			print(&generate(&*model.load(&store)?, &req)?)
		},
		Command::Container {
			image,
			stdin,
			cpus,
			memory_mib,
			pids,
			timeout_s,
			max_output_bytes,
			network,
			allow_network,
			cmd,
		} => {
			if !(timeout_s.is_finite() && timeout_s > 0.0 && cpus.is_finite() && cpus > 0.0) {
				return Err(WorkerError::InvalidLimits(
					"--timeout-s and --cpus must be > 0".into(),
				));
			}
			let job = ContainerJob {
				image,
				cmd,
				entrypoint: None,
				env: Vec::new(),
				stdin: stdin.as_ref().map(read_input).transpose()?,
				limits: ContainerLimits {
					nano_cpus: (cpus * 1e9) as i64,
					memory_bytes: memory_mib.saturating_mul(1024 * 1024),
					pids,
					timeout: Duration::from_secs_f64(timeout_s),
					max_output_bytes,
				},
				network,
			};
			tokio_rt()?.block_on(async {
				let mut config = ContainerConfig { allow_network, ..Default::default() };
				// The CLI user is the provider here: let their limits through.
				config.max_limits = job.limits.clone();
				let exec = ContainerExecutor::connect(config).await?;
				print(&exec.run(job).await?)
			})
		},
	}
}

fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,cxmpute_worker=info")),
		)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	match run(Cli::parse()) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		},
	}
}
