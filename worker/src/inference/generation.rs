//! Text generation with decoder-only ONNX models and a KV cache.
//!
//! The model follows the Hugging Face / Optimum export convention:
//! inputs `input_ids` `[1, new]`, `attention_mask` `[1, past + new]`, optional `position_ids`,
//! and `past_key_values.{i}.key|value` `[1, heads, past, head_dim]`; outputs `logits`
//! `[1, new, vocab]` and `present.{i}.key|value` `[1, heads, past + new, head_dim]`.
//! The prompt is fed once (prefill), then one token per step with the previous step's
//! `present.*` tensors as `past_key_values.*`.
//!
//! Decoding is greedy (argmax, lowest id on ties) or top-p with temperature, drawing from
//! [`SplitMix64`] seeded by the job, so a given seed gives the same tokens on every machine
//! that computes the same logits.

use ort::{
	session::Session,
	value::{DynValue, Tensor, TensorElementType, ValueType},
};
use serde::{Deserialize, Serialize};

use crate::{
	error::{Result, WorkerError},
	model_store::LoadedModel,
};

const PIPELINE: &str = "generation";

/// Largest `max_new_tokens` accepted; bounds the work one job can ask for.
pub const MAX_NEW_TOKENS_LIMIT: u32 = 16_384;

/// The prompt: text (needs the model's tokenizer) or token ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prompt {
	/// Text, tokenized with the model's `tokenizer.json` (special tokens added).
	Text(String),
	/// Token ids given directly.
	Tokens(Vec<u32>),
}

/// How the next token is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Sampling {
	/// Highest logit; ties go to the lowest token id.
	#[default]
	Greedy,
	/// Nucleus sampling: keep the most likely tokens whose probabilities add up to `p`,
	/// then draw from them with a seeded RNG.
	TopP {
		/// Probability mass kept, in (0, 1].
		p: f32,
		/// Logits are divided by this (> 0); 1.0 leaves them as they are.
		temperature: f32,
		/// RNG seed; the same seed gives the same tokens.
		seed: u64,
	},
}

/// One generation job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenerationRequest {
	/// What to continue.
	pub prompt: Prompt,
	/// Most tokens to generate (the stop token counts as one).
	pub max_new_tokens: u32,
	/// Decoding strategy.
	#[serde(default)]
	pub sampling: Sampling,
	/// Generation ends after any of these tokens (it is included in the output).
	#[serde(default)]
	pub stop_tokens: Vec<u32>,
	/// Use the KV cache (default). Without it every step recomputes the whole sequence, which
	/// is slow but a useful cross-check.
	#[serde(default = "default_true")]
	pub use_cache: bool,
	/// Refuse prompts longer than this many tokens (a job's paid-for input budget).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub max_prompt_tokens: Option<u64>,
}

fn default_true() -> bool {
	true
}

impl GenerationRequest {
	/// A greedy request on token ids, with the cache on.
	pub fn greedy_tokens(prompt: Vec<u32>, max_new_tokens: u32) -> Self {
		Self {
			prompt: Prompt::Tokens(prompt),
			max_new_tokens,
			sampling: Sampling::Greedy,
			stop_tokens: Vec::new(),
			use_cache: true,
			max_prompt_tokens: None,
		}
	}
}

/// Why generation stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
	/// A stop token was generated.
	Stop,
	/// `max_new_tokens` were generated.
	Length,
}

/// Token usage, counted exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerationUsage {
	/// Prompt tokens fed to the model.
	pub input_tokens: u64,
	/// Tokens generated (stop token included).
	pub output_tokens: u64,
}

/// Result of a [`GenerationRequest`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenerationOutput {
	/// Generated token ids.
	pub tokens: Vec<u32>,
	/// Decoded text (special tokens skipped) when the model has a tokenizer.
	pub text: Option<String>,
	/// Why it stopped.
	pub finish_reason: FinishReason,
	/// Tokens used.
	pub usage: GenerationUsage,
}

/// Deterministic RNG for sampling: SplitMix64 (Steele, Lea, Flood 2014).
///
/// Fixed here rather than taken from `rand` so the stream for a seed never changes with a
/// dependency upgrade: verifiers must be able to replay a provider's sampling.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
	/// Starts the stream at `seed`.
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	/// Next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in [0, 1) with 53 bits of precision.
	pub fn next_f64(&mut self) -> f64 {
		(self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
	}
}

