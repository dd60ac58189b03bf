//! Test runtime: System and the oracle, with `AccountId32` accounts signing with `MultiSignature`
//! (as the Cxmpute runtime does) and a scriptable TWAP provider.

use crate::{self as pallet_cxmpute_oracle, AssetId, Price};
use codec::Encode;
use cxmpute_primitives::oracle::TwapProvider;
use frame_support::{derive_impl, parameter_types};
use frame_system::offchain::{
	AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes,
};
use sp_core::offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::UncheckedExtrinsic,
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner, RuntimeAppPublic,
};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts of the test runtime.
pub type AccountId = AccountId32;
/// The extrinsics the offchain worker submits: signed, with the call and nonce as payload.
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, ()>;

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
	pub type Oracle = pallet_cxmpute_oracle;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

impl SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: Self::Nonce,
	) -> Option<Extrinsic> {
		let signature = C::sign(&signed_payload(&call, nonce), public)?;
		Some(Extrinsic::new_signed(call, account, signature, ()))
	}
}

/// What the mock signs for a transaction: the call and the nonce.
pub fn signed_payload(call: &RuntimeCall, nonce: <Test as frame_system::Config>::Nonce) -> Vec<u8> {
	(call, nonce).encode()
}

parameter_types! {
	pub static MinFeeds: u32 = 1;
	pub static MaxAge: u64 = 10;
	pub static OffchainInterval: u64 = 1;
	pub static TwapPrice: Option<Price> = None;
	pub static TwapCalls: Vec<(AssetId, u32)> = Vec::new();
	pub static EventsSeen: usize = 0;
}

/// The TWAP window of the mock.
pub const TWAP_WINDOW: u32 = 30;

/// A TWAP provider returning `TwapPrice` and recording each call in `TwapCalls`.
pub struct MockTwap;
impl TwapProvider<AssetId> for MockTwap {
	fn twap(asset: AssetId, window: u32) -> Option<Price> {
		TwapCalls::mutate(|calls| calls.push((asset, window)));
		TwapPrice::get()
	}
}

#[derive_impl(crate::config_preludes::TestDefaultConfig)]
impl crate::Config for Test {
	type UpdateOrigin = frame_system::EnsureRoot<AccountId>;
	type AuthorityId = crate::crypto::OracleAuthId;
	type Twap = MockTwap;
	type MinFeeds = MinFeeds;
	type MaxAge = MaxAge;
	type TwapWindow = frame_support::traits::ConstU32<TWAP_WINDOW>;
	type OffchainInterval = OffchainInterval;
}

/// A listed asset (BTC-like, 8 decimals) in the default genesis.
pub const BTC: AssetId = 1;
/// A listed asset (ETH-like, 18 decimals) in the default genesis.
pub const ETH: AssetId = 2;
/// An asset that is not listed in the default genesis.
pub const DOT: AssetId = 3;
/// The feed source URL of `BTC` in the default genesis.
pub const BTC_URL: &str = "https://prices.example/btc";
/// The feed source URL of `ETH` in the default genesis.
pub const ETH_URL: &str = "https://prices.example/eth";

/// Test account number `n`.
pub fn account(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

/// Operator accounts of the default genesis.
pub fn alice() -> AccountId {
	account(1)
}
/// See [`alice`].
pub fn bob() -> AccountId {
	account(2)
}
/// See [`alice`].
pub fn charlie() -> AccountId {
	account(3)
}
/// An account that is not an operator in the default genesis.
pub fn dave() -> AccountId {
	account(4)
}

/// The price `n` (an integer number of quote units per base unit).
pub fn price(n: u32) -> Price {
	Price::from_u32(n)
}

/// Builds test externalities: operators alice, bob, charlie; BTC and ETH listed; block 1.
pub struct ExtBuilder {
	operators: Vec<AccountId>,
	feed_sources: Vec<(AssetId, Vec<u8>, Vec<u8>, i8)>,
	min_feeds: u32,
	max_age: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			operators: vec![alice(), bob(), charlie()],
			feed_sources: vec![
				(BTC, BTC_URL.as_bytes().to_vec(), b"data.price".to_vec(), -2),
				(ETH, ETH_URL.as_bytes().to_vec(), b"price".to_vec(), -12),
			],
			min_feeds: 1,
			max_age: 10,
		}
	}
}

