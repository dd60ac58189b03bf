//! The job market wired together: a job escrowed by billing, matched by the hook to a running
//! provision, answered by its worker key only, settled (provider paid, fee to the treasury,
//! user refunded, rewards points awarded), or refunded when nothing runs it; a missed acceptance
//! slashes the provider's stake.

use super::{ext_from_preset, tide_pool_spec};
use crate::{
	genesis_config_presets::MIN_PROVIDER_STAKES, AccountId, Assets, Balances, Billing, Matching,
	ProviderStaking, Provisions, Runtime, RuntimeEvent, RuntimeOrigin, System, TreasuryAccount,
	STABLE_ASSET_ID, UNIT,
};
use cxmpute_primitives::{JobUsage, NetworkUtilisation, ServiceKind, Tier};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect as _, Get, Hooks},
};
use pallet_matching::{
	ClassRequest, DataInput, JobService, JobSpec, Outcome, Requirements, ResultInput,
};
use pallet_provisions::{ProvisionId, ServiceInput};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::AccountIdConversion;

/// One US dollar of the stable asset.
const USD: u128 = 1_000_000;
/// Charlie's price per 1K embedding tokens: the Tide Pool reference price.
const PRICE: u128 = 20;

fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}
fn dave() -> AccountId {
	Sr25519Keyring::Dave.to_account_id()
}
fn credits(who: &AccountId) -> u128 {
	pallet_billing::CreditsOf::<Runtime>::get(who)
}

/// Charlie bonds, registers a Tide Pool embeddings provision with 2 slots, authorizes Ferdie and
/// heartbeats it into `Running`; returns `(provision, worker)`.
fn running_embeddings_provision() -> (ProvisionId, AccountId) {
	let worker = Sr25519Keyring::Ferdie.to_account_id();
	assert_ok!(ProviderStaking::bond(RuntimeOrigin::signed(charlie()), MIN_PROVIDER_STAKES[0]));
	let over =
		vec![ServiceInput { kind: ServiceKind::Embeddings, price: PRICE + 1, models: vec![] }];
	assert_noop!(
		Provisions::register_provision(
			RuntimeOrigin::signed(charlie()),
			tide_pool_spec(),
			over,
			b"http://127.0.0.1:9/health".to_vec(),
			None,
			2
		),
		pallet_provisions::Error::<Runtime>::PriceAboveCeiling
	);
	let id = draft_embeddings_provision();
	assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(charlie()), id, worker.clone()));
	assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(charlie()), id));
	assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(worker.clone()), id));
	(id, worker)
}

/// Charlie registers a Tide Pool embeddings provision with 2 slots at [`PRICE`] and leaves it
/// a draft: embeddings are offered, but nothing runs them yet.
fn draft_embeddings_provision() -> ProvisionId {
	let nonce = pallet_provisions::NonceOf::<Runtime>::get(charlie());
	assert_ok!(Provisions::register_provision(
		RuntimeOrigin::signed(charlie()),
		tide_pool_spec(),
		vec![ServiceInput { kind: ServiceKind::Embeddings, price: PRICE, models: vec![] }],
		b"http://127.0.0.1:9/health".to_vec(),
		None,
		2
	));
	Provisions::provision_id(&charlie(), nonce)
}

/// Run the provisions' and the job market's hooks up to block `n`.
fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Provisions as Hooks<u32>>::on_initialize(next);
		<Matching as Hooks<u32>>::on_initialize(next);
	}
}

/// An embeddings job of at most 10K tokens on a Tide Pool provision.
fn embeddings_spec() -> JobSpec {
	JobSpec {
		service: JobService::Embeddings,
		requirements: Requirements {
			min_tier: Tier::TidePool,
			min_vram_mb: 0,
			min_cpu_cores: 1,
			min_ram_mb: 1024,
		},
		max_usage: JobUsage { input_tokens: 10_000, ..Default::default() },
	}
}

/// An embeddings job of at most 10K tokens at up to [`PRICE`]: 200 units escrowed.
fn submit_embeddings_job(deadline: u32) -> u64 {
	let spec = embeddings_spec();
	let job = pallet_matching::NextJobId::<Runtime>::get();
	assert_ok!(Matching::submit_job(
		RuntimeOrigin::signed(dave()),
		spec,
		DataInput::Inline(b"the quick brown fox".to_vec()),
		PRICE,
		deadline,
		0,
		ClassRequest::Standard,
		None,
	));
	job
}

