//! Test runtime: System and the matching pallet, with a scriptable provisions registry and
//! health table, an in-storage billing ledger that enforces `escrowed = paid + refunded`, a
//! recording slasher and a recording rewards listener.

use crate::{
	self as pallet_cxmpute_matching, Admission, ClassRequest, DataInput, EscrowPart,
	HardwareSummary, HealthInspect, JobBilling, JobId, JobService, JobSpec, JobUsage, ModelId,
	OnJobCompleted, ProviderSlashing, ProvisionId, ProvisionsInspect, Requirements, ServiceKind,
	SlashReason, Tier, UnitPrice,
};
use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, Encode};
use cxmpute_primitives::provider::HealthStats;
use frame_support::{assert_ok, derive_impl, parameter_types, traits::Hooks, weights::Weight};
use frame_system::EnsureRoot;
use sp_arithmetic::Permill;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};

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
	pub type Matching = pallet_cxmpute_matching;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A provision of the scriptable registry.
#[derive(Encode, Decode, Clone, Debug, PartialEq)]
pub struct MockProvision {
	/// Its provider.
	pub provider: AccountId,
	/// Its worker key.
	pub worker: Option<AccountId>,
	/// Its tier.
	pub tier: Tier,
	/// `(service, price)` offers.
	pub services: Vec<(ServiceKind, UnitPrice)>,
	/// Models (inference).
	pub models: Vec<ModelId>,
	/// Hardware.
	pub hardware: HardwareSummary,
	/// Concurrent jobs.
	pub capacity: u32,
	/// Whether it is running.
	pub running: bool,
}

parameter_types! {
	/// Measured health.
	pub static HealthMap: BTreeMap<ProvisionId, HealthStats> = BTreeMap::new();
	/// Accounts whose jobs a subscription covers.
	pub static Subscribers: Vec<AccountId> = Vec::new();
	/// The spot discount.
	pub static SpotDiscount: Permill = Permill::from_percent(70);
	/// Blocks to accept.
	pub static AcceptWindow: u64 = 3;
	/// Blocks a job waits for a worker by default: shorter than the tests' 20-block deadlines,
	/// as the runtime's ten minutes are shorter than the deadlines users set.
	pub static DefaultMaxWait: u64 = 12;
	/// Pool entries read per tier.
	pub static MaxCandidates: u32 = 4;
	/// Entries popped per block.
	pub static MaxMatchesPerBlock: u32 = 8;
	/// Live jobs per class.
	pub static MaxQueueLen: u32 = 16;
	/// Timeout entries per block.
	pub static MaxTimeoutsPerBlock: u32 = 8;
	/// A hook budget smaller than a block, for tests of work carried over.
	pub static HookBudget: Option<Weight> = None;
}

/// The hook's budget: [`HookBudget`] when set, else a whole block.
pub struct MaxHookWeight;
impl frame_support::traits::Get<Weight> for MaxHookWeight {
	fn get() -> Weight {
		HookBudget::get().unwrap_or_else(|| {
			<<Test as frame_system::Config>::BlockWeights as frame_support::traits::Get<
				frame_system::limits::BlockWeights,
			>>::get()
			.max_block
		})
	}
}

const PROVISIONS_KEY: &[u8] = b":mock:provisions";

/// The scriptable provisions registry, in storage (benchmark runs roll it back).
pub struct ProvisionMap;
impl ProvisionMap {
	/// The registry.
	pub fn get() -> BTreeMap<ProvisionId, MockProvision> {
		frame_support::storage::unhashed::get(PROVISIONS_KEY).unwrap_or_default()
	}

	/// Change the registry.
	pub fn mutate<R>(f: impl FnOnce(&mut BTreeMap<ProvisionId, MockProvision>) -> R) -> R {
		let mut m = Self::get();
		let r = f(&mut m);
		frame_support::storage::unhashed::put(PROVISIONS_KEY, &m);
		r
	}
}

