//! Test runtime: System, Balances and the rewards pallet, with scriptable provisions, health and
//! utilisation doubles.

use crate::{
	self as pallet_cxmpute_rewards, EpochIndex, HealthInspect, HealthStats, JobUsage,
	NetworkUtilisation, OnJobCompleted, ProvisionId, ProvisionsInspect, RewardParams, ServiceKind,
	Tier,
};
use alloc::collections::btree_map::BTreeMap;
use cxmpute_primitives::compute::UnitPrice;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use frame_system::EnsureRoot;
use sp_arithmetic::{Perbill, Permill};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts of the test runtime.
pub type AccountId = u64;
/// Balances of the test runtime.
pub type Balance = u64;

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
	pub type Rewards = pallet_cxmpute_rewards;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	/// Existential deposit.
	pub static ExistentialDeposit: Balance = 1;
	/// Blocks per epoch.
	pub static EpochLength: u64 = 10;
	/// Blocks between demand recomputations.
	pub static DemandPeriod: u64 = 5;
	/// Providers per payout page.
	pub static MaxPayoutsPerPage: u32 = 3;
	/// Claim window in epochs (0: never expire).
	pub static ClaimWindow: u32 = 0;
	/// Known provisions: `id -> (provider, tier)`.
	pub static ProvisionMap: BTreeMap<ProvisionId, (AccountId, Tier)> = BTreeMap::new();
	/// Measured health per provision.
	pub static HealthMap: BTreeMap<ProvisionId, HealthStats> = BTreeMap::new();
	/// The network's utilisation.
	pub static Utilisation: Option<Perbill> = None;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

