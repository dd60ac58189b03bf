//! Text embeddings: tokenizer + encoder model + mean pooling + L2 normalisation.
//!
//! This is the sentence-transformers recipe (all-MiniLM-L6-v2 and friends): average the token
//! vectors of `last_hidden_state` where the attention mask is 1, then scale to unit length.
//! Several requests for the same model run as one batch (padded to the longest text), which is
//! how the caller shares one session turn between concurrent jobs.

use ort::value::{DynValue, Tensor};
use serde::{Deserialize, Serialize};
use tokenizers::Encoding;

use crate::{
	error::{Result, WorkerError},
	model_store::LoadedModel,
};

/// Most texts sent through the model in one session run; bigger batches are split.
/// Bounds memory (batch x tokens x hidden floats) whatever the callers send.
pub const MAX_BATCH_TEXTS: usize = 64;

const PIPELINE: &str = "embeddings";

/// One embedding job: a list of texts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbeddingRequest {
	/// Texts to embed.
	pub texts: Vec<String>,
}

/// Token usage, counted exactly as the model saw the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddingUsage {
	/// Non-padding tokens fed to the model (special tokens included, truncated tokens excluded).
	pub input_tokens: u64,
}

/// Result of one [`EmbeddingRequest`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbeddingResponse {
	/// One unit-length vector per text, in request order.
	pub embeddings: Vec<Vec<f32>>,
	/// Tokens used.
	pub usage: EmbeddingUsage,
	/// Per text: true when the tokenizer cut it to the model's maximum length.
	pub truncated: Vec<bool>,
}

/// Which model output holds the vectors.
enum OutputKind {
	/// `[batch, tokens, hidden]`: mean-pool with the mask.
	TokenStates(String),
	/// `[batch, hidden]`: already pooled (models exported with pooling); only normalise.
	Pooled(String),
}

/// How to feed a model, worked out from its declared inputs and outputs.
struct Signature {
	token_type_ids: bool,
	output: OutputKind,
}

fn signature(model: &LoadedModel, session: &ort::session::Session) -> Result<Signature> {
	let err = |reason: String| WorkerError::ModelSignature {
		model: model.entry.hash.to_hex(),
		pipeline: PIPELINE,
		reason,
	};
	let has_input = |n: &str| session.inputs().iter().any(|i| i.name() == n);
	for needed in ["input_ids", "attention_mask"] {
		if !has_input(needed) {
			return Err(err(format!("no {needed:?} input")));
		}
	}
	let token_type_ids = has_input("token_type_ids");
	if let Some(extra) = session
		.inputs()
		.iter()
		.find(|i| !["input_ids", "attention_mask", "token_type_ids"].contains(&i.name()))
	{
		return Err(err(format!("unexpected input {:?}", extra.name())));
	}
	let rank = |o: &ort::value::Outlet| o.dtype().tensor_shape().map(|s| s.len());
	let outputs = session.outputs();
	let output = if let Some(o) = outputs.iter().find(|o| o.name() == "last_hidden_state") {
		OutputKind::TokenStates(o.name().to_string())
	} else if let Some(o) = outputs.iter().find(|o| rank(o) == Some(3)) {
		OutputKind::TokenStates(o.name().to_string())
	} else if let Some(o) = outputs.iter().find(|o| rank(o) == Some(2)) {
		OutputKind::Pooled(o.name().to_string())
	} else {
		return Err(err("no [batch, tokens, hidden] or [batch, hidden] output".into()));
	};
	Ok(Signature { token_type_ids, output })
}

/// Embeds the texts of one request.
///
/// # Errors
/// See [`embed_batch`].
pub fn embed(model: &LoadedModel, texts: &[String]) -> Result<EmbeddingResponse> {
	let req = EmbeddingRequest { texts: texts.to_vec() };
	Ok(embed_batch(model, std::slice::from_ref(&req))?.remove(0))
}