/// Registry double backed by [`ProvisionMap`].
pub struct MockProvisions;
impl ProvisionsInspect<AccountId> for MockProvisions {
	fn is_running(id: &ProvisionId) -> bool {
		ProvisionMap::get().get(id).is_some_and(|p| p.running)
	}
	fn provider_of(id: &ProvisionId) -> Option<AccountId> {
		ProvisionMap::get().get(id).map(|p| p.provider)
	}
	fn worker_of(id: &ProvisionId) -> Option<AccountId> {
		ProvisionMap::get().get(id).and_then(|p| p.worker)
	}
	fn tier_of(id: &ProvisionId) -> Option<Tier> {
		ProvisionMap::get().get(id).map(|p| p.tier)
	}
	fn price_of(id: &ProvisionId, service: ServiceKind) -> Option<UnitPrice> {
		ProvisionMap::get()
			.get(id)
			.and_then(|p| p.services.iter().find(|(s, _)| *s == service).map(|(_, price)| *price))
	}
	fn capacity(id: &ProvisionId) -> Option<u32> {
		ProvisionMap::get().get(id).map(|p| p.capacity)
	}
	fn cheapest(service: ServiceKind, tier: Tier, n: u32) -> Vec<(ProvisionId, UnitPrice)> {
		let mut pool: Vec<(UnitPrice, ProvisionId)> = ProvisionMap::get()
			.iter()
			.filter(|(_, p)| p.running && p.tier == tier)
			.filter_map(|(id, p)| {
				p.services.iter().find(|(s, _)| *s == service).map(|(_, price)| (*price, *id))
			})
			.collect();
		pool.sort();
		pool.into_iter().take(n as usize).map(|(price, id)| (id, price)).collect()
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
	fn offers_model(id: &ProvisionId, model: &ModelId) -> bool {
		ProvisionMap::get().get(id).is_some_and(|p| p.models.contains(model))
	}
	fn hardware_of(id: &ProvisionId) -> Option<HardwareSummary> {
		ProvisionMap::get().get(id).map(|p| p.hardware)
	}
	fn running_capacity() -> u64 {
		ProvisionMap::get().values().filter(|p| p.running).map(|p| u64::from(p.capacity)).sum()
	}
	// Every provision in the registry counts, running or not, as in the provisions pallet;
	// removing one from the map is deregistering it.
	fn is_offered(service: ServiceKind, model: Option<&ModelId>) -> bool {
		ProvisionMap::get().values().any(|p| {
			p.services.iter().any(|(s, _)| *s == service)
				&& model.is_none_or(|m| p.models.contains(m))
		})
	}
}

/// Health double backed by [`HealthMap`].
pub struct MockHealth;
impl HealthInspect for MockHealth {
	fn health_of(id: &ProvisionId) -> Option<HealthStats> {
		HealthMap::get().get(id).copied()
	}
}

/// One job's escrow in the mock ledger.
#[derive(Encode, Decode, Clone, Debug, Default, PartialEq)]
pub struct Escrow {
	/// The payer.
	pub payer: AccountId,
	/// Put in by the payer (admit and top-ups).
	pub payer_in: u128,
	/// Put in by the treasury.
	pub treasury_in: u128,
	/// Left of the payer's part.
	pub payer_left: u128,
	/// Left of the treasury's part.
	pub treasury_left: u128,
	/// Paid to providers.
	pub paid: u128,
	/// Refunded to the payer and the treasury at close.
	pub refunded: u128,
	/// Whether it was closed.
	pub closed: bool,
	/// Tokens recorded at close.
	pub tokens_used: u64,
}

/// The mock billing state, kept in storage so that failed calls roll it back.
#[derive(Encode, Decode, Clone, Debug, Default, PartialEq)]
pub struct Ledger {
	/// Users' credits.
	pub credits: BTreeMap<AccountId, u128>,
	/// The treasury.
	pub treasury: u128,
	/// Escrows by job.
	pub escrows: BTreeMap<JobId, Escrow>,
	/// Providers' earnings.
	pub earned: BTreeMap<AccountId, u128>,
	/// Everything ever minted into the ledger (credits and treasury funding by tests).
	pub minted: u128,
}

/// Recorded slashes and completions, in storage.
#[derive(Encode, Decode, Clone, Debug, Default, PartialEq)]
pub struct Records {
	/// `(provider, amount, harmed, reason)`.
	pub slashes: Vec<(AccountId, u128, Option<AccountId>, SlashReason)>,
	/// `(provision, service, usage)`.
	pub completions: Vec<(ProvisionId, ServiceKind, JobUsage)>,
}

const LEDGER_KEY: &[u8] = b":mock:ledger";
const RECORDS_KEY: &[u8] = b":mock:records";

/// The mock ledger.
pub fn ledger() -> Ledger {
	frame_support::storage::unhashed::get(LEDGER_KEY).unwrap_or_default()
}

fn mutate_ledger<R>(f: impl FnOnce(&mut Ledger) -> R) -> R {
	let mut l = ledger();
	let r = f(&mut l);
	frame_support::storage::unhashed::put(LEDGER_KEY, &l);
	r
}

/// The recorded slashes and completions.
pub fn records() -> Records {
	frame_support::storage::unhashed::get(RECORDS_KEY).unwrap_or_default()
}

fn mutate_records(f: impl FnOnce(&mut Records)) {
	let mut r = records();
	f(&mut r);
	frame_support::storage::unhashed::put(RECORDS_KEY, &r);
}

/// Give `who` `amount` more credits.
pub fn fund(who: AccountId, amount: u128) {
	mutate_ledger(|l| {
		*l.credits.entry(who).or_default() += amount;
		l.minted += amount;
	});
}

/// Set the treasury's balance (minting the difference; it may only grow).
pub fn fund_treasury(amount: u128) {
	mutate_ledger(|l| {
		l.treasury += amount;
		l.minted += amount;
	});
}

/// Empty the treasury (the tokens are burned from the ledger's total).
pub fn drain_treasury() {
	mutate_ledger(|l| {
		l.minted -= l.treasury;
		l.treasury = 0;
	});
}

/// Billing double over [`Ledger`].
pub struct MockBilling;
impl JobBilling<AccountId> for MockBilling {
	fn admit(
		job: JobId,
		signer: &AccountId,
		_service: ServiceKind,
		escrow: u128,
		_max_tokens: u64,
	) -> Result<Admission<AccountId>, DispatchError> {
		mutate_ledger(|l| {
			if l.escrows.contains_key(&job) {
				return Err(DispatchError::Other("escrow exists"));
			}
			let credits = l.credits.entry(*signer).or_default();
			if *credits < escrow {
				return Err(DispatchError::Other("insufficient credits"));
			}
			*credits -= escrow;
			l.escrows.insert(
				job,
				Escrow {
					payer: *signer,
					payer_in: escrow,
					payer_left: escrow,
					..Default::default()
				},
			);
			Ok(Admission { payer: *signer, subscribed: Subscribers::get().contains(signer) })
		})
	}

