//! `pallet_provisions`: providers' machines, their offers, worker keys and liveness.

use crate::{Billing, ProviderStaking, Runtime, MINUTES};
use frame_support::traits::ConstU32;

impl pallet_provisions::Config for Runtime {
	type StakeGate = ProviderStaking;
	// Providers quote at or below billing's pay-as-you-go reference prices.
	type PriceCeiling = Billing;
	type MaxProvisionsPerProvider = ConstU32<64>;
	type MaxStringLen = ConstU32<64>;
	type MaxModels = ConstU32<32>;
	type MaxEndpointLen = ConstU32<256>;
	type MaxPoolSize = ConstU32<512>;
	type MaxOffPerBlock = ConstU32<64>;
	// One minute without a heartbeat and a provision goes off (workers beat every 20 s).
	type HeartbeatTimeout = ConstU32<MINUTES>;
	type WeightInfo = pallet_provisions::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StakeForBenchmarks;
}

/// Funds and bonds the tier's minimum stake for benchmark providers.
#[cfg(feature = "runtime-benchmarks")]
pub struct StakeForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_provisions::BenchmarkHelper<crate::AccountId> for StakeForBenchmarks {
	fn allow_to_run(provider: &crate::AccountId, tier: cxmpute_primitives::Tier) {
		super::bench_fixtures::bond_for_tier(provider, tier);
	}
}
