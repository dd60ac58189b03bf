//! `pallet_provider_staking`: providers' bonded CXM, the per-tier minimum that gates running a
//! provision, and slashing on behalf of the job market.

use crate::{Balances, Provisions, Runtime, RuntimeHoldReason, TreasuryAccount, DAYS};
use frame_support::traits::ConstU32;

impl pallet_provider_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Provisions = Provisions;
	// Long enough for disputes about a provider's last jobs to be settled (and slashed).
	type UnbondingDelay = ConstU32<{ 7 * DAYS }>;
	type MaxUnlockingChunks = ConstU32<16>;
	type MaxProvisionsPerProvider =
		<Runtime as pallet_provisions::Config>::MaxProvisionsPerProvider;
	type TreasuryAccount = TreasuryAccount;
	type WeightInfo = pallet_provider_staking::weights::SubstrateWeight<Runtime>;
}
