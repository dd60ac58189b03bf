//! Text generation on the tiny decoder against Python onnxruntime (reference/tiny_decoder.json).

mod common;

use cxmpute_worker::{
	inference::{
		generate, generate_batch,
		generation::{first_step_logits, DecoderSignature},
		run_tensors, FinishReason, GenerationRequest, NamedTensor, Prompt, Sampling, TensorData,
	},
	WorkerError,
};

fn cases() -> Vec<(Vec<u32>, Vec<u32>, Vec<f32>)> {
	common::reference("tiny_decoder.json")["cases"]
		.as_array()
		.unwrap()
		.iter()
		.map(|c| {
			(
				common::u32s(&c["prompt"]),
				common::u32s(&c["greedy_tokens"]),
				common::f32s(&c["first_step_logits"]),
			)
		})
		.collect()
}

#[test]
fn greedy_tokens_equal_python_with_and_without_cache() {
	let model = common::load("tiny-decoder");
	for (prompt, want, _) in cases() {
		for use_cache in [true, false] {
			let req = GenerationRequest {
				use_cache,
				..GenerationRequest::greedy_tokens(prompt.clone(), want.len() as u32)
			};
			let out = generate(&model, &req).unwrap();
			assert_eq!(out.tokens, want, "prompt {prompt:?}, cache {use_cache}");
			assert_eq!(out.finish_reason, FinishReason::Length);
			assert_eq!(out.usage.input_tokens, prompt.len() as u64);
			assert_eq!(out.usage.output_tokens, want.len() as u64);
			assert_eq!(out.text, None);
		}
	}
}

#[test]
fn first_step_logits_equal_python() {
	let model = common::load("tiny-decoder");
	for (prompt, _, want) in cases() {
		let got = first_step_logits(&model, &Prompt::Tokens(prompt.clone())).unwrap();
		let d = common::max_abs_diff(&got, &want);
		assert!(d <= 1e-4, "prompt {prompt:?}: max abs logit diff {d}");
	}
}

#[test]
fn raw_tensor_round_trip_on_the_decoder() {
	let model = common::load("tiny-decoder");
	let (prompt, _, want) = cases().remove(0);
	let n = prompt.len() as i64;
	let mut inputs = vec![
		NamedTensor::i64("input_ids", vec![1, n], prompt.iter().map(|&t| i64::from(t)).collect()),
		NamedTensor::i64("attention_mask", vec![1, n], vec![1; n as usize]),
	];
	let sig = {
		let s = model.session.lock().unwrap();
		DecoderSignature::of(&s, "tiny").unwrap()
	};
	for name in &sig.past_inputs {
		inputs.push(NamedTensor::f32(
			name.clone(),
			vec![1, sig.heads as i64, 0, sig.head_dim as i64],
			vec![],
		));
	}
	let out = run_tensors(&model, &inputs, None).unwrap();
	assert_eq!(out.len(), 1 + sig.present_outputs.len());
	let logits = out.iter().find(|t| t.name == "logits").unwrap();
	assert_eq!(logits.shape, vec![1, n, want.len() as i64]);
	let TensorData::F32(data) = &logits.data else { panic!("f32 logits expected") };
	let last = &data[(n as usize - 1) * want.len()..];
	assert!(common::max_abs_diff(last, &want) <= 1e-4);
	let present = out.iter().find(|t| t.name == "present.0.key").unwrap();
	assert_eq!(present.shape, vec![1, sig.heads as i64, n, sig.head_dim as i64]);
	// Outputs survive JSON.
	let back: Vec<NamedTensor> =
		serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
	assert_eq!(back, out);
}

#[test]
fn raw_tensor_inputs_are_checked() {
	let model = common::load("tiny-decoder");
	let ids = NamedTensor::i64("input_ids", vec![1, 2], vec![1, 2]);
	let mask = NamedTensor::i64("attention_mask", vec![1, 2], vec![1, 1]);
	// Missing inputs.
	let err = run_tensors(&model, &[ids.clone(), mask.clone()], None).unwrap_err();
	assert!(err.to_string().contains("needs input \"past_key_values.0.key\""), "{err}");
	// Unknown input name.
	let err =
		run_tensors(&model, &[NamedTensor::f32("bogus", vec![1], vec![0.0])], None).unwrap_err();
	assert!(err.to_string().contains("no input \"bogus\""), "{err}");
	// Wrong dtype.
	let err = run_tensors(&model, &[NamedTensor::f32("input_ids", vec![1, 1], vec![1.0])], None)
		.unwrap_err();
	assert!(err.to_string().contains("the job sent F32"), "{err}");
	// Shape and data disagree.
	let err = run_tensors(&model, &[NamedTensor::i64("input_ids", vec![1, 3], vec![1])], None)
		.unwrap_err();
	assert!(matches!(err, WorkerError::InvalidInput(_)), "{err}");
	// Wrong fixed dimension (heads = 4).
	let bad_past = NamedTensor::f32("past_key_values.0.key", vec![1, 3, 0, 8], vec![]);
	let err = run_tensors(&model, &[bad_past], None).unwrap_err();
	assert!(err.to_string().contains("dimension 1 must be 4"), "{err}");
	// Unknown output name.
	let err = run_tensors(&model, &[], Some(&["nope".to_string()])).unwrap_err();
	assert!(
		err.to_string().contains("needs input") || err.to_string().contains("no output"),
		"{err}"
	);
}

