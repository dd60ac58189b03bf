//! State that several pallets' benchmarks need from the real runtime, built through the real
//! calls so the benchmarks measure the state the chain would have.

use crate::{
	AccountId, Balances, Billing, ProviderStaking, Provisions, Runtime, RuntimeOrigin,
	STABLE_ASSET_ID, UNIT,
};
use alloc::{vec, vec::Vec};
use core::sync::atomic::{AtomicU32, Ordering};
use cxmpute_primitives::{ModelId, PriceCeiling, ServiceKind, Tier, UnitPrice};
use frame_support::traits::{fungible::Mutate, Get};
use pallet_provisions::{HardwareInput, ProvisionId, ServiceInput};

/// A running Tide Pool embeddings provision of a fresh provider `i`, with a staked provider and
/// an authorized worker that has heartbeated.
pub fn running_provision(i: u32) -> ProvisionId {
	running_provision_of(frame_benchmarking::account("provider", i, 0))
}

/// A running Tide Pool embeddings provision of `provider` (funded and staked here), with an
/// authorized worker that has heartbeated.
pub fn running_provision_of(provider: AccountId) -> ProvisionId {
	running_provision_with(provider, ServiceKind::Embeddings, Tier::TidePool, None, 1, 1).0
}

/// The VRAM that puts a machine in `tier`.
fn vram_of(tier: Tier) -> u32 {
	match tier {
		Tier::TidePool => Tier::TIDE_POOL_MAX_MB,
		Tier::BlueSurge => Tier::BLUE_SURGE_MAX_MB,
		Tier::OpenOcean => Tier::OPEN_OCEAN_MAX_MB,
		Tier::MarianaDepth => 81_920,
	}
}

/// A spec in `tier` generous enough for any job's CPU and RAM requirement.
fn spec_in(tier: Tier) -> HardwareInput {
	HardwareInput {
		gpu_model: b"bench-gpu".to_vec(),
		vram_mb: vram_of(tier),
		cpu_cores: 64,
		ram_mb: 262_144,
		disk_gb: 1_000,
		region: b"bench".to_vec(),
	}
}

/// The one service `service` at `price` (with `model` for inference).
fn offer(service: ServiceKind, model: Option<ModelId>, price: UnitPrice) -> Vec<ServiceInput> {
	let models =
		if service == ServiceKind::Inference { model.into_iter().collect() } else { vec![] };
	vec![ServiceInput { kind: service, price, models }]
}

/// Register a `Draft` provision of `provider` offering `service` in `tier` at `price` with
/// `capacity` slots; returns its id.
fn register_draft(
	provider: &AccountId,
	service: ServiceKind,
	tier: Tier,
	model: Option<ModelId>,
	price: UnitPrice,
	capacity: u32,
) -> ProvisionId {
	let nonce = pallet_provisions::NonceOf::<Runtime>::get(provider);
	Provisions::register_provision(
		RuntimeOrigin::signed(provider.clone()),
		spec_in(tier),
		offer(service, model, price),
		b"http://127.0.0.1:9/health".to_vec(),
		None,
		capacity,
	)
	.expect("a valid spec at a price within the ceiling, below MaxProvisionsPerProvider; qed");
	Provisions::provision_id(provider, nonce)
}

/// A running provision of `provider` (funded and staked here) offering `service` in `tier` at
/// `price` with `capacity` slots, with an authorized worker that has heartbeated; returns its id
/// and worker key.
pub fn running_provision_with(
	provider: AccountId,
	service: ServiceKind,
	tier: Tier,
	model: Option<ModelId>,
	price: UnitPrice,
	capacity: u32,
) -> (ProvisionId, AccountId) {
	// One worker key per (provider, nonce): keys serve a single provision.
	let provider_seed = u32::from_le_bytes(
		sp_io::hashing::blake2_256(provider.as_ref())[..4]
			.try_into()
			.expect("4 bytes of a 32-byte hash; qed"),
	);
	let nonce = pallet_provisions::NonceOf::<Runtime>::get(&provider);
	let worker: AccountId = frame_benchmarking::account("worker", nonce as u32, provider_seed);
	bond_for_tier(&provider, tier);
	Balances::set_balance(&worker, UNIT);
	let id = register_draft(&provider, service, tier, model, price, capacity);
	Provisions::authorize_worker(RuntimeOrigin::signed(provider.clone()), id, worker.clone())
		.expect("the worker key is fresh; qed");
	Provisions::start_provision(RuntimeOrigin::signed(provider), id)
		.expect("staked, with a worker key; qed");
	Provisions::heartbeat(RuntimeOrigin::signed(worker.clone()), id)
		.expect("started by its worker; qed");
	(id, worker)
}

/// Mint `amount` of the stable asset to `who` and deposit it as billing credits.
pub fn fund_credits(who: &AccountId, amount: u128) {
	use frame_support::traits::fungibles::Mutate as _;
	// The stable asset is sufficient, so `who` needs no native balance to hold it; deposit
	// leaves the asset's minimum balance behind.
	let min =
		<crate::Assets as frame_support::traits::fungibles::Inspect<AccountId>>::minimum_balance(
			STABLE_ASSET_ID,
		);
	crate::Assets::mint_into(STABLE_ASSET_ID, who, amount.saturating_add(min))
		.expect("the stable asset exists at genesis and minting cannot overflow here; qed");
	Billing::deposit(RuntimeOrigin::signed(who.clone()), amount)
		.expect("just minted, and the pallet account receives at least the minimum; qed");
}