	fn top_up(job: JobId, amount: u128) -> DispatchResult {
		mutate_ledger(|l| {
			let payer = match l.escrows.get(&job) {
				Some(e) if !e.closed => e.payer,
				_ => return Err(DispatchError::Other("no open escrow")),
			};
			let credits = l.credits.entry(payer).or_default();
			if *credits < amount {
				return Err(DispatchError::Other("insufficient credits"));
			}
			*credits -= amount;
			let e = l.escrows.get_mut(&job).expect("checked above");
			e.payer_in += amount;
			e.payer_left += amount;
			Ok(())
		})
	}

	fn fund_from_treasury(job: JobId, amount: u128) -> DispatchResult {
		mutate_ledger(|l| {
			if l.escrows.get(&job).is_none_or(|e| e.closed) {
				return Err(DispatchError::Other("no open escrow"));
			}
			if l.treasury < amount {
				return Err(DispatchError::Other("treasury empty"));
			}
			l.treasury -= amount;
			let e = l.escrows.get_mut(&job).expect("checked above");
			e.treasury_in += amount;
			e.treasury_left += amount;
			Ok(())
		})
	}

	fn pay(job: JobId, part: EscrowPart, provider: &AccountId, amount: u128) -> DispatchResult {
		mutate_ledger(|l| {
			let e = l.escrows.get_mut(&job).ok_or(DispatchError::Other("no escrow"))?;
			if e.closed {
				return Err(DispatchError::Other("closed"));
			}
			let left = match part {
				EscrowPart::Payer => &mut e.payer_left,
				EscrowPart::Treasury => &mut e.treasury_left,
			};
			if *left < amount {
				return Err(DispatchError::Other("part holds less"));
			}
			*left -= amount;
			e.paid += amount;
			*l.earned.entry(*provider).or_default() += amount;
			Ok(())
		})
	}

