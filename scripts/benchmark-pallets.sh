#!/usr/bin/env bash
# Measures the weights of Cxmpute's own pallets and writes their `weights.rs`:
#   1. builds the runtime with `--features runtime-benchmarks` in its own target dir
#      ($BENCH_TARGET_DIR, default ~/.cache/cxmpute/target-bench), so the normal build is untouched,
#   2. runs the normal `cxmpute-node benchmark pallet --runtime <that wasm>` for each pallet below,
#   3. writes pallets/<dir>/src/weights.rs (trait + SubstrateWeight + (), from
#      scripts/frame-weight-template.hbs).
#
#   scripts/benchmark-pallets.sh [pallet_name ...]   default: all of Cxmpute's pallets
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

# crate name (as the runtime's define_benchmarks! names it) -> pallet directory
declare -A PALLETS=(
	[pallet_validator_set]=pallets/validator-set
)
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
		--steps 50 --repeat 20 \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/frame-weight-template.hbs \
		--output "$dir/src/weights.rs"
done
echo "done: review the diff of the weights files and commit them"
