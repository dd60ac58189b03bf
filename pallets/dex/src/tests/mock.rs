//! Test runtime: System, Balances, Assets and the dex, with `u64` accounts.

use crate::{self as pallet_cxmpute_dex, AssetId, Balance, OrderId, Pair, Price, Side};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungibles::Inspect, AsEnsureOriginWithArg, Hooks},
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::{BuildStorage, FixedPointNumber};

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
	pub type Dex = pallet_cxmpute_dex;
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

/// The fee account.
pub const FEES: AccountId = 99;
/// The stable (quote) asset.
pub const USD: AssetId = 1;
/// A base asset.
pub const BTC: AssetId = 2;
/// Another base asset.
pub const ETH: AssetId = 3;
/// An asset that does not exist.
pub const NOPE: AssetId = 77;
/// Traders.
pub const ALICE: AccountId = 1;
/// See [`ALICE`].
pub const BOB: AccountId = 2;
/// See [`ALICE`].
pub const CHARLIE: AccountId = 3;
/// See [`ALICE`].
pub const DAVE: AccountId = 4;
/// What each trader starts with of each asset.
pub const START: Balance = 1_000_000_000;

parameter_types! {
	pub const FeeAccount: AccountId = FEES;
	pub const QuoteAsset: AssetId = USD;
	pub static MaxFillsParam: u32 = 16;
	pub static EventsSeen: usize = 0;
}

#[derive_impl(crate::config_preludes::TestDefaultConfig)]
impl crate::Config for Test {
	type Assets = Assets;
	type FeeAccount = FeeAccount;
	type AdminOrigin = EnsureRoot<AccountId>;
	type QuoteAsset = QuoteAsset;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::CreateAssets<Assets>;
}

/// The market BTC/USD.
pub const BTC_USD: Pair = Pair::new(BTC, USD);

/// The price `n` quote per base.
pub fn price(n: u128) -> Price {
	Price::saturating_from_integer(n)
}

/// The price `n / d`.
pub fn ratio(n: u128, d: u128) -> Price {
	Price::checked_from_rational(n, d).expect("test ratios are valid; qed")
}

/// Balance of `who` in `asset`.
pub fn bal(asset: AssetId, who: AccountId) -> Balance {
	<Assets as Inspect<AccountId>>::balance(asset, &who)
}

/// The pallet account.
pub fn dex_account() -> AccountId {
	Dex::account_id()
}

/// Builds test externalities: USD, BTC, ETH exist (sufficient, min balance 1); ALICE..DAVE hold
/// `START` of each; block 1.
#[derive(Default)]
pub struct ExtBuilder {
	traders: Vec<AccountId>,
}

impl ExtBuilder {
	/// Add extra funded traders.
	#[allow(dead_code)]
	pub fn with_traders(mut self, traders: Vec<AccountId>) -> Self {
		self.traders = traders;
		self
	}

	/// Build the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut holders = vec![ALICE, BOB, CHARLIE, DAVE];
		holders.extend(self.traders);
		pallet_balances::GenesisConfig::<Test> {
			balances: holders.iter().map(|a| (*a, 1_000)).collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let assets = [USD, BTC, ETH];
		pallet_assets::GenesisConfig::<Test> {
			assets: assets.iter().map(|a| (*a, ALICE, true, 1)).collect(),
			metadata: vec![],
			accounts: assets
				.iter()
				.flat_map(|a| holders.iter().map(move |h| (*a, *h, START)))
				.collect(),
			next_asset_id: None,
			reserves: vec![],
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
			Dex::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// The dex events emitted since the last call.
pub fn events_since_last_call() -> Vec<crate::Event<Test>> {
	let events: Vec<_> = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Dex(event) => Some(event),
			_ => None,
		})
		.collect();
	let seen = EventsSeen::get();
	EventsSeen::set(events.len());
	events.into_iter().skip(seen).collect()
}

/// Run blocks up to `n`, calling the dex's `on_initialize` for each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Dex::on_initialize(next);
	}
}

/// Place a good-till-cancelled limit order on BTC/USD with the right hint; returns its id if
/// a remainder rested.
pub fn limit(who: AccountId, side: Side, p: Price, amount: Balance) -> Option<OrderId> {
	limit_on(BTC_USD, who, side, p, amount, None)
}

/// Place a limit order on `pair` with the right hint; returns its id if a remainder rested.
pub fn limit_on(
	pair: Pair,
	who: AccountId,
	side: Side,
	p: Price,
	amount: Balance,
	expiry: Option<u64>,
) -> Option<OrderId> {
	let next = crate::NextOrderId::<Test>::get();
	let hint = Dex::insert_hint(pair, side, p);
	assert_ok!(Dex::place_limit_order(
		RuntimeOrigin::signed(who),
		pair.base,
		pair.quote,
		side,
		p,
		amount,
		expiry,
		hint,
		MaxFillsParam::get(),
	));
	(crate::NextOrderId::<Test>::get() > next).then_some(next)
}

/// Total supply of `asset` held by the traders, the pallet and the fee account.
pub fn total_held(asset: AssetId, traders: &[AccountId]) -> Balance {
	traders.iter().map(|t| bal(asset, *t)).sum::<Balance>()
		+ bal(asset, dex_account())
		+ bal(asset, FEES)
}
