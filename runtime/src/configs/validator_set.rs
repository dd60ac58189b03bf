//! `pallet_validator_set`: root adds and removes validators; session applies the changes.

use crate::{AccountId, Runtime, RuntimeEvent, Session};
use frame_support::traits::ConstU32;
use frame_system::EnsureRoot;

/// Validators at most; also Aura's and GRANDPA's authority bound.
pub type MaxValidators = ConstU32<32>;

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type UpdateOrigin = EnsureRoot<AccountId>;
	type ValidatorRegistration = Session;
	type MinValidators = ConstU32<1>;
	type MaxValidators = MaxValidators;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysForBenchmarks;
}

/// Registers deterministic session keys for benchmark accounts.
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysForBenchmarks {
	fn register_session_keys(who: &AccountId) {
		use codec::Encode;
		let seed = sp_io::hashing::blake2_256(&who.encode());
		let keys = crate::SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(seed).into(),
			grandpa: sp_core::ed25519::Public::from_raw(seed).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}