/// Raise billing's reference price of `(service, tier)` to `price` if it is lower, so a
/// benchmark provision may quote it.
fn allow_price(service: ServiceKind, tier: Tier, price: UnitPrice) {
	if Billing::ceiling(service, tier).is_some_and(|ceiling| ceiling < price) {
		Billing::set_reference_price(RuntimeOrigin::root(), service, tier, Some(price))
			.expect("root may set any reference price; qed");
	}
}

/// Numbers the providers of [`MatchingFixtures::running_provision`], so each call has its own.
static NEXT_MATCHING_PROVIDER: AtomicU32 = AtomicU32::new(0);

/// Fixtures for the matching pallet's benchmarks, built through the real provisions, staking
/// and billing calls.
pub struct MatchingFixtures;
impl pallet_matching::BenchmarkHelper<AccountId> for MatchingFixtures {
	fn running_provision(
		service: ServiceKind,
		tier: Tier,
		model: ModelId,
		price: UnitPrice,
	) -> (ProvisionId, AccountId) {
		let n = NEXT_MATCHING_PROVIDER.fetch_add(1, Ordering::Relaxed);
		let provider: AccountId = frame_benchmarking::account("matching-provider", n, 1);
		let capacity: u32 = <Runtime as pallet_matching::Config>::MaxJobsPerProvision::get();
		allow_price(service, tier, price);
		running_provision_with(provider, service, tier, Some(model), price, capacity)
	}

	fn fund_user(who: &AccountId, amount: u128) {
		fund_credits(who, amount);
	}

	fn fund_treasury(amount: u128) {
		fund_credits(&crate::TreasuryAccount::get(), amount);
	}

	fn register_provisions(service: ServiceKind, tier: Tier, n: u32) {
		// Registered provisions live in `Provisions` storage; the pool of `(service, tier)` holds
		// at most `MaxPoolSize` running ones. Fill the pool first (running, staked), leaving room
		// for the benchmark's own provisions, then register the rest as drafts: the state grows
		// with `n` either way. The fillers quote more than any benchmark job pays, so they are
		// read and passed over rather than matched.
		let candidates: u32 = <Runtime as pallet_matching::Config>::MaxCandidates::get();
		let room = 4 * candidates;
		let pool_size: u32 = <Runtime as pallet_provisions::Config>::MaxPoolSize::get();
		let max_pool = pool_size - room;
		let per_provider: u32 =
			<Runtime as pallet_provisions::Config>::MaxProvisionsPerProvider::get();
		let price: UnitPrice = 1_000_000_000;
		allow_price(service, tier, price);
		for i in 0..n {
			let pool_len = pallet_provisions::PoolOf::<Runtime>::get((service, tier)).len() as u32;
			if pool_len < max_pool {
				let provider: AccountId = frame_benchmarking::account("pool-provider", i, 2);
				running_provision_with(provider, service, tier, Some([1; 32]), price, 1);
			} else {
				let provider: AccountId =
					frame_benchmarking::account("draft-provider", i / per_provider, 3);
				register_draft(&provider, service, tier, Some([1; 32]), price, 1);
			}
		}
	}
}

/// Make `price` the oracle's fresh price of `asset`: list the asset if needed and record one feed
/// from a benchmark operator in the current block.
pub fn set_oracle_price(asset: u32, price: cxmpute_primitives::Price) {
	use crate::{Oracle, Runtime};
	let operator: AccountId = frame_benchmarking::account("oracle-operator", 0, 0);
	if !pallet_oracle::Operators::<Runtime>::get().contains(&operator) {
		Oracle::add_operator(RuntimeOrigin::root(), operator.clone())
			.expect("the benchmark operator fits the operator set; qed");
	}
	if !pallet_oracle::FeedSourceOf::<Runtime>::contains_key(asset) {
		Oracle::set_feed_source(
			RuntimeOrigin::root(),
			asset,
			b"https://prices.invalid/bench".to_vec(),
			alloc::vec::Vec::new(),
			0,
		)
		.expect("a valid source for a new asset; qed");
	}
	let feed = pallet_oracle::Feed { operator, price, at: crate::System::block_number() };
	pallet_oracle::FeedsOf::<Runtime>::insert(
		asset,
		frame_support::BoundedVec::truncate_from(alloc::vec![feed]),
	);
}

/// Fund `provider` and bond at least `tier`'s minimum stake (once).
pub fn bond_for_tier(provider: &AccountId, tier: cxmpute_primitives::Tier) {
	let min_stake = pallet_provider_staking::MinStakeOf::<crate::Runtime>::get(tier).max(UNIT);
	let active = pallet_provider_staking::LedgerOf::<crate::Runtime>::get(provider)
		.map(|l| l.active)
		.unwrap_or_default();
	if active < min_stake {
		Balances::set_balance(provider, min_stake.saturating_mul(10));
		ProviderStaking::bond(RuntimeOrigin::signed(provider.clone()), min_stake - active)
			.expect("the provider holds 10x the stake; qed");
	}
}
