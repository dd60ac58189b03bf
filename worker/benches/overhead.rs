//! Overhead of the worker's executors over the bare tools (not a test; prints a table).
//!
//! - Embeddings: the worker pipeline from text (tokenize, pad, run, mean-pool, normalise) vs a
//!   bare `ort` session run on the same model with the same, already-built input tensors.
//! - Containers: the worker's create/attach/start/wait/inspect/remove round trip vs the
//!   `docker run --rm` CLI running the same command.
//!
//! Needs the assets and engine of scripts/worker-assets.sh and scripts/docker-dev.sh:
//! `ORT_DYLIB_PATH=.. CXMPUTE_ASSETS=.. DOCKER_HOST=.. cargo bench --bench overhead`
//! (`BENCH_RUNS` overrides the number of runs).

use std::{
	path::PathBuf,
	process::Command,
	time::{Duration, Instant},
};

use cxmpute_worker::{
	container::{ContainerConfig, ContainerExecutor, ContainerJob},
	inference::{embed, Runtime, RuntimeConfig},
	model_store::ModelStore,
};
use ort::{session::Session, value::Tensor};

const IMAGE: &str = "cxmpute/busybox:local";

fn need(var: &str, script: &str) -> String {
	std::env::var(var).unwrap_or_else(|_| {
		eprintln!("{var} is not set: run {script} and export what it prints");
		std::process::exit(2);
	})
}

fn median(mut v: Vec<Duration>) -> Duration {
	v.sort();
	v[v.len() / 2]
}

/// Medians of `a` and `b`, run alternately so load changes on a shared machine hit both alike.
fn time_pair(
	runs: usize,
	warmup: usize,
	mut a: impl FnMut(),
	mut b: impl FnMut(),
) -> (Duration, Duration) {
	for _ in 0..warmup {
		a();
		b();
	}
	let (mut ta, mut tb) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
	for _ in 0..runs {
		let t = Instant::now();
		a();
		ta.push(t.elapsed());
		let t = Instant::now();
		b();
		tb.push(t.elapsed());
	}
	(median(ta), median(tb))
}

fn time_runs(runs: usize, warmup: usize, mut f: impl FnMut()) -> Duration {
	for _ in 0..warmup {
		f();
	}
	median(
		(0..runs)
			.map(|_| {
				let t = Instant::now();
				f();
				t.elapsed()
			})
			.collect(),
	)
}

struct Row {
	what: String,
	worker: Duration,
	baseline: Duration,
	baseline_name: &'static str,
}

fn embeddings_rows(runs: usize) -> Vec<Row> {
	let dylib = need("ORT_DYLIB_PATH", "scripts/worker-assets.sh");
	let assets = PathBuf::from(need("CXMPUTE_ASSETS", "scripts/worker-assets.sh"));
	let model_dir = assets.join("models/minilm");
	let runtime =
		Runtime::new(&RuntimeConfig { dylib_path: Some(dylib.into()), ..Default::default() })
			.expect("runtime");
	let store = ModelStore::open(runtime, &model_dir).expect("store");
	let hash = store.entries()[0].hash;
	let (model, info) = store.get(&hash).expect("model loads");
	println!("MiniLM int8 load time (hash check + session + tokenizer): {:?}", info.load_time);

	// Bare ort: its own session on the same file, default options, in the one environment
	// ONNX Runtime allows per process.
	let env = store.runtime().environment();
	let mut direct = Session::builder(env)
		.expect("builder")
		.commit_from_file(model_dir.join("model.onnx"))
		.expect("direct session");
	let tokenizer = model.tokenizer.as_ref().expect("tokenizer");

	let sentences = [
		"A man is playing a guitar on stage.",
		"Someone performs music with a guitar in front of an audience.",
		"The central bank raised interest rates by half a percentage point.",
		"Cxmpute pays providers for running ONNX models.",
		"Hi",
		"Providers stake tokens and earn rewards for the jobs they complete on time.",
		"The quick brown fox jumps over the lazy dog.",
		"Embeddings map text to vectors so that similar meanings end up close together.",
	];
	let mut rows = Vec::new();
	for batch in [1usize, 8] {
		let texts: Vec<String> = sentences[..batch].iter().map(|s| s.to_string()).collect();
		// Inputs built once for the bare run (padding to the longest, like the pipeline).
		let enc = tokenizer.encode_batch(texts.clone(), true).expect("encode");
		let seq = enc.iter().map(|e| e.len()).max().unwrap();
		let mut ids = vec![0i64; batch * seq];
		let mut mask = vec![0i64; batch * seq];
		for (b, e) in enc.iter().enumerate() {
			for (t, &id) in e.get_ids().iter().enumerate() {
				ids[b * seq + t] = i64::from(id);
				mask[b * seq + t] = 1;
			}
		}
		let types = vec![0i64; batch * seq];
		let (worker, bare) = time_pair(
			runs,
			5,
			|| {
				let _ = embed(&model, &texts).expect("embed");
			},
			|| {
				let inputs = ort::inputs![
					"input_ids" => Tensor::from_array(([batch, seq], ids.clone())).unwrap(),
					"attention_mask" => Tensor::from_array(([batch, seq], mask.clone())).unwrap(),
					"token_type_ids" => Tensor::from_array(([batch, seq], types.clone())).unwrap(),
				];
				let out = direct.run(inputs).expect("direct run");
				let _ = out["last_hidden_state"].try_extract_tensor::<f32>().unwrap();
			},
		);
		let tokenize = time_runs(runs, 5, || {
			let _ = tokenizer.encode_batch(texts.clone(), true).expect("encode");
		});
		println!("batch {batch}: tokenization alone {tokenize:.2?} (median)");
		rows.push(Row {
			what: format!("embeddings, batch {batch} ({seq} tokens)"),
			worker,
			baseline: bare,
			baseline_name: "bare ort run",
		});
	}
	rows
}

fn container_rows(runs: usize) -> Vec<Row> {
	need("DOCKER_HOST", "scripts/docker-dev.sh");
	let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio");
	let exec = rt.block_on(ContainerExecutor::connect(ContainerConfig::default())).expect("docker");
	let job = ContainerJob::new(IMAGE, &["echo", "hello"]);
	let (worker, cli) = time_pair(
		runs,
		2,
		|| {
			let out = rt.block_on(exec.run(job.clone())).expect("worker run");
			assert_eq!(out.stdout, b"hello\n");
		},
		|| {
			let out = Command::new("docker")
				.args(["run", "--rm", "--network", "none", IMAGE, "echo", "hello"])
				.output()
				.expect("docker CLI");
			assert!(out.status.success() && out.stdout == b"hello\n", "{out:?}");
		},
	);
	vec![Row {
		what: "container echo round trip".into(),
		worker,
		baseline: cli,
		baseline_name: "docker run --rm",
	}]
}

fn main() {
	// `cargo bench` passes `--bench`; nothing else to parse.
	let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
	let mut rows = embeddings_rows(runs);
	rows.extend(container_rows((runs / 4).max(5)));
	println!();
	println!(
		"{:<36} {:>12} {:>12}  {:<16} {:>7}",
		"case", "worker", "baseline", "baseline is", "ratio"
	);
	for r in &rows {
		println!(
			"{:<36} {:>12} {:>12}  {:<16} {:>7.2}",
			r.what,
			format!("{:.2?}", r.worker),
			format!("{:.2?}", r.baseline),
			r.baseline_name,
			r.worker.as_secs_f64() / r.baseline.as_secs_f64()
		);
	}
	println!("(medians; embeddings over {runs} runs, containers over {} runs)", (runs / 4).max(5));
}