fn matching_events() -> Vec<pallet_matching::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Matching(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Billing's books balance: credits + escrows + the pool = deposited - withdrawn, and the pallet
/// account holds that much of the stable asset.
fn assert_billing_conserved() {
	let totals = pallet_billing::StableTotals::<Runtime>::get();
	let held = pallet_billing::TotalCredits::<Runtime>::get()
		+ pallet_billing::TotalEscrowed::<Runtime>::get()
		+ pallet_billing::SubscriptionPool::<Runtime>::get();
	assert_eq!(held, totals.deposited - totals.withdrawn);
	let pallet_account: AccountId =
		<Runtime as pallet_billing::Config>::PalletId::get().into_account_truncating();
	assert_eq!(Assets::balance(STABLE_ASSET_ID, &pallet_account), held);
}

/// No spot checks: the dev chain has one provision, so a check could never be run.
fn without_spot_checks() {
	assert_ok!(Matching::set_params(
		RuntimeOrigin::root(),
		pallet_matching::MatchingParams {
			spot_check_rate: sp_runtime::Permill::zero(),
			near_equal_band: sp_runtime::Permill::from_percent(5),
		}
	));
}

#[test]
fn a_job_settles_through_billing_and_pays_only_the_worker_keys_result() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		without_spot_checks();
		let (id, worker) = running_embeddings_provision();
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(dave()), 10 * USD));
		let job = submit_embeddings_job(100);
		assert_eq!(credits(&dave()), 10 * USD - 200);
		assert_billing_conserved();

		// The next block's hook assigns it to the only eligible provision.
		run_to_block(2);
		assert!(matching_events().iter().any(|e| matches!(e,
			pallet_matching::Event::Assigned { job: j, provision, worker: w, .. }
				if *j == job && *provision == id && *w == worker)));
		assert_eq!(Matching::utilisation(), Some(sp_runtime::Perbill::from_percent(50)));

		// Another key's acceptance and result are refused item by item.
		let eve = Sr25519Keyring::Eve.to_account_id();
		let result = ResultInput {
			job,
			output: DataInput::Inline(vec![7; 384]),
			output_hash: sp_io::hashing::blake2_256(&[7; 384]),
			usage: JobUsage { input_tokens: 1_000, compute_ms: 12, ..Default::default() },
		};
		System::reset_events();
		assert_ok!(Matching::accept_jobs(RuntimeOrigin::signed(eve.clone()), vec![job]));
		assert_ok!(Matching::submit_results(RuntimeOrigin::signed(eve), vec![result.clone()]));
		let refused: Vec<_> = matching_events()
			.into_iter()
			.filter(|e| matches!(e, pallet_matching::Event::ItemFailed { job: j, .. } if *j == job))
			.collect();
		assert_eq!(refused.len(), 2);

		// The worker key accepts and answers; the job settles at once.
		let charlie_before = credits(&charlie());
		let treasury_before = credits(&TreasuryAccount::get());
		System::reset_events();
		assert_ok!(Matching::accept_jobs(RuntimeOrigin::signed(worker.clone()), vec![job]));
		assert_ok!(Matching::submit_results(RuntimeOrigin::signed(worker), vec![result]));
		let closed = matching_events().into_iter().find_map(|e| match e {
			pallet_matching::Event::JobClosed { job: j, outcome, paid, refunded, .. }
				if j == job =>
			{
				Some((outcome, paid, refunded))
			},
			_ => None,
		});
		// 1,000 tokens at 20 per 1K: 20 units, of which the 5% fee rounds up to 1.
		assert_eq!(closed, Some((Outcome::Settled, 20, 180)));
		assert_eq!(credits(&charlie()) - charlie_before, 19);
		assert_eq!(credits(&TreasuryAccount::get()) - treasury_before, 1);
		assert_eq!(credits(&dave()), 10 * USD - 20);
		assert!(pallet_billing::Escrows::<Runtime>::get(job).is_none());
		assert_eq!(Matching::utilisation(), Some(sp_runtime::Perbill::zero()));
		assert_billing_conserved();
	});
}

#[test]
fn a_job_no_provision_offers_is_refused_and_a_draft_makes_it_servable() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(dave()), USD));
		let submit = || {
			Matching::submit_job(
				RuntimeOrigin::signed(dave()),
				embeddings_spec(),
				DataInput::Inline(b"the quick brown fox".to_vec()),
				PRICE,
				100,
				0,
				ClassRequest::Standard,
				None,
			)
		};
		assert_noop!(submit(), pallet_matching::Error::<Runtime>::Unservable);
		assert_eq!(credits(&dave()), USD);
		let draft = draft_embeddings_provision();
		assert_ok!(submit());
		assert_eq!(credits(&dave()), USD - 200);
		// The last provision offering embeddings is deregistered: the waiting job closes in
		// the next block with a full refund, not at its deadline.
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(charlie()), draft));
		run_to_block(2);
		assert!(matching_events().iter().any(|e| matches!(
			e,
			pallet_matching::Event::JobClosed {
				outcome: Outcome::Unservable,
				paid: 0,
				refunded: 200,
				..
			}
		)));
		assert_eq!(credits(&dave()), USD);
		assert_billing_conserved();
	});
}

#[test]
fn a_job_nobody_can_run_expires_with_a_full_refund() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(dave()), USD));
		draft_embeddings_provision();
		let job = submit_embeddings_job(5);
		assert_eq!(credits(&dave()), USD - 200);
		run_to_block(7);
		assert!(matching_events().iter().any(|e| matches!(e,
			pallet_matching::Event::JobClosed { job: j, outcome: Outcome::Expired, paid: 0, refunded: 200, .. }
				if *j == job)));
		assert_eq!(credits(&dave()), USD);
		assert_billing_conserved();
	});
}

#[test]
fn a_missed_acceptance_slashes_the_provider_and_pays_half_to_the_user() {
	ext_from_preset("development").execute_with(|| {
		System::set_block_number(1);
		without_spot_checks();
		let (_id, _worker) = running_embeddings_provision();
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(dave()), USD));
		let job = submit_embeddings_job(200);
		run_to_block(2);
		let stake_before =
			pallet_provider_staking::LedgerOf::<Runtime>::get(charlie()).expect("bonded").active;
		let dave_before = Balances::balance(&dave());
		// The worker never accepts: after the accept window the provider is slashed.
		let window: u32 = <Runtime as pallet_matching::Config>::AcceptWindow::get();
		run_to_block(2 + window + 1);
		let slash: u128 = <Runtime as pallet_matching::Config>::AcceptTimeoutSlash::get();
		assert!(matching_events().iter().any(|e| matches!(e,
			pallet_matching::Event::AssignmentTimedOut { job: j, .. } if *j == job)));
		let stake_after =
			pallet_provider_staking::LedgerOf::<Runtime>::get(charlie()).expect("bonded").active;
		assert_eq!(stake_before - stake_after, slash);
		assert_eq!(Balances::balance(&dave()) - dave_before, slash / 2);
		assert_eq!(slash, UNIT);
		assert_billing_conserved();
	});
}
