//! `pallet_rewards`: points per completed job, multiplied by measured health and network
//! demand, and a daily emission shared pro rata to points.

use crate::{AccountId, Balances, Health, Matching, Provisions, Runtime, DAYS, HOURS, UNIT};
use frame_support::traits::{ConstU128, ConstU32};
use frame_system::EnsureRoot;

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	type Provisions = Provisions;
	type Health = Health;
	// Busy job slots over running capacity, from the job market.
	type Utilisation = Matching;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type EpochLength = ConstU32<DAYS>;
	type DemandPeriod = ConstU32<HOURS>;
	type MaxPayoutsPerPage = ConstU32<64>;
	// Unclaimed rewards expire after 90 daily epochs.
	type ClaimWindow = ConstU32<90>;
	type MaxEmissionPerEpoch = ConstU128<{ 1_000_000 * UNIT }>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RewardsBenchmarkHelper;
}

/// Provisions for the rewards benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RewardsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_rewards::BenchmarkHelper<AccountId> for RewardsBenchmarkHelper {
	fn provision_of(provider: &AccountId) -> pallet_provisions::ProvisionId {
		super::bench_fixtures::running_provision_of(provider.clone())
	}
}
