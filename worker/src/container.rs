//! Container jobs and serverless functions through the Docker Engine API (bollard).
//!
//! A job names an image (local name, `name@sha256:..` digest or `sha256:..` image id), a
//! command, limits and optionally stdin bytes (serverless functions read their input there).
//! The executor:
//! 1. checks the limits against the provider's maxima and the network request against its
//!    policy (network mode `none` unless the job asks and the provider allows);
//! 2. creates the container (no swap, `no-new-privileges`, log driver `none` so a chatty job
//!    cannot fill the disk), attaches to its stdio, starts it and feeds stdin, then closes it;
//! 3. keeps up to `max_output_bytes` of stdout and of stderr, draining the rest, and marks
//!    truncation;
//! 4. waits up to the timeout, then kills (reported as [`ExitStatus::TimedOut`]);
//! 5. inspects the container for its exit code and `OOMKilled` (re-inspecting briefly after a
//!    SIGKILL exit, because the engine's OOM event can arrive after the exit event);
//! 6. always force-removes the container, on success, error or timeout, even when the caller
//!    stops waiting (the job runs in its own task).

use std::{
	collections::HashMap,
	sync::atomic::{AtomicU64, Ordering},
	time::{Duration, Instant},
};

use bollard::{
	container::LogOutput,
	errors::Error as DockerError,
	models::{ContainerCreateBody, HostConfig, HostConfigLogConfig},
	query_parameters::{
		AttachContainerOptions, CreateContainerOptions, CreateImageOptions, KillContainerOptions,
		ListContainersOptions, RemoveContainerOptions, WaitContainerOptions,
	},
	Docker,
};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use crate::error::{Result, WorkerError};

/// Label put on every container the worker creates, valued with its [`ContainerConfig::owner`],
/// so a restarted worker finds its own leftovers and leaves other workers' containers alone.
pub const MANAGED_LABEL: &str = "cxmpute.managed";

/// Docker refuses memory limits below 6 MiB.
const MIN_MEMORY_BYTES: i64 = 6 * 1024 * 1024;

/// How long to wait for a late OOM event after a SIGKILL exit (see `final_state`).
const OOM_EVENT_GRACE: Duration = Duration::from_secs(2);

/// How long to keep reading output after the container stopped (the stream normally ends at
/// once; this only bounds a misbehaving engine).
const OUTPUT_DRAIN_GRACE: Duration = Duration::from_secs(5);

/// Resource limits of one container job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContainerLimits {
	/// CPU quota in billionths of a CPU (1_000_000_000 = one core).
	pub nano_cpus: i64,
	/// Memory limit in bytes (swap is disabled, so this is the hard limit).
	pub memory_bytes: i64,
	/// Most processes/threads the container may have at once.
	pub pids: i64,
	/// Wall-clock limit from start; the container is killed after it.
	#[serde(with = "duration_ms")]
	pub timeout: Duration,
	/// Bytes of stdout, and separately of stderr, kept; the rest is dropped and flagged.
	pub max_output_bytes: usize,
}

impl Default for ContainerLimits {
	/// One core, 512 MiB, 256 processes, 60 s, 1 MiB of output per stream.
	fn default() -> Self {
		Self {
			nano_cpus: 1_000_000_000,
			memory_bytes: 512 * 1024 * 1024,
			pids: 256,
			timeout: Duration::from_secs(60),
			max_output_bytes: 1024 * 1024,
		}
	}
}

