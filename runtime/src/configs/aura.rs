//! `pallet_aura`: block authoring in round-robin slots; authorities come from session.

use crate::{configs::validator_set::MaxValidators, Runtime};
use frame_support::traits::ConstBool;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxValidators;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}
