#!/usr/bin/env bash
# Prints how the job market's costs grow with the number of registered provisions: the frame
# benchmarks `submit_job` and `match_jobs` with one job (the hook reading a whole candidate set
# cold, then matching) of pallet_matching, run at exactly 10, 1,000 and 100,000 provisions (the
# component `p`, set through the CLI's --low/--high). Set-up registers the provisions through the real calls:
# the pool of running ones fills up to MaxPoolSize and the rest are drafts.
#   scripts/benchmark-matching-scale.sh [provision counts...]   (default: 10 1000 100000)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10 1000 100000)

bash scripts/setup.sh
[ -x "$CXMPUTE_NODE" ] || bash scripts/build.sh
bench_target=${BENCH_TARGET_DIR:-$HOME/.cache/cxmpute/target-bench}
CARGO_TARGET_DIR=$bench_target cargo build --release --locked -p cxmpute-runtime --features runtime-benchmarks
wasm="$bench_target/release/wbuild/cxmpute-runtime/cxmpute_runtime.compact.compressed.wasm"

printf '%-12s %12s %14s %14s\n' extrinsic provisions 'mean µs' 'sigma µs'
for extrinsic in submit_job match_jobs; do
	for p in "${counts[@]}"; do
		# Components in the benchmark's order: submit_job(p), match_jobs(n, p) with n = 1.
		range=$p
		[ "$extrinsic" = match_jobs ] && range="1,$p"
		out=$("$CXMPUTE_NODE" benchmark pallet --runtime "$wasm" \
			--genesis-builder=runtime --genesis-builder-preset=development \
			--pallet pallet_matching --extrinsic "$extrinsic" \
			--steps 2 --repeat "${REPEAT:-5}" \
			--low "$range" --high "$range" \
			--wasm-execution compiled --heap-pages 4096 2>/dev/null)
		# The "Data points distribution" table: the components, then `mean  sigma  %`.
		row=$(awk '/Data points distribution/{t=1; next} t && $1 ~ /^[0-9]+$/ {print; exit}' <<<"$out")
		if [ "$extrinsic" = match_jobs ]; then
			read -r _ _ mean sigma _ <<<"$row"
		else
			read -r _ mean sigma _ <<<"$row"
		fi
		printf '%-12s %12s %14s %14s\n' "$extrinsic" "$p" "$mean" "$sigma"
	done
done
