//! `pallet_oracle`: prices from a root-managed operator set, with the dex's TWAP as the
//! explicit fallback.

use crate::{AccountId, Dex, Runtime, MINUTES};
use frame_support::traits::{ConstU32, ConstU64};
use frame_system::EnsureRoot;

impl pallet_oracle::Config for Runtime {
	type UpdateOrigin = EnsureRoot<AccountId>;
	type AuthorityId = pallet_oracle::crypto::OracleAuthId;
	type Twap = Dex;
	type MaxOperators = ConstU32<16>;
	type MaxAssets = ConstU32<32>;
	type MinFeeds = ConstU32<1>;
	// A price older than two minutes is stale.
	type MaxAge = ConstU32<{ 2 * MINUTES }>;
	// The TWAP fallback averages the last 30 minutes.
	type TwapWindow = ConstU32<{ 30 * MINUTES }>;
	type MaxUrlLen = ConstU32<256>;
	type MaxPathLen = ConstU32<64>;
	type OffchainInterval = ConstU32<5>;
	type HttpTimeout = ConstU64<5_000>;
	type WeightInfo = pallet_oracle::weights::SubstrateWeight<Runtime>;
}
