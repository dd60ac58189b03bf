//! Every genesis preset of the chain, in one place.
//!
//! - `development`: Alice alone validates; dev accounts endowed; Alice is sudo.
//! - `local_testnet`: Alice, Bob, Charlie and Dave validate; dev accounts endowed; Alice is sudo.
//! - testnet: [`testnet_genesis`] builds it from a [`TestnetGenesis`] that the node reads from a
//!   JSON key file (validator keys and endowments are never derived from dev seeds; no sudo).
//!
//! Every preset sets the providers' minimum stakes per tier ([`MIN_PROVIDER_STAKES`]) and the
//! rewards' daily emission ([`REWARDS_PER_EPOCH`]), and endows the keyless accounts of the
//! treasury, the dex and the lending pallet; dev and local make Alice the oracle's operator.
//!
//! Every preset creates the USD stable asset ([`STABLE_ASSET_ID`]) that billing settles in.

use crate::{
	AccountId, AssetsConfig, Balance, BalancesConfig, OracleConfig, ProviderStakingConfig,
	RewardsConfig, Runtime, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	TreasuryAccount, ValidatorSetConfig, EXISTENTIAL_DEPOSIT, STABLE_ASSET_DECIMALS,
	STABLE_ASSET_ID, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each development account holds at genesis: 1,000,000 CXM.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;
/// One US dollar in the stable asset's smallest unit.
pub const STABLE_UNIT: Balance = 10u128.pow(STABLE_ASSET_DECIMALS as u32);
/// What each development account holds of the stable asset at genesis: 100,000 USD.
pub const DEV_STABLE_ENDOWMENT: Balance = 100_000 * STABLE_UNIT;
/// The least stable-asset balance an account may hold: one cent.
pub const STABLE_MIN_BALANCE: Balance = STABLE_UNIT / 100;
/// The least stake a provider must bond to run a provision of each tier (Tide Pool, Blue Surge,
/// Open Ocean, Mariana Depth): 100, 500, 2,000 and 5,000 CXM.
pub const MIN_PROVIDER_STAKES: [Balance; 4] = [100 * UNIT, 500 * UNIT, 2_000 * UNIT, 5_000 * UNIT];
/// Provider rewards minted per daily epoch: 10,000 CXM.
pub const REWARDS_PER_EPOCH: Balance = 10_000 * UNIT;
/// Name of the testnet preset (built by the node from a key file, see [`testnet_genesis`]).
pub const TESTNET_PRESET: &str = "testnet";

/// A validator's identity and session keys at genesis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisValidator {
	/// The validator's account (also its validator id in `pallet-session`).
	pub account: AccountId,
	/// Aura (block authoring) key, sr25519.
	pub aura: AuraId,
	/// GRANDPA (finality) key, ed25519.
	pub grandpa: GrandpaId,
}

/// The USD stable asset at genesis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisStableAsset {
	/// Owner (issuer and admin) of the asset.
	pub owner: AccountId,
	/// Initial holders and amounts, in the asset's smallest unit.
	pub holders: Vec<(AccountId, Balance)>,
}

/// Everything a testnet genesis needs; the node fills it from a JSON key file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestnetGenesis {
	/// The validators of the first sessions.
	pub validators: Vec<GenesisValidator>,
	/// Native-token endowments in planck.
	pub endowments: Vec<(AccountId, Balance)>,
	/// The stable asset's issuer and initial holders.
	pub stable_asset: GenesisStableAsset,
}

/// The genesis patch shared by every preset.
fn genesis(
	validators: Vec<GenesisValidator>,
	mut endowments: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	stable_asset: GenesisStableAsset,
	oracle_operators: Vec<AccountId>,
) -> Value {
	// Keyless accounts exist from genesis: the treasury, so any share of a slash or fee, however
	// small, can be paid into it; the dex's and lending pallet's, so they can hold any asset,
	// sufficient or not.
	let keyless = [
		TreasuryAccount::get(),
		pallet_dex::Pallet::<Runtime>::account_id(),
		pallet_lend::Pallet::<Runtime>::account_id(),
	];
	for account in keyless {
		if !endowments.iter().any(|(who, _)| who == &account) {
			endowments.push((account, EXISTENTIAL_DEPOSIT));
		}
	}
	let session_keys = validators
		.iter()
		.map(|v| {
			let keys = SessionKeys { aura: v.aura.clone(), grandpa: v.grandpa.clone() };
			(v.account.clone(), v.account.clone(), keys)
		})
		.collect::<Vec<_>>();
	let stable_accounts = stable_asset
		.holders
		.iter()
		.map(|(who, amount)| (STABLE_ASSET_ID, who.clone(), *amount))
		.collect::<Vec<_>>();
	let reward_params = pallet_rewards::RewardParams {
		emission_per_epoch: REWARDS_PER_EPOCH,
		..Default::default()
	};
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowments },
		validator_set: ValidatorSetConfig {
			initial_validators: validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>(),
		},
		session: SessionConfig { keys: session_keys },
		sudo: SudoConfig { key: sudo },
		assets: AssetsConfig {
			assets: vec![(STABLE_ASSET_ID, stable_asset.owner.clone(), true, STABLE_MIN_BALANCE)],
			metadata: vec![(
				STABLE_ASSET_ID,
				b"Cxmpute USD".to_vec(),
				b"cxUSD".to_vec(),
				STABLE_ASSET_DECIMALS
			)],
			accounts: stable_accounts,
		},
		provider_staking: ProviderStakingConfig { min_stakes: MIN_PROVIDER_STAKES },
		oracle: OracleConfig { operators: oracle_operators },
		rewards: RewardsConfig { params: reward_params },
	})
}

/// A validator whose keys derive from a dev seed (`//Alice` and so on).
fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> GenesisValidator {
	GenesisValidator {
		account: sr.to_account_id(),
		aura: sr.public().into(),
		grandpa: ed.public().into(),
	}
}

/// Alice, Bob, Charlie, Dave, Eve, Ferdie and their `//stash` accounts.
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn dev_stable_asset() -> GenesisStableAsset {
	GenesisStableAsset {
		owner: Sr25519Keyring::Alice.to_account_id(),
		holders: dev_accounts().into_iter().map(|a| (a, DEV_STABLE_ENDOWMENT)).collect(),
	}
}

/// `development`: Alice is the only validator and sudo.
pub fn development_genesis() -> Value {
	genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts().into_iter().map(|a| (a, DEV_ENDOWMENT)).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_stable_asset(),
		vec![Sr25519Keyring::Alice.to_account_id()],
	)
}

/// `local_testnet`: four validators (Alice, Bob, Charlie, Dave); Alice is sudo.
pub fn local_testnet_genesis() -> Value {
	genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts().into_iter().map(|a| (a, DEV_ENDOWMENT)).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_stable_asset(),
		vec![Sr25519Keyring::Alice.to_account_id()],
	)
}

/// `testnet`: validators, endowments and the stable asset from the operators' key file; no sudo
/// (root is reachable only through governance once it exists).
pub fn testnet_genesis(config: TestnetGenesis) -> Value {
	genesis(config.validators, config.endowments, None, config.stable_asset, Vec::new())
}

/// The preset with this id, as JSON; `None` for an unknown id.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serializing a serde_json::Value cannot fail; qed")
			.into_bytes(),
	)
}

/// The presets built into the runtime (the testnet one needs the node's key file).
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
