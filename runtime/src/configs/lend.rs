//! `pallet_lend`: lending markets over `pallet_assets` assets, priced by the oracle.

use crate::{AccountId, Oracle, Runtime, RuntimeCall};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{FixedU128, Permill};

parameter_types! {
	pub const LendPalletId: PalletId = PalletId(*b"cx/lend_");
	pub const MinimumLiquidity: u128 = cxmpute_math::lending::DEFAULT_MINIMUM_LIQUIDITY;
	pub const CloseFactor: Permill = Permill::from_percent(50);
	pub const FullLiquidationHealth: FixedU128 = cxmpute_math::lending::DEFAULT_FULL_LIQUIDATION_HEALTH;
	pub const FlashLoanFee: Permill = Permill::from_parts(900); // 0.09%
}

impl pallet_lend::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type Assets = crate::Assets;
	type Oracle = Oracle;
	type MarketOrigin = EnsureRoot<AccountId>;
	type PalletId = LendPalletId;
	type MaxMarketsPerAccount = ConstU32<8>;
	type MaxFlashLoanCalls = ConstU32<8>;
	// 6-second blocks.
	type BlocksPerYear = ConstU64<{ cxmpute_math::lending::BLOCKS_PER_YEAR_6S }>;
	type MinimumLiquidity = MinimumLiquidity;
	type CloseFactor = CloseFactor;
	type FullLiquidationHealth = FullLiquidationHealth;
	type FlashLoanFee = FlashLoanFee;
	type WeightInfo = pallet_lend::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = LendBenchmarkHelper;
}

/// Assets and fresh oracle prices for the lending benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct LendBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_lend::BenchmarkHelper for LendBenchmarkHelper {
	fn create_asset(asset: u32) {
		use frame_support::traits::fungibles::{Create, Inspect};
		if !<crate::Assets as Inspect<AccountId>>::asset_exists(asset) {
			let admin: AccountId = frame_benchmarking::account("asset-admin", 0, 0);
			<crate::Assets as Create<AccountId>>::create(asset, admin, true, 1)
				.expect("a fresh asset id can be created; qed");
		}
	}
	fn set_price(asset: u32, price: cxmpute_primitives::Price) {
		super::bench_fixtures::set_oracle_price(asset, price);
	}
}
