//! Test runtime: System, Balances and the staking pallet, with a scriptable provisions double.

use crate::{self as pallet_cxmpute_staking, ProvisionsInspect, Tier};
use cxmpute_primitives::compute::{ProvisionId, ServiceKind, UnitPrice};
use frame_support::{derive_impl, parameter_types};
use sp_runtime::{BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts of the test runtime.
pub type AccountId = u64;
/// Balances of the test runtime.
pub type Balance = u64;

/// The existential deposit.
pub const ED: Balance = 10;
/// The treasury account.
pub const TREASURY: AccountId = 100;
/// Free balance of the endowed providers 1, 2 and 3.
pub const ENDOWMENT: Balance = 10_000;
/// Genesis minimum stake per tier, in `Tier::ALL` order.
pub const MIN_STAKES: [Balance; 4] = [100, 200, 500, 1_000];

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
	pub type Staking = pallet_cxmpute_staking;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	// Priced reads, so the weight test of `unbond` can see the provisions it adds.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = frame_support::traits::ConstU64<ED>;
}

parameter_types! {
	/// Each provider's highest active tier, as the provisions pallet would report it.
	pub static ActiveTiers: Vec<(AccountId, Tier)> = vec![];
	/// Blocks between unbonding and withdrawing.
	pub static UnbondingDelay: u64 = 10;
	/// The treasury account.
	pub const Treasury: AccountId = TREASURY;
}

/// Set the highest active tier of `who` (`None`: no active provision).
pub fn set_active_tier(who: AccountId, tier: Option<Tier>) {
	let mut tiers = ActiveTiers::get();
	tiers.retain(|(a, _)| *a != who);
	if let Some(tier) = tier {
		tiers.push((who, tier));
	}
	ActiveTiers::set(tiers);
}

/// Provisions double: only `highest_active_tier` is meaningful, read from [`ActiveTiers`].
pub struct MockProvisions;
impl ProvisionsInspect<AccountId> for MockProvisions {
	fn is_running(_: &ProvisionId) -> bool {
		false
	}
	fn provider_of(_: &ProvisionId) -> Option<AccountId> {
		None
	}
	fn worker_of(_: &ProvisionId) -> Option<AccountId> {
		None
	}
	fn tier_of(_: &ProvisionId) -> Option<Tier> {
		None
	}
	fn price_of(_: &ProvisionId, _: ServiceKind) -> Option<UnitPrice> {
		None
	}
	fn capacity(_: &ProvisionId) -> Option<u32> {
		None
	}
	fn cheapest(_: ServiceKind, _: Tier, _: u32) -> Vec<(ProvisionId, UnitPrice)> {
		vec![]
	}
	fn highest_active_tier(provider: &AccountId) -> Option<Tier> {
		ActiveTiers::get().into_iter().find(|(a, _)| a == provider).map(|(_, t)| t)
	}
	fn health_endpoint(_: &ProvisionId) -> Option<Vec<u8>> {
		None
	}
	fn running_page(_: Option<ProvisionId>, _: u32) -> (Vec<ProvisionId>, Option<ProvisionId>) {
		(vec![], None)
	}
	fn offers_model(_: &ProvisionId, _: &cxmpute_primitives::ModelId) -> bool {
		false
	}
	fn hardware_of(_: &ProvisionId) -> Option<cxmpute_primitives::HardwareSummary> {
		None
	}
	fn running_capacity() -> u64 {
		0
	}
	fn is_offered(_: ServiceKind, _: Option<&cxmpute_primitives::ModelId>) -> bool {
		false
	}
}

#[derive_impl(pallet_cxmpute_staking::config_preludes::TestDefaultConfig)]
impl pallet_cxmpute_staking::Config for Test {
	type Currency = Balances;
	type Provisions = MockProvisions;
	type UnbondingDelay = UnbondingDelay;
	type TreasuryAccount = Treasury;
}

/// Builds test externalities at block 1.
pub struct ExtBuilder {
	fund_treasury: bool,
	harmed_share: Perbill,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { fund_treasury: true, harmed_share: Perbill::from_percent(50) }
	}
}

impl ExtBuilder {
	/// Leave the treasury account without funds (it does not exist).
	pub fn with_unfunded_treasury(mut self) -> Self {
		self.fund_treasury = false;
		self
	}

	/// Set the genesis harmed share.
	pub fn with_harmed_share(mut self, share: Perbill) -> Self {
		self.harmed_share = share;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		ActiveTiers::set(vec![]);
		UnbondingDelay::set(10);
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut balances = vec![(1, ENDOWMENT), (2, ENDOWMENT), (3, ENDOWMENT)];
		if self.fund_treasury {
			balances.push((TREASURY, ED));
		}
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_cxmpute_staking::GenesisConfig::<Test> {
			min_stakes: MIN_STAKES,
			harmed_share: self.harmed_share,
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
			Staking::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// Advance to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Staking(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// The balance of `who` held as stake.
pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::ProviderStake.into(), &who)
}

/// The free balance of `who`.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The active stake of `who` (0 without a ledger).
pub fn active(who: AccountId) -> Balance {
	crate::LedgerOf::<Test>::get(who).map(|l| l.active).unwrap_or_default()
}

/// The unlocking chunks of `who` as `(value, unlock_at)`.
pub fn chunks(who: AccountId) -> Vec<(Balance, u64)> {
	crate::LedgerOf::<Test>::get(who)
		.map(|l| l.unlocking.iter().map(|c| (c.value, c.unlock_at)).collect())
		.unwrap_or_default()
}

/// Bond `amount` for `who`, asserting success.
pub fn bond(who: AccountId, amount: Balance) {
	frame_support::assert_ok!(Staking::bond(RuntimeOrigin::signed(who), amount));
}

/// Unbond `amount` for `who`, asserting success.
pub fn unbond(who: AccountId, amount: Balance) {
	frame_support::assert_ok!(Staking::unbond(RuntimeOrigin::signed(who), amount));
}
