#!/usr/bin/env python3
"""Builds a tiny decoder-only transformer as ONNX (fixed weights) and its Python reference outputs.

The model follows the KV-cache convention of Hugging Face / Optimum decoder exports, which the
worker's generation pipeline expects:

  inputs : input_ids int64 [batch, seq], attention_mask int64 [batch, past + seq],
           past_key_values.{i}.key / .value float32 [batch, heads, past, head_dim]
  outputs: logits float32 [batch, seq, vocab],
           present.{i}.key / .value float32 [batch, heads, past + seq, head_dim]

Positions come from the attention mask (cumsum - 1), as in Hugging Face models, so padding on
the left works. The reference JSON holds, for fixed prompts, the greedy tokens decoded with the KV
cache, the same tokens recomputed without the cache, and the logits of the first step; the Rust
tests compare against it. Everything is deterministic (numpy seed 20261122).

Usage: make_tiny_decoder.py --model OUT.onnx --reference OUT.json
"""

import argparse
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

VOCAB = 48
HIDDEN = 32
HEADS = 4
HEAD_DIM = HIDDEN // HEADS
LAYERS = 2
FFN = 64
MAX_POS = 256
SEED = 20261122
OPSET = 17
PROMPTS = [[1, 7, 19, 3], [2], [5, 11, 23, 31, 40, 4, 9]]
MAX_NEW_TOKENS = 16


