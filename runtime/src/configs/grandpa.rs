//! `pallet_grandpa`: finality; authorities come from session.

use crate::{configs::validator_set::MaxValidators, Runtime, RuntimeEvent};
use frame_support::traits::{ConstU32, ConstU64};

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxValidators;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	/// Equivocation reports are not accepted yet, so key-ownership proofs have no values.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}
