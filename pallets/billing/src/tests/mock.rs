//! Test runtime: System, Balances, Assets and billing, with `u64` accounts. The stable asset
//! exists at genesis with a minimum balance of [`MIN_BALANCE`].

use crate::{self as pallet_cxmpute_billing, Admission, Balance, EscrowPart, JobBilling, JobId};
use cxmpute_primitives::ServiceKind;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungibles::Inspect, AsEnsureOriginWithArg},
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::{BuildStorage, DispatchError};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts of the test runtime.
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
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type Billing = pallet_cxmpute_billing;
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

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
}

/// The stable asset.
pub const STABLE: u32 = 1;
/// Its minimum balance.
pub const MIN_BALANCE: Balance = 10;
/// The treasury account.
pub const TREASURY: AccountId = 100;
/// Users.
pub const ALICE: AccountId = 1;
/// See [`ALICE`].
pub const BOB: AccountId = 2;
/// See [`ALICE`].
pub const CHARLIE: AccountId = 3;
/// A provider.
pub const PROVIDER: AccountId = 10;
/// An account used as an API key.
pub const KEY: AccountId = 20;
/// Another API key account.
pub const KEY2: AccountId = 21;
/// What each user starts with of the stable asset ($1,000).
pub const START: Balance = 1_000 * crate::USD;
/// Blocks per rate-limit window.
pub const MINUTE: u64 = 10;
/// Blocks per statistics day.
pub const DAY: u64 = 100;
/// Blocks per subscription period.
pub const PERIOD: u64 = 1_000;
/// Blocks a grant rolls over.
pub const ROLLOVER: u64 = 3_000;

parameter_types! {
	pub const StableAsset: u32 = STABLE;
	pub const Treasury: AccountId = TREASURY;
	pub const BlocksPerMinute: u64 = MINUTE;
	pub const BlocksPerDay: u64 = DAY;
	pub const SubscriptionPeriod: u64 = PERIOD;
	pub static RolloverPeriod: u64 = ROLLOVER;
	pub static EventsSeen: usize = 0;
}

#[derive_impl(crate::config_preludes::TestDefaultConfig)]
impl crate::Config for Test {
	type Assets = Assets;
	type StableAsset = StableAsset;
	type Treasury = Treasury;
	type AdminOrigin = EnsureRoot<AccountId>;
	type BlocksPerMinute = BlocksPerMinute;
	type BlocksPerDay = BlocksPerDay;
	type SubscriptionPeriod = SubscriptionPeriod;
	type RolloverPeriod = RolloverPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::CreateAndMint<Assets>;
}

/// Builds test externalities: the stable asset exists (sufficient, min balance
/// [`MIN_BALANCE`]); ALICE, BOB, CHARLIE, the treasury, the provider and the key accounts hold
/// [`START`]; block 1. Optionally some credits are deposited at the start.
#[derive(Default)]
pub struct ExtBuilder {
	credits: Vec<(AccountId, Balance)>,
}

impl ExtBuilder {
	/// Deposit `amount` for `who` at the start.
	pub fn with_credits(mut self, who: AccountId, amount: Balance) -> Self {
		self.credits.push((who, amount));
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let holders = [ALICE, BOB, CHARLIE, TREASURY, PROVIDER, KEY, KEY2];
		pallet_balances::GenesisConfig::<Test> {
			balances: holders.iter().map(|a| (*a, 1_000)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_assets::GenesisConfig::<Test> {
			assets: vec![(STABLE, ALICE, true, MIN_BALANCE)],
			metadata: vec![],
			accounts: holders.iter().map(|h| (STABLE, *h, START)).collect(),
			next_asset_id: None,
			reserves: vec![],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			for (who, amount) in self.credits {
				assert_ok!(Billing::deposit(RuntimeOrigin::signed(who), amount));
			}
			EventsSeen::set(0);
			System::reset_events();
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Billing::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// The billing events emitted since the last call.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events: Vec<_> = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Billing(event) => Some(event),
			_ => None,
		})
		.collect();
	let seen = EventsSeen::get();
	EventsSeen::set(events.len());
	events.into_iter().skip(seen).collect()
}

/// Go to block `n` (no hooks: the pallet has none).
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Stable asset balance of `who`.
pub fn bal(who: AccountId) -> Balance {
	<Assets as Inspect<AccountId>>::balance(STABLE, &who)
}

/// Credits of `who`.
pub fn credits(who: AccountId) -> Balance {
	crate::CreditsOf::<Test>::get(who)
}

/// The pallet account.
pub fn pallet_account() -> AccountId {
	Billing::account_id()
}

/// Admit as the matching pallet would.
pub fn admit(
	job: JobId,
	signer: AccountId,
	service: ServiceKind,
	escrow: Balance,
	max_tokens: u64,
) -> Result<Admission<AccountId>, DispatchError> {
	<Billing as JobBilling<AccountId>>::admit(job, &signer, service, escrow, max_tokens)
}

/// Pay as the matching pallet would.
pub fn pay(
	job: JobId,
	part: EscrowPart,
	provider: AccountId,
	amount: Balance,
) -> Result<(), DispatchError> {
	<Billing as JobBilling<AccountId>>::pay(job, part, &provider, amount)
}

/// Close as the matching pallet would.
pub fn close(job: JobId, service: ServiceKind, tokens_used: u64) -> Result<Balance, DispatchError> {
	<Billing as JobBilling<AccountId>>::close(job, service, tokens_used)
}

/// Top up as the matching pallet would.
pub fn top_up(job: JobId, amount: Balance) -> Result<(), DispatchError> {
	<Billing as JobBilling<AccountId>>::top_up(job, amount)
}

/// Fund from the treasury as the matching pallet would.
pub fn fund(job: JobId, amount: Balance) -> Result<(), DispatchError> {
	<Billing as JobBilling<AccountId>>::fund_from_treasury(job, amount)
}

/// What is left in a part of an escrow.
pub fn escrowed(job: JobId, part: EscrowPart) -> Balance {
	<Billing as JobBilling<AccountId>>::escrowed(job, part)
}