#[test]
fn top_p_is_deterministic_per_seed_and_cache_independent() {
	let model = common::load("tiny-decoder");
	let run = |seed: u64, use_cache: bool| {
		let req = GenerationRequest {
			prompt: Prompt::Tokens(vec![1, 7, 19, 3]),
			max_new_tokens: 24,
			sampling: Sampling::TopP { p: 0.9, temperature: 1.5, seed },
			stop_tokens: vec![],
			use_cache,
			max_prompt_tokens: None,
		};
		generate(&model, &req).unwrap().tokens
	};
	let a = run(42, true);
	assert_eq!(a, run(42, true), "same seed, same tokens");
	assert_eq!(a, run(42, false), "the KV cache does not change sampling");
	let others: Vec<_> = (0..5).map(|s| run(1000 + s, true)).collect();
	assert!(others.iter().any(|o| o != &a), "different seeds should differ somewhere");
	let greedy = cases().remove(0).1;
	assert!(others.iter().chain([&a]).any(|o| o[..] != greedy[..24.min(greedy.len())]));
}

#[test]
fn a_batch_gives_each_request_what_it_gets_alone() {
	let model = common::load("tiny-decoder");
	let cases = cases();
	let top_p = GenerationRequest {
		sampling: Sampling::TopP { p: 0.9, temperature: 1.5, seed: 42 },
		..GenerationRequest::greedy_tokens(vec![1, 7, 19, 3], 12)
	};
	let stop = cases[2].1[4];
	let mut reqs = vec![
		GenerationRequest::greedy_tokens(cases[0].0.clone(), 16),
		// A bad request in the middle fails alone.
		GenerationRequest::greedy_tokens(vec![1, 999], 4),
		// Shorter budget, shortest prompt (most left padding).
		GenerationRequest::greedy_tokens(cases[1].0.clone(), 5),
		GenerationRequest {
			stop_tokens: vec![stop],
			..GenerationRequest::greedy_tokens(cases[2].0.clone(), 16)
		},
		top_p.clone(),
	];
	let alone: Vec<_> = reqs.iter().map(|r| generate(&model, r)).collect();
	for use_cache in [true, false] {
		for r in &mut reqs {
			r.use_cache = use_cache;
		}
		let batched = generate_batch(&model, &reqs).unwrap();
		assert_eq!(batched.len(), reqs.len());
		assert!(batched[1].as_ref().unwrap_err().to_string().contains("vocabulary"));
		for i in [0, 2, 3, 4] {
			let (b, a) = (batched[i].as_ref().unwrap(), alone[i].as_ref().unwrap());
			assert_eq!(b.tokens, a.tokens, "request {i}, cache {use_cache}");
			assert_eq!(b.usage, a.usage, "request {i}");
			assert_eq!(b.finish_reason, a.finish_reason, "request {i}");
		}
	}
	// And against Python: the greedy rows are the reference tokens.
	let batched = generate_batch(&model, &reqs).unwrap();
	assert_eq!(batched[0].as_ref().unwrap().tokens, cases[0].1);
	assert_eq!(batched[2].as_ref().unwrap().tokens, cases[1].1[..5]);
	let first = cases[2].1.iter().position(|&t| t == stop).unwrap();
	assert_eq!(batched[3].as_ref().unwrap().tokens, cases[2].1[..=first]);
	assert_eq!(batched[3].as_ref().unwrap().finish_reason, FinishReason::Stop);
}

