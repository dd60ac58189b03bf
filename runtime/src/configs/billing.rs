//! `pallet_billing`: stable-asset credits, per-job escrow, pay-as-you-go reference prices,
//! subscriptions, API keys and usage statistics for the job market.

use crate::{AccountId, Assets, Runtime, TreasuryAccount, DAYS, MINUTES, STABLE_ASSET_ID};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;

parameter_types! {
	pub const BillingPalletId: PalletId = PalletId(*b"cx/bill_");
}

impl pallet_billing::Config for Runtime {
	type Assets = Assets;
	type StableAsset = ConstU32<STABLE_ASSET_ID>;
	type PalletId = BillingPalletId;
	// Platform fees accrue as the treasury's credits and fund verification runs (spot checks).
	type Treasury = TreasuryAccount;
	type AdminOrigin = EnsureRoot<AccountId>;
	type BlocksPerMinute = ConstU32<MINUTES>;
	type BlocksPerDay = ConstU32<DAYS>;
	// A subscription month is 30 days; unused tokens roll over for 90.
	type SubscriptionPeriod = ConstU32<{ 30 * DAYS }>;
	type RolloverPeriod = ConstU32<{ 90 * DAYS }>;
	type MaxApiKeys = ConstU32<16>;
	type UsageRetentionDays = ConstU32<90>;
	type WeightInfo = pallet_billing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_billing::CreateAndMint<Assets>;
}
