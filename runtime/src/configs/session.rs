//! `pallet_session`: rotates validator sets every `SESSION_PERIOD` blocks.

use crate::{
	AccountId, Balances, Runtime, RuntimeEvent, SessionKeys, ValidatorSet, SESSION_PERIOD,
};
use frame_support::parameter_types;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

parameter_types! {
	pub const Period: u32 = SESSION_PERIOD;
	pub const Offset: u32 = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	/// Validators are identified by their account.
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Nothing disables validators yet (no equivocation slashing on this chain so far).
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = ();
}
