#!/usr/bin/env bash
# Writes worker/artifacts/cxmpute.scale: the SCALE-encoded runtime metadata the worker's static
# chain client (subxt codegen) is built from. Starts `cxmpute-node --dev --tmp` on spare ports,
# fetches `state_getMetadata` over JSON-RPC with curl, writes the file, stops the node.
# Idempotent: rerunning rewrites the same bytes for the same runtime.
#
# Env: CXMPUTE_NODE (node binary; default $HOME/.cache/cxmpute/target/release/cxmpute-node),
#      RPC_PORT (default 9977), P2P_PORT (default 30377).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="${CXMPUTE_NODE:-$HOME/.cache/cxmpute/target/release/cxmpute-node}"
RPC_PORT="${RPC_PORT:-9977}"
P2P_PORT="${P2P_PORT:-30377}"
OUT="$ROOT/worker/artifacts/cxmpute.scale"

[ -x "$NODE" ] || { echo "node binary not found at $NODE (build it, or set CXMPUTE_NODE)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

LOG="$(mktemp -t cxmpute-metadata-node.XXXXXX.log)"
"$NODE" --dev --tmp --rpc-port "$RPC_PORT" --port "$P2P_PORT" --no-prometheus >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT

RESP=""
for _ in $(seq 1 120); do
	if ! kill -0 "$PID" 2>/dev/null; then
		echo "node exited during start-up; log: $LOG" >&2; tail -20 "$LOG" >&2; exit 1
	fi
	RESP="$(curl -sf -H 'content-type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"state_getMetadata","params":[]}' \
		"http://127.0.0.1:$RPC_PORT" || true)"
	[ -n "$RESP" ] && break
	sleep 0.5
done
[ -n "$RESP" ] || { echo "no state_getMetadata answer on port $RPC_PORT; log: $LOG" >&2; exit 1; }

mkdir -p "$(dirname "$OUT")"
# The result is a 0x-prefixed hex string of the metadata bytes.
printf '%s' "$RESP" | python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; sys.stdout.buffer.write(bytes.fromhex(r[2:]))' >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(wc -c <"$OUT") bytes, blake2b-256 $(python3 -c 'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],"rb").read(),digest_size=32).hexdigest())' "$OUT"))"
