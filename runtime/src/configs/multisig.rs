//! `pallet_multisig`: accounts controlled by several signatories.

use crate::{Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, MILLI_UNIT, UNIT};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Deposit for a pending multisig operation: base plus a part per signatory.
	pub const DepositBase: Balance = UNIT;
	pub const DepositFactor: Balance = 100 * MILLI_UNIT;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositFactor = DepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
