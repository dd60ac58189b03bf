//! The `run` loop.
//!
//! - **Heartbeats** every third of `Provisions::HeartbeatTimeout` (20 s on a 6 s chain with a
//!   10-block timeout), signed by the worker key.
//! - **Reconciliation** on every finalized block (and every `reconcile_interval_s` without
//!   one): read `Matching::InFlight(provision)` and each job at the finalized block. Assigned
//!   runs are accepted (`accept_jobs`, batched), accepted runs without a local task are
//!   (re)started; local state for jobs that left the in-flight list is dropped. The worker
//!   never relies on having seen an event, so a restart after a crash picks up where the chain
//!   is: accepted jobs run again, assigned ones are accepted, and the chain pays a run once.
//! - **Execution**: `Embeddings` with the configured model, `Container`/`Serverless` with the
//!   Docker executor (image by digest, limits from the job). Inputs are inline or fetched
//!   (`Remote{hash, uri}`, hash checked). Small outputs go inline, larger ones are stored and
//!   served by content hash.
//! - **Answers** in batches: `submit_results` with exact usage, `report_failures` for jobs it
//!   cannot run.
//! - **Shutdown** (SIGINT/SIGTERM): no new accepts, running jobs get `grace_period_s`, then the
//!   rest (and assigned, unaccepted runs) are reported as failures so they are reassigned.

use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

use base64::Engine;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::{
	canonical,
	chain::{
		self, api, our_run, Chain, ChainPayload, DataInput, Job, JobService, JobUsage, ResultInput,
	},
	config::Config,
	container::{ContainerConfig, ContainerExecutor, ContainerJob, ContainerLimits, ExitStatus},
	inference::{embed, ExecutionProvider, Runtime, RuntimeConfig},
	metrics::Metrics,
	model_store::{ModelHash, ModelStore},
	results::ResultStore,
	Result, WorkerError,
};

/// Failure codes sent with `report_failures`.
pub mod failure {
	/// The provision does not run this service (or model).
	pub const UNSUPPORTED: u8 = 1;
	/// The job's input is malformed.
	pub const BAD_INPUT: u8 = 2;
	/// A remote input could not be fetched or did not match its hash.
	pub const INPUT_UNAVAILABLE: u8 = 3;
	/// The executor failed (engine error, missing image, ...).
	pub const EXECUTOR: u8 = 4;
	/// The worker is shutting down.
	pub const SHUTDOWN: u8 = 5;
}

/// Blocks after which a sent but not yet visible accept/result/failure is sent again.
const RESEND_AFTER_BLOCKS: u64 = 6;

/// What the worker is doing about one job.
enum Local {
	/// `accept_jobs` sent at this block.
	Accepting(u64),
	/// Executing.
	Running(tokio::task::AbortHandle),
	/// Result sent at this block (kept to resend without re-running).
	Submitting(u64, ResultInput),
	/// Failure sent at this block.
	Failing(u64),
}

/// Job executors available on this machine.
pub struct Executors {
	/// Model store and the embeddings model.
	pub embeddings: Option<(Arc<ModelStore>, ModelHash)>,
	/// Docker executor.
	pub containers: Option<ContainerExecutor>,
	/// Bytes of stdout/stderr kept per container job.
	pub max_output_bytes: usize,
}