def build_model(path):
	rng = np.random.default_rng(SEED)
	inits = []
	nodes = []

	def init(name, array):
		inits.append(numpy_helper.from_array(np.asarray(array), name))
		return name

	def weight(name, *shape, scale=None):
		scale = scale if scale is not None else 1.0 / np.sqrt(shape[0])
		return init(name, (rng.standard_normal(shape) * scale).astype(np.float32))

	def node(op, inputs, outputs, **attrs):
		nodes.append(helper.make_node(op, inputs, outputs, **attrs))
		return outputs[0]

	def const_i64(name, values):
		return init(name, np.array(values, dtype=np.int64))

	c_zero = const_i64("c_zero", 0)
	c_one = const_i64("c_one", 1)
	c_axis1 = const_i64("c_axis1", [1])
	c_axis0 = const_i64("c_axis0", [0])
	c_int_max = const_i64("c_int_max", [np.iinfo(np.int64).max])
	c_split_shape = const_i64("c_split_shape", [0, 0, HEADS, HEAD_DIM])
	c_merge_shape = const_i64("c_merge_shape", [0, 0, HIDDEN])
	c_axes_01 = const_i64("c_axes_01", [0, 1])
	c_axes_12 = const_i64("c_axes_12", [1, 2])
	c_neg_inf = init("c_neg_inf", np.array(-1e9, dtype=np.float32))
	c_scale = init("c_scale", np.array(1.0 / np.sqrt(HEAD_DIM), dtype=np.float32))

	# Token and position embeddings; positions = cumsum(attention_mask) - 1 for the new tokens.
	tok_emb = weight("tok_emb", VOCAB, HIDDEN, scale=1.0)
	pos_emb = weight("pos_emb", MAX_POS, HIDDEN, scale=0.5)
	x = node("Gather", [tok_emb, "input_ids"], ["x_tok"])
	seq_len = node("Gather", [node("Shape", ["input_ids"], ["ids_shape"]), c_one], ["seq_len"])
	cumsum = node("CumSum", ["attention_mask", c_one], ["mask_cumsum"])
	pos_all = node("Sub", [cumsum, c_one], ["pos_all"])
	pos_all = node("Max", [pos_all, c_zero], ["pos_all_clipped"])
	neg_seq = node("Unsqueeze", [node("Neg", [seq_len], ["neg_seq"]), c_axis0], ["neg_seq_1d"])
	pos = node("Slice", [pos_all, neg_seq, c_int_max, c_axis1], ["positions"])
	x = node("Add", [x, node("Gather", [pos_emb, pos], ["x_pos"])], ["x0"])

	# Mask shared by all layers: key j visible to query i iff j <= past + i and mask[b, j] == 1.
	total_len = node("Gather", [node("Shape", ["attention_mask"], ["mask_shape"]), c_one], ["total_len"])
	past_len = node("Sub", [total_len, seq_len], ["past_len"])
	key_idx = node("Range", [c_zero, total_len, c_one], ["key_idx"])
	query_idx = node("Range", [past_len, total_len, c_one], ["query_idx"])
	causal = node(
		"LessOrEqual",
		[node("Unsqueeze", [key_idx, c_axis0], ["key_idx_row"]), node("Unsqueeze", [query_idx, c_axis1], ["query_idx_col"])],
		["causal"],
	)  # [seq, total]
	key_ok = node("Cast", ["attention_mask"], ["key_ok"], to=TensorProto.BOOL)
	key_ok = node("Unsqueeze", [key_ok, c_axes_12], ["key_ok_4d"])  # [b, 1, 1, total]
	allowed = node("And", [node("Unsqueeze", [causal, c_axes_01], ["causal_4d"]), key_ok], ["allowed"])

	def layer_norm(name, inp):
		scale = init(f"{name}.scale", (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))
		bias = init(f"{name}.bias", (0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))
		return node("LayerNormalization", [inp, scale, bias], [f"{name}.out"], axis=-1, epsilon=1e-5)

	def heads(name, inp):  # [b, s, hidden] -> [b, heads, s, head_dim]
		r = node("Reshape", [inp, c_split_shape], [f"{name}.split"])
		return node("Transpose", [r], [f"{name}.heads"], perm=[0, 2, 1, 3])

	for i in range(LAYERS):
		p = f"layer{i}"
		h = layer_norm(f"{p}.ln1", x)
		q = heads(f"{p}.q", node("MatMul", [h, weight(f"{p}.wq", HIDDEN, HIDDEN)], [f"{p}.q_proj"]))
		k = heads(f"{p}.k", node("MatMul", [h, weight(f"{p}.wk", HIDDEN, HIDDEN)], [f"{p}.k_proj"]))
		v = heads(f"{p}.v", node("MatMul", [h, weight(f"{p}.wv", HIDDEN, HIDDEN)], [f"{p}.v_proj"]))
		k_all = node("Concat", [f"past_key_values.{i}.key", k], [f"present.{i}.key"], axis=2)
		v_all = node("Concat", [f"past_key_values.{i}.value", v], [f"present.{i}.value"], axis=2)
		k_t = node("Transpose", [k_all], [f"{p}.k_t"], perm=[0, 1, 3, 2])
		scores = node("Mul", [node("MatMul", [q, k_t], [f"{p}.qk"]), c_scale], [f"{p}.scores"])
		scores = node("Where", [allowed, scores, c_neg_inf], [f"{p}.masked"])
		probs = node("Softmax", [scores], [f"{p}.probs"], axis=-1)
		ctx = node("MatMul", [probs, v_all], [f"{p}.ctx"])
		ctx = node("Transpose", [ctx], [f"{p}.ctx_t"], perm=[0, 2, 1, 3])
		ctx = node("Reshape", [ctx, c_merge_shape], [f"{p}.ctx_merged"])
		attn = node("MatMul", [ctx, weight(f"{p}.wo", HIDDEN, HIDDEN)], [f"{p}.attn"])
		x = node("Add", [x, attn], [f"{p}.x_attn"])
		h = layer_norm(f"{p}.ln2", x)
		f = node("MatMul", [h, weight(f"{p}.w1", HIDDEN, FFN)], [f"{p}.ffn1"])
		f = node("Tanh", [f], [f"{p}.ffn_act"])
		f = node("MatMul", [f, weight(f"{p}.w2", FFN, HIDDEN)], [f"{p}.ffn2"])
		x = node("Add", [x, f], [f"{p}.x_out"])

	h = layer_norm("ln_f", x)
	node("MatMul", [h, weight("lm_head", HIDDEN, VOCAB, scale=2.0 / np.sqrt(HIDDEN))], ["logits"])

	inputs = [
		helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
		helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "total"]),
	]
	outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", VOCAB])]
	for i in range(LAYERS):
		for kind in ("key", "value"):
			inputs.append(
				helper.make_tensor_value_info(
					f"past_key_values.{i}.{kind}", TensorProto.FLOAT, ["batch", HEADS, "past", HEAD_DIM]
				)
			)
			outputs.append(
				helper.make_tensor_value_info(
					f"present.{i}.{kind}", TensorProto.FLOAT, ["batch", HEADS, "total", HEAD_DIM]
				)
			)
	graph = helper.make_graph(nodes, "cxmpute_tiny_decoder", inputs, outputs, inits)
	model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="cxmpute")
	model.ir_version = 8
	onnx.checker.check_model(model)
	os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
	onnx.save(model, path + ".tmp")
	os.replace(path + ".tmp", path)