impl ContainerLimits {
	/// Checks the limits are positive and within `max`.
	///
	/// # Errors
	/// [`WorkerError::InvalidLimits`] naming the limit and the allowed range.
	pub fn check_within(&self, max: &ContainerLimits) -> Result<()> {
		let bad = |m: String| Err(WorkerError::InvalidLimits(m));
		if self.nano_cpus <= 0 || self.nano_cpus > max.nano_cpus {
			return bad(format!("nano_cpus {} not in 1..={}", self.nano_cpus, max.nano_cpus));
		}
		if self.memory_bytes < MIN_MEMORY_BYTES || self.memory_bytes > max.memory_bytes {
			return bad(format!(
				"memory_bytes {} not in {MIN_MEMORY_BYTES}..={}",
				self.memory_bytes, max.memory_bytes
			));
		}
		if self.pids <= 0 || self.pids > max.pids {
			return bad(format!("pids {} not in 1..={}", self.pids, max.pids));
		}
		if self.timeout.is_zero() || self.timeout > max.timeout {
			return bad(format!("timeout {:?} not in (0, {:?}]", self.timeout, max.timeout));
		}
		if self.max_output_bytes > max.max_output_bytes {
			return bad(format!(
				"max_output_bytes {} above the provider's {}",
				self.max_output_bytes, max.max_output_bytes
			));
		}
		Ok(())
	}
}

/// The provider's container policy.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContainerConfig {
	/// Engine address (`unix:///path`, `tcp://..`); `None` uses `DOCKER_HOST`, then the
	/// default socket.
	pub docker_host: Option<String>,
	/// Whether jobs may ask for network access at all.
	pub allow_network: bool,
	/// Docker network used for jobs that get network access.
	pub network: String,
	/// Whether missing images may be pulled from a registry.
	pub allow_pull: bool,
	/// Highest limits a job may ask for.
	pub max_limits: ContainerLimits,
	/// Value of [`MANAGED_LABEL`] on this executor's containers: the worker's provision id, so
	/// workers sharing one engine never remove each other's containers.
	pub owner: String,
}

impl Default for ContainerConfig {
	/// No network, no pulls, maxima: 4 cores, 8 GiB, 4096 processes, 1 h, 16 MiB of output.
	fn default() -> Self {
		Self {
			docker_host: None,
			allow_network: false,
			network: "bridge".into(),
			allow_pull: false,
			max_limits: ContainerLimits {
				nano_cpus: 4_000_000_000,
				memory_bytes: 8 * 1024 * 1024 * 1024,
				pids: 4096,
				timeout: Duration::from_secs(3600),
				max_output_bytes: 16 * 1024 * 1024,
			},
			owner: "local".into(),
		}
	}
}

/// One container job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContainerJob {
	/// Image: local name, `name@sha256:<digest>` or `sha256:<image id>`.
	pub image: String,
	/// Command (replaces the image's CMD); empty keeps the image's.
	#[serde(default)]
	pub cmd: Vec<String>,
	/// Entrypoint override.
	#[serde(default)]
	pub entrypoint: Option<Vec<String>>,
	/// Environment, `KEY=value`.
	#[serde(default)]
	pub env: Vec<String>,
	/// Bytes written to the container's stdin, which is then closed (serverless input).
	#[serde(default)]
	pub stdin: Option<Vec<u8>>,
	/// Resource limits.
	#[serde(default)]
	pub limits: ContainerLimits,
	/// Whether the job asks for network access.
	#[serde(default)]
	pub network: bool,
}

impl ContainerJob {
	/// A job running `cmd` in `image` with default limits and no stdin.
	pub fn new(image: impl Into<String>, cmd: &[&str]) -> Self {
		Self {
			image: image.into(),
			cmd: cmd.iter().map(|s| s.to_string()).collect(),
			entrypoint: None,
			env: Vec::new(),
			stdin: None,
			limits: ContainerLimits::default(),
			network: false,
		}
	}

	/// A serverless function call: `input` goes to stdin, the output comes from stdout.
	pub fn function(image: impl Into<String>, cmd: &[&str], input: Vec<u8>) -> Self {
		Self { stdin: Some(input), ..Self::new(image, cmd) }
	}
}

/// How a container job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExitStatus {
	/// The process exited by itself with this code (0 = success).
	Exited {
		/// Exit code.
		code: i64,
	},
	/// The kernel's OOM killer hit the container (memory limit exceeded).
	OomKilled {
		/// Exit code reported (usually 137).
		code: i64,
	},
	/// The timeout passed and the worker killed the container.
	TimedOut,
}

