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
	inference::{
		embed_batch, generate_batch,
		generation::{DecoderSignature, MAX_NEW_TOKENS_LIMIT},
		BatchFn, Batcher, EmbeddingRequest, EmbeddingResponse, ExecutionProvider, GenerationOutput,
		GenerationRequest, Prompt, Runtime, RuntimeConfig, Sampling,
	},
	metrics::Metrics,
	model_store::{LoadedModel, ModelHash, ModelStore},
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
	/// The model store, when `[models] dir` is set.
	pub models: Option<Arc<ModelStore>>,
	/// The model `Embeddings` jobs use, and the batcher in front of it.
	pub embeddings: Option<(ModelHash, Batcher<EmbeddingRequest, EmbeddingResponse>)>,
	/// Text generation batchers by model, made on a model's first job.
	generation: Mutex<HashMap<ModelHash, Batcher<GenerationRequest, GenerationOutput>>>,
	/// Docker executor.
	pub containers: Option<ContainerExecutor>,
	/// Bytes of stdout/stderr kept per container job.
	pub max_output_bytes: usize,
	max_batch: usize,
	batch_window: Duration,
	metrics: Metrics,
}

impl Executors {
	/// Sets up what the config enables for `provision`: the model store when `[models] dir` is set, with the
	/// embeddings model and every model in `inference_models` (what the provision offers for
	/// `Inference`) loaded and checked now, since a broken model should stop the worker before
	/// it accepts anything; and a Docker connection (failures are logged and leave containers
	/// off).
	pub async fn from_config(
		cfg: &Config,
		metrics: &Metrics,
		provision: &[u8; 32],
		inference_models: &[ModelHash],
	) -> Result<Self> {
		let mut exec = Self {
			models: None,
			embeddings: None,
			generation: Mutex::new(HashMap::new()),
			containers: None,
			max_output_bytes: cfg.containers.max_output_bytes,
			max_batch: cfg.models.max_batch.max(1),
			batch_window: Duration::from_millis(cfg.models.batch_window_ms),
			metrics: metrics.clone(),
		};
		if let Some(dir) = &cfg.models.dir {
			let provider = match cfg.models.cuda_device {
				Some(device_id) => ExecutionProvider::Cuda { device_id },
				None => ExecutionProvider::Cpu,
			};
			let runtime = Runtime::new(&RuntimeConfig {
				dylib_path: cfg.models.ort_dylib.clone(),
				provider,
				intra_threads: None,
			})?;
			let store = Arc::new(ModelStore::open(runtime, dir)?);
			exec.models = Some(store.clone());
			let embeddings_model = match &cfg.models.embeddings_model {
				Some(h) => Some(h.parse::<ModelHash>()?),
				None => {
					// The one model with a tokenizer that is not offered for generation.
					let candidates: Vec<_> = store
						.entries()
						.into_iter()
						.filter(|e| e.tokenizer.is_some() && !inference_models.contains(&e.hash))
						.map(|e| e.hash)
						.collect();
					match candidates.as_slice() {
						[] => None,
						[one] => Some(*one),
						_ => {
							return Err(WorkerError::InvalidInput(format!(
								"{} models with a tokenizer in {}: set models.embeddings_model",
								candidates.len(),
								dir.display()
							)))
						},
					}
				},
			};
			if let Some(hash) = embeddings_model {
				let model = exec.load(&store, hash).await?;
				tracing::info!(model = %hash.to_hex(), "embeddings model loaded");
				let run: BatchFn<EmbeddingRequest, EmbeddingResponse> =
					Arc::new(move |reqs| embeddings_batch(&model, reqs));
				exec.embeddings = Some((hash, exec.batcher("embeddings", run)));
			}
			for hash in inference_models {
				exec.generator(hash).await.map_err(|e| {
					WorkerError::InvalidInput(format!(
						"the provision offers model {hash} for Inference, but: {e}"
					))
				})?;
				tracing::info!(model = %hash.to_hex(), "generation model loaded");
			}
		} else if let Some(hash) = inference_models.first() {
			return Err(WorkerError::InvalidInput(format!(
				"the provision offers model {hash} for Inference, but models.dir is not set"
			)));
		}
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
			owner: format!("0x{}", hex::encode(provision)),
			..Default::default()
		};
		exec.containers = match ContainerExecutor::connect(config).await {
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
		Ok(exec)
	}