/// Embeds several requests for the same model together, returning one response per request.
///
/// All texts go through the model in as few runs as possible (up to [`MAX_BATCH_TEXTS`] each),
/// padded to the longest text of the run. Padding is masked out, so results match running each
/// text alone up to float rounding.
///
/// # Errors
/// No texts at all, a model without tokenizer or with an unexpected signature, tokenizer or
/// ONNX Runtime failures.
pub fn embed_batch(
	model: &LoadedModel,
	requests: &[EmbeddingRequest],
) -> Result<Vec<EmbeddingResponse>> {
	if requests.is_empty() || requests.iter().any(|r| r.texts.is_empty()) {
		return Err(WorkerError::InvalidInput(
			"an embedding request needs at least one text".into(),
		));
	}
	let tokenizer = model.require_tokenizer(PIPELINE)?;
	let texts: Vec<&str> =
		requests.iter().flat_map(|r| r.texts.iter().map(String::as_str)).collect();
	let encodings = tokenizer.encode_batch(texts, true).map_err(|e| WorkerError::Tokenizer {
		path: model.entry.tokenizer.clone().unwrap_or_default(),
		reason: format!("encoding failed: {e}"),
	})?;
	let pad_id = tokenizer_pad_id(model);

	let mut vectors = Vec::with_capacity(encodings.len());
	{
		let mut session = model.session.lock().unwrap_or_else(|p| p.into_inner());
		let sig = signature(model, &session)?;
		for chunk in encodings.chunks(MAX_BATCH_TEXTS) {
			vectors.extend(run_chunk(model, &mut session, &sig, chunk, pad_id)?);
		}
	}

	let mut out = Vec::with_capacity(requests.len());
	let mut vectors = vectors.into_iter();
	let mut encodings = encodings.iter();
	for r in requests {
		let n = r.texts.len();
		let encs: Vec<&Encoding> = encodings.by_ref().take(n).collect();
		out.push(EmbeddingResponse {
			embeddings: vectors.by_ref().take(n).collect(),
			usage: EmbeddingUsage { input_tokens: encs.iter().map(|e| token_count(e)).sum() },
			truncated: encs.iter().map(|e| !e.get_overflowing().is_empty()).collect(),
		});
	}
	Ok(out)
}

/// Non-padding tokens of one encoding (the tokenizer's own padding is off, but count the mask
/// anyway so a tokenizer that pads still reports exact usage).
fn token_count(e: &Encoding) -> u64 {
	e.get_attention_mask().iter().filter(|&&m| m != 0).count() as u64
}

/// Padding id: the tokenizer's `[PAD]` or `<pad>` token, else 0 (padded positions are masked
/// out, so the id only has to be a valid token).
fn tokenizer_pad_id(model: &LoadedModel) -> i64 {
	model
		.tokenizer
		.as_ref()
		.and_then(|t| t.token_to_id("[PAD]").or_else(|| t.token_to_id("<pad>")))
		.map(i64::from)
		.unwrap_or(0)
}