/// Result of a container job.
#[derive(Clone, Debug, Serialize)]
pub struct ContainerOutcome {
	/// How it ended.
	pub status: ExitStatus,
	/// Exit code from the engine (137 after a kill), when known.
	pub exit_code: Option<i64>,
	/// The engine's `OOMKilled` flag.
	pub oom_killed: bool,
	/// Captured stdout, at most `max_output_bytes` (shown as lossy UTF-8 in JSON).
	#[serde(serialize_with = "lossy_utf8")]
	pub stdout: Vec<u8>,
	/// Captured stderr, at most `max_output_bytes`.
	#[serde(serialize_with = "lossy_utf8")]
	pub stderr: Vec<u8>,
	/// True when stdout was longer than the bound.
	pub stdout_truncated: bool,
	/// True when stderr was longer than the bound.
	pub stderr_truncated: bool,
	/// Time from start to exit (or kill).
	#[serde(with = "duration_ms")]
	pub duration: Duration,
	/// The container's id (already removed).
	pub container_id: String,
	/// False only if the final force-remove failed (logged; a sweep removes it later).
	pub removed: bool,
}

/// Runs container jobs on one Docker engine.
#[derive(Clone, Debug)]
pub struct ContainerExecutor {
	docker: Docker,
	config: ContainerConfig,
	host: String,
}

static NEXT_JOB: AtomicU64 = AtomicU64::new(0);