/// Index of the largest logit, lowest index on ties.
///
/// # Errors
/// [`WorkerError::InvalidInput`] on empty or NaN logits (a broken model).
pub fn argmax(logits: &[f32]) -> Result<u32> {
	let mut best: Option<(usize, f32)> = None;
	for (i, &x) in logits.iter().enumerate() {
		if x.is_nan() {
			return Err(WorkerError::InvalidInput(format!(
				"model produced NaN logit at token {i}"
			)));
		}
		if best.is_none_or(|(_, b)| x > b) {
			best = Some((i, x));
		}
	}
	best.map(|(i, _)| i as u32)
		.ok_or_else(|| WorkerError::InvalidInput("model produced no logits".into()))
}

/// Draws a token by nucleus (top-p) sampling.
///
/// Probabilities are `softmax(logits / temperature)` in f64; tokens are ranked by probability
/// (ties by id), the smallest prefix with mass >= `p` is kept, and `u * mass` picks within it.
///
/// # Errors
/// Out-of-range `p`/`temperature`, NaN or empty logits.
pub fn sample_top_p(logits: &[f32], p: f32, temperature: f32, rng: &mut SplitMix64) -> Result<u32> {
	if !(p > 0.0 && p <= 1.0) {
		return Err(WorkerError::InvalidInput(format!("top_p must be in (0, 1], got {p}")));
	}
	if !(temperature.is_finite() && temperature > 0.0) {
		return Err(WorkerError::InvalidInput(format!(
			"temperature must be > 0, got {temperature}"
		)));
	}
	if logits.is_empty() {
		return Err(WorkerError::InvalidInput("model produced no logits".into()));
	}
	if let Some(i) = logits.iter().position(|x| x.is_nan()) {
		return Err(WorkerError::InvalidInput(format!("model produced NaN logit at token {i}")));
	}
	let t = f64::from(temperature);
	let max = logits.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(f64::from(x) / t));
	let weights: Vec<f64> = logits.iter().map(|&x| (f64::from(x) / t - max).exp()).collect();
	let total: f64 = weights.iter().sum();
	let mut order: Vec<usize> = (0..logits.len()).collect();
	// Descending probability, ascending id on ties: a total order, so the result is reproducible.
	order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
	let target = f64::from(p) * total;
	let mut kept = 0;
	let mut mass = 0.0;
	for &i in &order {
		mass += weights[i];
		kept += 1;
		if mass >= target {
			break;
		}
	}
	let u = rng.next_f64() * mass;
	let mut acc = 0.0;
	for &i in &order[..kept] {
		acc += weights[i];
		if u < acc {
			return Ok(i as u32);
		}
	}
	Ok(order[kept - 1] as u32)
}

/// Names and sizes of a decoder's KV-cache tensors, read from the model's declared inputs.
#[derive(Clone, Debug)]
pub struct DecoderSignature {
	/// `past_key_values.{i}.key|value` in layer order (key, value, key, value, ...).
	pub past_inputs: Vec<String>,
	/// `present.{i}.key|value` in the same order.
	pub present_outputs: Vec<String>,
	/// Attention heads in the cache tensors.
	pub heads: usize,
	/// Size of one head.
	pub head_dim: usize,
	/// Whether the model takes `position_ids`.
	pub position_ids: bool,
	/// Vocabulary size when the logits output declares it.
	pub vocab: Option<usize>,
}

