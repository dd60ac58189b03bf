# Sourced by the other scripts: one place for paths shared by build, test and run.
# Builds live outside the clone so CI and later checkouts reuse them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cxmpute/target}"
export CXMPUTE_NODE="${CXMPUTE_NODE:-$CARGO_TARGET_DIR/release/cxmpute-node}"
# The worker is its own cargo workspace (worker/), built in its own directory.
export WORKER_TARGET_DIR="${WORKER_TARGET_DIR:-$HOME/.cache/cxmpute/target-worker}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
export WASM_BUILD_WORKSPACE_HINT="$REPO_ROOT"
# litep2p's WebRTC transport links OpenSSL; its crate would build OpenSSL from source (about
# 140 s of a fresh build's 2-core compile time). Link the system's libssl3 instead (setup.sh
# installs libssl-dev); set OPENSSL_NO_VENDOR=0 to build the vendored copy.
export OPENSSL_NO_VENDOR="${OPENSSL_NO_VENDOR:-1}"
