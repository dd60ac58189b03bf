//! Test runtime: System and the health pallet, with an sr25519 application key as authority
//! key, a scriptable provisions double and a scriptable HTTP server for the offchain worker.

use crate::{self as pallet_cxmpute_health, ProbeOutcome, ProbeReport, ProvisionId};
use cxmpute_primitives::compute::{ProvisionsInspect, ServiceKind, Tier, UnitPrice};
use frame_support::{derive_impl, parameter_types, traits::Get, BoundedVec};
use frame_system::offchain::{CreateBare, CreateTransactionBase};
use sp_core::{
	offchain::{
		testing, HttpError, HttpRequestId, HttpRequestStatus, OffchainDbExt, OffchainWorkerExt,
		OpaqueNetworkState, Timestamp, TransactionPoolExt,
	},
	sr25519, OpaquePeerId, Pair,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{BuildStorage, RuntimeAppPublic};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
};

/// The authorities' test key: an sr25519 application key of type `hlth`.
pub mod crypto {
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		KeyTypeId,
	};
	app_crypto!(sr25519, KeyTypeId(*b"hlth"));
}

/// The authority key of the test runtime.
pub type AuthorityId = crypto::Public;
/// Its signature.
pub type AuthoritySignature = crypto::Signature;
/// The extrinsics of the test runtime (the worker submits bare ones).
pub type Extrinsic = sp_runtime::testing::TestXt<RuntimeCall, ()>;

type Block = frame_system::mocking::MockBlock<Test>;

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
	pub type Health = pallet_cxmpute_health;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateBare<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> Extrinsic {
		Extrinsic::new_bare(call)
	}
}

/// A provision of the provisions double.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockProvision {
	/// Whether it is running.
	pub running: bool,
	/// Its health endpoint.
	pub endpoint: Vec<u8>,
}

parameter_types! {
	pub static AuthoritySet: Vec<AuthorityId> = Vec::new();
	pub static MockProvisions: BTreeMap<ProvisionId, MockProvision> = BTreeMap::new();
	pub static ProbeInterval: u64 = 1;
	pub static MaxReportAge: u64 = 5;
	pub static EventsSeen: usize = 0;
}

/// The current authorities: [`AuthoritySet`].
pub struct CurrentAuthorities;
impl Get<BoundedVec<AuthorityId, MaxAuthorities>> for CurrentAuthorities {
	fn get() -> BoundedVec<AuthorityId, MaxAuthorities> {
		BoundedVec::truncate_from(AuthoritySet::get())
	}
}

/// `MaxAuthorities` of the test runtime.
pub type MaxAuthorities = <Test as crate::Config>::MaxAuthorities;

/// The provisions double: reads [`MockProvisions`]; a provision exists iff it is in the map.
pub struct MockProvisionsInspect;
impl ProvisionsInspect<u64> for MockProvisionsInspect {
	fn is_running(id: &ProvisionId) -> bool {
		MockProvisions::get().get(id).is_some_and(|p| p.running)
	}
	fn provider_of(id: &ProvisionId) -> Option<u64> {
		MockProvisions::get().get(id).map(|_| 7)
	}
	fn worker_of(_: &ProvisionId) -> Option<u64> {
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
		Vec::new()
	}
	fn highest_active_tier(_: &u64) -> Option<Tier> {
		None
	}
	fn health_endpoint(id: &ProvisionId) -> Option<Vec<u8>> {
		MockProvisions::get().get(id).map(|p| p.endpoint.clone())
	}
	fn running_page(
		cursor: Option<ProvisionId>,
		n: u32,
	) -> (Vec<ProvisionId>, Option<ProvisionId>) {
		let running: Vec<ProvisionId> = MockProvisions::get()
			.into_iter()
			.filter(|(id, p)| p.running && cursor.is_none_or(|c| *id > c))
			.map(|(id, _)| id)
			.collect();
		let page: Vec<ProvisionId> = running.iter().take(n as usize).copied().collect();
		let next = if running.len() > page.len() { page.last().copied() } else { None };
		(page, next)
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

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AuthorityId> for MockProvisionsInspect {
	fn running_provision(i: u32) -> ProvisionId {
		let id = provision(i as u8);
		add_provision(id, true);
		id
	}
	fn set_authorities(authorities: Vec<AuthorityId>) {
		AuthoritySet::set(authorities);
	}
}

#[derive_impl(crate::config_preludes::TestDefaultConfig)]
impl crate::Config for Test {
	type Provisions = MockProvisionsInspect;
	type AuthorityId = AuthorityId;
	type Authorities = CurrentAuthorities;
	type ProbeInterval = ProbeInterval;
	type MaxReportAge = MaxReportAge;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockProvisionsInspect;
}

/// `Window` of the test runtime.
pub const WINDOW: u32 = 5;
/// `HttpTimeoutMs` of the test runtime.
pub const TIMEOUT_MS: u64 = 1_000;

/// Provision id number `n`.
pub fn provision(n: u8) -> ProvisionId {
	[n; 32]
}

/// The health endpoint of provision `n`.
pub fn endpoint(n: u8) -> String {
	format!("https://p{n}.example/health")
}

/// Add (or replace) a provision in the double.
pub fn add_provision(id: ProvisionId, running: bool) {
	let n = id[0];
	MockProvisions::mutate(|p| {
		p.insert(id, MockProvision { running, endpoint: endpoint(n).into_bytes() })
	});
}

/// Remove a provision from the double (deregistered).
pub fn remove_provision(id: ProvisionId) {
	MockProvisions::mutate(|p| p.remove(&id));
}

/// The key pair of authority number `i`.
pub fn pair(i: u8) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//Validator{i}"), None).expect("valid seed; qed")
}

/// The key of authority number `i`.
pub fn authority(i: u8) -> AuthorityId {
	pair(i).public().into()
}

/// Signature by authority `i` of `report` (with the domain separator).
pub fn sign(i: u8, report: &crate::ProbeReportFor<Test>) -> AuthoritySignature {
	pair(i).sign(&Health::signing_payload(report)).into()
}

/// A report by authority `i` at `block` with `results`.
pub fn report(
	i: u8,
	block: u64,
	results: Vec<(ProvisionId, ProbeOutcome)>,
) -> crate::ProbeReportFor<Test> {
	ProbeReport {
		authority: authority(i),
		block_number: block,
		results: BoundedVec::truncate_from(results),
	}
}

/// Dispatch a report of authority `i` at the current block.
pub fn submit(
	i: u8,
	results: Vec<(ProvisionId, ProbeOutcome)>,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let report = report(i, System::block_number(), results);
	let signature = sign(i, &report);
	Health::submit_probes(RuntimeOrigin::none(), report, signature)
}

/// Builds test externalities: authorities 0, 1, 2; running provisions 1, 2, 3; block 1.
pub struct ExtBuilder {
	authorities: Vec<u8>,
	running: Vec<u8>,
	local_keys: Vec<u8>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { authorities: vec![0, 1, 2], running: vec![1, 2, 3], local_keys: vec![0] }
	}
}