#[test]
fn prompt_budget_is_enforced() {
	let model = common::load("tiny-decoder");
	let req = GenerationRequest {
		max_prompt_tokens: Some(3),
		..GenerationRequest::greedy_tokens(vec![1, 2, 3, 4], 2)
	};
	let err = generate(&model, &req).unwrap_err();
	assert!(err.to_string().contains("the prompt has 4 tokens; at most 3"), "{err}");
	let ok = GenerationRequest { max_prompt_tokens: Some(4), ..req };
	assert_eq!(generate(&model, &ok).unwrap().usage.input_tokens, 4);
}

#[test]
fn stop_token_ends_generation_and_is_counted() {
	let model = common::load("tiny-decoder");
	let (prompt, greedy, _) = cases().remove(0);
	let stop = greedy[3];
	let first = greedy.iter().position(|&t| t == stop).unwrap();
	let req = GenerationRequest {
		stop_tokens: vec![stop],
		..GenerationRequest::greedy_tokens(prompt, 16)
	};
	let out = generate(&model, &req).unwrap();
	assert_eq!(out.tokens, greedy[..=first]);
	assert_eq!(out.finish_reason, FinishReason::Stop);
	assert_eq!(out.usage.output_tokens, first as u64 + 1);
}

#[test]
fn bad_generation_requests_are_errors() {
	let model = common::load("tiny-decoder");
	let check = |req: GenerationRequest, needle: &str| {
		let err = generate(&model, &req).unwrap_err();
		assert!(err.to_string().contains(needle), "expected {needle:?} in {err}");
	};
	check(GenerationRequest::greedy_tokens(vec![], 4), "no tokens");
	check(GenerationRequest::greedy_tokens(vec![1, 48], 4), "outside the model's vocabulary of 48");
	check(GenerationRequest::greedy_tokens(vec![1], 0), "max_new_tokens");
	check(
		GenerationRequest {
			sampling: Sampling::TopP { p: 1.5, temperature: 1.0, seed: 0 },
			..GenerationRequest::greedy_tokens(vec![1], 4)
		},
		"top_p",
	);
	check(
		GenerationRequest {
			prompt: Prompt::Text("hi".into()),
			..GenerationRequest::greedy_tokens(vec![], 4)
		},
		"tokenizer.json",
	);
	// An encoder is not a decoder.
	let minilm = common::load("minilm");
	let err = generate(&minilm, &GenerationRequest::greedy_tokens(vec![101], 2)).unwrap_err();
	assert!(matches!(err, WorkerError::ModelSignature { .. }), "{err}");
}

/// The tiny decoder with a word-level tokenizer written next to it (`w0` … `w47`), in a fresh
/// directory: the text side of generation (prompt tokenized, output decoded).
fn decoder_with_tokenizer(
) -> (std::path::PathBuf, std::sync::Arc<cxmpute_worker::model_store::LoadedModel>) {
	let dir = std::env::temp_dir().join(format!("cxw-tok-decoder-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	std::fs::copy(common::assets().join("models/tiny-decoder/model.onnx"), dir.join("model.onnx"))
		.unwrap();
	let vocab: serde_json::Map<String, serde_json::Value> =
		(0..48).map(|i| (format!("w{i}"), serde_json::json!(i))).collect();
	let tokenizer = serde_json::json!({
		"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
		"normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null,
		"decoder": null, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "w0"}
	});
	std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
	let store = cxmpute_worker::model_store::ModelStore::open(common::runtime(), &dir).unwrap();
	let hash = store.entries()[0].hash;
	(dir, store.get(&hash).unwrap().0)
}

#[test]
fn text_prompts_are_tokenized_and_outputs_decoded() {
	let (dir, model) = decoder_with_tokenizer();
	let (prompt, want, _) = cases().remove(0);
	let text: Vec<String> = prompt.iter().map(|t| format!("w{t}")).collect();
	let req = GenerationRequest {
		prompt: Prompt::Text(text.join(" ")),
		..GenerationRequest::greedy_tokens(vec![], want.len() as u32)
	};
	let out = generate(&model, &req).unwrap();
	assert_eq!(out.tokens, want, "the text prompt gives the token prompt's tokens");
	assert_eq!(out.usage.input_tokens, prompt.len() as u64);
	let words: Vec<String> = want.iter().map(|t| format!("w{t}")).collect();
	assert_eq!(out.text.as_deref(), Some(words.join(" ").as_str()));
	// The same text in a batch with a token prompt.
	let batch = generate_batch(&model, &[req, GenerationRequest::greedy_tokens(prompt.clone(), 4)])
		.unwrap();
	assert_eq!(batch[0].as_ref().unwrap().tokens, want);
	assert_eq!(batch[1].as_ref().unwrap().tokens, want[..4]);
	std::fs::remove_dir_all(dir).unwrap();
}
