#!/usr/bin/env python3
"""Computes reference sentence embeddings with Python onnxruntime for the worker's tests.

Same recipe as the worker: tokenizer.json (padding to the longest text of the batch), the ONNX
model's last_hidden_state, mean pooling with the attention mask, then L2 normalisation.
The whole list is run as one batch, and each text is also run alone (the JSON keeps both, so the
Rust tests can check that batching with padding does not change the result).

Usage: make_reference_embeddings.py --model-dir DIR --out OUT.json
"""

import argparse
import json
import os

import numpy as np

SENTENCES = [
	"A man is playing a guitar on stage.",
	"Someone performs music with a guitar in front of an audience.",
	"The central bank raised interest rates by half a percentage point.",
	"Cxmpute pays providers for running ONNX models.",
	"Hi",
]


def embed(sess, tokenizer, texts):
	encodings = tokenizer.encode_batch(texts)
	ids = np.array([e.ids for e in encodings], dtype=np.int64)
	mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
	feeds = {"input_ids": ids, "attention_mask": mask}
	if "token_type_ids" in [i.name for i in sess.get_inputs()]:
		feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
	hidden = sess.run(["last_hidden_state"], feeds)[0]
	m = mask[:, :, None].astype(np.float32)
	pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
	norm = np.linalg.norm(pooled, axis=1, keepdims=True)
	return pooled / np.maximum(norm, 1e-12), ids, mask


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--model-dir", required=True)
	ap.add_argument("--out", required=True)
	args = ap.parse_args()

	import onnxruntime as ort
	from tokenizers import Tokenizer

	tokenizer = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
	tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest text of a batch
	sess = ort.InferenceSession(os.path.join(args.model_dir, "model.onnx"), providers=["CPUExecutionProvider"])

	batch, ids, mask = embed(sess, tokenizer, SENTENCES)
	single = [embed(sess, tokenizer, [s])[0][0] for s in SENTENCES]
	reference = {
		"description": "MiniLM int8 mean-pooled, L2-normalised embeddings from Python onnxruntime",
		"onnxruntime_version": ort.__version__,
		"sentences": SENTENCES,
		"input_ids": [[int(t) for t, m in zip(row, mrow) if m] for row, mrow in zip(ids, mask)],
		"token_counts": [int(m.sum()) for m in mask],
		"batch_embeddings": [[float(v) for v in row] for row in batch],
		"single_embeddings": [[float(v) for v in row] for row in single],
	}
	with open(args.out + ".tmp", "w") as f:
		json.dump(reference, f)
	os.replace(args.out + ".tmp", args.out)
	print(f"  {len(SENTENCES)} sentences, tokens {reference['token_counts']}")


if __name__ == "__main__":
	main()
