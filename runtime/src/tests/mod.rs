//! Runtime configuration tests: presets build and decode, and validator-set changes reach
//! Aura and GRANDPA through session rotation; the other modules drive the runtime's own pallets
//! together.

mod jobs;
mod provider;

use crate::{
	genesis_config_presets::{self, *},
	AccountId, Assets, Balances, Grandpa, Runtime, RuntimeGenesisConfig, RuntimeOrigin, Session,
	SessionKeys, System, ValidatorSet, SESSION_PERIOD, STABLE_ASSET_ID,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	genesis_builder_helper::build_state,
	traits::{Hooks, OnFinalize},
};
use sc_chain_spec::json_merge;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::Pair;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};

/// A Tide Pool (4 GB) machine, as providers register it.
pub(crate) fn tide_pool_spec() -> pallet_provisions::HardwareInput {
	pallet_provisions::HardwareInput {
		gpu_model: b"RTX A2000".to_vec(),
		vram_mb: 4096,
		cpu_cores: 8,
		ram_mb: 32_768,
		disk_gb: 500,
		region: b"eu-west".to_vec(),
	}
}

/// Externalities whose storage is built from the named preset, as the node does.
pub(crate) fn ext_from_preset(id: &str) -> sp_io::TestExternalities {
	let json = genesis_config_presets::get_preset(&PresetId::from(id))
		.unwrap_or_else(|| panic!("preset {id} exists"));
	ext_from_json(json)
}

/// Merge a preset (a patch) into the default config with the node's own merge, and build its
/// storage.
fn ext_from_json(patch: Vec<u8>) -> sp_io::TestExternalities {
	let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut full, serde_json::from_slice(&patch).expect("preset is JSON"));
	let json = serde_json::to_vec(&full).unwrap();
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("genesis builds"));
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<GrandpaId> {
	Grandpa::grandpa_authorities().into_iter().map(|(id, _)| id).collect()
}

#[test]
fn preset_names_are_listed() {
	assert_eq!(preset_names(), vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn every_preset_decodes_into_the_full_genesis_config() {
	// `RuntimeGenesisConfig` denies unknown fields, so a stale or misspelt key fails here.
	for name in preset_names() {
		let patch: serde_json::Value =
			serde_json::from_slice(&get_preset(&name).unwrap()).expect("preset is JSON");
		let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		json_merge(&mut full, patch);
		let _: RuntimeGenesisConfig = serde_json::from_value(full)
			.unwrap_or_else(|e| panic!("preset {name:?} does not decode: {e}"));
	}
}

#[test]
fn development_preset_has_alice_alone() {
	ext_from_preset("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert_eq!(aura_authorities(), vec![AuraId::from(Sr25519Keyring::Alice.public())]);
		assert_eq!(grandpa_authorities(), vec![GrandpaId::from(Ed25519Keyring::Alice.public())]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert_eq!(Balances::free_balance(&alice), DEV_ENDOWMENT);
		assert_eq!(Assets::balance(STABLE_ASSET_ID, &alice), DEV_STABLE_ENDOWMENT);
	});
}

#[test]
fn local_testnet_preset_has_four_validators_and_the_stable_asset() {
	ext_from_preset("local_testnet").execute_with(|| {
		let validators: Vec<AccountId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.to_account_id())
		.collect();
		assert_eq!(Session::validators(), validators);
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().into_inner(), validators);
		assert_eq!(aura_authorities().len(), 4);
		assert_eq!(grandpa_authorities().len(), 4);
		for who in dev_accounts() {
			assert_eq!(Balances::free_balance(&who), DEV_ENDOWMENT);
			assert_eq!(Assets::balance(STABLE_ASSET_ID, &who), DEV_STABLE_ENDOWMENT);
		}
		let total = DEV_STABLE_ENDOWMENT * dev_accounts().len() as u128;
		assert_eq!(Assets::total_supply(STABLE_ASSET_ID), total);
	});
}

