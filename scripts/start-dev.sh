#!/usr/bin/env bash
# Starts the product locally: installs what is missing, builds the node and the worker, runs a
# development chain (Alice validates alone, 6 s blocks, dev accounts endowed) with RPC on
# ws://127.0.0.1:9944, then the demo: Eve registers a provision served by a real cxmpute-worker
# (ONNX embeddings and containers), and Dave submits an embeddings job and a container job and
# sees them settle and paid.
#
#   scripts/start-dev.sh                      run until Ctrl-C (chain state kept in a temp dir)
#   scripts/start-dev.sh --exit-after-demo    exit 0 once the demo jobs have settled (CI)
#   scripts/start-dev.sh --no-worker          the chain only
#   scripts/start-dev.sh --until-finalized N  the chain only; exit 0 once block N is finalized
#   scripts/start-dev.sh --no-worker --sealing instant|manual
#                                             the chain only, sealing blocks on demand: instant
#                                             (a block per transaction, final at once) or manual
#                                             (blocks on the engine_createBlock RPC); see README
#
# Environment: RPC_PORT (default 9944), P2P_PORT (default 30333).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

until_finalized=""
worker=1
exit_after_demo=""
sealing=""
while [ $# -gt 0 ]; do
	case "$1" in
		--until-finalized) until_finalized=$2; worker=""; shift 2 ;;
		--no-worker) worker=""; shift ;;
		--exit-after-demo) exit_after_demo=1; shift ;;
		--sealing) sealing=${2:-}; shift 2 ;;
		-h|--help) sed -n '2,19p' "$0"; exit 0 ;;
		*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done
if [ -n "$sealing" ]; then
	case "$sealing" in instant|manual) ;; *) echo "--sealing takes instant or manual, not '$sealing'" >&2; exit 2 ;; esac
	# The demo and the worker follow Aura's slots (the product's path); a sealing chain makes
	# blocks only when asked, so it runs alone.
	if [ -n "$worker" ] || [ -n "$until_finalized" ]; then
		echo "--sealing runs the chain alone: add --no-worker (the demo and the worker run on Aura's 6 s slots)" >&2
		exit 2
	fi
fi
rpc_port=${RPC_PORT:-9944}
p2p_port=${P2P_PORT:-30333}

bash scripts/build.sh
if [ -n "$worker" ]; then
	# The worker's engine and assets: ONNX Runtime + MiniLM, and a Docker engine with an
	# offline busybox image (the demo's container job).
	bash scripts/worker-assets.sh
	bash scripts/docker-dev.sh
	echo "[dev] building cxmpute-worker"
	(cd worker && CARGO_TARGET_DIR="$WORKER_TARGET_DIR" cargo build --release --locked)
fi

if (echo > "/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null; then
	echo "port $rpc_port is taken: is another node running? Set RPC_PORT to use another." >&2
	exit 1
fi

log_file=$(mktemp -t cxmpute-dev-node.XXXXXX.log)
"$CXMPUTE_NODE" --dev --tmp --rpc-port "$rpc_port" --listen-addr "/ip4/127.0.0.1/tcp/$p2p_port" --no-telemetry \
	${sealing:+--sealing "$sealing"} >"$log_file" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null || true; wait $node_pid 2>/dev/null || true' EXIT INT TERM

rpc() {
	curl -s -m 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" \
		"http://127.0.0.1:$rpc_port"
}
finalized_number() {
	local hash header
	hash=$(rpc chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$hash" ] || return 1
	header=$(rpc chain_getHeader "[\"$hash\"]")
	printf '%d' "$(echo "$header" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')"
}

echo "[dev] node starting (log: $log_file)"
for _ in $(seq 1 120); do
	kill -0 $node_pid 2>/dev/null || { echo "[dev] node exited:"; tail -30 "$log_file"; exit 1; }
	[ -n "$(rpc system_chain 2>/dev/null)" ] && break
	sleep 1
done
echo "[dev] chain: $(rpc system_chain | sed -n 's/.*"result":"\([^"]*\)".*/\1/p')"
echo "[dev] RPC:   ws://127.0.0.1:$rpc_port  (Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port)"

if [ -n "$until_finalized" ]; then
	for _ in $(seq 1 $(( until_finalized * 6 + 60 ))); do
		n=$(finalized_number 2>/dev/null || echo 0)
		if [ "${n:-0}" -ge "$until_finalized" ]; then
			echo "[dev] block $n finalized: the development chain works"
			exit 0
		fi
		kill -0 $node_pid 2>/dev/null || { echo "[dev] node exited:"; tail -30 "$log_file"; exit 1; }
		sleep 1
	done
	echo "[dev] block $until_finalized was not finalized in time" >&2
	tail -30 "$log_file" >&2
	exit 1
fi

if [ -n "$worker" ]; then
	cd node/tests/e2e
	{ [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; } || npm ci --no-audit --no-fund
	export CXMPUTE_WORKER="$WORKER_TARGET_DIR/release/cxmpute-worker"
	export CXMPUTE_ASSETS="$HOME/.cache/cxmpute/assets"
	export DOCKER_HOST="unix://${CXMPUTE_DOCKER_DIR:-$HOME/.cache/cxmpute/docker}/docker.sock"
	if [ -n "$exit_after_demo" ]; then
		node demo/provider-and-jobs.mjs --rpc-port "$rpc_port" --exit
		exit 0
	fi
	node demo/provider-and-jobs.mjs --rpc-port "$rpc_port" &
	demo_pid=$!
	trap 'kill $demo_pid 2>/dev/null || true; wait $demo_pid 2>/dev/null || true; kill $node_pid 2>/dev/null || true; wait $node_pid 2>/dev/null || true' EXIT INT TERM
	wait $demo_pid
	echo "[dev] the demo stopped; the chain keeps producing blocks (Ctrl-C to stop)"
fi

case "$sealing" in
	instant) echo "[dev] sealing a block for each transaction, final at once; empty blocks: engine_createBlock(true, true); Ctrl-C to stop" ;;
	manual) echo "[dev] sealing blocks only on engine_createBlock(createEmpty, finalize); Ctrl-C to stop" ;;
	*) echo "[dev] producing blocks; Ctrl-C to stop" ;;
esac
tail -f "$log_file" &
wait $node_pid