impl ContainerExecutor {
	/// Connects to the engine and negotiates the API version (bollard asks for a newer API
	/// than older engines such as Debian's 20.10 speak).
	///
	/// # Errors
	/// [`WorkerError::DockerUnavailable`] when the engine cannot be reached.
	pub async fn connect(config: ContainerConfig) -> Result<Self> {
		let host = config
			.docker_host
			.clone()
			.or_else(|| std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()))
			.unwrap_or_else(|| "unix:///var/run/docker.sock".into());
		let unavailable = |e: DockerError| WorkerError::DockerUnavailable {
			host: host.clone(),
			reason: e.to_string(),
		};
		let docker = Docker::connect_with_host(&host).map_err(unavailable)?;
		let docker = docker.negotiate_version().await.map_err(unavailable)?;
		docker.ping().await.map_err(unavailable)?;
		tracing::info!(%host, api = %docker.client_version(), "connected to Docker");
		Ok(Self { docker, config, host })
	}

	/// The engine address in use.
	pub fn host(&self) -> &str {
		&self.host
	}

	/// The underlying bollard client (for inspection in tests and tools).
	pub fn docker(&self) -> &Docker {
		&self.docker
	}

	/// Runs a job to completion and returns its outcome.
	///
	/// The work happens in a spawned task, so the container is removed even if the caller
	/// drops this future (for example when the job is cancelled on chain).
	///
	/// # Errors
	/// Policy violations (limits, network), missing image, Docker API failures. A non-zero
	/// exit, an OOM kill or a timeout are outcomes, not errors.
	pub async fn run(&self, job: ContainerJob) -> Result<ContainerOutcome> {
		job.limits.check_within(&self.config.max_limits)?;
		if job.network && !self.config.allow_network {
			return Err(WorkerError::NetworkNotAllowed);
		}
		if job.limits.max_output_bytes == 0 {
			tracing::debug!("max_output_bytes is 0: output is drained and dropped");
		}
		let this = self.clone();
		tokio::spawn(async move { this.run_owned(job).await })
			.await
			.map_err(|e| WorkerError::InvalidInput(format!("container job task failed: {e}")))?
	}

	async fn run_owned(&self, job: ContainerJob) -> Result<ContainerOutcome> {
		self.ensure_image(&job.image).await?;
		let id = self.create(&job).await?;
		let result = self.supervise(&id, &job).await;
		let removed = self.force_remove(&id).await;
		result.map(|mut outcome| {
			outcome.removed = removed;
			outcome
		})
	}

	/// Checks the image is present, pulling it when the provider allows.
	async fn ensure_image(&self, image: &str) -> Result<()> {
		match self.docker.inspect_image(image).await {
			Ok(_) => Ok(()),
			Err(DockerError::DockerResponseServerError { status_code: 404, .. }) => {
				if !self.config.allow_pull {
					return Err(WorkerError::ImageNotFound { image: image.into() });
				}
				tracing::info!(image, "pulling image");
				let opts =
					CreateImageOptions { from_image: Some(image.into()), ..Default::default() };
				let mut stream = self.docker.create_image(Some(opts), None, None);
				while let Some(item) = stream.next().await {
					item.map_err(|e| WorkerError::docker(format!("pulling image {image}"), e))?;
				}
				Ok(())
			},
			Err(e) => Err(WorkerError::docker(format!("inspecting image {image}"), e)),
		}
	}

	async fn create(&self, job: &ContainerJob) -> Result<String> {
		let network_mode = if job.network { self.config.network.clone() } else { "none".into() };
		let with_stdin = job.stdin.is_some();
		let host_config = HostConfig {
			nano_cpus: Some(job.limits.nano_cpus),
			memory: Some(job.limits.memory_bytes),
			// Swap equal to memory means no swap: the limit is the real limit.
			memory_swap: Some(job.limits.memory_bytes),
			pids_limit: Some(job.limits.pids),
			network_mode: Some(network_mode),
			// Output is read from the attach stream; no log files on the provider's disk.
			log_config: Some(HostConfigLogConfig { typ: Some("none".into()), config: None }),
			security_opt: Some(vec!["no-new-privileges".into()]),
			..Default::default()
		};
		let body = ContainerCreateBody {
			image: Some(job.image.clone()),
			cmd: (!job.cmd.is_empty()).then(|| job.cmd.clone()),
			entrypoint: job.entrypoint.clone(),
			env: (!job.env.is_empty()).then(|| job.env.clone()),
			attach_stdin: Some(with_stdin),
			attach_stdout: Some(true),
			attach_stderr: Some(true),
			open_stdin: Some(with_stdin),
			// Docker closes the container's stdin when our attached stdin closes.
			stdin_once: Some(with_stdin),
			tty: Some(false),
			network_disabled: Some(!job.network),
			labels: Some(HashMap::from([(MANAGED_LABEL.to_string(), self.config.owner.clone())])),
			host_config: Some(host_config),
			..Default::default()
		};
		let name = format!(
			"cxmpute-job-{}-{}",
			std::process::id(),
			NEXT_JOB.fetch_add(1, Ordering::Relaxed)
		);
		let opts = CreateContainerOptions { name: Some(name), ..Default::default() };
		let created = self.docker.create_container(Some(opts), body).await.map_err(|e| {
			WorkerError::docker(format!("creating a container from {}", job.image), e)
		})?;
		for w in &created.warnings {
			tracing::warn!(id = %created.id, warning = %w, "docker warning on create");
		}
		Ok(created.id)
	}

	/// Attach, start, feed stdin, wait (with timeout), collect output, inspect.
	async fn supervise(&self, id: &str, job: &ContainerJob) -> Result<ContainerOutcome> {
		let with_stdin = job.stdin.is_some();
		let attach_opts = AttachContainerOptions {
			stream: true,
			stdin: with_stdin,
			stdout: true,
			stderr: true,
			..Default::default()
		};
		let attached = self
			.docker
			.attach_container(id, Some(attach_opts))
			.await
			.map_err(|e| WorkerError::docker("attaching to the container", e))?;
		let reader = tokio::spawn(collect_output(attached.output, job.limits.max_output_bytes));
		self.docker.start_container(id, None).await.map_err(|e| {
			WorkerError::docker(format!("starting a container from {}", job.image), e)
		})?;
		let started = Instant::now();
		let mut input = attached.input;
		let stdin_bytes = job.stdin.clone();
		let writer = tokio::spawn(async move {
			if let Some(bytes) = stdin_bytes {
				// A function may exit without reading all its input; that is not our error.
				if let Err(e) = input.write_all(&bytes).await {
					tracing::debug!(error = %e, "stdin write stopped early");
				}
				let _ = input.flush().await;
			}
			// Closing our side is what tells Docker (stdin_once) to close the container's stdin.
			let _ = input.shutdown().await;
		});

		let waited = tokio::time::timeout(job.limits.timeout, self.wait_exit(id)).await;
		let timed_out = match waited {
			Ok(r) => {
				r?;
				false
			},
			Err(_) => {
				tracing::info!(id, timeout = ?job.limits.timeout, "job timed out; killing it");
				let kill = self
					.docker
					.kill_container(id, Some(KillContainerOptions { signal: "SIGKILL".into() }))
					.await;
				match kill {
					Ok(())
					| Err(DockerError::DockerResponseServerError { status_code: 409, .. }) => {},
					Err(e) => return Err(WorkerError::docker("killing a timed-out container", e)),
				}
				// Make sure it has stopped before inspecting.
				let _ = tokio::time::timeout(Duration::from_secs(10), self.wait_exit(id)).await;
				true
			},
		};
		let duration = started.elapsed();
		writer.abort();
		let (stdout, stderr) = match tokio::time::timeout(OUTPUT_DRAIN_GRACE, reader).await {
			Ok(Ok(out)) => out,
			Ok(Err(e)) => {
				return Err(WorkerError::InvalidInput(format!("output reader task failed: {e}")))
			},
			Err(_) => {
				tracing::warn!(id, "output stream did not end after the container stopped");
				(Captured::default(), Captured::default())
			},
		};
		let (exit_code, oom_killed) = self.final_state(id, timed_out).await?;
		let status = if timed_out {
			ExitStatus::TimedOut
		} else if oom_killed {
			ExitStatus::OomKilled { code: exit_code.unwrap_or(137) }
		} else {
			ExitStatus::Exited { code: exit_code.unwrap_or(-1) }
		};
		Ok(ContainerOutcome {
			status,
			exit_code,
			oom_killed,
			stdout: stdout.bytes,
			stderr: stderr.bytes,
			stdout_truncated: stdout.truncated,
			stderr_truncated: stderr.truncated,
			duration,
			container_id: id.to_string(),
			removed: false,
		})
	}

	/// Exit code and `OOMKilled` of a stopped container.
	///
	/// The engine learns about an OOM kill from a separate event that can arrive just after the
	/// exit event, so a SIGKILL exit (137) that we did not cause is inspected again for a short
	/// while before it is reported as a plain exit.
	async fn final_state(&self, id: &str, timed_out: bool) -> Result<(Option<i64>, bool)> {
		let deadline = Instant::now() + OOM_EVENT_GRACE;
		loop {
			let info = self
				.docker
				.inspect_container(id, None)
				.await
				.map_err(|e| WorkerError::docker("inspecting the finished container", e))?;
			let state = info.state.unwrap_or_default();
			let oom_killed = state.oom_killed.unwrap_or(false);
			let sigkilled = state.exit_code == Some(137);
			if oom_killed || timed_out || !sigkilled || Instant::now() >= deadline {
				return Ok((state.exit_code, oom_killed));
			}
			tokio::time::sleep(Duration::from_millis(50)).await;
		}
	}

	/// Waits until the container is not running; returns its exit code.
	async fn wait_exit(&self, id: &str) -> Result<i64> {
		let opts = WaitContainerOptions { condition: "not-running".into() };
		let mut stream = self.docker.wait_container(id, Some(opts));
		match stream.next().await {
			Some(Ok(r)) => Ok(r.status_code),
			// bollard turns a non-zero exit into this error; for us it is a normal exit code.
			Some(Err(DockerError::DockerContainerWaitError { code, .. })) => Ok(code),
			Some(Err(e)) => Err(WorkerError::docker("waiting for the container", e)),
			None => Err(WorkerError::Docker {
				context: "waiting for the container".into(),
				source: DockerError::DockerStreamError {
					error: "wait stream ended without a result".into(),
				},
			}),
		}
	}

	/// Force-removes a container (and its anonymous volumes); true on success or if already gone.
	async fn force_remove(&self, id: &str) -> bool {
		let opts = RemoveContainerOptions { force: true, v: true, ..Default::default() };
		match self.docker.remove_container(id, Some(opts)).await {
			Ok(()) | Err(DockerError::DockerResponseServerError { status_code: 404, .. }) => true,
			Err(e) => {
				tracing::error!(id, error = %e, "could not remove container");
				false
			},
		}
	}

	/// Whether a container with this id or name still exists (tests use it to check cleanup).
	///
	/// # Errors
	/// Docker API failures other than "not found".
	pub async fn container_exists(&self, id: &str) -> Result<bool> {
		match self.docker.inspect_container(id, None).await {
			Ok(_) => Ok(true),
			Err(DockerError::DockerResponseServerError { status_code: 404, .. }) => Ok(false),
			Err(e) => Err(WorkerError::docker("inspecting a container", e)),
		}
	}

	/// Removes containers left by an earlier worker process with the same owner (found by
	/// [`MANAGED_LABEL`]).
	/// Meant for start-up, before any job runs. Returns how many were removed.
	///
	/// # Errors
	/// Docker API failures while listing.
	pub async fn remove_leftovers(&self) -> Result<usize> {
		let opts = ListContainersOptions {
			all: true,
			filters: Some(HashMap::from([(
				"label".to_string(),
				vec![format!("{MANAGED_LABEL}={}", self.config.owner)],
			)])),
			..Default::default()
		};
		let list = self
			.docker
			.list_containers(Some(opts))
			.await
			.map_err(|e| WorkerError::docker("listing leftover containers", e))?;
		let mut n = 0;
		for c in list {
			if let Some(id) = c.id {
				if self.force_remove(&id).await {
					n += 1;
				}
			}
		}
		Ok(n)
	}
}