/// Provisions double backed by [`ProvisionMap`].
pub struct MockProvisions;
impl ProvisionsInspect<AccountId> for MockProvisions {
	fn is_running(id: &ProvisionId) -> bool {
		ProvisionMap::get().contains_key(id)
	}
	fn provider_of(id: &ProvisionId) -> Option<AccountId> {
		ProvisionMap::get().get(id).map(|(p, _)| *p)
	}
	fn worker_of(_: &ProvisionId) -> Option<AccountId> {
		None
	}
	fn tier_of(id: &ProvisionId) -> Option<Tier> {
		ProvisionMap::get().get(id).map(|(_, t)| *t)
	}
	fn price_of(_: &ProvisionId, _: ServiceKind) -> Option<UnitPrice> {
		None
	}
	fn capacity(_: &ProvisionId) -> Option<u32> {
		None
	}
	fn cheapest(_: ServiceKind, _: Tier, _: u32) -> Vec<(ProvisionId, UnitPrice)> {
		Vec::new()
	}
	fn highest_active_tier(_: &AccountId) -> Option<Tier> {
		None
	}
	fn health_endpoint(_: &ProvisionId) -> Option<Vec<u8>> {
		None
	}
	fn running_page(_: Option<ProvisionId>, _: u32) -> (Vec<ProvisionId>, Option<ProvisionId>) {
		(Vec::new(), None)
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

/// Health double backed by [`HealthMap`].
pub struct MockHealth;
impl HealthInspect for MockHealth {
	fn health_of(id: &ProvisionId) -> Option<HealthStats> {
		HealthMap::get().get(id).copied()
	}
}

/// Utilisation double backed by [`Utilisation`].
pub struct MockUtilisation;
impl NetworkUtilisation for MockUtilisation {
	fn utilisation() -> Option<Perbill> {
		Utilisation::get()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockProvisions {
	fn provision_of(provider: &AccountId) -> ProvisionId {
		let id = provision_id(*provider as u32);
		add_provision(id, *provider, Tier::MarianaDepth);
		set_health(id, Permill::from_percent(95), 1_000);
		id
	}
}

#[derive_impl(pallet_cxmpute_rewards::config_preludes::TestDefaultConfig)]
impl pallet_cxmpute_rewards::Config for Test {
	type Currency = Balances;
	type Provisions = MockProvisions;
	type Health = MockHealth;
	type Utilisation = MockUtilisation;
	type ParamsOrigin = EnsureRoot<AccountId>;
	type EpochLength = EpochLength;
	type DemandPeriod = DemandPeriod;
	type MaxPayoutsPerPage = MaxPayoutsPerPage;
	type ClaimWindow = ClaimWindow;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockProvisions;
}

/// The emission per epoch of the default test parameters.
pub const EMISSION: Balance = 1_000_000;

/// Builds test externalities at block 1 (after its `on_initialize`).
pub struct ExtBuilder {
	params: RewardParams,
	existential_deposit: Balance,
	max_payouts: u32,
	claim_window: u32,
	utilisation: Option<Perbill>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			params: RewardParams { emission_per_epoch: EMISSION.into(), ..Default::default() },
			existential_deposit: 1,
			max_payouts: 3,
			claim_window: 0,
			utilisation: None,
		}
	}
}

impl ExtBuilder {
	/// Genesis parameters.
	pub fn with_params(mut self, params: RewardParams) -> Self {
		self.params = params;
		self
	}

	/// Existential deposit.
	pub fn with_existential_deposit(mut self, ed: Balance) -> Self {
		self.existential_deposit = ed;
		self
	}

	/// Providers per payout page.
	pub fn with_max_payouts(mut self, n: u32) -> Self {
		self.max_payouts = n;
		self
	}

	/// Claim window in epochs.
	pub fn with_claim_window(mut self, w: u32) -> Self {
		self.claim_window = w;
		self
	}

	/// Initial utilisation.
	pub fn with_utilisation(mut self, u: Option<Perbill>) -> Self {
		self.utilisation = u;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		ExistentialDeposit::set(self.existential_deposit);
		MaxPayoutsPerPage::set(self.max_payouts);
		ClaimWindow::set(self.claim_window);
		Utilisation::set(self.utilisation);
		EpochLength::set(10);
		DemandPeriod::set(5);
		ProvisionMap::set(BTreeMap::new());
		HealthMap::set(BTreeMap::new());
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_cxmpute_rewards::GenesisConfig::<Test> { params: self.params, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			<Rewards as Hooks<u64>>::on_initialize(1);
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Rewards::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// Advance to block `n`, running the pallet's `on_initialize` on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Rewards as Hooks<u64>>::on_initialize(next);
	}
}

/// Advance until epoch `epoch` is open.
pub fn run_to_epoch(epoch: EpochIndex) {
	while crate::CurrentEpoch::<Test>::get() < epoch {
		run_to_block(System::block_number() + 1);
	}
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Rewards(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Provision id number `n`.
pub fn provision_id(n: u32) -> ProvisionId {
	let mut id = [0u8; 32];
	id[..4].copy_from_slice(&n.to_be_bytes());
	id
}

/// Make `id` a provision of `provider` in `tier`.
pub fn add_provision(id: ProvisionId, provider: AccountId, tier: Tier) {
	ProvisionMap::mutate(|m| {
		m.insert(id, (provider, tier));
	});
}

/// A provision of `provider` in `tier` with id `provider`, unmeasured.
pub fn provision(provider: AccountId, tier: Tier) -> ProvisionId {
	let id = provision_id(provider as u32);
	add_provision(id, provider, tier);
	id
}

/// Set the measured health of `id` (one reporter).
pub fn set_health(id: ProvisionId, uptime: Permill, p50_latency_ms: u32) {
	HealthMap::mutate(|m| {
		m.insert(id, HealthStats { uptime, p50_latency_ms, reporters: 1 });
	});
}

/// Report `n` completed per-request (`Inference`) jobs of `id`.
pub fn jobs(id: ProvisionId, n: u32) {
	for _ in 0..n {
		job(id, ServiceKind::Inference, JobUsage::default());
	}
}

/// Report one completed job.
pub fn job(id: ProvisionId, service: ServiceKind, usage: JobUsage) {
	<Rewards as OnJobCompleted>::on_job_completed(&id, service, &usage);
}

/// Free balance of `who`.
pub fn balance(who: AccountId) -> Balance {
	Balances::free_balance(who)
}
