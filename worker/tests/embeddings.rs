//! Text embeddings against Python onnxruntime's reference (reference/embeddings.json).

mod common;

use cxmpute_worker::{
	inference::{
		embed, embed_batch,
		embeddings::{cosine, l2_normalise, mean_pool},
		run_tensors, EmbeddingRequest, NamedTensor, TensorData,
	},
	WorkerError,
};

/// Max absolute difference allowed per component against Python onnxruntime (same library,
/// same model; observed differences are ~1e-7, from pooling order).
const TOLERANCE: f32 = 1e-5;

fn sentences() -> Vec<String> {
	common::reference("embeddings.json")["sentences"]
		.as_array()
		.unwrap()
		.iter()
		.map(|s| s.as_str().unwrap().to_string())
		.collect()
}

#[test]
fn batch_embeddings_match_python_reference() {
	let reference = common::reference("embeddings.json");
	let model = common::load("minilm");
	let texts = sentences();
	let out = embed(&model, &texts).unwrap();
	assert_eq!(out.embeddings.len(), texts.len());
	let mut worst = 0f32;
	for (i, (got, want)) in
		out.embeddings.iter().zip(reference["batch_embeddings"].as_array().unwrap()).enumerate()
	{
		assert_eq!(got.len(), 384);
		let d = common::max_abs_diff(got, &common::f32s(want));
		assert!(d <= TOLERANCE, "sentence {i}: max abs diff {d} > {TOLERANCE}");
		worst = worst.max(d);
		let norm: f32 = got.iter().map(|x| x * x).sum::<f32>().sqrt();
		assert!((norm - 1.0).abs() < 1e-5, "sentence {i} not unit length: {norm}");
	}
	println!("max abs diff vs Python (batch): {worst:e}");
	let counts: Vec<u64> =
		reference["token_counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
	assert_eq!(out.usage.input_tokens, counts.iter().sum::<u64>());
	assert_eq!(out.truncated, vec![false; texts.len()]);
}

#[test]
fn single_embeddings_match_python_and_batched_requests_split_back() {
	let reference = common::reference("embeddings.json");
	let model = common::load("minilm");
	let texts = sentences();
	let counts: Vec<u64> =
		reference["token_counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
	let singles = reference["single_embeddings"].as_array().unwrap();
	// Three "concurrent" requests of different sizes batched into one run.
	let requests = vec![
		EmbeddingRequest { texts: texts[0..2].to_vec() },
		EmbeddingRequest { texts: texts[2..3].to_vec() },
		EmbeddingRequest { texts: texts[3..].to_vec() },
	];
	let out = embed_batch(&model, &requests).unwrap();
	assert_eq!(out.len(), 3);
	let mut i = 0;
	for (r, resp) in requests.iter().zip(&out) {
		assert_eq!(resp.embeddings.len(), r.texts.len());
		assert_eq!(resp.usage.input_tokens, counts[i..i + r.texts.len()].iter().sum::<u64>());
		for got in &resp.embeddings {
			let d = common::max_abs_diff(got, &common::f32s(&singles[i]));
			assert!(d <= TOLERANCE, "sentence {i}: max abs diff {d} vs single-text reference");
			i += 1;
		}
	}
	// Alone, each text gives the same vector.
	for (i, t) in texts.iter().enumerate() {
		let alone = embed(&model, std::slice::from_ref(t)).unwrap();
		assert_eq!(alone.usage.input_tokens, counts[i]);
		assert!(
			common::max_abs_diff(&alone.embeddings[0], &common::f32s(&singles[i])) <= TOLERANCE
		);
	}
}

#[test]
fn tokenization_matches_python() {
	let reference = common::reference("embeddings.json");
	let model = common::load("minilm");
	let tok = model.tokenizer.as_ref().unwrap();
	for (text, ids) in sentences().iter().zip(reference["input_ids"].as_array().unwrap()) {
		assert_eq!(
			tok.encode(text.as_str(), true).unwrap().get_ids(),
			common::u32s(ids).as_slice(),
			"{text}"
		);
	}
}

#[test]
fn paraphrase_is_closer_than_unrelated_sentence() {
	let model = common::load("minilm");
	let texts = sentences();
	let e = embed(&model, &texts[..3]).unwrap().embeddings;
	let para = cosine(&e[0], &e[1]);
	let unrelated = cosine(&e[0], &e[2]);
	println!("cos(paraphrase) = {para:.4}, cos(unrelated) = {unrelated:.4}");
	assert!(para > unrelated + 0.2, "paraphrase {para} vs unrelated {unrelated}");
}

#[test]
fn raw_tensor_round_trip_on_minilm() {
	// The same job as raw tensors: ids from the Python tokenizer, pooled here, equals the reference.
	let reference = common::reference("embeddings.json");
	let model = common::load("minilm");
	let ids: Vec<i64> =
		common::u32s(&reference["input_ids"][0]).into_iter().map(i64::from).collect();
	let n = ids.len() as i64;
	let inputs = vec![
		NamedTensor::i64("input_ids", vec![1, n], ids),
		NamedTensor::i64("attention_mask", vec![1, n], vec![1; n as usize]),
		NamedTensor::i64("token_type_ids", vec![1, n], vec![0; n as usize]),
	];
	// Through JSON and back, as a job would arrive.
	let inputs: Vec<NamedTensor> =
		serde_json::from_str(&serde_json::to_string(&inputs).unwrap()).unwrap();
	let out = run_tensors(&model, &inputs, Some(&["last_hidden_state".to_string()])).unwrap();
	assert_eq!(out.len(), 1);
	assert_eq!(out[0].shape, vec![1, n, 384]);
	let TensorData::F32(states) = &out[0].data else { panic!("f32 output expected") };
	let v = l2_normalise(mean_pool(states, &vec![1; n as usize], 384));
	let d = common::max_abs_diff(&v, &common::f32s(&reference["single_embeddings"][0]));
	assert!(d <= TOLERANCE, "max abs diff {d}");
}

#[test]
fn bad_embedding_requests_are_errors() {
	let model = common::load("minilm");
	let err = embed(&model, &[]).unwrap_err();
	assert!(matches!(err, WorkerError::InvalidInput(_)), "{err}");
	let err = embed_batch(&model, &[]).unwrap_err();
	assert!(matches!(err, WorkerError::InvalidInput(_)), "{err}");
	// Empty text is fine (just the special tokens).
	assert_eq!(embed(&model, &[String::new()]).unwrap().usage.input_tokens, 2);
	// A model without tokenizer cannot embed text.
	let tiny = common::load("tiny-decoder");
	let err = embed(&tiny, &["x".to_string()]).unwrap_err();
	assert!(matches!(err, WorkerError::ModelSignature { .. }), "{err}");
	assert!(err.to_string().contains("tokenizer.json"), "{err}");
}

#[test]
fn long_text_is_truncated_and_flagged() {
	let model = common::load("minilm");
	let long = "word ".repeat(400);
	let out = embed(&model, &[long, "short".into()]).unwrap();
	assert_eq!(out.truncated, vec![true, false]);
	// 128 tokens max for the long text (tokenizer.json's truncation), 3 for "short".
	assert_eq!(out.usage.input_tokens, 128 + 3);
}
