//! Pallets whose benchmarks `cxmpute-node benchmark pallet` can run.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_assets, Assets]
	[pallet_utility, Utility]
	[pallet_multisig, Multisig]
	[pallet_validator_set, ValidatorSet]
	[pallet_provisions, Provisions]
	[pallet_provider_staking, ProviderStaking]
	[pallet_health, Health]
	[pallet_rewards, Rewards]
	[pallet_matching, Matching]
	[pallet_billing, Billing]
	[pallet_oracle, Oracle]
	[pallet_dex, Dex]
	[pallet_lend, Lend]
);