impl ExtBuilder {
	/// Replace the authorities (by number).
	pub fn with_authorities(mut self, authorities: Vec<u8>) -> Self {
		self.authorities = authorities;
		self
	}

	/// Replace the running provisions (by number).
	pub fn with_running(mut self, running: Vec<u8>) -> Self {
		self.running = running;
		self
	}

	/// Replace the authority keys held in the keystore (by number).
	pub fn with_local_keys(mut self, local: Vec<u8>) -> Self {
		self.local_keys = local;
		self
	}

	/// Build the externalities (with a keystore holding the local keys).
	pub fn build(self) -> sp_io::TestExternalities {
		AuthoritySet::set(self.authorities.iter().map(|i| authority(*i)).collect());
		MockProvisions::set(BTreeMap::new());
		for n in &self.running {
			add_provision(provision(*n), true);
		}
		ProbeInterval::set(1);
		MaxReportAge::set(5);
		EventsSeen::set(0);
		let keystore = MemoryKeystore::new();
		for i in &self.local_keys {
			keystore
				.sr25519_generate_new(AuthorityId::ID, Some(&format!("//Validator{i}")))
				.expect("the memory keystore generates keys; qed");
		}
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(KeystoreExt::new(keystore));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Health::do_try_state().expect("try_state must hold after every test");
		});
	}

	/// Build with offchain-worker (scripted HTTP), offchain-db and transaction-pool extensions.
	pub fn build_offchain(self) -> OffchainHarness {
		let mut ext = self.build();
		let http = ScriptedHttp::default();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		ext.register_extension(OffchainWorkerExt::new(http.clone()));
		ext.register_extension(OffchainDbExt::new(http.inner.clone()));
		ext.register_extension(TransactionPoolExt::new(pool));
		OffchainHarness {
			ext,
			http,
			pool: Box::new(move || pool_state.read().transactions.clone()),
		}
	}
}

/// How the scripted server answers a URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
	/// Answer with `code` after `after_ms` milliseconds.
	Status {
		/// HTTP status code.
		code: u16,
		/// Delay of the answer.
		after_ms: u64,
	},
	/// Never answer.
	Hang,
	/// Fail with an I/O error at once.
	IoError,
}

/// Offchain externalities whose HTTP answers follow a script per URI: requests are recorded as
/// `PendingRequest`s by the wrapped `TestOffchainExt`, which also keeps the clock, while
/// `http_response_wait` answers per [`Answer`] and advances the clock like a real wait.
#[derive(Clone, Default)]
pub struct ScriptedHttp {
	/// The wrapped test externalities (clock, storage, recorded requests).
	pub inner: testing::TestOffchainExt,
	script: Arc<Mutex<BTreeMap<String, Answer>>>,
	started: Arc<Mutex<BTreeMap<u16, u64>>>,
}

