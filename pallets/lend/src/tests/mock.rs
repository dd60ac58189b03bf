//! Test runtime: System, Balances, Assets and the lending pallet, with a scriptable oracle.

use crate::{
	self as pallet_cxmpute_lend, MarketParams, Price, PriceError, PriceProvider, PriceSource,
	RateModel,
};
use cxmpute_math::lending::InterestRateModel;
use frame_support::{assert_ok, derive_impl, traits::AsEnsureOriginWithArg};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_arithmetic::{FixedU128, Perbill, Permill};
use sp_runtime::BuildStorage;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts of the test runtime.
pub type AccountId = u64;
/// Asset ids of the test runtime.
pub type AssetId = u32;

/// A stable asset.
pub const USD: AssetId = 1;
/// A volatile asset.
pub const BTC: AssetId = 2;
/// Another volatile asset.
pub const ETH: AssetId = 3;
/// An asset without a market.
pub const DOT: AssetId = 4;
/// Assets created by [`ExtBuilder`].
pub const ASSETS: [AssetId; 4] = [USD, BTC, ETH, DOT];

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
/// Accounts endowed by [`ExtBuilder`].
pub const ACCOUNTS: [AccountId; 4] = [ALICE, BOB, CHARLIE, DAVE];
/// Each account's initial balance of each asset.
pub const INITIAL: u128 = 1_000_000_000_000;

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
	pub type Lend = pallet_cxmpute_lend;
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
	type Balance = u128;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
}

/// A scripted oracle price.
#[derive(Clone, Copy, Debug)]
pub struct MockPrice {
	/// The primary price.
	pub price: Price,
	/// Whether the primary price is stale.
	pub stale: bool,
	/// The fallback price, if any.
	pub twap: Option<Price>,
}

thread_local! {
	static PRICES: RefCell<BTreeMap<AssetId, MockPrice>> = const { RefCell::new(BTreeMap::new()) };
}

/// An oracle whose prices the tests set.
pub struct MockOracle;
impl MockOracle {
	/// Set a fresh `price` (no fallback) for `asset`.
	pub fn set(asset: AssetId, price: Price) {
		PRICES
			.with(|p| p.borrow_mut().insert(asset, MockPrice { price, stale: false, twap: None }));
	}
	/// Mark `asset`'s primary price stale, with an optional fallback.
	pub fn set_stale(asset: AssetId, twap: Option<Price>) {
		PRICES.with(|p| {
			if let Some(m) = p.borrow_mut().get_mut(&asset) {
				m.stale = true;
				m.twap = twap;
			}
		});
	}
	/// Forget `asset`'s price.
	pub fn remove(asset: AssetId) {
		PRICES.with(|p| p.borrow_mut().remove(&asset));
	}
	/// Forget all prices.
	pub fn clear() {
		PRICES.with(|p| p.borrow_mut().clear());
	}
}
impl PriceProvider<AssetId> for MockOracle {
	fn price(asset: AssetId) -> Result<Price, PriceError> {
		match PRICES.with(|p| p.borrow().get(&asset).copied()) {
			None => Err(PriceError::Unknown),
			Some(m) if m.stale => Err(PriceError::Stale),
			Some(m) => Ok(m.price),
		}
	}
	fn price_or_twap(asset: AssetId) -> Result<(Price, PriceSource), PriceError> {
		match PRICES.with(|p| p.borrow().get(&asset).copied()) {
			None => Err(PriceError::Unknown),
			Some(m) if m.stale => m.twap.map(|t| (t, PriceSource::Twap)).ok_or(PriceError::Stale),
			Some(m) => Ok((m.price, PriceSource::Median)),
		}
	}
}

/// Creates assets and sets prices for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockBenchmarkHelper {
	fn create_asset(asset: AssetId) {
		create_asset(asset);
	}
	fn set_price(asset: AssetId, price: Price) {
		MockOracle::set(asset, price);
	}
}

#[derive_impl(pallet_cxmpute_lend::config_preludes::TestDefaultConfig)]
impl pallet_cxmpute_lend::Config for Test {
	type Assets = Assets;
	type Oracle = MockOracle;
	type MarketOrigin = EnsureRoot<AccountId>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Create `asset` as a sufficient asset with a minimum balance of 1, if missing.
pub fn create_asset(asset: AssetId) {
	if !pallet_assets::Asset::<Test>::contains_key(asset) {
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), asset, ALICE, true, 1));
	}
}

/// `p` percent as a fixed-point number.
pub fn pct(p: u128) -> FixedU128 {
	FixedU128::from_rational(p, 100)
}

/// The rate model: 2% base, 10% at the 80% kink, 32% at 100%.
pub fn rate_model() -> RateModel {
	InterestRateModel::from_targets(pct(2), pct(10), Perbill::from_percent(80), pct(32))
		.expect("valid targets")
		.into()
}

/// Default market parameters: the rate model, 15% reserve factor, 75% collateral
/// factor, 80% liquidation threshold, 5% bonus, exchange rate 1.
pub fn params() -> MarketParams {
	MarketParams {
		rate_model: rate_model(),
		reserve_factor: Permill::from_percent(15),
		collateral_factor: Permill::from_percent(75),
		liquidation_threshold: Permill::from_percent(80),
		liquidation_bonus: Permill::from_percent(5),
		initial_exchange_rate: FixedU128::from_u32(1),
	}
}

/// Builds test externalities at block 1.
pub struct ExtBuilder {
	markets: Vec<AssetId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { markets: vec![USD, BTC, ETH] }
	}
}

impl ExtBuilder {
	/// Create markets only for `markets`.
	pub fn with_markets(mut self, markets: Vec<AssetId>) -> Self {
		self.markets = markets;
		self
	}

	/// Build the externalities: assets created, every account endowed, price 1 for every asset,
	/// markets created with [`params`].
	pub fn build(self) -> sp_io::TestExternalities {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			MockOracle::clear();
			for asset in ASSETS {
				create_asset(asset);
				MockOracle::set(asset, FixedU128::from_u32(1));
				for who in ACCOUNTS {
					assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), asset, who, INITIAL));
				}
			}
			for asset in self.markets {
				assert_ok!(Lend::create_market(RuntimeOrigin::root(), asset, params()));
			}
			System::reset_events();
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Lend::do_try_state().expect("try_state must hold after every test");
		});
	}
}

/// Advance to block `n` (the pallet has no per-block hook).
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// The pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Lend(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// `who`'s balance of `asset`.
pub fn balance(asset: AssetId, who: AccountId) -> u128 {
	<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(asset, &who)
}

/// `who`'s u-tokens of `asset`.
pub fn utokens(asset: AssetId, who: AccountId) -> u128 {
	crate::UTokens::<Test>::get(asset, who)
}

/// The stored market of `asset`.
pub fn market(asset: AssetId) -> crate::Market<Test> {
	crate::Markets::<Test>::get(asset).expect("market exists")
}

/// `who`'s current debt in `asset`.
pub fn debt(asset: AssetId, who: AccountId) -> u128 {
	let m = Lend::current_market(asset).expect("market exists");
	Lend::debt_in(asset, &m, &who).expect("debt computes")
}

/// `who` supplies `amount` of `asset` and enables it as collateral.
pub fn supply_collateral(who: AccountId, asset: AssetId, amount: u128) {
	assert_ok!(Lend::supply(RuntimeOrigin::signed(who), asset, amount));
	assert_ok!(Lend::enable_collateral(RuntimeOrigin::signed(who), asset));
}

/// The lending pallet's account.
pub fn pallet_account() -> AccountId {
	Lend::account_id()
}
