//! Chain specifications: `dev`, `local` and `testnet:<key file>`, all from the runtime's presets.

use crate::testnet_keys::TestnetKeyFile;
use cxmpute_runtime::{
	genesis_config_presets::{testnet_genesis, TESTNET_PRESET},
	SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use sc_service::ChainType;
use std::path::Path;

/// Network protocol id: keeps Cxmpute nodes from gossiping with other Substrate chains' nodes.
const PROTOCOL_ID: &str = "cxm";

/// The chain spec type of this node (no chain-spec extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm was not built (SKIP_WASM_BUILD was set when building the node)".into()
	})
}

/// Token symbol, decimals and address format, shown by Polkadot.js and wallets.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

/// What every Cxmpute chain spec shares: the runtime, protocol id and token properties.
fn builder(
	name: &str,
	id: &str,
	chain_type: ChainType,
) -> Result<sc_chain_spec::ChainSpecBuilder, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_properties(properties()))
}

/// `--dev`: a single validator (Alice) that authors and finalizes alone.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(builder("Cxmpute Development", "cxmpute_dev", ChainType::Development)?
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// `--chain local`: four validators, Alice, Bob, Charlie and Dave.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(builder("Cxmpute Local Testnet", "cxmpute_local", ChainType::Local)?
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}

/// `--chain testnet:<path>`: validators, endowments and the stable asset from a key file.
pub fn testnet_chain_spec(key_file: &Path) -> Result<ChainSpec, String> {
	let keys = TestnetKeyFile::load(key_file)?;
	let boot_nodes = keys.boot_nodes()?;
	let (name, id) = (keys.name.clone(), keys.id.clone());
	let genesis = keys.into_genesis()?;
	Ok(builder(&name, &id, ChainType::Live)?
		.with_boot_nodes(boot_nodes)
		.with_genesis_config_patch(testnet_genesis(genesis))
		.build())
}

/// Resolve `--chain`: a built-in name, `testnet:<key file>`, or a chain-spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		TESTNET_PRESET => {
			return Err(format!(
			"the {TESTNET_PRESET} chain needs its key file: --chain {TESTNET_PRESET}:<path/to/keys.json> \
			 (see chain-specs/testnet-keys.sample.json)"
		))
		},
		other => match other.strip_prefix("testnet:") {
			Some(path) => Box::new(testnet_chain_spec(Path::new(path))?),
			None => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(other))?),
		},
	})
}
