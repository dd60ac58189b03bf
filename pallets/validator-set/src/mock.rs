//! Test runtime: System + Session driven by this pallet, with test session keys.

use crate::{self as pallet_validator_set};
use frame_support::{derive_impl, parameter_types};
use sp_runtime::{
	impl_opaque_keys,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

/// Records what the session pallet tells its handlers, so tests can see the active set.
pub struct TestSessionHandler;
impl pallet_session::SessionHandler<AccountId> for TestSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[sp_runtime::key_types::DUMMY];
	fn on_genesis_session<Ks: OpaqueKeys>(_validators: &[(AccountId, Ks)]) {}
	fn on_new_session<Ks: OpaqueKeys>(
		_changed: bool,
		_validators: &[(AccountId, Ks)],
		_queued_validators: &[(AccountId, Ks)],
	) {
	}
	fn on_disabled(_validator_index: u32) {}
}

parameter_types! {
	pub const Period: u64 = 5;
	pub const Offset: u64 = 0;
	pub static MinValidators: u32 = 2;
	pub const MaxValidators: u32 = 4;
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = TestSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ();
}

impl crate::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type UpdateOrigin = frame_system::EnsureRoot<AccountId>;
	type ValidatorRegistration = Session;
	type MinValidators = MinValidators;
	type MaxValidators = MaxValidators;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Registers test session keys for benchmark accounts.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		pallet_session::NextKeys::<Test>::insert(who, keys(*who));
	}
}

/// Session keys for account `id` in tests.
pub fn keys(id: AccountId) -> MockSessionKeys {
	MockSessionKeys { dummy: UintAuthorityId(id) }
}

/// Builds test externalities with validators 1, 2, 3 at genesis and keys for 1..=6.
pub struct ExtBuilder {
	validators: Vec<AccountId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { validators: vec![1, 2, 3] }
	}
}

impl ExtBuilder {
	/// Replace the genesis validators.
	pub fn with_validators(mut self, validators: Vec<AccountId>) -> Self {
		self.validators = validators;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: (1..=6).map(|id| (id, 1_000)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_validator_set::GenesisConfig::<Test> { initial_validators: self.validators.clone() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_session::GenesisConfig::<Test> {
			keys: self.validators.iter().map(|&v| (v, v, keys(v))).collect(),
			non_authority_keys: (1..=5)
				.filter(|v| !self.validators.contains(v))
				.map(|v| (v, v, keys(v)))
				.collect(),
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ValidatorSet::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// Advance to the first block of session `index`, running the session hooks on the way.
pub fn run_to_session(index: u32) {
	use frame_support::traits::Hooks;
	while Session::current_index() < index {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Session as Hooks<u64>>::on_initialize(next);
	}
}
