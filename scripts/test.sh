#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests (pallets, runtime, node and chain specs),
# the Polkadot.js end-to-end test against a dev node, and the 4-validator zombienet test.
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

section "the start command (README): dev chain finalizes block 2"
timed start-dev bash scripts/start-dev.sh --until-finalized 2

section "Polkadot.js end-to-end"
timed e2e bash -c 'cd node/tests/e2e && { [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund; } && npm test'

section "zombienet: 4 validators"
timed zombienet bash zombienet/run-test.sh

section "timings"
printf '%s\n' "${timings[@]}"
