#!/usr/bin/env bash
# Builds cxmpute-worker (release) and runs node/tests/e2e/worker.test.mjs against a fresh
# `cxmpute-node --dev --tmp` (the node binary must already be built; CXMPUTE_NODE overrides it).
# Needs scripts/worker-assets.sh and scripts/docker-dev.sh to have run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR_WORKER:-$HOME/.cache/cxmpute/target-worker}"
export CXMPUTE_ASSETS="${CXMPUTE_ASSETS:-$HOME/.cache/cxmpute/assets}"
export DOCKER_HOST="${DOCKER_HOST:-unix://$HOME/.cache/cxmpute/docker/docker.sock}"
(cd "$ROOT/worker" && nice -n 19 cargo build --release -j1)
cd "$ROOT/node/tests/e2e"
[ -d node_modules ] || npm ci
# The worker's target dir is not the node's: tell the test where the worker binary is.
CXMPUTE_WORKER="$CARGO_TARGET_DIR/release/cxmpute-worker" \
	CARGO_TARGET_DIR="${CARGO_TARGET_DIR_NODE:-$HOME/.cache/cxmpute/target}" \
	node --test worker.test.mjs