impl ExtBuilder {
	/// Replace the genesis operators.
	pub fn with_operators(mut self, operators: Vec<AccountId>) -> Self {
		self.operators = operators;
		self
	}

	/// Replace the genesis feed sources.
	pub fn with_feed_sources(mut self, sources: Vec<(AssetId, Vec<u8>, Vec<u8>, i8)>) -> Self {
		self.feed_sources = sources;
		self
	}

	/// Set `MinFeeds`.
	pub fn with_min_feeds(mut self, min_feeds: u32) -> Self {
		self.min_feeds = min_feeds;
		self
	}

	/// Set `MaxAge`.
	pub fn with_max_age(mut self, max_age: u64) -> Self {
		self.max_age = max_age;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		MinFeeds::set(self.min_feeds);
		MaxAge::set(self.max_age);
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_cxmpute_oracle::GenesisConfig::<Test> {
			operators: self.operators,
			feed_sources: self.feed_sources,
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
			Oracle::do_try_state().expect("try_state must hold after every test");
		});
	}

	/// Build with offchain-worker, transaction-pool and keystore extensions. The keystore holds
	/// one `orcl` key; its account is added to the operators when `local_is_operator`.
	pub fn build_offchain(mut self, local_is_operator: bool) -> OffchainHarness {
		let keystore = MemoryKeystore::new();
		let public = keystore
			.sr25519_generate_new(crate::crypto::Public::ID, Some("//Oracle"))
			.expect("the memory keystore generates keys; qed");
		let local: AccountId = MultiSigner::from(public).into_account();
		if local_is_operator {
			self.operators.push(local.clone());
		}
		let mut ext = self.build();
		let (offchain, _) = testing::TestOffchainExt::new();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.register_extension(KeystoreExt::new(keystore));
		OffchainHarness {
			ext,
			offchain,
			pool: Box::new(move || pool_state.read().transactions.clone()),
			local,
		}
	}
}

/// Externalities with offchain extensions, and handles on the fake HTTP server and pool.
pub struct OffchainHarness {
	/// The externalities.
	pub ext: sp_io::TestExternalities,
	/// The fake HTTP server.
	pub offchain: testing::TestOffchainExt,
	/// Reads the encoded transactions submitted to the fake pool.
	pool: Box<dyn Fn() -> Vec<Vec<u8>>>,
	/// The account of the keystore's `orcl` key.
	pub local: AccountId,
}

impl OffchainHarness {
	/// Expect a `GET uri` (in order) and answer it with `body`.
	pub fn expect_get(&self, uri: &str, body: &[u8]) {
		self.offchain.0.write().expect_request(testing::PendingRequest {
			method: "GET".into(),
			uri: uri.into(),
			headers: vec![("Accept".into(), "application/json".into())],
			response: Some(body.to_vec()),
			sent: true,
			..Default::default()
		});
	}

	/// The transactions submitted so far, decoded.
	pub fn transactions(&self) -> Vec<Extrinsic> {
		use codec::Decode;
		(self.pool)()
			.into_iter()
			.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("the pool holds mock extrinsics; qed"))
			.collect()
	}

	/// Run `test`, then check the pallet's invariants.
	pub fn execute(&mut self, test: impl FnOnce()) {
		self.ext.execute_with(|| {
			test();
			Oracle::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// The oracle events emitted since the last call.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events: Vec<_> = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Oracle(event) => Some(event),
			_ => None,
		})
		.collect();
	let seen = EventsSeen::get();
	EventsSeen::set(events.len());
	events.into_iter().skip(seen).collect()
}

/// Move to block `n` (no hooks run: the pallet has no block hooks besides the offchain worker).
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}
