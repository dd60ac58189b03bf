//! `pallet_matching`: the job market. Jobs are escrowed through billing, matched to running
//! provisions in a bounded hook, accepted and answered by the provisions' worker keys, spot
//! checked, and settled (providers paid, rewards points awarded, failures slashed).

use crate::{
	AccountId, Billing, Health, ProviderStaking, Provisions, Rewards, Runtime, HOURS, MINUTES, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

parameter_types! {
	/// The matching hook (timeouts, then matching) may fill 40% of a block; normal
	/// transactions keep the rest of their 75%.
	pub MaxHookWeight: Weight =
		Perbill::from_percent(40) * super::RuntimeBlockWeights::get().max_block;
}

impl pallet_matching::Config for Runtime {
	type Provisions = Provisions;
	type Health = Health;
	type Billing = Billing;
	type Slashing = ProviderStaking;
	type Rewards = Rewards;
	type AdminOrigin = EnsureRoot<AccountId>;
	// Workers act on finalized assignments (GRANDPA lags a few blocks), so they get a minute.
	type AcceptWindow = ConstU32<MINUTES>;
	// A job no worker accepted within ten minutes closes with a full refund, unless its owner
	// asked to wait longer (or less) with `max_wait`.
	type DefaultMaxWait = ConstU32<{ 10 * MINUTES }>;
	type MaxInputLen = ConstU32<{ 8 * 1024 }>;
	type MaxOutputLen = ConstU32<{ 8 * 1024 }>;
	type MaxUriLen = ConstU32<256>;
	type MaxCandidates = ConstU32<16>;
	// The hook's worst case (benchmarked weights, ParityDB costs): 128 matches at ~5.7 ms and
	// 128 timeouts at ~1.8 ms, about half of the 2 s of computation a 6 s block allows.
	type MaxMatchesPerBlock = ConstU32<4096>;
	type MaxHookWeight = MaxHookWeight;
	type MaxQueueLen = ConstU32<10_000>;
	type MaxJobsPerProvision = ConstU32<64>;
	type MaxAttempts = ConstU32<3>;
	type MaxBatch = ConstU32<128>;
	type MaxTimeoutsPerBlock = ConstU32<4096>;
	type MaxRedundancy = ConstU32<2>;
	// Stake slashed (CXM): a missed acceptance is cheap, an abandoned job dearer, a wrong
	// result dearest. Half goes to the job's owner (staking's harmed share).
	type AcceptTimeoutSlash = ConstU128<{ UNIT }>;
	type ExpirySlash = ConstU128<{ 10 * UNIT }>;
	type WrongResultSlash = ConstU128<{ 100 * UNIT }>;
	type BlocksPerHour = ConstU32<HOURS>;
	type WeightInfo = pallet_matching::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::bench_fixtures::MatchingFixtures;
}
