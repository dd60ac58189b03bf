#!/usr/bin/env bash
# Load benchmark (prints figures, asserts nothing about speed): settled jobs per second next to
# balances transfers per second on the same fresh dev node.
#   scripts/load-jobs.sh [--transfers N] [--jobs M] [--provisions P]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
[ -x "$CXMPUTE_NODE" ] || bash scripts/build.sh
cd node/tests/e2e
{ [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; } || npm ci --no-audit --no-fund
node load/jobs-vs-transfers.mjs "$@"
