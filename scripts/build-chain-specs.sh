#!/usr/bin/env bash
# Regenerates the committed chain specs from the runtime's presets:
#   chain-specs/local.json    4 validators (Alice, Bob, Charlie, Dave), raw
#   chain-specs/testnet.json  validators and endowments from chain-specs/testnet-keys.sample.json, raw
# Run after any runtime change that should reach these networks.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
[ -x "$CXMPUTE_NODE" ] || bash scripts/build.sh
"$CXMPUTE_NODE" build-spec --chain local --raw --disable-default-bootnode > chain-specs/local.json
"$CXMPUTE_NODE" build-spec --chain testnet:chain-specs/testnet-keys.sample.json --raw \
	--disable-default-bootnode > chain-specs/testnet.json
echo "wrote chain-specs/local.json and chain-specs/testnet.json"
