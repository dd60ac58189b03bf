//! ONNX Runtime setup and the model store: hashing, lookup, lazy loading, bad models.

mod common;

use cxmpute_worker::{
	inference::{ExecutionProvider, Runtime, RuntimeConfig},
	model_store::{ModelHash, ModelStore},
	WorkerError,
};

#[test]
fn cuda_request_without_cuda_is_an_error_not_a_fallback() {
	common::runtime(); // the library itself loads
	let config = RuntimeConfig {
		dylib_path: None,
		provider: ExecutionProvider::Cuda { device_id: 0 },
		intra_threads: None,
	};
	match Runtime::new(&config) {
		Err(WorkerError::CudaUnavailable { device_id: 0, reason }) => {
			assert!(!reason.is_empty());
			println!("CUDA refused as expected: {reason}");
		},
		Err(other) => panic!("expected CudaUnavailable, got {other}"),
		Ok(rt) => panic!("CUDA accepted on a machine without it: {rt:?}"),
	}
}

#[test]
fn missing_ort_library_is_a_typed_error() {
	let config = RuntimeConfig {
		dylib_path: Some("/nonexistent/libonnxruntime.so".into()),
		..Default::default()
	};
	let err = Runtime::new(&config).unwrap_err();
	assert!(matches!(err, WorkerError::OrtLibraryMissing { .. }), "{err}");
	assert!(err.to_string().contains("/nonexistent/libonnxruntime.so"));
}

#[test]
fn model_hash_is_blake2b_256_of_the_file_bytes() {
	let store = common::store("tiny-decoder");
	let entry = store.entries()[0];
	let bytes = std::fs::read(&entry.path).unwrap();
	assert_eq!(entry.hash, ModelHash::of_bytes(&bytes));
	// Computed independently by Python's hashlib.blake2b(digest_size=32).
	let python =
		common::reference("tiny_decoder.json")["model_blake2b_256"].as_str().unwrap().to_string();
	assert_eq!(entry.hash.to_hex(), python);
	assert_eq!(entry.size, bytes.len() as u64);
}

#[test]
fn unknown_hash_is_a_typed_error() {
	let store = common::store("tiny-decoder");
	let unknown = ModelHash::of_bytes(b"no such model");
	let err = store.get(&unknown).unwrap_err();
	assert!(matches!(err, WorkerError::UnknownModel { .. }), "{err}");
	assert!(err.to_string().contains(&unknown.to_hex()));
}

#[test]
fn sessions_load_lazily_and_are_cached() {
	let store = common::store("minilm");
	let entry = store.entries()[0].clone();
	assert!(entry.tokenizer.is_some() && entry.tokenizer_hash.is_some());
	let (first, info1) = store.get(&entry.hash).unwrap();
	assert!(!info1.cached);
	assert!(info1.load_time.as_nanos() > 0);
	let (second, info2) = store.get(&entry.hash).unwrap();
	assert!(info2.cached);
	assert_eq!(info2.load_time, info1.load_time);
	assert!(std::sync::Arc::ptr_eq(&first, &second));
	println!("MiniLM load time: {:?}", info1.load_time);
	assert!(store.unload(&entry.hash));
	assert!(!store.get(&entry.hash).unwrap().1.cached);
}

#[test]
fn corrupt_or_changed_models_are_typed_errors() {
	let dir = common::temp_dir("corrupt");
	let garbage = b"this is not an ONNX protobuf \x00\x01\x02".repeat(10);
	std::fs::write(dir.join("broken.onnx"), &garbage).unwrap();
	std::fs::write(dir.join("empty.onnx"), b"").unwrap();
	let tiny = common::assets().join("models/tiny-decoder/model.onnx");
	std::fs::copy(&tiny, dir.join("tiny.onnx")).unwrap();
	let store = ModelStore::open(common::runtime(), &dir).unwrap();
	assert_eq!(store.entries().len(), 3);

	for bytes in [&garbage[..], b""] {
		let err = store.get(&ModelHash::of_bytes(bytes)).unwrap_err();
		assert!(matches!(err, WorkerError::InvalidModel { .. }), "{err}");
		assert!(err.to_string().contains("not a valid ONNX model"), "{err}");
	}

	// Replace the tiny model after the scan: loading it under the old hash must fail.
	let tiny_hash = ModelHash::of_file(&tiny, None).unwrap();
	std::fs::write(dir.join("tiny.onnx"), b"swapped").unwrap();
	let err = store.get(&tiny_hash).unwrap_err();
	assert!(err.to_string().contains("file changed since the scan"), "{err}");

	assert!(matches!(
		ModelStore::open(common::runtime(), dir.join("nope")),
		Err(WorkerError::ModelDirMissing { .. })
	));
	std::fs::remove_dir_all(&dir).unwrap();
}