impl DecoderSignature {
	/// Reads the signature from a session.
	///
	/// # Errors
	/// [`WorkerError::ModelSignature`] naming the missing or unsupported input/output.
	pub fn of(session: &Session, model: &str) -> Result<Self> {
		let err = |reason: String| WorkerError::ModelSignature {
			model: model.to_string(),
			pipeline: PIPELINE,
			reason,
		};
		let input = |n: &str| session.inputs().iter().find(|i| i.name() == n);
		let output = |n: &str| session.outputs().iter().find(|o| o.name() == n);
		for needed in ["input_ids", "attention_mask"] {
			if input(needed).is_none() {
				return Err(err(format!("no {needed:?} input")));
			}
		}
		let logits = output("logits").ok_or_else(|| err("no \"logits\" output".into()))?;
		let vocab = logits
			.dtype()
			.tensor_shape()
			.and_then(|s| s.last().copied())
			.and_then(|v| usize::try_from(v).ok())
			.filter(|&v| v > 0);
		let layers =
			session.inputs().iter().filter(|i| i.name().starts_with("past_key_values.")).count()
				/ 2;
		if layers == 0 {
			return Err(err("no past_key_values.* inputs (a KV-cache export is needed)".into()));
		}
		let mut past_inputs = Vec::with_capacity(2 * layers);
		let mut present_outputs = Vec::with_capacity(2 * layers);
		let mut dims: Option<(usize, usize)> = None;
		for l in 0..layers {
			for kind in ["key", "value"] {
				let past = format!("past_key_values.{l}.{kind}");
				let present = format!("present.{l}.{kind}");
				let decl = input(&past).ok_or_else(|| err(format!("no {past:?} input")))?;
				if output(&present).is_none() {
					return Err(err(format!("no {present:?} output")));
				}
				let ValueType::Tensor { ty, shape, .. } = decl.dtype() else {
					return Err(err(format!("{past:?} is not a tensor")));
				};
				if *ty != TensorElementType::Float32 {
					return Err(err(format!(
						"{past:?} is {ty:?}; only f32 KV caches are supported"
					)));
				}
				if shape.len() != 4 || shape[1] <= 0 || shape[3] <= 0 {
					return Err(err(format!(
						"{past:?} has shape {:?}; expected [batch, heads, past, head_dim] with fixed heads and head_dim",
						&shape[..]
					)));
				}
				let d = (shape[1] as usize, shape[3] as usize);
				if dims.is_some_and(|prev| prev != d) {
					return Err(err(format!(
						"{past:?} has heads/head_dim {d:?}, other layers {dims:?}"
					)));
				}
				dims = Some(d);
				past_inputs.push(past);
				present_outputs.push(present);
			}
		}
		let known: Vec<&str> = ["input_ids", "attention_mask", "position_ids"].into();
		if let Some(extra) = session
			.inputs()
			.iter()
			.find(|i| !known.contains(&i.name()) && !past_inputs.iter().any(|p| p == i.name()))
		{
			return Err(err(format!("unsupported input {:?}", extra.name())));
		}
		let (heads, head_dim) = dims.unwrap_or((1, 1));
		Ok(Self {
			past_inputs,
			present_outputs,
			heads,
			head_dim,
			position_ids: input("position_ids").is_some(),
			vocab,
		})
	}

	/// Zero-length cache tensors for the first step of `rows` sequences.
	fn empty_past(&self, rows: usize) -> Result<Vec<DynValue>> {
		self.past_inputs
			.iter()
			.map(|_| {
				Ok(Tensor::<f32>::from_array((
					[rows, self.heads, 0, self.head_dim],
					Vec::<f32>::new(),
				))
				.map_err(|e| WorkerError::ort("creating an empty KV cache", e))?
				.into_dyn())
			})
			.collect()
	}
}

