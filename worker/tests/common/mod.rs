//! Shared helpers for the integration tests: where the assets and the Docker engine are.
//!
//! Tests that need them FAIL (never skip) with a message naming the script to run, so a CI
//! job that forgot the set-up step cannot pass by testing nothing.

#![allow(dead_code)] // each test binary uses a different subset

use std::{
	path::{Path, PathBuf},
	sync::Arc,
};

use cxmpute_worker::{
	container::{ContainerConfig, ContainerExecutor},
	inference::{Runtime, RuntimeConfig},
	model_store::{LoadedModel, ModelStore},
};

/// `$CXMPUTE_ASSETS`, checked to hold what scripts/worker-assets.sh lays out.
pub fn assets() -> PathBuf {
	let dir = std::env::var_os("CXMPUTE_ASSETS").map(PathBuf::from).unwrap_or_else(|| {
		panic!(
			"CXMPUTE_ASSETS is not set: run scripts/worker-assets.sh and export the ORT_DYLIB_PATH and \
			 CXMPUTE_ASSETS it prints"
		)
	});
	for needed in [
		"models/minilm/model.onnx",
		"models/minilm/tokenizer.json",
		"models/tiny-decoder/model.onnx",
		"reference/embeddings.json",
		"reference/tiny_decoder.json",
	] {
		assert!(
			dir.join(needed).is_file(),
			"{} is missing: run scripts/worker-assets.sh (CXMPUTE_ASSETS={})",
			dir.join(needed).display(),
			dir.display()
		);
	}
	dir
}

/// A CPU runtime from `$ORT_DYLIB_PATH`.
pub fn runtime() -> Runtime {
	match std::env::var_os("ORT_DYLIB_PATH") {
		Some(p) if Path::new(&p).is_file() => {},
		other => panic!(
			"ORT_DYLIB_PATH is {other:?}, not a file: run scripts/worker-assets.sh and export the \
			 ORT_DYLIB_PATH it prints"
		),
	}
	Runtime::new(&RuntimeConfig::cpu_from_env()).expect("ONNX Runtime loads")
}

/// Reads a reference JSON written by the Python scripts.
pub fn reference(name: &str) -> serde_json::Value {
	let path = assets().join("reference").join(name);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
	serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// A model store over one asset model directory (`minilm` or `tiny-decoder`).
pub fn store(model: &str) -> ModelStore {
	ModelStore::open(runtime(), assets().join("models").join(model)).expect("model store opens")
}

/// The only model of an asset model directory, loaded.
pub fn load(model: &str) -> Arc<LoadedModel> {
	let store = store(model);
	let hash = store.entries()[0].hash;
	store.get(&hash).expect("model loads").0
}

/// Largest absolute difference of two equally long vectors.
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
	assert_eq!(a.len(), b.len(), "vector lengths differ");
	a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

/// JSON array of numbers to f32s.
pub fn f32s(v: &serde_json::Value) -> Vec<f32> {
	v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number") as f32).collect()
}

/// JSON array of integers to u32s.
pub fn u32s(v: &serde_json::Value) -> Vec<u32> {
	v.as_array().expect("array").iter().map(|x| x.as_u64().expect("integer") as u32).collect()
}

/// The test image scripts/docker-dev.sh imports.
pub const IMAGE: &str = "cxmpute/busybox:local";

/// A container executor on `$DOCKER_HOST`, with the test image present.
pub async fn executor(config: ContainerConfig) -> ContainerExecutor {
	if std::env::var_os("DOCKER_HOST").is_none() {
		panic!("DOCKER_HOST is not set: run scripts/docker-dev.sh and export the DOCKER_HOST it prints");
	}
	let exec = ContainerExecutor::connect(config).await.unwrap_or_else(|e| {
		panic!("{e}: run scripts/docker-dev.sh and export the DOCKER_HOST it prints")
	});
	exec.docker()
		.inspect_image(IMAGE)
		.await
		.unwrap_or_else(|e| panic!("image {IMAGE} missing ({e}): run scripts/docker-dev.sh"));
	exec
}

/// A fresh empty directory under the system temp dir (removed by the caller).
pub fn temp_dir(name: &str) -> PathBuf {
	let dir =
		std::env::temp_dir().join(format!("cxmpute-worker-test-{}-{name}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("create temp dir");
	dir
}