impl ScriptedHttp {
	/// Answer `uri` with `answer`.
	pub fn answer(&self, uri: &str, answer: Answer) {
		self.script.lock().unwrap().insert(uri.into(), answer);
	}

	/// The requests made so far: `(method, uri, sent)`.
	pub fn requests(&self) -> Vec<(String, String, bool)> {
		self.inner
			.0
			.read()
			.requests
			.values()
			.map(|r| (r.method.clone(), r.uri.clone(), r.sent))
			.collect()
	}

	/// The current time of the clock, in ms.
	pub fn now(&self) -> u64 {
		self.inner.0.read().timestamp.unix_millis()
	}

	fn answer_of(&self, id: HttpRequestId) -> Option<(Answer, u64)> {
		let uri = self.inner.0.read().requests.get(&id)?.uri.clone();
		let answer = *self.script.lock().unwrap().get(&uri)?;
		let started = *self.started.lock().unwrap().get(&id.0)?;
		Some((answer, started))
	}
}

impl sp_core::offchain::Externalities for ScriptedHttp {
	fn is_validator(&self) -> bool {
		true
	}
	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}
	fn timestamp(&mut self) -> Timestamp {
		self.inner.timestamp()
	}
	fn sleep_until(&mut self, deadline: Timestamp) {
		self.inner.sleep_until(deadline)
	}
	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}
	fn http_request_start(
		&mut self,
		method: &str,
		uri: &str,
		meta: &[u8],
	) -> Result<HttpRequestId, ()> {
		let id = self.inner.http_request_start(method, uri, meta)?;
		let now = self.now();
		self.started.lock().unwrap().insert(id.0, now);
		Ok(id)
	}
	fn http_request_add_header(
		&mut self,
		id: HttpRequestId,
		name: &str,
		value: &str,
	) -> Result<(), ()> {
		self.inner.http_request_add_header(id, name, value)
	}
	fn http_request_write_body(
		&mut self,
		id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<Timestamp>,
	) -> Result<(), HttpError> {
		self.inner.http_request_write_body(id, chunk, deadline)
	}
	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		deadline: Option<Timestamp>,
	) -> Vec<HttpRequestStatus> {
		let now = self.now();
		let deadline = deadline.map(|d| d.unix_millis()).unwrap_or(u64::MAX);
		let answers: Vec<_> = ids.iter().map(|id| self.answer_of(*id)).collect();
		// Like a real wait: return when every request is done, or at the deadline.
		let mut wake = now;
		for (answer, started) in answers.iter().flatten() {
			let done = match answer {
				Answer::Status { after_ms, .. } => started.saturating_add(*after_ms),
				Answer::Hang => u64::MAX,
				Answer::IoError => now,
			};
			wake = wake.max(done.min(deadline));
		}
		assert!(wake != u64::MAX, "waiting forever on a hanging request");
		self.inner.sleep_until(Timestamp::from_unix_millis(wake));
		answers
			.into_iter()
			.map(|answer| match answer {
				None => HttpRequestStatus::Invalid,
				Some((Answer::IoError, _)) => HttpRequestStatus::IoError,
				Some((Answer::Status { code, after_ms }, started))
					if started.saturating_add(after_ms) <= wake =>
				{
					HttpRequestStatus::Finished(code)
				},
				Some(_) => HttpRequestStatus::DeadlineReached,
			})
			.collect()
	}
	fn http_response_headers(&mut self, id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(id)
	}
	fn http_response_read_body(
		&mut self,
		id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<Timestamp>,
	) -> Result<usize, HttpError> {
		self.inner.http_response_read_body(id, buffer, deadline)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

/// Externalities with offchain extensions, and handles on the scripted server and the pool.
pub struct OffchainHarness {
	/// The externalities.
	pub ext: sp_io::TestExternalities,
	/// The scripted HTTP server.
	pub http: ScriptedHttp,
	pool: Box<dyn Fn() -> Vec<Vec<u8>>>,
}

impl OffchainHarness {
	/// The transactions submitted so far, decoded.
	pub fn transactions(&self) -> Vec<Extrinsic> {
		use codec::Decode;
		(self.pool)()
			.into_iter()
			.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("the pool holds mock extrinsics; qed"))
			.collect()
	}

	/// Run `test`, then check the pallet's invariants.
	pub fn execute<R>(&mut self, test: impl FnOnce() -> R) -> R {
		self.ext.execute_with(|| {
			let result = test();
			Health::do_try_state().expect("try_state must hold after every test");
			result
		})
	}
}

/// The health events emitted since the last call.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events: Vec<_> = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Health(event) => Some(event),
			_ => None,
		})
		.collect();
	let seen = EventsSeen::get();
	EventsSeen::set(events.len());
	events.into_iter().skip(seen).collect()
}

/// Move to block `n` (the pallet has no block hooks besides the offchain worker).
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}