def empty_past():
	return {
		f"past_key_values.{i}.{kind}": np.zeros((1, HEADS, 0, HEAD_DIM), dtype=np.float32)
		for i in range(LAYERS)
		for kind in ("key", "value")
	}


def greedy_with_cache(sess, prompt, max_new):
	"""Prefill the prompt, then feed one token at a time with the returned present.* tensors."""
	past = empty_past()
	ids = list(prompt)
	step_ids = np.array([prompt], dtype=np.int64)
	out_tokens, first_logits = [], None
	names = [o.name for o in sess.get_outputs()]
	for _ in range(max_new):
		feeds = {"input_ids": step_ids, "attention_mask": np.ones((1, len(ids)), dtype=np.int64), **past}
		outs = dict(zip(names, sess.run(None, feeds)))
		logits = outs["logits"][0, -1]
		if first_logits is None:
			first_logits = logits
		token = int(np.argmax(logits))
		out_tokens.append(token)
		ids.append(token)
		step_ids = np.array([[token]], dtype=np.int64)
		past = {
			f"past_key_values.{i}.{kind}": outs[f"present.{i}.{kind}"]
			for i in range(LAYERS)
			for kind in ("key", "value")
		}
	return out_tokens, first_logits


def greedy_without_cache(sess, prompt, max_new):
	"""Recompute the whole sequence at every step (empty past): must give the same tokens."""
	ids = list(prompt)
	out_tokens = []
	for _ in range(max_new):
		feeds = {
			"input_ids": np.array([ids], dtype=np.int64),
			"attention_mask": np.ones((1, len(ids)), dtype=np.int64),
			**empty_past(),
		}
		logits = sess.run(["logits"], feeds)[0][0, -1]
		token = int(np.argmax(logits))
		out_tokens.append(token)
		ids.append(token)
	return out_tokens


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--model", required=True)
	ap.add_argument("--reference", required=True)
	args = ap.parse_args()

	import onnxruntime as ort

	build_model(args.model)
	sess = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
	cases = []
	for prompt in PROMPTS:
		cached, first_logits = greedy_with_cache(sess, prompt, MAX_NEW_TOKENS)
		uncached = greedy_without_cache(sess, prompt, MAX_NEW_TOKENS)
		if cached != uncached:
			raise SystemExit(f"KV-cache and full recompute disagree for {prompt}: {cached} vs {uncached}")
		cases.append(
			{
				"prompt": prompt,
				"max_new_tokens": MAX_NEW_TOKENS,
				"greedy_tokens": cached,
				"first_step_logits": [float(v) for v in first_logits],
			}
		)
	with open(args.model, "rb") as f:
		model_hash = hashlib.blake2b(f.read(), digest_size=32).hexdigest()
	reference = {
		"description": "Python onnxruntime outputs of the tiny decoder (make_tiny_decoder.py)",
		"model_blake2b_256": model_hash,
		"onnxruntime_version": ort.__version__,
		"vocab": VOCAB,
		"layers": LAYERS,
		"heads": HEADS,
		"head_dim": HEAD_DIM,
		"seed": SEED,
		"cases": cases,
	}
	with open(args.reference + ".tmp", "w") as f:
		json.dump(reference, f, indent=1)
	os.replace(args.reference + ".tmp", args.reference)
	for c in cases:
		print(f"  prompt {c['prompt']} -> greedy {c['greedy_tokens']}")


if __name__ == "__main__":
	main()