impl Executors {
	/// Sets up what the config enables: an embeddings model when `[models] dir` is set, a
	/// Docker connection (failures are logged and leave containers off).
	pub async fn from_config(cfg: &Config, metrics: &Metrics) -> Result<Self> {
		let embeddings = match &cfg.models.dir {
			Some(dir) => {
				let provider = match cfg.models.cuda_device {
					Some(device_id) => ExecutionProvider::Cuda { device_id },
					None => ExecutionProvider::Cpu,
				};
				let runtime = Runtime::new(&RuntimeConfig {
					dylib_path: cfg.models.ort_dylib.clone(),
					provider,
					intra_threads: None,
				})?;
				let store = ModelStore::open(runtime, dir)?;
				let hash = match &cfg.models.embeddings_model {
					Some(h) => h.parse::<ModelHash>()?,
					None => {
						let with_tok: Vec<_> =
							store.entries().into_iter().filter(|e| e.tokenizer.is_some()).collect();
						match with_tok.as_slice() {
							[one] => one.hash,
							_ => {
								return Err(WorkerError::InvalidInput(format!(
									"{} models with a tokenizer in {}: set models.embeddings_model",
									with_tok.len(),
									dir.display()
								)))
							},
						}
					},
				};
				// Load it now: the first job should not pay for it, and a broken model should
				// stop the worker before it accepts anything.
				let (_, info) = store.get(&hash)?;
				metrics.model_load.observe(info.load_time.as_secs_f64());
				tracing::info!(model = %hash.to_hex(), load = ?info.load_time, "embeddings model loaded");
				Some((Arc::new(store), hash))
			},
			None => None,
		};
		let c = &cfg.containers;
		let config = ContainerConfig {
			allow_network: c.allow_network,
			allow_pull: c.allow_pull,
			max_limits: ContainerLimits {
				nano_cpus: (c.max_cpus * 1e9) as i64,
				memory_bytes: (c.max_memory_mb as i64) << 20,
				pids: c.max_pids as i64,
				timeout: Duration::from_secs(c.max_timeout_s as u64),
				max_output_bytes: c.max_output_bytes,
			},
			..Default::default()
		};
		let containers = match ContainerExecutor::connect(config).await {
			Ok(e) => {
				// Containers of a previous worker process that died (its jobs are re-run).
				match e.remove_leftovers().await {
					Ok(0) => {},
					Ok(n) => tracing::info!(n, "removed containers left by an earlier run"),
					Err(err) => tracing::warn!(%err, "could not sweep leftover containers"),
				}
				Some(e)
			},
			Err(e) => {
				tracing::warn!(%e, "no container engine: container jobs will be reported as failed");
				None
			},
		};
		Ok(Self { embeddings, containers, max_output_bytes: c.max_output_bytes })
	}
}

/// The running worker.
pub struct Runner {
	chain: Arc<Chain>,
	cfg: Config,
	provision: [u8; 32],
	metrics: Metrics,
	results: ResultStore,
	exec: Arc<Executors>,
	http: reqwest::Client,
	local: Mutex<HashMap<u64, Local>>,
	block: AtomicU64,
	shutting_down: AtomicBool,
	accept_tx: mpsc::UnboundedSender<(u64, Job)>,
	result_tx: mpsc::UnboundedSender<ResultInput>,
	fail_tx: mpsc::UnboundedSender<(u64, u8)>,
	pending_tx: AtomicU64,
}

/// The receiving ends of the batch queues.
pub struct Queues {
	accept: mpsc::UnboundedReceiver<(u64, Job)>,
	result: mpsc::UnboundedReceiver<ResultInput>,
	fail: mpsc::UnboundedReceiver<(u64, u8)>,
}

impl Runner {
	/// A runner for `provision`; start it with [`Runner::run`].
	pub fn new(
		chain: Arc<Chain>,
		cfg: Config,
		provision: [u8; 32],
		metrics: Metrics,
		results: ResultStore,
		exec: Executors,
	) -> (Arc<Self>, Queues) {
		let (accept_tx, accept) = mpsc::unbounded_channel();
		let (result_tx, result) = mpsc::unbounded_channel();
		let (fail_tx, fail) = mpsc::unbounded_channel();
		let runner = Arc::new(Self {
			chain,
			cfg,
			provision,
			metrics,
			results,
			exec: Arc::new(exec),
			http: reqwest::Client::new(),
			local: Mutex::new(HashMap::new()),
			block: AtomicU64::new(0),
			shutting_down: AtomicBool::new(false),
			accept_tx,
			result_tx,
			fail_tx,
			pending_tx: AtomicU64::new(0),
		});
		(runner, Queues { accept, result, fail })
	}

