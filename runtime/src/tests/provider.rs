//! The provider side wired together: stake gates provisions, slashing splits stake between the
//! harmed user and the treasury, and a slashed provider's provision stops heartbeating.

use super::{ext_from_preset, tide_pool_spec};
use crate::{
	genesis_config_presets::MIN_PROVIDER_STAKES, AccountId, Balances, ProviderStaking, Provisions,
	Runtime, RuntimeOrigin, System, TreasuryAccount, UNIT,
};
use cxmpute_primitives::{ProviderSlashing, ServiceKind, SlashReason, Tier};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Get, Hooks},
};
use pallet_provisions::{ProvisionState, ServiceInput};
use sp_keyring::Sr25519Keyring;

fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}

/// Charlie registers a Tide Pool embeddings provision, authorizes Ferdie as its worker key and
/// returns `(provision, worker)`.
fn register_tide_pool_provision() -> (pallet_provisions::ProvisionId, AccountId) {
	let worker = Sr25519Keyring::Ferdie.to_account_id();
	let spec = tide_pool_spec();
	let services = vec![ServiceInput { kind: ServiceKind::Embeddings, price: 20, models: vec![] }];
	let nonce = pallet_provisions::NonceOf::<Runtime>::get(charlie());
	assert_ok!(Provisions::register_provision(
		RuntimeOrigin::signed(charlie()),
		spec,
		services,
		b"http://127.0.0.1:9/health".to_vec(),
		None,
		2
	));
	let id = Provisions::provision_id(&charlie(), nonce);
	assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(charlie()), id, worker.clone()));
	(id, worker)
}

fn state(id: pallet_provisions::ProvisionId) -> ProvisionState {
	pallet_provisions::Provisions::<Runtime>::get(id).expect("registered").state
}

fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Provisions as Hooks<u32>>::on_initialize(next);
	}
}

#[test]
fn genesis_sets_the_minimum_stake_of_every_tier() {
	ext_from_preset("development").execute_with(|| {
		for (tier, min) in Tier::ALL.iter().zip(MIN_PROVIDER_STAKES) {
			assert_eq!(pallet_provider_staking::MinStakeOf::<Runtime>::get(tier), min);
		}
		// The treasury exists, so it can receive any share of a slash.
		assert!(Balances::balance(&TreasuryAccount::get()) >= crate::EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn a_provision_runs_only_with_its_tiers_stake() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		let (id, worker) = register_tide_pool_provision();
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(charlie()), id),
			pallet_provisions::Error::<Runtime>::NotEnoughStake
		);
		assert_ok!(ProviderStaking::bond(RuntimeOrigin::signed(charlie()), MIN_PROVIDER_STAKES[0]));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(charlie()), id));
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(worker), id));
		assert_eq!(state(id), ProvisionState::Running);
		// Running stake cannot leave.
		assert_noop!(
			ProviderStaking::unbond(RuntimeOrigin::signed(charlie()), 1),
			pallet_provider_staking::Error::<Runtime>::StakeInUse
		);
	});
}

#[test]
fn slashing_pays_the_harmed_user_and_the_treasury_and_stops_the_provision() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		let (id, worker) = register_tide_pool_provision();
		assert_ok!(ProviderStaking::bond(RuntimeOrigin::signed(charlie()), MIN_PROVIDER_STAKES[0]));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(charlie()), id));
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(worker.clone()), id));

		let dave = Sr25519Keyring::Dave.to_account_id();
		let issuance = Balances::total_issuance();
		let dave_before = Balances::balance(&dave);
		let treasury_before = Balances::balance(&TreasuryAccount::get());
		let slashed = <ProviderStaking as ProviderSlashing<_, _>>::slash(
			&charlie(),
			40 * UNIT,
			Some(&dave),
			SlashReason::WrongResult,
		);
		assert_eq!(slashed, 40 * UNIT);
		// Half to the harmed user, half to the treasury; nothing minted or burned.
		assert_eq!(Balances::balance(&dave) - dave_before, 20 * UNIT);
		assert_eq!(Balances::balance(&TreasuryAccount::get()) - treasury_before, 20 * UNIT);
		assert_eq!(Balances::total_issuance(), issuance);

		// 60 CXM left is below the Tide Pool minimum: no more heartbeats, so it goes off.
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(worker), id),
			pallet_provisions::Error::<Runtime>::NotEnoughStake
		);
		let timeout: u32 = <Runtime as pallet_provisions::Config>::HeartbeatTimeout::get();
		run_to_block(1 + timeout);
		assert_eq!(state(id), ProvisionState::Off);
	});
}