/// One session run over a chunk of encodings; returns one normalised vector per encoding.
fn run_chunk(
	model: &LoadedModel,
	session: &mut ort::session::Session,
	sig: &Signature,
	encodings: &[Encoding],
	pad_id: i64,
) -> Result<Vec<Vec<f32>>> {
	let batch = encodings.len();
	let seq = encodings.iter().map(|e| e.len()).max().unwrap_or(0).max(1);
	let mut ids = vec![pad_id; batch * seq];
	let mut mask = vec![0i64; batch * seq];
	let mut types = vec![0i64; batch * seq];
	for (b, e) in encodings.iter().enumerate() {
		let row = b * seq;
		for (t, ((&id, &m), &ty)) in
			e.get_ids().iter().zip(e.get_attention_mask()).zip(e.get_type_ids()).enumerate()
		{
			ids[row + t] = i64::from(id);
			mask[row + t] = i64::from(m);
			types[row + t] = i64::from(ty);
		}
	}
	let name = model.short_name();
	let tensor = |v: Vec<i64>| -> Result<DynValue> {
		Ok(Tensor::from_array(([batch, seq], v))
			.map_err(|e| WorkerError::ort("creating embedding inputs", e))?
			.into_dyn())
	};
	let mut inputs: Vec<(&str, DynValue)> =
		vec![("input_ids", tensor(ids)?), ("attention_mask", tensor(mask.clone())?)];
	if sig.token_type_ids {
		inputs.push(("token_type_ids", tensor(types)?));
	}
	let outputs =
		session.run(inputs).map_err(|e| WorkerError::ort(format!("running model {name}"), e))?;
	let (out_name, pooled) = match &sig.output {
		OutputKind::TokenStates(n) => (n, false),
		OutputKind::Pooled(n) => (n, true),
	};
	let value = outputs.get(out_name.as_str()).ok_or_else(|| WorkerError::Ort {
		context: format!("running model {name}"),
		reason: format!("output {out_name:?} missing"),
	})?;
	let (shape, data) = value
		.try_extract_tensor::<f32>()
		.map_err(|e| WorkerError::ort(format!("reading output {out_name:?} as f32"), e))?;
	let bad_shape = || WorkerError::ModelSignature {
		model: model.entry.hash.to_hex(),
		pipeline: PIPELINE,
		reason: format!(
			"output {out_name:?} has shape {:?} for a batch of {batch} x {seq} tokens",
			&shape[..]
		),
	};
	let mut vectors = Vec::with_capacity(batch);
	if pooled {
		if shape.len() != 2 || shape[0] as usize != batch {
			return Err(bad_shape());
		}
		let hidden = shape[1] as usize;
		for b in 0..batch {
			vectors.push(l2_normalise(data[b * hidden..(b + 1) * hidden].to_vec()));
		}
	} else {
		if shape.len() != 3 || shape[0] as usize != batch || shape[1] as usize != seq {
			return Err(bad_shape());
		}
		let hidden = shape[2] as usize;
		for b in 0..batch {
			vectors.push(l2_normalise(mean_pool(
				&data[b * seq * hidden..(b + 1) * seq * hidden],
				&mask[b * seq..(b + 1) * seq],
				hidden,
			)));
		}
	}
	Ok(vectors)
}

/// Mean of the token vectors whose mask is non-zero (`states` is `[tokens, hidden]`).
///
/// Sums in f64 so the result does not depend on summation order beyond f32 rounding.
pub fn mean_pool(states: &[f32], mask: &[i64], hidden: usize) -> Vec<f32> {
	let mut sum = vec![0f64; hidden];
	let mut count = 0f64;
	for (t, &m) in mask.iter().enumerate() {
		if m == 0 {
			continue;
		}
		count += 1.0;
		for (s, &x) in sum.iter_mut().zip(&states[t * hidden..(t + 1) * hidden]) {
			*s += f64::from(x);
		}
	}
	// Same guard as sentence-transformers (clamp the count at 1e-9): an all-masked row stays 0.
	let count = count.max(1e-9);
	sum.into_iter().map(|s| (s / count) as f32).collect()
}

/// Scales a vector to unit L2 length (zero vectors stay zero).
pub fn l2_normalise(mut v: Vec<f32>) -> Vec<f32> {
	let norm = v.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt().max(1e-12);
	for x in &mut v {
		*x = (f64::from(*x) / norm) as f32;
	}
	v
}

/// Cosine similarity of two vectors (1 for identical directions).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
	let dot: f64 = a.iter().zip(b).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum();
	let na: f64 = a.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
	let nb: f64 = b.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
	(dot / (na * nb).max(1e-24)) as f32
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn mean_pool_ignores_masked_tokens() {
		let states = [1.0, 2.0, 3.0, 4.0, 100.0, 100.0];
		assert_eq!(mean_pool(&states, &[1, 1, 0], 2), vec![2.0, 3.0]);
		assert_eq!(mean_pool(&states, &[0, 0, 0], 2), vec![0.0, 0.0]);
	}

	#[test]
	fn normalise_gives_unit_length() {
		let v = l2_normalise(vec![3.0, 4.0]);
		assert!((v[0] - 0.6).abs() < 1e-7 && (v[1] - 0.8).abs() < 1e-7);
		assert_eq!(l2_normalise(vec![0.0, 0.0]), vec![0.0, 0.0]);
		assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-7);
	}
}