	/// Runs until `shutdown` resolves, then shuts down gracefully.
	pub async fn run(
		self: Arc<Self>,
		queues: Queues,
		shutdown: impl std::future::Future<Output = ()> + Send + 'static,
	) -> Result<()> {
		let (stop_tx, stop) = tokio::sync::watch::channel(false);
		tokio::spawn(async move {
			shutdown.await;
			let _ = stop_tx.send(true);
		});
		let max = self.chain.params.max_batch.max(1) as usize;
		let delay = Duration::from_millis(self.cfg.worker.batch_delay_ms);
		let me = self.clone();
		tokio::spawn(batch_loop(queues.accept, max, delay, move |jobs: Vec<(u64, Job)>| {
			let me = me.clone();
			async move { me.send_accepts(jobs).await }
		}));
		let me = self.clone();
		tokio::spawn(batch_loop(queues.result, max, delay, move |items: Vec<ResultInput>| {
			let me = me.clone();
			async move { me.send_results(items).await }
		}));
		let me = self.clone();
		tokio::spawn(batch_loop(queues.fail, max, delay, move |items: Vec<(u64, u8)>| {
			let me = me.clone();
			async move { me.send_failures(items).await }
		}));
		let hb = tokio::spawn(self.clone().heartbeat_loop());
		self.clone().block_loop(stop).await;
		hb.abort();
		self.shutdown().await;
		Ok(())
	}