/// One forward pass over a batch: row `b` feeds `new_ids[b]` (all rows the same length) after
/// the cached columns; `mask[b]` covers cached and new columns (0 = padding, not attended to).
/// Positions follow the mask (`cumsum - 1`), as Hugging Face models compute them, so left
/// padding does not shift a row's positions. Returns each row's last-position logits and the
/// updated cache.
fn forward(
	session: &mut Session,
	sig: &DecoderSignature,
	model: &str,
	new_ids: &[Vec<u32>],
	mask: &[Vec<i64>],
	past: Vec<DynValue>,
) -> Result<(Vec<Vec<f32>>, Vec<DynValue>)> {
	let rows = new_ids.len();
	let n = new_ids.first().map_or(0, Vec::len);
	let total = mask.first().map_or(0, Vec::len);
	let ort_err =
		|what: &str, e: ort::Error| WorkerError::ort(format!("{what} (model {model})"), e);
	let ids: Vec<i64> = new_ids.iter().flatten().map(|&t| i64::from(t)).collect();
	let mut inputs: Vec<(String, DynValue)> = Vec::with_capacity(3 + past.len());
	inputs.push((
		"input_ids".into(),
		Tensor::from_array(([rows, n], ids))
			.map_err(|e| ort_err("creating input_ids", e))?
			.into_dyn(),
	));
	inputs.push((
		"attention_mask".into(),
		Tensor::from_array(([rows, total], mask.concat()))
			.map_err(|e| ort_err("creating attention_mask", e))?
			.into_dyn(),
	));
	if sig.position_ids {
		let mut pos = Vec::with_capacity(rows * n);
		for row in mask {
			let mut seen = 0i64;
			let all: Vec<i64> = row
				.iter()
				.map(|&m| {
					seen += m;
					(seen - 1).max(0)
				})
				.collect();
			pos.extend_from_slice(&all[total - n..]);
		}
		inputs.push((
			"position_ids".into(),
			Tensor::from_array(([rows, n], pos))
				.map_err(|e| ort_err("creating position_ids", e))?
				.into_dyn(),
		));
	}
	for (name, value) in sig.past_inputs.iter().zip(past) {
		inputs.push((name.clone(), value));
	}
	let mut outputs = session.run(inputs).map_err(|e| ort_err("running a decoding step", e))?;
	let logits = outputs.get("logits").ok_or_else(|| WorkerError::Ort {
		context: format!("running a decoding step (model {model})"),
		reason: "no logits in the results".into(),
	})?;
	let (shape, data) =
		logits.try_extract_tensor::<f32>().map_err(|e| ort_err("reading logits as f32", e))?;
	if shape.len() != 3 || shape[0] != rows as i64 || shape[1] != n as i64 || shape[2] <= 0 {
		return Err(WorkerError::ModelSignature {
			model: model.to_string(),
			pipeline: PIPELINE,
			reason: format!(
				"logits have shape {:?} for {rows} x {n} input tokens; expected [{rows}, {n}, vocab]",
				&shape[..]
			),
		});
	}
	let vocab = shape[2] as usize;
	let last = (0..rows)
		.map(|b| {
			let at = (b * n + n - 1) * vocab;
			data[at..at + vocab].to_vec()
		})
		.collect();
	let mut present = Vec::with_capacity(sig.present_outputs.len());
	for name in &sig.present_outputs {
		present.push(outputs.remove(name).ok_or_else(|| WorkerError::Ort {
			context: format!("running a decoding step (model {model})"),
			reason: format!("no {name:?} in the results"),
		})?);
	}
	Ok((last, present))
}

/// Resolves the prompt to token ids and checks it against the vocabulary.
fn prompt_ids(model: &LoadedModel, prompt: &Prompt, vocab: Option<usize>) -> Result<Vec<u32>> {
	let ids = match prompt {
		Prompt::Tokens(t) => t.clone(),
		Prompt::Text(text) => {
			// A text prompt for a model without a tokenizer is the request's mistake.
			let tok = model.tokenizer.as_ref().ok_or_else(|| {
				WorkerError::InvalidInput(
					"this model has no tokenizer.json: send the prompt as token ids".into(),
				)
			})?;
			tok.encode(text.as_str(), true)
				.map_err(|e| WorkerError::Tokenizer {
					path: model.entry.tokenizer.clone().unwrap_or_default(),
					reason: format!("encoding the prompt failed: {e}"),
				})?
				.get_ids()
				.to_vec()
		},
	};
	if ids.is_empty() {
		return Err(WorkerError::InvalidInput("the prompt has no tokens".into()));
	}
	if let Some(v) = vocab {
		if let Some(bad) = ids.iter().find(|&&t| t as usize >= v) {
			return Err(WorkerError::InvalidInput(format!(
				"prompt token {bad} is outside the model's vocabulary of {v}"
			)));
		}
	}
	Ok(ids)
}

/// Logits of the last prompt position (the first decoding step), for checks against a reference.
///
/// # Errors
/// As [`generate`].
pub fn first_step_logits(model: &LoadedModel, prompt: &Prompt) -> Result<Vec<f32>> {
	let name = model.short_name();
	let mut session = model.session.lock().unwrap_or_else(|p| p.into_inner());
	let sig = DecoderSignature::of(&session, &name)?;
	let ids = prompt_ids(model, prompt, sig.vocab)?;
	let mask = vec![vec![1i64; ids.len()]];
	let past = sig.empty_past(1)?;
	Ok(forward(&mut session, &sig, &name, &[ids], &mask, past)?.0.remove(0))
}

