//! Overhead of the worker's executors over the bare tools (not a test; prints a table).
//!
//! - Embeddings: the worker pipeline from text (tokenize, pad, run, mean-pool, normalise) vs a
//!   bare `ort` session run on the same model with the same, already-built input tensors.
//! - Containers: the worker's create/attach/start/wait/inspect/remove round trip vs the
//!   `docker run --rm` CLI running the same command.
//! - Batching: 8 concurrent jobs through the worker's per-model batcher (one model run for all)
//!   vs the same jobs run one at a time, for embeddings (MiniLM) and generation (the tiny
//!   decoder, 16 tokens each). A ratio below 1 is the speed-up batching buys.
//!
//! Needs the assets and engine of scripts/worker-assets.sh and scripts/docker-dev.sh:
//! `ORT_DYLIB_PATH=.. CXMPUTE_ASSETS=.. DOCKER_HOST=.. cargo bench --bench overhead`
//! (`BENCH_RUNS` overrides the number of runs).

use std::{
	path::PathBuf,
	process::Command,
	sync::Arc,
	time::{Duration, Instant},
};

use cxmpute_worker::{
	container::{ContainerConfig, ContainerExecutor, ContainerJob},
	inference::{
		embed, embed_batch, generate, generate_batch, BatchFn, Batcher, EmbeddingRequest,
		GenerationRequest, Runtime, RuntimeConfig,
	},
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

/// Wall time for `jobs` submitted at once to a [`Batcher`] until every result is back.
fn through_batcher<Req: Clone + Send + 'static, Resp: Send + 'static>(
	rt: &tokio::runtime::Runtime,
	batcher: &Batcher<Req, Resp>,
	jobs: &[Req],
) {
	rt.block_on(async {
		let calls: Vec<_> = jobs
			.iter()
			.cloned()
			.map(|j| {
				let b = batcher.clone();
				tokio::spawn(async move { b.call(j).await.is_ok() })
			})
			.collect();
		for c in calls {
			assert!(c.await.expect("task"), "a batched job failed");
		}
	});
}

fn batching_rows(runs: usize) -> Vec<Row> {
	let dylib = need("ORT_DYLIB_PATH", "scripts/worker-assets.sh");
	let assets = PathBuf::from(need("CXMPUTE_ASSETS", "scripts/worker-assets.sh"));
	let runtime =
		Runtime::new(&RuntimeConfig { dylib_path: Some(dylib.into()), ..Default::default() })
			.expect("runtime");
	let store = ModelStore::open(runtime, assets.join("models")).expect("store");
	let pick = |dir: &str| {
		let e = store.entries().into_iter().find(|e| e.path.parent().unwrap().ends_with(dir));
		store.get(&e.expect("model in the assets").hash).expect("model loads").0
	};
	let (minilm, decoder) = (pick("minilm"), pick("tiny-decoder"));
	let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio");
	let jobs = 8;
	let mut rows = Vec::new();
	let texts: Vec<EmbeddingRequest> = (0..jobs)
		.map(|i| EmbeddingRequest {
			texts: vec![format!("Job {i}: a provider runs this sentence through MiniLM.")],
		})
		.collect();
	let prompts: Vec<GenerationRequest> = (0..jobs as u32)
		.map(|i| GenerationRequest::greedy_tokens(vec![1 + i, 7, 19, 3 + i], 16))
		.collect();
	// The worker's default window (2 ms) and none: the window is paid once per run when fewer
	// than `max_batch` jobs are waiting.
	for window_ms in [2u64, 0] {
		let window = Duration::from_millis(window_ms);
		let model = minilm.clone();
		let run: BatchFn<EmbeddingRequest, _> = Arc::new(move |reqs| {
			embed_batch(&model, &reqs).expect("embed").into_iter().map(Ok).collect()
		});
		let batcher = rt.block_on(async { Batcher::spawn(16, window, None, run) });
		let (batched, alone) = time_pair(
			runs,
			3,
			|| through_batcher(&rt, &batcher, &texts),
			|| {
				for t in &texts {
					let _ = embed(&minilm, &t.texts).expect("embed");
				}
			},
		);
		rows.push(Row {
			what: format!("{jobs} concurrent embeddings, window {window_ms} ms"),
			worker: batched,
			baseline: alone,
			baseline_name: "one run per job",
		});

		let model = decoder.clone();
		let run: BatchFn<GenerationRequest, _> =
			Arc::new(move |reqs| generate_batch(&model, &reqs).expect("generate"));
		let batcher = rt.block_on(async { Batcher::spawn(16, window, None, run) });
		let (batched, alone) = time_pair(
			runs,
			3,
			|| through_batcher(&rt, &batcher, &prompts),
			|| {
				for p in &prompts {
					let _ = generate(&decoder, p).expect("generate");
				}
			},
		);
		rows.push(Row {
			what: format!("{jobs} concurrent 16-token gens, window {window_ms} ms"),
			worker: batched,
			baseline: alone,
			baseline_name: "one run per job",
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
	rows.extend(batching_rows((runs / 2).max(5)));
	rows.extend(container_rows((runs / 4).max(5)));
	println!();
	println!(
		"{:<44} {:>12} {:>12}  {:<16} {:>7}",
		"case", "worker", "baseline", "baseline is", "ratio"
	);
	for r in &rows {
		println!(
			"{:<44} {:>12} {:>12}  {:<16} {:>7.2}",
			r.what,
			format!("{:.2?}", r.worker),
			format!("{:.2?}", r.baseline),
			r.baseline_name,
			r.worker.as_secs_f64() / r.baseline.as_secs_f64()
		);
	}
	println!(
		"(medians; embeddings over {runs} runs, batching over {}, containers over {})",
		(runs / 2).max(5),
		(runs / 4).max(5)
	);
}
