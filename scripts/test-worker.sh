#!/usr/bin/env bash
# The worker's part of the tests: sets up its assets (ONNX Runtime, MiniLM, the tiny decoder and
# the Python references) and a private Docker engine, runs `cargo test` in worker/ (its own
# workspace, built in $WORKER_TARGET_DIR) and builds the release binary that the end-to-end
# tests and the demo run. Safe to run again.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

bash scripts/worker-assets.sh
bash scripts/docker-dev.sh
export ORT_DYLIB_PATH="$HOME/.cache/cxmpute/assets/libonnxruntime.so"
export CXMPUTE_ASSETS="$HOME/.cache/cxmpute/assets"
export DOCKER_HOST="unix://${CXMPUTE_DOCKER_DIR:-$HOME/.cache/cxmpute/docker}/docker.sock"
cd worker
CARGO_TARGET_DIR="$WORKER_TARGET_DIR" cargo fmt -- --check
CARGO_TARGET_DIR="$WORKER_TARGET_DIR" cargo test --release --locked
CARGO_TARGET_DIR="$WORKER_TARGET_DIR" cargo build --release --locked