/// Generates tokens for one request.
///
/// # Errors
/// Bad request values (empty prompt, out-of-vocabulary ids, `max_new_tokens` out of range,
/// bad sampling parameters), a model that is not a KV-cache decoder, ONNX Runtime errors.
pub fn generate(model: &LoadedModel, req: &GenerationRequest) -> Result<GenerationOutput> {
	generate_batch(model, std::slice::from_ref(req))?.remove(0)
}

/// Checks what can be checked before any compute.
fn check_request(req: &GenerationRequest) -> Result<()> {
	if req.max_new_tokens == 0 || req.max_new_tokens > MAX_NEW_TOKENS_LIMIT {
		return Err(WorkerError::InvalidInput(format!(
			"max_new_tokens must be in 1..={MAX_NEW_TOKENS_LIMIT}, got {}",
			req.max_new_tokens
		)));
	}
	if let Sampling::TopP { p, temperature, .. } = req.sampling {
		sample_top_p(&[0.0], p, temperature, &mut SplitMix64::new(0))?;
	}
	Ok(())
}

/// One sequence of a batch while it decodes.
struct Row {
	/// Index of its request.
	request: usize,
	prompt_len: usize,
	max_new: usize,
	rng: SplitMix64,
	out: Vec<u32>,
	done: Option<FinishReason>,
}

/// Generates tokens for several requests on the same model in one batch, returning one result
/// per request (in order). A request that fails its checks gets its error; the others still run.
///
/// Prompts are left-padded to the longest one (padding is masked out), the batch is prefilled
/// in one pass, then every step feeds one token per row with the shared KV cache. A row that is
/// done keeps its slot with masked padding until the whole batch is done; its tokens are the
/// same as when run alone, up to float rounding in the logits. Requests with `use_cache: false`
/// recompute the whole batch at every step (a cross-check, slow). The model's session is held
/// for the whole batch (each step needs it exclusively).
///
/// # Errors
/// The whole call fails only for model-level problems (not a KV-cache decoder, ONNX Runtime
/// errors); per-request problems are in the returned list.
pub fn generate_batch(
	model: &LoadedModel,
	requests: &[GenerationRequest],
) -> Result<Vec<Result<GenerationOutput>>> {
	let name = model.short_name();
	let mut session = model.session.lock().unwrap_or_else(|p| p.into_inner());
	let sig = DecoderSignature::of(&session, &name)?;
	let mut results: Vec<Option<Result<GenerationOutput>>> = vec![];
	let mut rows: Vec<Row> = Vec::new();
	let mut prompts: Vec<Vec<u32>> = Vec::new();
	for (i, req) in requests.iter().enumerate() {
		let ids = check_request(req).and_then(|()| prompt_ids(model, &req.prompt, sig.vocab));
		let ids = ids.and_then(|ids| match req.max_prompt_tokens {
			Some(max) if ids.len() as u64 > max => Err(WorkerError::InvalidInput(format!(
				"the prompt has {} tokens; at most {max} allowed",
				ids.len()
			))),
			_ => Ok(ids),
		});
		match ids {
			Ok(ids) => {
				rows.push(Row {
					request: i,
					prompt_len: ids.len(),
					max_new: req.max_new_tokens as usize,
					rng: SplitMix64::new(match req.sampling {
						Sampling::TopP { seed, .. } => seed,
						Sampling::Greedy => 0,
					}),
					out: Vec::new(),
					done: None,
				});
				prompts.push(ids);
				results.push(None);
			},
			Err(e) => results.push(Some(Err(e))),
		}
	}
	if !rows.is_empty() {
		let use_cache = rows.iter().all(|r| requests[r.request].use_cache);
		decode(&mut session, &sig, &name, requests, &mut rows, &prompts, use_cache)?;
	}
	for row in rows {
		let text = match &model.tokenizer {
			Some(tok) => Some(tok.decode(&row.out, true).map_err(|e| WorkerError::Tokenizer {
				path: model.entry.tokenizer.clone().unwrap_or_default(),
				reason: format!("decoding the output failed: {e}"),
			})),
			None => None,
		}
		.transpose();
		results[row.request] = Some(text.map(|text| GenerationOutput {
			usage: GenerationUsage {
				input_tokens: row.prompt_len as u64,
				output_tokens: row.out.len() as u64,
			},
			tokens: row.out,
			text,
			finish_reason: row.done.unwrap_or(FinishReason::Length),
		}));
	}
	Ok(results.into_iter().map(|r| r.expect("every request has a result")).collect())
}

