//! State that several pallets' benchmarks need from the real runtime, built through the real
//! calls so the benchmarks measure the state the chain would have.

use crate::{AccountId, Balances, ProviderStaking, Provisions, RuntimeOrigin, UNIT};
use cxmpute_primitives::ServiceKind;
use frame_support::traits::fungible::Mutate;
use pallet_provisions::{HardwareInput, ProvisionId, ServiceInput};

/// A running Tide Pool embeddings provision of a fresh provider `i`, with a staked provider and
/// an authorized worker that has heartbeated.
pub fn running_provision(i: u32) -> ProvisionId {
	running_provision_of(frame_benchmarking::account("provider", i, 0))
}

/// A running Tide Pool embeddings provision of `provider` (funded and staked here), with an
/// authorized worker that has heartbeated.
pub fn running_provision_of(provider: AccountId) -> ProvisionId {
	// One worker key per (provider, nonce): keys serve a single provision.
	let provider_seed = u32::from_le_bytes(
		sp_io::hashing::blake2_256(provider.as_ref())[..4]
			.try_into()
			.expect("4 bytes of a 32-byte hash; qed"),
	);
	let nonce = pallet_provisions::NonceOf::<crate::Runtime>::get(&provider);
	let worker: AccountId = frame_benchmarking::account("worker", nonce as u32, provider_seed);
	bond_for_tier(&provider, cxmpute_primitives::Tier::TidePool);
	Balances::set_balance(&worker, UNIT);
	let spec = HardwareInput {
		gpu_model: b"bench-gpu".to_vec(),
		vram_mb: 4096,
		cpu_cores: 8,
		ram_mb: 16_384,
		disk_gb: 100,
		region: b"bench".to_vec(),
	};
	let services = alloc::vec![ServiceInput {
		kind: ServiceKind::Embeddings,
		price: 1,
		models: alloc::vec![]
	}];
	Provisions::register_provision(
		RuntimeOrigin::signed(provider.clone()),
		spec,
		services,
		b"http://127.0.0.1:9/health".to_vec(),
		None,
		1,
	)
	.expect("a fresh provider can register a valid spec; qed");
	let id = Provisions::provision_id(&provider, nonce);
	Provisions::authorize_worker(RuntimeOrigin::signed(provider.clone()), id, worker.clone())
		.expect("the worker key is fresh; qed");
	Provisions::start_provision(RuntimeOrigin::signed(provider), id)
		.expect("staked, with a worker key; qed");
	Provisions::heartbeat(RuntimeOrigin::signed(worker), id).expect("started by its worker; qed");
	id
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