	/// Loads a model off the async threads, recording its load time.
	async fn load(&self, store: &Arc<ModelStore>, hash: ModelHash) -> Result<Arc<LoadedModel>> {
		let store = store.clone();
		let (model, info) = tokio::task::spawn_blocking(move || store.get(&hash))
			.await
			.map_err(|e| WorkerError::InvalidInput(format!("loading task: {e}")))??;
		if !info.cached {
			self.metrics.model_load.observe(info.load_time.as_secs_f64());
		}
		Ok(model)
	}

	fn batcher<Req: Send + 'static, Resp: Send + 'static>(
		&self,
		pipeline: &str,
		run: BatchFn<Req, Resp>,
	) -> Batcher<Req, Resp> {
		let sizes = self.metrics.batch_size.with_label_values(&[pipeline]);
		Batcher::spawn(self.max_batch, self.batch_window, Some(sizes), run)
	}

	/// Whether the store has `model` (a job for another model cannot run here).
	fn has_model(&self, model: &[u8; 32]) -> bool {
		self.models.as_ref().is_some_and(|s| s.entry(&ModelHash(*model)).is_ok())
	}

	/// The generation batcher of `hash`: loads the model and checks that it is a KV-cache
	/// decoder on first use.
	async fn generator(
		&self,
		hash: &ModelHash,
	) -> Result<Batcher<GenerationRequest, GenerationOutput>> {
		if let Some(b) = self.generation.lock().expect("not poisoned").get(hash) {
			return Ok(b.clone());
		}
		let store = self.models.as_ref().ok_or_else(|| {
			WorkerError::InvalidInput("no model store (models.dir is not set)".into())
		})?;
		let model = self.load(store, *hash).await?;
		{
			let session = model.session.lock().unwrap_or_else(|p| p.into_inner());
			DecoderSignature::of(&session, &model.short_name())?;
		}
		let run: BatchFn<GenerationRequest, GenerationOutput> =
			Arc::new(move |reqs| match generate_batch(&model, &reqs) {
				Ok(results) => results,
				Err(e) => {
					let reason = e.to_string();
					reqs.iter()
						.map(|_| {
							Err(WorkerError::Ort {
								context: "generating a batch".into(),
								reason: reason.clone(),
							})
						})
						.collect()
				},
			});
		let batcher = self.batcher("generation", run);
		Ok(self.generation.lock().expect("not poisoned").entry(*hash).or_insert(batcher).clone())
	}
}

/// One model run for several embeddings jobs; if the batch fails (one job's texts cannot be
/// tokenized, say), each job runs alone so only the bad one fails.
fn embeddings_batch(
	model: &LoadedModel,
	reqs: Vec<EmbeddingRequest>,
) -> Vec<Result<EmbeddingResponse>> {
	match embed_batch(model, &reqs) {
		Ok(responses) => responses.into_iter().map(Ok).collect(),
		Err(e) if reqs.len() == 1 => vec![Err(e)],
		Err(_) => reqs
			.iter()
			.map(|r| embed_batch(model, std::slice::from_ref(r)).map(|mut v| v.remove(0)))
			.collect(),
	}
}

/// The failure code for an executor error: the job's fault or the provider's.
fn failure_code(e: &WorkerError) -> u8 {
	match e {
		WorkerError::InvalidInput(_) | WorkerError::Tokenizer { .. } => failure::BAD_INPUT,
		WorkerError::UnknownModel { .. } => failure::UNSUPPORTED,
		_ => failure::EXECUTOR,
	}
}

/// How often the heartbeat loop looks whether a heartbeat is due.
const HEARTBEAT_POLL: Duration = Duration::from_millis(250);

/// When heartbeats are due: every `every` of wall-clock time, or every `every_blocks` finalized
/// blocks, whichever comes first (see [`Runner::heartbeat_loop`]).
#[derive(Clone, Copy, Debug)]
struct HeartbeatSchedule {
	every: Duration,
	every_blocks: u64,
}

