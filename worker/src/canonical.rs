//! Canonical output forms and the output hash the chain compares.
//!
//! Runs of the same job on different providers must produce equal 32-byte hashes
//! (`matching` compares them exactly). Floating-point results differ in the last bits across
//! hardware, so they are hashed in a quantised form (shared/notes/verification.md, scheme (a)):
//!
//! - **Embeddings**: each L2-normalised vector is quantised to int8 `q = round(127·v)` (clamped
//!   to ±127). `output_hash = blake2_256("cxmpute:emb:q8:v1" ‖ job (u64 LE) ‖ n (u32 LE) ‖
//!   dim (u32 LE) ‖ q of all vectors as i8)`.
//! - **Text generation**: the generated token ids; text is derived from them, so it is not
//!   hashed. `output_hash = blake2_256("cxmpute:gen:v1" ‖ job (u64 LE) ‖ n (u32 LE) ‖ token
//!   ids (u32 LE each))`. Greedy decoding and seeded top-p sampling replay exactly on machines
//!   whose logits agree in the chosen token.
//! - **Everything else** (container output, raw bytes): `output_hash =
//!   blake2_256("cxmpute:raw:v1" ‖ job (u64 LE) ‖ output bytes)`.
//!
//! The job id binds a hash to its job, so one job's answer cannot be replayed for another.
//! The output bytes themselves (inline or served) are [`embeddings_output`]'s JSON for
//! embeddings and [`GenerationOutputDoc`] for generation, from which anyone can recompute the
//! hash with [`embeddings_hash`] or [`generation_hash`].

use serde::{Deserialize, Serialize};

/// blake2b-256, as Substrate's `blake2_256`.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	use blake2::{digest::consts::U32, Blake2b, Digest};
	Blake2b::<U32>::digest(data).into()
}

/// int8 quantisation of one value: `round(127·v)` clamped to [-127, 127]; NaN → 0.
pub fn quantise_q8(v: f32) -> i8 {
	if v.is_nan() {
		return 0;
	}
	(127.0f64 * v as f64).round().clamp(-127.0, 127.0) as i8
}

/// The output hash of an embeddings job (see the module docs).
pub fn embeddings_hash(job: u64, vectors: &[Vec<f32>]) -> [u8; 32] {
	let dim = vectors.first().map_or(0, |v| v.len());
	let mut data = Vec::with_capacity(32 + vectors.len() * dim);
	data.extend_from_slice(b"cxmpute:emb:q8:v1");
	data.extend_from_slice(&job.to_le_bytes());
	data.extend_from_slice(&(vectors.len() as u32).to_le_bytes());
	data.extend_from_slice(&(dim as u32).to_le_bytes());
	for v in vectors {
		data.extend(v.iter().map(|x| quantise_q8(*x) as u8));
	}
	blake2_256(&data)
}

/// The output hash of a text generation job (see the module docs).
pub fn generation_hash(job: u64, tokens: &[u32]) -> [u8; 32] {
	let mut data = Vec::with_capacity(26 + 4 * tokens.len());
	data.extend_from_slice(b"cxmpute:gen:v1");
	data.extend_from_slice(&job.to_le_bytes());
	data.extend_from_slice(&(tokens.len() as u32).to_le_bytes());
	for t in tokens {
		data.extend_from_slice(&t.to_le_bytes());
	}
	blake2_256(&data)
}

/// The output hash of any other job (see the module docs).
pub fn raw_hash(job: u64, output: &[u8]) -> [u8; 32] {
	let mut data = Vec::with_capacity(24 + output.len());
	data.extend_from_slice(b"cxmpute:raw:v1");
	data.extend_from_slice(&job.to_le_bytes());
	data.extend_from_slice(output);
	blake2_256(&data)
}

/// The output document of an embeddings job.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct EmbeddingsOutput {
	/// Model hash (hex).
	pub model: String,
	/// Vector length.
	pub dim: u32,
	/// One L2-normalised vector per input text (f32, shortest round-trip decimal form).
	pub embeddings: Vec<Vec<f32>>,
	/// Input tokens counted (the billed usage).
	pub input_tokens: u64,
}

