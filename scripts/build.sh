#!/usr/bin/env bash
# Builds the node (with its wasm runtime) in release mode, incrementally.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
start=$(date +%s)
cargo build --release --locked --workspace
echo "[build] cxmpute-node built in $(( $(date +%s) - start ))s: $CXMPUTE_NODE"