#[test]
fn testnet_genesis_uses_the_given_keys_and_sets_no_sudo() {
	let account = |seed: &str| -> AccountId {
		sp_core::sr25519::Pair::from_string(seed, None).unwrap().public().into()
	};
	let validator = |seed: &str| GenesisValidator {
		account: account(seed),
		aura: sp_core::sr25519::Pair::from_string(seed, None).unwrap().public().into(),
		grandpa: sp_core::ed25519::Pair::from_string(seed, None).unwrap().public().into(),
	};
	let config = TestnetGenesis {
		validators: vec![validator("//V1"), validator("//V2")],
		endowments: vec![
			(account("//V1"), 10 * crate::UNIT),
			(account("//Treasury"), 5 * crate::UNIT),
		],
		stable_asset: GenesisStableAsset {
			owner: account("//Treasury"),
			holders: vec![(account("//V2"), 7 * STABLE_UNIT)],
		},
	};
	let json = serde_json::to_vec(&testnet_genesis(config)).unwrap();
	ext_from_json(json).execute_with(|| {
		assert_eq!(Session::validators(), vec![account("//V1"), account("//V2")]);
		assert_eq!(aura_authorities().len(), 2);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(Balances::free_balance(account("//V1")), 10 * crate::UNIT);
		assert_eq!(Assets::balance(STABLE_ASSET_ID, account("//V2")), 7 * STABLE_UNIT);
		assert!(!dev_accounts().iter().any(|a| Balances::free_balance(a) > 0));
	});
}

/// Run blocks up to the first block of session `index`: session rotation happens in
/// `on_initialize`, GRANDPA applies scheduled changes in `on_finalize`.
fn run_to_session(index: u32) {
	while Session::current_index() < index {
		let n = System::block_number() + 1;
		System::set_block_number(n);
		<Session as Hooks<u32>>::on_initialize(n);
		<Grandpa as OnFinalize<u32>>::on_finalize(n);
	}
}

/// Eve registers real session keys (with the ownership proof the runtime checks).
fn eve_sets_session_keys() -> SessionKeys {
	let eve = Sr25519Keyring::Eve.to_account_id();
	let generated = SessionKeys::generate(&eve.encode(), Some(b"//Eve".to_vec()));
	assert_ok!(Session::set_keys(
		RuntimeOrigin::signed(eve),
		generated.keys.clone(),
		generated.proof.encode()
	));
	generated.keys
}

#[test]
fn added_validator_authors_and_votes_from_the_session_after_next() {
	ext_from_preset("local_testnet").execute_with(|| {
		System::set_block_number(1);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let keys = eve_sets_session_keys();
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), eve.clone()));

		run_to_session(1);
		assert!(!Session::validators().contains(&eve), "session 1 still runs the old set");
		assert!(Session::queued_keys().iter().any(|(v, _)| v == &eve), "eve is queued");
		assert_eq!(System::block_number(), SESSION_PERIOD);

		run_to_session(2);
		assert!(Session::validators().contains(&eve));
		assert!(aura_authorities().contains(&keys.aura), "eve authors blocks");
		assert!(grandpa_authorities().contains(&keys.grandpa), "eve votes on finality");
		assert_eq!(aura_authorities().len(), 5);
	});
}

#[test]
fn removed_validator_leaves_aura_and_grandpa() {
	ext_from_preset("local_testnet").execute_with(|| {
		System::set_block_number(1);
		let dave = Sr25519Keyring::Dave.to_account_id();
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), dave.clone()));
		run_to_session(2);
		assert!(!Session::validators().contains(&dave));
		assert!(!aura_authorities().contains(&Sr25519Keyring::Dave.public().into()));
		assert!(!grandpa_authorities().contains(&Ed25519Keyring::Dave.public().into()));
		assert_eq!(aura_authorities().len(), 3);
	});
}

#[test]
fn validator_changes_need_root_and_keys() {
	ext_from_preset("local_testnet").execute_with(|| {
		System::set_block_number(1);
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(eve.clone()), eve.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), eve),
			pallet_validator_set::Error::<Runtime>::NoSessionKeys
		);
	});
}

#[test]
fn session_keys_need_a_valid_ownership_proof() {
	ext_from_preset("local_testnet").execute_with(|| {
		let eve = Sr25519Keyring::Eve.to_account_id();
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		// Keys generated for Ferdie cannot be registered by Eve.
		let generated = SessionKeys::generate(&ferdie.encode(), Some(b"//Ferdie".to_vec()));
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(eve), generated.keys, generated.proof.encode()),
			pallet_session::Error::<Runtime>::InvalidProof
		);
	});
}
