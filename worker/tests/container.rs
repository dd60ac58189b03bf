//! Container executor against a real Docker engine (scripts/docker-dev.sh).

mod common;

use std::time::{Duration, Instant};

use common::IMAGE;
use cxmpute_worker::{
	container::{ContainerConfig, ContainerJob, ContainerLimits, ExitStatus},
	WorkerError,
};

fn job(cmd: &str) -> ContainerJob {
	ContainerJob::new(IMAGE, &["sh", "-c", cmd])
}

#[tokio::test(flavor = "multi_thread")]
async fn echo_job_exits_zero_with_output() {
	let exec = common::executor(ContainerConfig::default()).await;
	let out = exec.run(job("echo hello; echo oops >&2")).await.unwrap();
	assert_eq!(out.status, ExitStatus::Exited { code: 0 });
	assert_eq!(out.exit_code, Some(0));
	assert_eq!(out.stdout, b"hello\n");
	assert_eq!(out.stderr, b"oops\n");
	assert!(!out.stdout_truncated && !out.stderr_truncated && !out.oom_killed);
	assert!(out.removed);
	assert!(!exec.container_exists(&out.container_id).await.unwrap(), "container removed");
}

#[tokio::test(flavor = "multi_thread")]
async fn non_zero_exit_is_reported_not_an_error() {
	let exec = common::executor(ContainerConfig::default()).await;
	let out = exec.run(job("echo partial; exit 7")).await.unwrap();
	assert_eq!(out.status, ExitStatus::Exited { code: 7 });
	assert_eq!(out.stdout, b"partial\n");
	assert!(!exec.container_exists(&out.container_id).await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn serverless_function_reads_stdin() {
	let exec = common::executor(ContainerConfig::default()).await;
	// Binary input bigger than a pipe buffer, to check all of it arrives and stdin gets closed.
	let input: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
	let out = exec.run(ContainerJob::function(IMAGE, &["cat"], input.clone())).await.unwrap();
	assert_eq!(out.status, ExitStatus::Exited { code: 0 });
	assert_eq!(out.stdout.len(), input.len());
	assert!(out.stdout == input, "stdout differs from stdin");
	let out =
		exec.run(ContainerJob::function(IMAGE, &["wc", "-c"], b"12345".to_vec())).await.unwrap();
	assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_allocating_job_is_oom_killed() {
	let exec = common::executor(ContainerConfig::default()).await;
	let mut j = job("head -c 64m /dev/zero | tail");
	j.limits.memory_bytes = 16 * 1024 * 1024;
	let out = exec.run(j).await.unwrap();
	assert!(out.oom_killed, "OOMKilled not reported: {out:?}");
	assert!(matches!(out.status, ExitStatus::OomKilled { .. }), "{:?}", out.status);
	assert!(!exec.container_exists(&out.container_id).await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_kills_and_removes_the_container() {
	let exec = common::executor(ContainerConfig::default()).await;
	let mut j = job("sleep 30");
	j.limits.timeout = Duration::from_secs(2);
	let t = Instant::now();
	let out = exec.run(j).await.unwrap();
	assert_eq!(out.status, ExitStatus::TimedOut);
	assert!(t.elapsed() < Duration::from_secs(15), "took {:?}", t.elapsed());
	assert!(out.duration >= Duration::from_secs(2));
	assert!(out.removed);
	assert!(!exec.container_exists(&out.container_id).await.unwrap(), "container still there");
}

#[tokio::test(flavor = "multi_thread")]
async fn output_beyond_the_bound_is_truncated() {
	let exec = common::executor(ContainerConfig::default()).await;
	let mut j = job("head -c 300000 /dev/zero | tr '\\0' x; echo small >&2");
	j.limits.max_output_bytes = 1000;
	let out = exec.run(j).await.unwrap();
	assert_eq!(out.status, ExitStatus::Exited { code: 0 });
	assert_eq!(out.stdout.len(), 1000);
	assert!(out.stdout.iter().all(|&b| b == b'x'));
	assert!(out.stdout_truncated);
	assert_eq!(out.stderr, b"small\n");
	assert!(!out.stderr_truncated);
}

#[tokio::test(flavor = "multi_thread")]
async fn pids_limit_is_enforced() {
	let exec = common::executor(ContainerConfig::default()).await;
	// 30 background sleeps: with a limit of 8 processes the shell cannot fork them all.
	let script = "i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done; echo all-started";
	let mut j = job(script);
	j.limits.pids = 8;
	let out = exec.run(j).await.unwrap();
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("can't fork"), "no fork failure: {out:?}");
	assert!(!String::from_utf8_lossy(&out.stdout).contains("all-started"));
	assert_ne!(out.status, ExitStatus::Exited { code: 0 });
	// Same script with room for the processes succeeds: the limit was the cause.
	let mut j = job(script);
	j.limits.pids = 64;
	let out = exec.run(j).await.unwrap();
	assert_eq!(out.status, ExitStatus::Exited { code: 0 }, "{out:?}");
	assert_eq!(out.stdout, b"all-started\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn network_is_none_by_default_and_needs_provider_consent() {
	let exec = common::executor(ContainerConfig::default()).await;
	let out = exec.run(job("cat /proc/net/dev")).await.unwrap();
	let devs = String::from_utf8_lossy(&out.stdout);
	assert!(devs.contains("lo:"), "{devs}");
	let non_lo: Vec<&str> =
		devs.lines().skip(2).filter(|l| !l.trim_start().starts_with("lo:")).collect();
	assert!(non_lo.is_empty(), "interfaces besides lo: {non_lo:?}");
	let mut j = job("true");
	j.network = true;
	assert!(matches!(exec.run(j).await.unwrap_err(), WorkerError::NetworkNotAllowed));
}

#[tokio::test(flavor = "multi_thread")]
async fn policy_and_image_errors_are_typed() {
	let exec = common::executor(ContainerConfig::default()).await;
	let err =
		exec.run(ContainerJob::new("cxmpute/does-not-exist:none", &["true"])).await.unwrap_err();
	assert!(matches!(err, WorkerError::ImageNotFound { .. }), "{err}");
	let mut j = job("true");
	j.limits = ContainerLimits { memory_bytes: 1 << 40, ..Default::default() };
	assert!(matches!(exec.run(j).await.unwrap_err(), WorkerError::InvalidLimits(_)));
	// By image id (sha256:...) works too.
	let id = exec.docker().inspect_image(IMAGE).await.unwrap().id.unwrap();
	let out = exec.run(ContainerJob::new(id, &["echo", "by-id"])).await.unwrap();
	assert_eq!(out.stdout, b"by-id\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelled_job_still_removes_its_container() {
	let exec = common::executor(ContainerConfig::default()).await;
	let mut j = job("sleep 30");
	j.limits.timeout = Duration::from_secs(1);
	// Drop the future right after the container started; the spawned task finishes the job.
	let fut = exec.run(j);
	let _ = tokio::time::timeout(Duration::from_millis(300), fut).await;
	tokio::time::sleep(Duration::from_secs(4)).await;
	let opts = bollard::query_parameters::ListContainersOptions {
		all: true,
		filters: Some(std::collections::HashMap::from([(
			"name".to_string(),
			vec![format!("cxmpute-job-{}-", std::process::id())],
		)])),
		..Default::default()
	};
	// Other tests of this binary may be running; none of their containers lives past ~3 s, but
	// allow a few more seconds before declaring a leak.
	for _ in 0..20 {
		let left = exec.docker().list_containers(Some(opts.clone())).await.unwrap();
		if left.is_empty() {
			return;
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	panic!("containers left behind after cancellation");
}

#[tokio::test(flavor = "multi_thread")]
async fn leftover_sweep_removes_only_this_workers_containers() {
	use bollard::{models::ContainerCreateBody, query_parameters::RemoveContainerOptions};
	use cxmpute_worker::container::MANAGED_LABEL;
	let tag = format!("sweep-{}", std::process::id());
	let mine =
		common::executor(ContainerConfig { owner: format!("{tag}-a"), ..Default::default() }).await;
	let theirs =
		common::executor(ContainerConfig { owner: format!("{tag}-b"), ..Default::default() }).await;
	// Containers as a crashed worker leaves them: created, labelled, never removed.
	let mut ids = Vec::new();
	for owner in ["a", "b"] {
		let body = ContainerCreateBody {
			image: Some(IMAGE.into()),
			cmd: Some(vec!["true".into()]),
			labels: Some([(MANAGED_LABEL.to_string(), format!("{tag}-{owner}"))].into()),
			..Default::default()
		};
		ids.push(mine.docker().create_container(None, body).await.unwrap().id);
	}
	assert_eq!(mine.remove_leftovers().await.unwrap(), 1);
	assert!(!mine.container_exists(&ids[0]).await.unwrap(), "own leftover removed");
	assert!(mine.container_exists(&ids[1]).await.unwrap(), "another worker's container kept");
	assert_eq!(theirs.remove_leftovers().await.unwrap(), 1);
	assert!(!theirs.container_exists(&ids[1]).await.unwrap());
	let _ = mine
		.docker()
		.remove_container(
			&ids[1],
			Some(RemoveContainerOptions { force: true, ..Default::default() }),
		)
		.await;
}
