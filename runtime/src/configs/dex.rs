//! `pallet_dex`: permissionless order books over `pallet_assets` assets, quoted against the USD
//! stable asset for the oracle's TWAP fallback.

use crate::{AccountId, Assets, Runtime, TreasuryAccount, STABLE_ASSET_ID};
use cxmpute_primitives::Price;
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::Permill;

parameter_types! {
	pub const DexPalletId: PalletId = PalletId(*b"cx/dex__");
	pub const DefaultTakerFee: Permill = Permill::from_parts(1_000); // 0.1%
	pub const MaxTakerFee: Permill = Permill::from_percent(1);
	/// 1e-9 quote units per base unit.
	pub const MinPrice: Price = Price::from_inner(1_000_000_000);
	/// 1e12 quote units per base unit.
	pub const MaxPrice: Price = Price::from_inner(1_000_000_000_000_000_000_000_000_000_000);
}

impl pallet_dex::Config for Runtime {
	type Assets = Assets;
	type PalletId = DexPalletId;
	type FeeAccount = TreasuryAccount;
	type AdminOrigin = EnsureRoot<AccountId>;
	type QuoteAsset = ConstU32<STABLE_ASSET_ID>;
	type DefaultTakerFee = DefaultTakerFee;
	type MaxTakerFee = MaxTakerFee;
	type MinPrice = MinPrice;
	type MaxPrice = MaxPrice;
	type MinOrderAmount = ConstU128<1_000>;
	type MaxFills = ConstU32<32>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxObservations = ConstU32<64>;
	// One TWAP observation per 5 blocks: 64 observations cover 32 minutes, the oracle's
	// 30-minute fallback window.
	type ObservationInterval = ConstU32<5>;
	type WeightInfo = pallet_dex::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_dex::CreateAssets<Assets>;
}