/// Output kept from one stream.
#[derive(Default)]
struct Captured {
	bytes: Vec<u8>,
	truncated: bool,
}

impl Captured {
	/// Appends up to the bound; remembers that something was dropped.
	fn push(&mut self, chunk: &[u8], max: usize) {
		let room = max.saturating_sub(self.bytes.len());
		if chunk.len() > room {
			self.truncated = true;
		}
		self.bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
	}
}

/// Reads the attach stream to its end, keeping at most `max` bytes per stream.
/// Reading continues past the bound so the container never blocks on a full pipe.
async fn collect_output(
	mut output: std::pin::Pin<
		Box<dyn futures_util::Stream<Item = std::result::Result<LogOutput, DockerError>> + Send>,
	>,
	max: usize,
) -> (Captured, Captured) {
	let mut out = Captured::default();
	let mut err = Captured::default();
	while let Some(item) = output.next().await {
		match item {
			Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
				out.push(&message, max)
			},
			Ok(LogOutput::StdErr { message }) => err.push(&message, max),
			Ok(LogOutput::StdIn { .. }) => {},
			Err(e) => {
				tracing::debug!(error = %e, "attach stream ended with an error");
				break;
			},
		}
	}
	(out, err)
}

fn lossy_utf8<S: serde::Serializer>(bytes: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
	s.serialize_str(&String::from_utf8_lossy(bytes))
}