/// The decoding loop of [`generate_batch`] over its valid rows.
fn decode(
	session: &mut Session,
	sig: &DecoderSignature,
	name: &str,
	requests: &[GenerationRequest],
	rows: &mut [Row],
	prompts: &[Vec<u32>],
	use_cache: bool,
) -> Result<()> {
	let width = prompts.iter().map(Vec::len).max().unwrap_or(0);
	// Left padding with token 0 (masked out, so its value does not matter).
	let mut seqs: Vec<Vec<u32>> = prompts
		.iter()
		.map(|p| std::iter::repeat_n(0, width - p.len()).chain(p.iter().copied()).collect())
		.collect();
	let mut mask: Vec<Vec<i64>> = prompts
		.iter()
		.map(|p| {
			std::iter::repeat_n(0, width - p.len()).chain(std::iter::repeat_n(1, p.len())).collect()
		})
		.collect();
	let mut past = sig.empty_past(rows.len())?;
	let mut cached = 0;
	while rows.iter().any(|r| r.done.is_none()) {
		let (logits, present) = if use_cache {
			let new: Vec<Vec<u32>> = seqs.iter().map(|s| s[cached..].to_vec()).collect();
			forward(session, sig, name, &new, &mask, std::mem::take(&mut past))?
		} else {
			forward(session, sig, name, &seqs, &mask, sig.empty_past(rows.len())?)?
		};
		if use_cache {
			past = present;
			cached = seqs[0].len();
		}
		for (b, row) in rows.iter_mut().enumerate() {
			let next = if row.done.is_some() {
				None
			} else {
				let req = &requests[row.request];
				let token = match req.sampling {
					Sampling::Greedy => argmax(&logits[b])?,
					Sampling::TopP { p, temperature, .. } => {
						sample_top_p(&logits[b], p, temperature, &mut row.rng)?
					},
				};
				row.out.push(token);
				if req.stop_tokens.contains(&token) {
					row.done = Some(FinishReason::Stop);
				} else if row.out.len() >= row.max_new {
					row.done = Some(FinishReason::Length);
				}
				Some(token)
			};
			seqs[b].push(next.unwrap_or(0));
			mask[b].push(i64::from(next.is_some()));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn splitmix_matches_reference_stream() {
		// First outputs for seed 1234567 from the reference C implementation (Vigna).
		let mut r = SplitMix64::new(1234567);
		assert_eq!(r.next_u64(), 6457827717110365317);
		assert_eq!(r.next_u64(), 3203168211198807973);
	}

	#[test]
	fn argmax_breaks_ties_low_and_rejects_nan() {
		assert_eq!(argmax(&[1.0, 3.0, 3.0]).unwrap(), 1);
		assert!(argmax(&[1.0, f32::NAN]).is_err());
		assert!(argmax(&[]).is_err());
	}

	#[test]
	fn top_p_keeps_the_nucleus() {
		// p = 0.5 with one dominant token: always that token.
		let logits = [10.0, 0.0, 0.0, 0.0];
		let mut rng = SplitMix64::new(7);
		for _ in 0..100 {
			assert_eq!(sample_top_p(&logits, 0.5, 1.0, &mut rng).unwrap(), 0);
		}
		// p = 1 over equal logits: every token shows up, and a seed replays the same draws.
		let flat = [0.0f32; 4];
		let draw = |seed| {
			let mut rng = SplitMix64::new(seed);
			(0..64).map(|_| sample_top_p(&flat, 1.0, 1.0, &mut rng).unwrap()).collect::<Vec<_>>()
		};
		let a = draw(42);
		assert_eq!(a, draw(42));
		assert!((0..4).all(|t| a.contains(&t)));
		assert!(sample_top_p(&flat, 0.0, 1.0, &mut SplitMix64::new(0)).is_err());
		assert!(sample_top_p(&flat, 0.9, 0.0, &mut SplitMix64::new(0)).is_err());
	}
}