	fn close(job: JobId, _service: ServiceKind, tokens_used: u64) -> Result<u128, DispatchError> {
		mutate_ledger(|l| {
			let e = l.escrows.get_mut(&job).ok_or(DispatchError::Other("no escrow"))?;
			if e.closed {
				return Err(DispatchError::Other("closed twice"));
			}
			let (payer, to_payer, to_treasury) = (e.payer, e.payer_left, e.treasury_left);
			e.payer_left = 0;
			e.treasury_left = 0;
			e.refunded = to_payer + to_treasury;
			e.closed = true;
			e.tokens_used = tokens_used;
			*l.credits.entry(payer).or_default() += to_payer;
			l.treasury += to_treasury;
			Ok(to_payer)
		})
	}

	fn escrowed(job: JobId, part: EscrowPart) -> u128 {
		ledger().escrows.get(&job).map_or(0, |e| match part {
			EscrowPart::Payer => e.payer_left,
			EscrowPart::Treasury => e.treasury_left,
		})
	}

	fn spot_discount() -> Permill {
		SpotDiscount::get()
	}
}

/// Slasher double: slashes everything asked and records it.
pub struct MockSlashing;
impl ProviderSlashing<AccountId, u128> for MockSlashing {
	fn slash(
		provider: &AccountId,
		amount: u128,
		harmed: Option<&AccountId>,
		reason: SlashReason,
	) -> u128 {
		mutate_records(|r| r.slashes.push((*provider, amount, harmed.copied(), reason)));
		amount
	}
}

/// Rewards double: records completions.
pub struct MockRewards;
impl OnJobCompleted for MockRewards {
	fn on_job_completed(provision: &ProvisionId, service: ServiceKind, usage: &JobUsage) {
		mutate_records(|r| r.completions.push((*provision, service, *usage)));
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockProvisions {
	fn running_provision(
		service: ServiceKind,
		tier: Tier,
		model: ModelId,
		price: UnitPrice,
	) -> (ProvisionId, AccountId) {
		let n = ProvisionMap::get().len() as u32;
		let id = bench_id(n);
		let provider = 10_000 + u64::from(n);
		let worker = 20_000 + u64::from(n);
		add(id, provider, worker, tier, service, price, 64);
		ProvisionMap::mutate(|m| m.get_mut(&id).expect("added").models = vec![model]);
		(id, worker)
	}
	fn fund_user(who: &AccountId, amount: u128) {
		fund(*who, amount);
	}
	fn fund_treasury(amount: u128) {
		fund_treasury(amount);
	}
	fn register_provisions(service: ServiceKind, tier: Tier, n: u32) {
		for _ in 0..n {
			let i = ProvisionMap::get().len() as u32;
			add(
				bench_id(i),
				30_000 + u64::from(i),
				40_000 + u64::from(i),
				tier,
				service,
				1_000_000,
				1,
			);
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
fn bench_id(n: u32) -> ProvisionId {
	let mut id = [0xbb; 32];
	id[..4].copy_from_slice(&n.to_be_bytes());
	id
}

#[derive_impl(pallet_cxmpute_matching::config_preludes::TestDefaultConfig)]
impl pallet_cxmpute_matching::Config for Test {
	type Provisions = MockProvisions;
	type Health = MockHealth;
	type Billing = MockBilling;
	type Slashing = MockSlashing;
	type Rewards = MockRewards;
	type AdminOrigin = EnsureRoot<AccountId>;
	type AcceptWindow = AcceptWindow;
	type DefaultMaxWait = DefaultMaxWait;
	type MaxCandidates = MaxCandidates;
	type MaxMatchesPerBlock = MaxMatchesPerBlock;
	type MaxHookWeight = MaxHookWeight;
	type MaxQueueLen = MaxQueueLen;
	type MaxTimeoutsPerBlock = MaxTimeoutsPerBlock;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockProvisions;
}

/// Credits of the default users 1 and 2.
pub const CREDITS: u128 = 1_000_000;
/// The treasury's default balance.
pub const TREASURY: u128 = 1_000_000;
/// The model of inference tests.
pub const MODEL: ModelId = [7; 32];
/// A provision registered in every test world, stopped (not running, no worker key), offering
/// every service kind and [`MODEL`]: jobs are servable (some provision could come back and
/// serve them) without anything being matched. Tests of unservable jobs deregister it.
pub const STANDBY: ProvisionId = [200; 32];

/// Register [`STANDBY`].
pub fn add_standby() {
	ProvisionMap::mutate(|m| {
		m.insert(
			STANDBY,
			MockProvision {
				provider: 210,
				worker: None,
				tier: Tier::BlueSurge,
				services: ServiceKind::ALL.iter().map(|kind| (*kind, 100)).collect(),
				models: vec![MODEL],
				hardware: HardwareSummary { vram_mb: 8_192, cpu_cores: 8, ram_mb: 32_768 },
				capacity: 2,
				running: false,
			},
		);
	});
}

/// Deregister a provision (here: remove it from the registry).
pub fn deregister(id: ProvisionId) {
	ProvisionMap::mutate(|m| m.remove(&id));
}

/// Builds test externalities at block 1.
pub struct ExtBuilder {
	spot_check: Permill,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { spot_check: Permill::zero() }
	}
}

impl ExtBuilder {
	/// The spot-check rate (default 0 in tests so draws do not interfere).
	pub fn with_spot_check(mut self, rate: Permill) -> Self {
		self.spot_check = rate;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		HealthMap::set(BTreeMap::new());
		Subscribers::set(Vec::new());
		SpotDiscount::set(Permill::from_percent(70));
		AcceptWindow::set(3);
		DefaultMaxWait::set(12);
		MaxCandidates::set(4);
		MaxMatchesPerBlock::set(8);
		MaxQueueLen::set(16);
		MaxTimeoutsPerBlock::set(8);
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		let rate = self.spot_check;
		ext.execute_with(|| {
			System::set_block_number(1);
			fund(1, CREDITS);
			fund(2, CREDITS);
			fund_treasury(TREASURY);
			add_standby();
			crate::Params::<Test>::mutate(|p| p.spot_check_rate = rate);
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants and the ledger's conservation.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Matching::do_try_state().expect("try_state must hold after every test");
			assert_conserved();
		});
	}
}

/// The ledger accounts for every unit: each escrow's inflow equals what was paid, refunded and
/// is left; an escrow is open iff its job is live; and the total equals what was minted.
pub fn assert_conserved() {
	let l = ledger();
	let mut left = 0u128;
	for (job, e) in l.escrows.iter() {
		assert_eq!(
			e.payer_in + e.treasury_in,
			e.paid + e.refunded + e.payer_left + e.treasury_left,
			"escrow of job {job} not conserved"
		);
		assert_eq!(!e.closed, crate::Jobs::<Test>::contains_key(job), "escrow {job} open iff live");
		if e.closed {
			assert_eq!(e.payer_left + e.treasury_left, 0);
		}
		left += e.payer_left + e.treasury_left;
	}
	let total =
		l.credits.values().sum::<u128>() + l.treasury + left + l.earned.values().sum::<u128>();
	assert_eq!(total, l.minted, "ledger total differs from what was minted");
}

/// Advance to block `n`, running the pallet's `on_initialize` on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		System::set_parent_hash(sp_core::H256::repeat_byte(next as u8));
		<Matching as Hooks<u64>>::on_initialize(next);
	}
}

/// Advance one block.
pub fn next_block() {
	run_to_block(System::block_number() + 1);
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Matching(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Provision id number `n`.
pub fn pid(n: u8) -> ProvisionId {
	[n; 32]
}

/// Add a running provision offering one service.
pub fn add(
	id: ProvisionId,
	provider: AccountId,
	worker: AccountId,
	tier: Tier,
	service: ServiceKind,
	price: UnitPrice,
	capacity: u32,
) {
	ProvisionMap::mutate(|m| {
		m.insert(
			id,
			MockProvision {
				provider,
				worker: Some(worker),
				tier,
				services: vec![(service, price)],
				models: vec![MODEL],
				hardware: HardwareSummary { vram_mb: 8_192, cpu_cores: 8, ram_mb: 32_768 },
				capacity,
				running: true,
			},
		);
	});
}

/// Provision `n` of provider `10 + n` with worker `100 + n`, inference at `price`, BlueSurge,
/// capacity 2.
pub fn add_inference(n: u8, price: UnitPrice) -> ProvisionId {
	add(
		pid(n),
		10 + u64::from(n),
		100 + u64::from(n),
		Tier::BlueSurge,
		ServiceKind::Inference,
		price,
		2,
	);
	pid(n)
}

/// Change a registered provision.
pub fn edit(n: u8, f: impl FnOnce(&mut MockProvision)) {
	ProvisionMap::mutate(|m| f(m.get_mut(&pid(n)).expect("provision exists")));
}

/// Set provision `n`'s measured uptime.
pub fn set_uptime(n: u8, percent: u32) {
	HealthMap::mutate(|m| {
		m.insert(
			pid(n),
			HealthStats {
				uptime: Permill::from_percent(percent),
				p50_latency_ms: 100,
				reporters: 3,
			},
		);
	});
}

/// The worker of provision `n`.
pub fn worker(n: u8) -> AccountId {
	100 + u64::from(n)
}

/// The provider of provision `n`.
pub fn provider(n: u8) -> AccountId {
	10 + u64::from(n)
}

/// No requirements beyond TidePool.
pub fn no_requirements() -> Requirements {
	Requirements { min_tier: Tier::TidePool, min_vram_mb: 0, min_cpu_cores: 0, min_ram_mb: 0 }
}

/// An inference spec for `MODEL` with worst case 1,000 input and 1,000 output tokens (1.5
/// units: 150 at price 100).
pub fn inference_spec() -> JobSpec {
	JobSpec {
		service: JobService::Inference { model: MODEL },
		requirements: no_requirements(),
		max_usage: JobUsage { input_tokens: 1_000, output_tokens: 1_000, ..Default::default() },
	}
}

/// Inline input.
pub fn input() -> DataInput {
	DataInput::Inline(b"hello".to_vec())
}

/// Submit an inference job of `who` at max price 100, deadline in 20 blocks.
pub fn submit_with(who: AccountId, redundancy: u32, class: ClassRequest) -> JobId {
	let id = crate::NextJobId::<Test>::get();
	assert_ok!(Matching::submit_job(
		RuntimeOrigin::signed(who),
		inference_spec(),
		input(),
		100,
		System::block_number() + 20,
		redundancy,
		class,
		None,
	));
	id
}

/// Submit a standard inference job of user 1 without redundancy.
pub fn submit() -> JobId {
	submit_with(1, 0, ClassRequest::Standard)
}

/// A result of `job` with output hash `[h; 32]` and usage 500 in / 500 out.
pub fn result(job: JobId, h: u8) -> crate::ResultInput {
	crate::ResultInput {
		job,
		output: DataInput::Inline(vec![h; 4]),
		output_hash: [h; 32],
		usage: JobUsage { input_tokens: 500, output_tokens: 500, ..Default::default() },
	}
}

/// Worker `w` accepts `job`.
pub fn accept(w: AccountId, job: JobId) {
	assert_ok!(Matching::accept_jobs(RuntimeOrigin::signed(w), vec![job]));
}

/// Worker `w` submits `[h; 32]` for `job`.
pub fn finish(w: AccountId, job: JobId, h: u8) {
	assert_ok!(Matching::submit_results(RuntimeOrigin::signed(w), vec![result(job, h)]));
}

/// The provisions running (assigned or accepted or done) runs of `job`, in run order.
pub fn provisions_of(job: JobId) -> Vec<Option<ProvisionId>> {
	crate::Jobs::<Test>::get(job)
		.expect("job exists")
		.runs
		.iter()
		.map(|r| r.state.provision().copied())
		.collect()
}

/// The escrow of `job`.
pub fn escrow(job: JobId) -> Escrow {
	ledger().escrows.get(&job).cloned().expect("escrow exists")
}

/// Credits of `who`.
pub fn credits(who: AccountId) -> u128 {
	ledger().credits.get(&who).copied().unwrap_or_default()
}

/// Earnings of provider `who`.
pub fn earned(who: AccountId) -> u128 {
	ledger().earned.get(&who).copied().unwrap_or_default()
}