impl HeartbeatSchedule {
	fn new(heartbeat_timeout_blocks: u32, block_ms: u64) -> Self {
		let timeout = heartbeat_timeout_blocks as u64;
		Self {
			every: Duration::from_millis((timeout * block_ms / 3).max(1_000)),
			every_blocks: (timeout / 2).max(1),
		}
	}

	/// Whether a heartbeat is due at `now` with `block` finalized, the last one having been
	/// sent at `last` (time, finalized block then); the first is due at once.
	fn due(
		&self,
		last: Option<(tokio::time::Instant, u64)>,
		now: tokio::time::Instant,
		block: u64,
	) -> bool {
		match last {
			None => true,
			Some((at, at_block)) => {
				now.duration_since(at) >= self.every
					|| block.saturating_sub(at_block) >= self.every_blocks
			},
		}
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
		self.metrics.accepting_jobs.set(1);
		self.clone().block_loop(stop).await;
		hb.abort();
		self.shutdown().await;
		Ok(())
	}

	/// Heartbeats on schedule until aborted: a heartbeat is due once a third of the heartbeat
	/// timeout has passed in wall-clock time at the chain's block time, or half of it in
	/// finalized blocks, whichever comes first. On a chain that authors every slot the clock
	/// decides, as before; on a development chain that seals blocks faster than its slots the
	/// block count does, so the provision never times out between two heartbeats.
	async fn heartbeat_loop(self: Arc<Self>) {
		let p = self.chain.params;
		let schedule = HeartbeatSchedule::new(p.heartbeat_timeout, p.block_ms);
		tracing::info!(every = ?schedule.every, every_blocks = schedule.every_blocks, "heartbeat interval");
		let mut last: Option<(tokio::time::Instant, u64)> = None;
		let mut tick = tokio::time::interval(HEARTBEAT_POLL);
		tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			tick.tick().await;
			let now = tokio::time::Instant::now();
			let block = self.block.load(Ordering::SeqCst);
			if !schedule.due(last, now, block) {
				continue;
			}
			last = Some((now, block));
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
					(Some(Local::Submitting(_, item)), false) if !stopping => {
						// A result is ready but the chain never saw the accept (dropped from
						// the pool): accept again and keep the result for when it lands.
						let item = item.clone();
						to_accept.push((id, job));
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
			JobService::Inference { model } if self.exec.has_model(model) => None,
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
			JobService::Inference { model } => {
				self.run_generation(id, ModelHash(*model), &job.spec.max_usage, input).await?
			},
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
		let (hash, batcher) = self.exec.embeddings.clone().ok_or((
			failure::UNSUPPORTED,
			WorkerError::InvalidInput("no embeddings model".into()),
		))?;
		let resp =
			batcher.call(EmbeddingRequest { texts }).await.map_err(|e| (failure_code(&e), e))?;
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

	/// Generates text with `model`: the input as described by [`InferenceInput`], within the
	/// job's token budget (`max_usage`).
	async fn run_generation(
		&self,
		id: u64,
		model: ModelHash,
		budget: &JobUsage,
		input: Vec<u8>,
	) -> std::result::Result<(Vec<u8>, [u8; 32], JobUsage), (u8, WorkerError)> {
		let req = InferenceInput::parse(&input)
			.and_then(|i| i.into_request(budget))
			.map_err(|e| (failure::BAD_INPUT, e))?;
		let batcher = self.exec.generator(&model).await.map_err(|e| (failure_code(&e), e))?;
		let out = batcher.call(req).await.map_err(|e| (failure_code(&e), e))?;
		let output_hash = canonical::generation_hash(id, &out.tokens);
		let doc = canonical::GenerationOutputDoc {
			model: model.to_hex(),
			text: out.text,
			finish_reason: out.finish_reason,
			input_tokens: out.usage.input_tokens,
			output_tokens: out.usage.output_tokens,
			tokens: out.tokens,
		};
		let output = serde_json::to_vec(&doc).expect("serialises");
		Ok((
			output,
			output_hash,
			JobUsage {
				input_tokens: out.usage.input_tokens,
				output_tokens: out.usage.output_tokens,
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
		let sent = items.clone();
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
			// Not started yet: forget them, so the next reconciliation sends them again. Already
			// started (the accept reached the pool, then was dropped): send the accept again
			// after a block, so the result they are computing is not refused as unaccepted.
			let mut local = self.local.lock().expect("not poisoned");
			let mut again = Vec::new();
			for (id, job) in sent {
				match local.get(&id) {
					Some(Local::Accepting(_)) => {
						local.remove(&id);
					},
					Some(Local::Running(_) | Local::Submitting(..)) => again.push((id, job)),
					_ => {},
				}
			}
			drop(local);
			if !again.is_empty() {
				let me = self.clone();
				tokio::spawn(async move {
					tokio::time::sleep(Duration::from_millis(me.chain.params.block_ms.max(1_000)))
						.await;
					for (id, job) in again {
						let started = matches!(
							me.local.lock().expect("not poisoned").get(&id),
							Some(Local::Running(_) | Local::Submitting(..))
						);
						if started && !me.shutting_down.load(Ordering::SeqCst) {
							tracing::info!(job = id, "sending the dropped accept again");
							let _ = me.accept_tx.send((id, job));
						}
					}
				});
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
		self.metrics.accepting_jobs.set(0);
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

/// What an `Inference` (text generation) job's input may say: a JSON object with these fields,
/// or any other UTF-8 text, which is the prompt itself.
#[derive(Deserialize, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InferenceInput {
	/// Text prompt (the model needs a `tokenizer.json`); exclusive with `tokens`.
	#[serde(default)]
	pub prompt: Option<String>,
	/// Prompt as token ids; exclusive with `prompt`.
	#[serde(default)]
	pub tokens: Option<Vec<u32>>,
	/// Most tokens to generate; the job's `max_usage.output_tokens` when absent, and never
	/// more than it.
	#[serde(default)]
	pub max_new_tokens: Option<u32>,
	/// `{"kind":"greedy"}` (default) or `{"kind":"top_p","p":0.9,"temperature":1.0,"seed":7}`.
	#[serde(default)]
	pub sampling: Sampling,
	/// Generation ends after any of these token ids.
	#[serde(default)]
	pub stop_tokens: Vec<u32>,
}

impl InferenceInput {
	/// Reads an inference job's input.
	///
	/// # Errors
	/// Not UTF-8, a JSON object that does not fit, or neither/both of `prompt` and `tokens`.
	pub fn parse(input: &[u8]) -> Result<Self> {
		let bad = |m: String| WorkerError::InvalidInput(m);
		let text = std::str::from_utf8(input)
			.map_err(|_| bad("inference input is neither JSON nor UTF-8 text".into()))?;
		if !text.trim_start().starts_with('{') {
			return Ok(Self { prompt: Some(text.to_string()), ..Default::default() });
		}
		let parsed: Self =
			serde_json::from_str(text).map_err(|e| bad(format!("inference input: {e}")))?;
		match (&parsed.prompt, &parsed.tokens) {
			(Some(_), None) | (None, Some(_)) => Ok(parsed),
			_ => Err(bad("inference input needs exactly one of \"prompt\" and \"tokens\"".into())),
		}
	}

	/// The generation request within the job's budget: at most `max_usage.output_tokens` new
	/// tokens and `max_usage.input_tokens` prompt tokens (what the escrow covers).
	///
	/// # Errors
	/// A budget with no output tokens.
	pub fn into_request(self, budget: &JobUsage) -> Result<GenerationRequest> {
		let cap = budget.output_tokens.min(u64::from(MAX_NEW_TOKENS_LIMIT)) as u32;
		if cap == 0 {
			return Err(WorkerError::InvalidInput(
				"the job's max_usage allows no output tokens".into(),
			));
		}
		let prompt = match (self.prompt, self.tokens) {
			(Some(text), _) => Prompt::Text(text),
			(None, Some(ids)) => Prompt::Tokens(ids),
			(None, None) => Prompt::Tokens(Vec::new()),
		};
		Ok(GenerationRequest {
			prompt,
			max_new_tokens: self.max_new_tokens.map_or(cap, |n| n.min(cap)),
			sampling: self.sampling,
			stop_tokens: self.stop_tokens,
			use_cache: true,
			max_prompt_tokens: Some(budget.input_tokens),
		})
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

	fn budget(input: u64, output: u64) -> JobUsage {
		JobUsage {
			input_tokens: input,
			output_tokens: output,
			compute_ms: 0,
			pages: 0,
			audio_seconds: 0,
		}
	}

	#[test]
	fn inference_input_forms_and_budget() {
		// Plain text is the prompt; the budget fills in max_new_tokens and the prompt cap.
		let req = InferenceInput::parse(b"Once upon a time")
			.unwrap()
			.into_request(&budget(50, 32))
			.unwrap();
		assert_eq!(req.prompt, Prompt::Text("Once upon a time".into()));
		assert_eq!(req.max_new_tokens, 32);
		assert_eq!(req.max_prompt_tokens, Some(50));
		assert_eq!(req.sampling, Sampling::Greedy);
		assert!(req.use_cache);
		// JSON: tokens, a smaller max_new_tokens, top-p and stop tokens.
		let req = InferenceInput::parse(
			br#"{"tokens":[1,7,19],"max_new_tokens":8,"stop_tokens":[2],"sampling":{"kind":"top_p","p":0.9,"temperature":0.7,"seed":5}}"#,
		)
		.unwrap()
		.into_request(&budget(10, 32))
		.unwrap();
		assert_eq!(req.prompt, Prompt::Tokens(vec![1, 7, 19]));
		assert_eq!(req.max_new_tokens, 8);
		assert_eq!(req.stop_tokens, vec![2]);
		assert_eq!(req.sampling, Sampling::TopP { p: 0.9, temperature: 0.7, seed: 5 });
		// Asking for more than the escrow covers is capped at the budget.
		let req = InferenceInput::parse(br#"{"prompt":"hi","max_new_tokens":500}"#)
			.unwrap()
			.into_request(&budget(10, 20))
			.unwrap();
		assert_eq!(req.max_new_tokens, 20);
	}

	#[test]
	fn bad_inference_inputs_are_errors() {
		let err = |input: &[u8]| InferenceInput::parse(input).unwrap_err().to_string();
		assert!(err(br#"{"prompt":"a","tokens":[1]}"#).contains("exactly one"));
		assert!(err(br#"{"max_new_tokens":3}"#).contains("exactly one"));
		assert!(err(br#"{"prompt":"a","temperature":1}"#).contains("unknown field"));
		assert!(err(&[0xff, 0xfe]).contains("UTF-8"));
		let no_output = InferenceInput::parse(b"hi").unwrap().into_request(&budget(10, 0));
		assert!(no_output.unwrap_err().to_string().contains("no output tokens"));
	}

	#[test]
	fn heartbeats_follow_the_clock_or_the_blocks_whichever_is_first() {
		// The dev runtime: a 10-block timeout at 6 s blocks.
		let schedule = HeartbeatSchedule::new(10, 6_000);
		assert_eq!(schedule.every, Duration::from_secs(20));
		assert_eq!(schedule.every_blocks, 5);
		let t0 = tokio::time::Instant::now();
		assert!(schedule.due(None, t0, 0), "the first heartbeat goes at once");
		let last = Some((t0, 100));
		// Blocks every 6 s: the clock decides (20 s is less than 5 blocks), as on Aura.
		assert!(!schedule.due(last, t0 + Duration::from_secs(18), 103));
		assert!(schedule.due(last, t0 + Duration::from_secs(20), 103));
		// Blocks sealed every 0.5 s: 5 blocks pass long before 20 s, so they decide.
		assert!(!schedule.due(last, t0 + Duration::from_secs(2), 104));
		assert!(schedule.due(last, t0 + Duration::from_millis(2_500), 105));
		// No blocks at all (an idle instant-sealing chain): the clock still sends one.
		assert!(schedule.due(last, t0 + Duration::from_secs(21), 100));
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