/// Durations as integer milliseconds in JSON.
mod duration_ms {
	use std::time::Duration;

	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_u64(d.as_millis().min(u128::from(u64::MAX)) as u64)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
		Ok(Duration::from_millis(u64::deserialize(d)?))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn captured_truncates_at_the_bound() {
		let mut c = Captured::default();
		c.push(b"hello", 8);
		c.push(b"world", 8);
		assert_eq!(c.bytes, b"hellowor");
		assert!(c.truncated);
		let mut c = Captured::default();
		c.push(b"12345678", 8);
		assert!(!c.truncated);
	}

	#[test]
	fn limits_are_checked_against_the_maximum() {
		let max = ContainerConfig::default().max_limits;
		assert!(ContainerLimits::default().check_within(&max).is_ok());
		let l = ContainerLimits { memory_bytes: 1024, ..Default::default() };
		assert!(l.check_within(&max).unwrap_err().to_string().contains("memory_bytes"));
		let l = ContainerLimits { timeout: Duration::ZERO, ..Default::default() };
		assert!(l.check_within(&max).unwrap_err().to_string().contains("timeout"));
		let l = ContainerLimits { pids: max.pids + 1, ..Default::default() };
		assert!(l.check_within(&max).unwrap_err().to_string().contains("pids"));
	}
}