/// Serialises an embeddings output (compact JSON; f32 values round-trip exactly).
pub fn embeddings_output(model: &str, vectors: Vec<Vec<f32>>, input_tokens: u64) -> Vec<u8> {
	let doc = EmbeddingsOutput {
		model: model.into(),
		dim: vectors.first().map_or(0, |v| v.len() as u32),
		embeddings: vectors,
		input_tokens,
	};
	serde_json::to_vec(&doc).expect("embeddings serialise")
}

/// The output document of a text generation (`Inference`) job.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct GenerationOutputDoc {
	/// Model hash (hex).
	pub model: String,
	/// Generated token ids (what the hash covers).
	pub tokens: Vec<u32>,
	/// Their text, special tokens skipped, when the model has a tokenizer.
	pub text: Option<String>,
	/// `stop` (a stop token was generated) or `length` (the token budget ran out).
	pub finish_reason: crate::inference::FinishReason,
	/// Prompt tokens (billed at half the output price).
	pub input_tokens: u64,
	/// Generated tokens, the stop token included.
	pub output_tokens: u64,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn quantisation() {
		assert_eq!(quantise_q8(1.0), 127);
		assert_eq!(quantise_q8(-1.0), -127);
		assert_eq!(quantise_q8(2.0), 127);
		assert_eq!(quantise_q8(0.5), 64); // 63.5 rounds away from zero
		assert_eq!(quantise_q8(-0.5), -64);
		assert_eq!(quantise_q8(f32::NAN), 0);
	}

	#[test]
	fn tiny_drift_keeps_the_hash_and_jobs_are_bound() {
		let a = vec![vec![0.1f32, -0.7, 0.7], vec![0.0, 1.0, 0.0]];
		let b: Vec<Vec<f32>> = a.iter().map(|v| v.iter().map(|x| x + 1e-6).collect()).collect();
		assert_eq!(embeddings_hash(1, &a), embeddings_hash(1, &b));
		assert_ne!(embeddings_hash(1, &a), embeddings_hash(2, &a));
		let c = vec![vec![0.1f32, -0.7, 0.6], vec![0.0, 1.0, 0.0]];
		assert_ne!(embeddings_hash(1, &a), embeddings_hash(1, &c));
	}

	#[test]
	fn output_round_trips_to_the_same_hash() {
		let v = vec![vec![0.123_456_79f32, -0.987_654_3, 1e-8]];
		let bytes = embeddings_output("ab", v.clone(), 3);
		let back: EmbeddingsOutput = serde_json::from_slice(&bytes).unwrap();
		assert_eq!(back.embeddings, v);
		assert_eq!(embeddings_hash(9, &back.embeddings), embeddings_hash(9, &v));
	}

	#[test]
	fn generation_hash_is_blake2_of_the_tagged_tokens() {
		let mut d = b"cxmpute:gen:v1".to_vec();
		d.extend_from_slice(&7u64.to_le_bytes());
		d.extend_from_slice(&2u32.to_le_bytes());
		d.extend_from_slice(&300u32.to_le_bytes());
		d.extend_from_slice(&1u32.to_le_bytes());
		assert_eq!(generation_hash(7, &[300, 1]), blake2_256(&d));
		assert_ne!(generation_hash(7, &[300, 1]), generation_hash(8, &[300, 1]));
		assert_ne!(generation_hash(7, &[300, 1]), generation_hash(7, &[1, 300]));
	}

	#[test]
	fn generation_document_names_the_finish_reason() {
		let doc = GenerationOutputDoc {
			model: "ab".into(),
			tokens: vec![3, 1],
			text: None,
			finish_reason: crate::inference::FinishReason::Length,
			input_tokens: 4,
			output_tokens: 2,
		};
		let json = serde_json::to_string(&doc).unwrap();
		assert_eq!(
			json,
			r#"{"model":"ab","tokens":[3,1],"text":null,"finish_reason":"length","input_tokens":4,"output_tokens":2}"#
		);
	}

	#[test]
	fn raw_hash_is_blake2_of_the_tagged_bytes() {
		let mut d = b"cxmpute:raw:v1".to_vec();
		d.extend_from_slice(&5u64.to_le_bytes());
		d.extend_from_slice(b"hi");
		assert_eq!(raw_hash(5, b"hi"), blake2_256(&d));
		// blake2b-256 of "" (known vector).
		assert_eq!(
			hex::encode(blake2_256(b"")),
			"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
		);
	}
}
