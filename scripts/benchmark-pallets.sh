#!/usr/bin/env bash
# Measures the weights of Cxmpute's own pallets and writes their `weights.rs`:
#   1. builds the runtime with `--features runtime-benchmarks` in its own target dir
#      ($BENCH_TARGET_DIR, default ~/.cache/cxmpute/target-bench), so the normal build is untouched,
#   2. runs the normal `cxmpute-node benchmark pallet --runtime <that wasm>` for each pallet below,
#   3. writes pallets/<dir>/src/weights.rs (trait + SubstrateWeight + (), from
#      scripts/frame-weight-template.hbs).
#
#   scripts/benchmark-pallets.sh [pallet_name ...]   default: all of Cxmpute's pallets
#   Each run prints, per call, the base time and the slope of every component (e.g. the dex's
#   book depth `d`), which is how the O(1)-in-depth claims are checked.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

# crate name (as the runtime's define_benchmarks! names it) -> pallet directory
declare -A PALLETS=(
	[pallet_validator_set]=pallets/validator-set
	[pallet_provisions]=pallets/provisions
	[pallet_provider_staking]=pallets/provider-staking
	[pallet_health]=pallets/health
	[pallet_rewards]=pallets/rewards
	[pallet_matching]=pallets/matching
	[pallet_billing]=pallets/billing
	[pallet_oracle]=pallets/oracle
	[pallet_dex]=pallets/dex
	[pallet_lend]=pallets/lend
)
# Fewer steps/repeats give quicker, noisier figures: STEPS=10 REPEAT=5 scripts/benchmark-pallets.sh
steps=${STEPS:-50}
repeat=${REPEAT:-20}
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${!PALLETS[@]}")

bash scripts/setup.sh
[ -x "$CXMPUTE_NODE" ] || bash scripts/build.sh
bench_target=${BENCH_TARGET_DIR:-$HOME/.cache/cxmpute/target-bench}
CARGO_TARGET_DIR=$bench_target cargo build --release --locked -p cxmpute-runtime --features runtime-benchmarks
wasm="$bench_target/release/wbuild/cxmpute-runtime/cxmpute_runtime.compact.compressed.wasm"

for pallet in "${selected[@]}"; do
	dir=${PALLETS[$pallet]:?unknown pallet $pallet}
	echo "== benchmarking $pallet -> $dir/src/weights.rs"
	"$CXMPUTE_NODE" benchmark pallet --runtime "$wasm" \
		--genesis-builder=runtime --genesis-builder-preset=development \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/frame-weight-template.hbs \
		--output "$dir/src/weights.rs"
done
echo "done: review the diff of the weights files and commit them"