	/// Heartbeats on schedule until aborted.
	async fn heartbeat_loop(self: Arc<Self>) {
		let p = self.chain.params;
		let every = Duration::from_millis((p.heartbeat_timeout as u64 * p.block_ms / 3).max(1_000));
		tracing::info!(?every, "heartbeat interval");
		let mut tick = tokio::time::interval(every);
		tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			tick.tick().await;
			let call = api::transactions().provisions().heartbeat(self.provision);
			let me = self.clone();
			// Not awaited here: finalization takes longer than the interval may allow.
			tokio::spawn(async move {
				match me.chain.submit(&call, "heartbeat").await {
					Ok(_) => {
						me.metrics.transactions.with_label_values(&["heartbeat", "ok"]).inc();
						tracing::debug!("heartbeat finalized");
					},
					Err(e) => {
						me.metrics.transactions.with_label_values(&["heartbeat", "error"]).inc();
						tracing::warn!(%e, "heartbeat failed (is the provision started and the worker key funded?)");
					},
				}
			});
		}
	}

	/// Reconciles on each finalized block (or timer) until `shutdown`; reconnects on errors.
	async fn block_loop(self: Arc<Self>, mut stop: tokio::sync::watch::Receiver<bool>) {
		let mut backoff = Duration::from_secs(1);
		loop {
			let client = self.chain.client().await;
			let stream = client.stream_blocks().await;
			let mut blocks = match stream {
				Ok(s) => s,
				Err(e) => {
					tracing::warn!(%e, "cannot follow finalized blocks; reconnecting");
					if self.wait_reconnect(&mut stop, &mut backoff).await {
						return;
					}
					continue;
				},
			};
			self.metrics.chain_connected.set(1);
			let mut timer = tokio::time::interval(Duration::from_secs(
				self.cfg.worker.reconcile_interval_s.max(1),
			));
			loop {
				tokio::select! {
					_ = stop.wait_for(|v| *v) => return,
					b = blocks.next() => match b {
						Some(Ok(block)) => {
							self.metrics.finalized_block.set(block.number() as i64);
							backoff = Duration::from_secs(1);
							if let Err(e) = self.reconcile().await {
								tracing::warn!(%e, "reconcile failed");
							}
						},
						Some(Err(e)) => {
							tracing::warn!(%e, "finalized block stream error; reconnecting");
							break;
						},
						None => {
							tracing::warn!("finalized block stream ended; reconnecting");
							break;
						},
					},
					_ = timer.tick() => {
						if let Err(e) = self.reconcile().await {
							tracing::warn!(%e, "reconcile failed");
						}
					},
				}
			}
			self.metrics.chain_connected.set(0);
			if self.wait_reconnect(&mut stop, &mut backoff).await {
				return;
			}
		}
	}

	/// Reconnects (with backoff); true if shutdown came first.
	async fn wait_reconnect(
		&self,
		stop: &mut tokio::sync::watch::Receiver<bool>,
		backoff: &mut Duration,
	) -> bool {
		self.metrics.chain_connected.set(0);
		self.chain.mark_disconnected();
		tokio::select! {
			_ = stop.wait_for(|v| *v) => return true,
			_ = tokio::time::sleep(*backoff) => {},
		}
		*backoff = (*backoff * 2).min(Duration::from_secs(30));
		tokio::select! {
			_ = stop.wait_for(|v| *v) => true,
			r = self.chain.reconnect() => {
				if let Err(e) = r {
					tracing::error!(%e, "reconnect failed");
				}
				false
			},
		}
	}

	/// Reads the provision's in-flight runs at the finalized block and acts on each.
	pub async fn reconcile(self: &Arc<Self>) -> Result<()> {
		let (block, jobs) = self.chain.in_flight(self.provision).await?;
		self.block.store(block, Ordering::SeqCst);
		let stopping = self.shutting_down.load(Ordering::SeqCst);
		let mut to_accept = Vec::new();
		let mut to_fail = Vec::new();
		let mut to_run = Vec::new();
		let mut to_resend = Vec::new();
		{
			let mut local = self.local.lock().expect("not poisoned");
			let seen: HashSet<u64> = jobs.iter().map(|(id, _)| *id).collect();
			local.retain(|id, state| {
				let keep = seen.contains(id);
				if !keep {
					if let Local::Running(handle) = state {
						tracing::info!(job = id, "job left the in-flight list: stopping it");
						handle.abort();
						self.metrics.running.dec();
					}
				}
				keep
			});
			for (id, job) in jobs {
				let Some(job) = job else { continue };
				let Some((_, accepted)) = our_run(&job, &self.provision) else { continue };
				let stale = |since: u64| block >= since + RESEND_AFTER_BLOCKS;
				match (local.get(&id), accepted) {
					(Some(Local::Running(..)), _) => {},
					(Some(Local::Failing(since)), _) if !stale(*since) => {},
					(Some(Local::Accepting(since)), false) if !stale(*since) => {},
					(Some(Local::Submitting(since, _)), _) if !stale(*since) => {},
					(Some(Local::Submitting(_, item)), true) => {
						let item = item.clone();
						to_resend.push(item.clone());
						local.insert(id, Local::Submitting(block, item));
					},
					(_, false) => {
						if stopping {
							to_fail.push((id, failure::SHUTDOWN));
							local.insert(id, Local::Failing(block));
						} else if let Some(code) = self.unsupported(&job) {
							to_fail.push((id, code));
							local.insert(id, Local::Failing(block));
						} else {
							to_accept.push((id, job));
							local.insert(id, Local::Accepting(block));
						}
					},
					(_, true) => {
						if stopping {
							to_fail.push((id, failure::SHUTDOWN));
							local.insert(id, Local::Failing(block));
						} else {
							to_run.push((id, job));
						}
					},
				}
			}
		}
		for item in to_accept {
			let _ = self.accept_tx.send(item);
		}
		for f in to_fail {
			let _ = self.fail_tx.send(f);
		}
		for item in to_resend {
			let _ = self.result_tx.send(item);
		}
		for (id, job) in to_run {
			self.start_job(id, job);
		}
		Ok(())
	}

	/// Why this worker cannot run `job`, as a failure code; `None` if it can.
	fn unsupported(&self, job: &Job) -> Option<u8> {
		match &job.spec.service {
			JobService::Embeddings if self.exec.embeddings.is_some() => None,
			JobService::Container { .. } | JobService::Serverless { .. }
				if self.exec.containers.is_some() =>
			{
				None
			},
			_ => Some(failure::UNSUPPORTED),
		}
	}

	/// Spawns the execution of an accepted job.
	fn start_job(self: &Arc<Self>, id: u64, job: Job) {
		let me = self.clone();
		let mut local = self.local.lock().expect("not poisoned");
		if matches!(local.get(&id), Some(Local::Running(..) | Local::Submitting(..))) {
			return; // already started (by the accept's pool callback or a reconciliation)
		}
		let task = tokio::spawn(async move {
			let started = Instant::now();
			let res = me.execute(id, &job).await;
			me.metrics.running.dec();
			let block = me.block.load(Ordering::SeqCst);
			let mut local = me.local.lock().expect("not poisoned");
			match res {
				Ok(item) => {
					me.metrics.job_latency.observe(started.elapsed().as_secs_f64());
					me.metrics.jobs.with_label_values(&["completed"]).inc();
					tracing::info!(job = id, took = ?started.elapsed(), "job done");
					local.insert(id, Local::Submitting(block, item.clone()));
					let _ = me.result_tx.send(item);
				},
				Err((code, e)) => {
					me.metrics.jobs.with_label_values(&["failed"]).inc();
					tracing::warn!(job = id, code, %e, "job failed");
					local.insert(id, Local::Failing(block));
					let _ = me.fail_tx.send((id, code));
				},
			}
		});
		self.metrics.running.inc();
		tracing::info!(job = id, "running job");
		local.insert(id, Local::Running(task.abort_handle()));
	}

	/// Fetches the input, runs the job and builds its result.
	async fn execute(
		&self,
		id: u64,
		job: &Job,
	) -> std::result::Result<ResultInput, (u8, WorkerError)> {
		let input = self.input(&job.input).await.map_err(|e| (failure::INPUT_UNAVAILABLE, e))?;
		let (output, output_hash, usage) = match &job.spec.service {
			JobService::Embeddings => self.run_embeddings(id, input).await?,
			JobService::Container { image, limits } | JobService::Serverless { image, limits } => {
				self.run_container(id, image, limits, input).await?
			},
			_ => return Err((failure::UNSUPPORTED, WorkerError::InvalidInput("service".into()))),
		};
		let inline_max =
			self.cfg.worker.inline_output_max.min(self.chain.params.max_output_len as usize);
		let output = if output.len() <= inline_max {
			DataInput::Inline(output)
		} else {
			let hash = self.results.put(&output).map_err(|e| (failure::EXECUTOR, e))?;
			let uri = format!("{}/results/{}", self.cfg.worker.base_url(), hex::encode(hash));
			DataInput::Remote { hash, uri: uri.into_bytes() }
		};
		Ok(ResultInput { job: id, output, output_hash, usage })
	}

	/// The job's input bytes: inline, or fetched and checked against its hash.
	async fn input(&self, payload: &ChainPayload) -> Result<Vec<u8>> {
		match payload {
			ChainPayload::Inline(bytes) => Ok(bytes.0.clone()),
			ChainPayload::Remote { hash, uri } => {
				let uri = String::from_utf8_lossy(&uri.0).to_string();
				let bad = |reason: String| WorkerError::RemoteInput { uri: uri.clone(), reason };
				let resp = self.http.get(&uri).send().await.map_err(|e| bad(e.to_string()))?;
				if !resp.status().is_success() {
					return Err(bad(format!("HTTP {}", resp.status())));
				}
				let max = self.cfg.worker.max_remote_input_bytes;
				if resp.content_length().is_some_and(|l| l as usize > max) {
					return Err(bad(format!("larger than {max} bytes")));
				}
				let body = resp.bytes().await.map_err(|e| bad(e.to_string()))?;
				if body.len() > max {
					return Err(bad(format!("larger than {max} bytes")));
				}
				if canonical::blake2_256(&body) != *hash {
					return Err(bad("content does not match the job's input hash".into()));
				}
				Ok(body.to_vec())
			},
		}
	}

	/// Embeds the input (one UTF-8 text, or a JSON array of texts).
	async fn run_embeddings(
		&self,
		id: u64,
		input: Vec<u8>,
	) -> std::result::Result<(Vec<u8>, [u8; 32], JobUsage), (u8, WorkerError)> {
		let bad = |m: &str| (failure::BAD_INPUT, WorkerError::InvalidInput(m.into()));
		let text = String::from_utf8(input).map_err(|_| bad("embeddings input is not UTF-8"))?;
		let texts: Vec<String> = match serde_json::from_str::<Vec<String>>(&text) {
			Ok(list) if !list.is_empty() => list,
			_ => vec![text],
		};
		let (store, hash) = self.exec.embeddings.clone().ok_or((
			failure::UNSUPPORTED,
			WorkerError::InvalidInput("no embeddings model".into()),
		))?;
		let metrics = self.metrics.clone();
		let resp = tokio::task::spawn_blocking(move || {
			let (model, info) = store.get(&hash)?;
			if !info.cached {
				metrics.model_load.observe(info.load_time.as_secs_f64());
			}
			embed(&model, &texts).map(|r| (r, hash))
		})
		.await
		.map_err(|e| (failure::EXECUTOR, WorkerError::InvalidInput(format!("task: {e}"))))?
		.map_err(|e| (failure::BAD_INPUT, e))?;
		let (resp, hash) = resp;
		let output_hash = canonical::embeddings_hash(id, &resp.embeddings);
		let tokens = resp.usage.input_tokens;
		let output = canonical::embeddings_output(&hash.to_hex(), resp.embeddings, tokens);
		Ok((
			output,
			output_hash,
			JobUsage {
				input_tokens: tokens,
				output_tokens: 0,
				compute_ms: 0,
				pages: 0,
				audio_seconds: 0,
			},
		))
	}

	/// Runs a container job: image by digest, limits from the job, the input as described by
	/// [`ContainerInput`].
	async fn run_container(
		&self,
		id: u64,
		image: &[u8; 32],
		limits: &chain::api::runtime_types::pallet_cxmpute_matching::types::ResourceLimits,
		input: Vec<u8>,
	) -> std::result::Result<(Vec<u8>, [u8; 32], JobUsage), (u8, WorkerError)> {
		let exec = self.exec.containers.clone().ok_or((
			failure::UNSUPPORTED,
			WorkerError::InvalidInput("no container engine".into()),
		))?;
		let spec = ContainerInput::parse(input).map_err(|e| (failure::BAD_INPUT, e))?;
		let job = ContainerJob {
			image: format!("sha256:{}", hex::encode(image)),
			cmd: spec.cmd,
			entrypoint: None,
			env: spec.env,
			stdin: spec.stdin,
			limits: ContainerLimits {
				nano_cpus: limits.cpu_millis as i64 * 1_000_000,
				memory_bytes: (limits.memory_mb as i64) << 20,
				pids: limits.pids as i64,
				timeout: Duration::from_secs(limits.timeout_s as u64),
				max_output_bytes: self.exec.max_output_bytes,
			},
			network: limits.network,
		};
		let outcome = exec.run(job).await.map_err(|e| {
			let code = match e {
				WorkerError::InvalidLimits(_) | WorkerError::NetworkNotAllowed => {
					failure::UNSUPPORTED
				},
				_ => failure::EXECUTOR,
			};
			(code, e)
		})?;
		let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
		let doc = ContainerOutput {
			status: match outcome.status {
				ExitStatus::Exited { .. } => "exited",
				ExitStatus::OomKilled { .. } => "oom_killed",
				ExitStatus::TimedOut => "timed_out",
			},
			exit_code: outcome.exit_code,
			stdout: b64(&outcome.stdout),
			stderr: b64(&outcome.stderr),
			stdout_truncated: outcome.stdout_truncated,
			stderr_truncated: outcome.stderr_truncated,
		};
		let output = serde_json::to_vec(&doc).expect("serialises");
		let output_hash = canonical::raw_hash(id, &output);
		let ms = outcome.duration.as_millis().max(1) as u64;
		Ok((
			output,
			output_hash,
			JobUsage {
				input_tokens: 0,
				output_tokens: 0,
				compute_ms: ms,
				pages: 0,
				audio_seconds: 0,
			},
		))
	}

	/// Sends `accept_jobs` and starts the jobs as soon as it is in the pool: results of these
	/// jobs then get later nonces, so they land after the accept (same block at the earliest),
	/// and no finality round is spent waiting for the accept.
	async fn send_accepts(self: Arc<Self>, items: Vec<(u64, Job)>) {
		let jobs: Vec<u64> = items.iter().map(|(id, _)| *id).collect();
		let call = api::transactions().matching().accept_jobs(jobs.clone());
		let me = self.clone();
		let in_pool = move || {
			for (id, job) in items {
				let accepting = matches!(
					me.local.lock().expect("not poisoned").get(&id),
					Some(Local::Accepting(_))
				);
				if accepting && !me.shutting_down.load(Ordering::SeqCst) {
					me.start_job(id, job);
				}
			}
		};
		let ok = self.clone().submit_tracked(&call, "accept_jobs", &jobs, in_pool).await;
		if ok {
			self.metrics.jobs.with_label_values(&["accepted"]).inc_by(jobs.len() as u64);
		} else {
			// Forget them so the next reconciliation sends them again.
			let mut local = self.local.lock().expect("not poisoned");
			for j in &jobs {
				if matches!(local.get(j), Some(Local::Accepting(_))) {
					local.remove(j);
				}
			}
		}
	}

	async fn send_results(self: Arc<Self>, items: Vec<ResultInput>) {
		let jobs: Vec<u64> = items.iter().map(|i| i.job).collect();
		let call = api::transactions().matching().submit_results(items);
		if !self.clone().submit_tracked(&call, "submit_results", &jobs, || {}).await {
			// Mark them stale: the next reconciliation resends the kept results.
			let mut local = self.local.lock().expect("not poisoned");
			for j in &jobs {
				if let Some(Local::Submitting(since, _)) = local.get_mut(j) {
					*since = 0;
				}
			}
		}
	}

	async fn send_failures(self: Arc<Self>, items: Vec<(u64, u8)>) {
		let jobs: Vec<u64> = items.iter().map(|i| i.0).collect();
		let call = api::transactions().matching().report_failures(items);
		if self.clone().submit_tracked(&call, "report_failures", &jobs, || {}).await {
			self.metrics.jobs.with_label_values(&["reported_failed"]).inc_by(jobs.len() as u64);
		} else {
			let mut local = self.local.lock().expect("not poisoned");
			for j in &jobs {
				if matches!(local.get(j), Some(Local::Failing(_))) {
					local.remove(j);
				}
			}
		}
	}

	/// Submits a batch call and logs per-item failures; true if it was finalized.
	async fn submit_tracked<P: subxt::tx::Payload>(
		self: Arc<Self>,
		call: &P,
		what: &str,
		jobs: &[u64],
		in_pool: impl FnOnce(),
	) -> bool {
		self.pending_tx.fetch_add(1, Ordering::SeqCst);
		let res = self.chain.submit_with(call, what, in_pool).await;
		self.pending_tx.fetch_sub(1, Ordering::SeqCst);
		match res {
			Ok(events) => {
				self.metrics.transactions.with_label_values(&[what, "ok"]).inc();
				for ev in events.find::<api::matching::events::ItemFailed>().flatten() {
					tracing::warn!(job = ev.job, error = ?ev.error, "{what}: item failed on chain");
				}
				tracing::info!(?jobs, "{what} finalized");
				true
			},
			Err(e) => {
				self.metrics.transactions.with_label_values(&[what, "error"]).inc();
				tracing::warn!(?jobs, %e, "{what} failed");
				false
			},
		}
	}

	/// Stops taking jobs, lets running ones finish within the grace period, reports the rest.
	async fn shutdown(self: &Arc<Self>) {
		tracing::info!(grace_s = self.cfg.worker.grace_period_s, "shutting down: no new jobs");
		self.shutting_down.store(true, Ordering::SeqCst);
		let deadline = Instant::now() + Duration::from_secs(self.cfg.worker.grace_period_s);
		while Instant::now() < deadline && self.running_count() > 0 {
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		// Abort what still runs and report it; reconciliation reports assigned runs too.
		let aborted: Vec<u64> = {
			let mut local = self.local.lock().expect("not poisoned");
			let ids: Vec<u64> = local
				.iter()
				.filter_map(|(id, s)| matches!(s, Local::Running(..)).then_some(*id))
				.collect();
			for id in &ids {
				if let Some(Local::Running(h)) = local.remove(id) {
					h.abort();
					self.metrics.running.dec();
				}
			}
			ids
		};
		if !aborted.is_empty() {
			tracing::warn!(?aborted, "grace period over: reporting unfinished jobs as failed");
		}
		if let Err(e) = self.reconcile().await {
			tracing::warn!(%e, "final reconcile failed");
		}
		// Let queued batches go out and finalize (bounded).
		let until = Instant::now() + Duration::from_secs(90);
		tokio::time::sleep(Duration::from_millis(self.cfg.worker.batch_delay_ms + 100)).await;
		while Instant::now() < until && self.pending_tx.load(Ordering::SeqCst) > 0 {
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		tracing::info!("shutdown complete");
	}

	fn running_count(&self) -> usize {
		self.local
			.lock()
			.expect("not poisoned")
			.values()
			.filter(|s| matches!(s, Local::Running(..)))
			.count()
	}
}

/// Collects items into batches of at most `max` (waiting `delay` after the first item for
/// more) and hands each batch to `send` in its own task.
async fn batch_loop<T, F, Fut>(
	mut rx: mpsc::UnboundedReceiver<T>,
	max: usize,
	delay: Duration,
	send: F,
) where
	T: Send + 'static,
	F: Fn(Vec<T>) -> Fut,
	Fut: std::future::Future<Output = ()> + Send + 'static,
{
	while let Some(first) = rx.recv().await {
		let mut batch = vec![first];
		let until = tokio::time::Instant::now() + delay;
		while batch.len() < max {
			match tokio::time::timeout_at(until, rx.recv()).await {
				Ok(Some(item)) => batch.push(item),
				_ => break,
			}
		}
		tokio::spawn(send(batch));
	}
}

/// What a container job's input may say. A JSON object with any of these fields is read as
/// such; any other input goes to the container's stdin as is (image's default command).
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct ContainerInput {
	/// Command (the image's default when empty).
	#[serde(default)]
	pub cmd: Vec<String>,
	/// `KEY=value` environment entries.
	#[serde(default)]
	pub env: Vec<String>,
	/// Text given to stdin.
	#[serde(default, deserialize_with = "stdin_text")]
	pub stdin: Option<Vec<u8>>,
}

fn stdin_text<'de, D: serde::Deserializer<'de>>(
	d: D,
) -> std::result::Result<Option<Vec<u8>>, D::Error> {
	Ok(Option::<String>::deserialize(d)?.map(String::into_bytes))
}

impl ContainerInput {
	/// Reads a container job's input.
	pub fn parse(input: Vec<u8>) -> Result<Self> {
		if input.first() == Some(&b'{') {
			if let Ok(spec) = serde_json::from_slice::<ContainerInput>(&input) {
				return Ok(spec);
			}
		}
		Ok(ContainerInput { stdin: (!input.is_empty()).then_some(input), ..Default::default() })
	}
}

/// The output document of a container job (hashed with [`canonical::raw_hash`]).
#[derive(serde::Serialize, Deserialize, Debug)]
pub struct ContainerOutput {
	/// `exited`, `oom_killed` or `timed_out`.
	pub status: &'static str,
	/// Exit code, when known.
	pub exit_code: Option<i64>,
	/// stdout, base64.
	pub stdout: String,
	/// stderr, base64.
	pub stderr: String,
	/// stdout was cut at the provider's bound.
	pub stdout_truncated: bool,
	/// stderr was cut at the provider's bound.
	pub stderr_truncated: bool,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn container_input_forms() {
		let spec = ContainerInput::parse(br#"{"cmd":["sh","-c","echo hi"],"stdin":"x"}"#.to_vec())
			.unwrap();
		assert_eq!(spec.cmd, vec!["sh", "-c", "echo hi"]);
		assert_eq!(spec.stdin.as_deref(), Some(&b"x"[..]));
		let raw = ContainerInput::parse(b"echo hi".to_vec()).unwrap();
		assert!(raw.cmd.is_empty());
		assert_eq!(raw.stdin.as_deref(), Some(&b"echo hi"[..]));
		// JSON that is not a spec goes to stdin unchanged.
		let other = ContainerInput::parse(br#"{"a":1}"#.to_vec()).unwrap();
		assert_eq!(other.stdin.as_deref(), Some(&br#"{"a":1}"#[..]));
	}

	#[tokio::test]
	async fn batches_are_bounded() {
		let (tx, rx) = mpsc::unbounded_channel::<u32>();
		let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u32>>();
		for i in 0..5 {
			tx.send(i).unwrap();
		}
		drop(tx);
		batch_loop(rx, 2, Duration::from_millis(10), move |b| {
			let out_tx = out_tx.clone();
			async move {
				out_tx.send(b).unwrap();
			}
		})
		.await;
		let mut got = Vec::new();
		while let Some(b) = out_rx.recv().await {
			assert!(b.len() <= 2);
			got.extend(b);
		}
		got.sort();
		assert_eq!(got, vec![0, 1, 2, 3, 4]);
	}
}
