#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests (pallets, runtime, node and chain specs), the
# worker's tests (ONNX Runtime executors, containers, chain client), the start command with its
# demo (node + worker + two jobs), the Polkadot.js end-to-end tests against dev nodes (with the
# real worker), and the 4-validator zombienet test.
# Installs what is missing first, so it works on a fresh machine.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

section() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
timings=()
timed() {
	local name=$1; shift
	local start=$(date +%s)
	"$@"
	timings+=("$name: $(( $(date +%s) - start ))s")
}

section "build"
timed build bash scripts/build.sh

section "cargo test (release profile, reusing the build)"
timed cargo-test cargo test --release --locked --workspace

section "worker: assets, container engine, cargo test, release build"
timed worker bash scripts/test-worker.sh

# What the worker's end-to-end tests and the demo need (set up by scripts/test-worker.sh).
export CXMPUTE_WORKER="$WORKER_TARGET_DIR/release/cxmpute-worker"
export CXMPUTE_ASSETS="$HOME/.cache/cxmpute/assets"
export DOCKER_HOST="unix://${CXMPUTE_DOCKER_DIR:-$HOME/.cache/cxmpute/docker}/docker.sock"

section "the start command (README): dev chain, worker and demo jobs"
timed start-dev bash scripts/start-dev.sh --exit-after-demo

section "Polkadot.js end-to-end"
timed e2e bash -c 'cd node/tests/e2e && { [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund; } && npm test'

section "zombienet: 4 validators"
timed zombienet bash zombienet/run-test.sh

section "timings"
printf '%s\n' "${timings[@]}"
