//! Test runtime: System and the provisions pallet, with a scriptable stake gate.

use crate::{
	self as pallet_cxmpute_provisions, HardwareInput, PriceCeiling, ProvisionId, ServiceInput,
	ServiceKind, StakeGate, Tier, UnitPrice,
};
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use sp_runtime::BuildStorage;

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
	pub type Provisions = pallet_cxmpute_provisions;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// The provider the stake gate refuses (0: none).
	pub static DeniedProvider: AccountId = 0;
	/// Blocks without heartbeat before a provision goes off.
	pub const HeartbeatTimeout: u64 = 5;
}

/// The highest price a Tide Pool provision may quote for web scraping; every other
/// `(service, tier)` has no ceiling.
pub const SCRAPING_CEILING: UnitPrice = 600;

/// A ceiling on Tide Pool web scraping only, so tests see both cases.
pub struct MockCeiling;
impl PriceCeiling for MockCeiling {
	fn ceiling(service: ServiceKind, tier: Tier) -> Option<UnitPrice> {
		(service == ServiceKind::WebScraping && tier == Tier::TidePool).then_some(SCRAPING_CEILING)
	}
}

/// Refuses [`DeniedProvider`] and nobody else.
pub struct MockGate;
impl StakeGate<AccountId> for MockGate {
	fn can_run(provider: &AccountId, _tier: Tier) -> bool {
		*provider != DeniedProvider::get()
	}
}

#[derive_impl(pallet_cxmpute_provisions::config_preludes::TestDefaultConfig)]
impl pallet_cxmpute_provisions::Config for Test {
	type StakeGate = MockGate;
	type PriceCeiling = MockCeiling;
	type HeartbeatTimeout = HeartbeatTimeout;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Builds test externalities at block 1.
#[derive(Default)]
pub struct ExtBuilder {
	denied_provider: AccountId,
}

impl ExtBuilder {
	/// Make the stake gate refuse `who` (0: nobody).
	pub fn with_denied_provider(mut self, who: AccountId) -> Self {
		self.denied_provider = who;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		DeniedProvider::set(self.denied_provider);
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Provisions::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// Advance to block `n`, running the pallet's `on_initialize` on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Provisions as Hooks<u64>>::on_initialize(next);
	}
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Provisions(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// A valid spec with `vram_mb` of VRAM.
pub fn spec(vram_mb: u32) -> HardwareInput {
	HardwareInput {
		gpu_model: b"RTX 4090".to_vec(),
		vram_mb,
		cpu_cores: 16,
		ram_mb: 65_536,
		disk_gb: 1_000,
		region: b"eu-west".to_vec(),
	}
}

/// One service at `price` (inference carries one model).
pub fn service(kind: ServiceKind, price: u128) -> ServiceInput {
	let models = if kind == ServiceKind::Inference { vec![[7u8; 32]] } else { vec![] };
	ServiceInput { kind, price, models }
}

/// A valid endpoint.
pub fn endpoint() -> Vec<u8> {
	b"https://m.example/health".to_vec()
}

/// Register a provision of `provider` with `vram_mb` offering `services`.
pub fn register_with(
	provider: AccountId,
	vram_mb: u32,
	services: Vec<ServiceInput>,
) -> ProvisionId {
	let nonce = crate::NonceOf::<Test>::get(provider);
	frame_support::assert_ok!(Provisions::register_provision(
		RuntimeOrigin::signed(provider),
		spec(vram_mb),
		services,
		endpoint(),
		None,
		2,
	));
	Provisions::provision_id(&provider, nonce)
}

/// Register an inference provision of `provider` (8 GB: `BlueSurge`) at price 100.
pub fn register(provider: AccountId) -> ProvisionId {
	register_with(provider, 8_192, vec![service(ServiceKind::Inference, 100)])
}

/// Register, authorize `worker`, start and heartbeat: a `Running` provision.
pub fn running(
	provider: AccountId,
	worker: AccountId,
	vram_mb: u32,
	services: Vec<ServiceInput>,
) -> ProvisionId {
	let id = register_with(provider, vram_mb, services);
	frame_support::assert_ok!(Provisions::authorize_worker(
		RuntimeOrigin::signed(provider),
		id,
		worker
	));
	frame_support::assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(provider), id));
	frame_support::assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(worker), id));
	id
}

/// The state of provision `id`.
pub fn state(id: ProvisionId) -> crate::ProvisionState {
	crate::Provisions::<Test>::get(id).expect("provision exists").state
}
