//! # Lending pallet
//!
//! Compound-style lending markets: one market per asset, interest-bearing receipt tokens
//! (*u-tokens*), a kinked interest-rate model, shared collateral across markets, permissionless
//! liquidations with explicit bad-debt write-off, and flash loans.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::create_market`] / [`Pallet::update_market`]: governance lists an asset and sets
//!   its [`MarketParams`].
//! - [`Pallet::supply`] / [`Pallet::redeem`] / [`Pallet::transfer_utokens`]: deposit
//!   underlying for u-tokens, burn u-tokens for underlying, move u-tokens.
//! - [`Pallet::enable_collateral`] / [`Pallet::disable_collateral`]: choose which u-tokens back
//!   the account's debts.
//! - [`Pallet::borrow`] / [`Pallet::repay`]: take and pay back loans (repay on behalf too).
//! - [`Pallet::liquidate`]: repay part of an unhealthy position for its collateral plus a bonus.
//! - [`Pallet::flash_loan`]: borrow and repay with a fee around a list of calls.
//! - [`Pallet::accrue`]: bring a market's interest up to date (permissionless).
//! - View functions `market`, `rates`, `health_factor`, `account_snapshot`.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Cash**: underlying held for a market, tracked in storage. Transfers made directly to the
//!   pallet account (donations) do not change it.
//! - **U-token**: a market's receipt token, kept in this pallet's ledger [`UTokens`] (not in
//!   `pallet-assets`), worth `(cash + borrows - reserves) / total_supply` underlying.
//! - **Health factor**: `sum(collateral_value * liquidation_threshold) / sum(debt_value)`, from
//!   oracle prices; below 1 the position may be liquidated.
//!
//! ### Formulas (see `README.md` and `cxmpute_math::lending`)
//!
//! - `utilisation = borrows / (cash + borrows - reserves)`, rounded up;
//! - `borrow_rate = base + multiplier * min(u, kink) + jump * max(u - kink, 0)` (annual);
//! - `supply_rate = borrow_rate * u * (1 - reserve_factor)`;
//! - each block compounds the borrow index by `1 + borrow_rate / BlocksPerYear` (rounded up);
//!   a debt is `principal * index_now / index_at_open`, rounded up, so a loan of one unit
//!   accrues at least one unit of interest after one block.
//!
//! Every call that changes a market accrues it first. Health checks read every market of the
//! account accrued to the current block (without writing the ones they do not change).
//!
//! ### Prices
//!
//! Borrowing, redeeming, disabling collateral and moving u-tokens need a fresh primary price
//! ([`PriceProvider::price`]) for every asset of the account when the account has debt
//! ([`Error::PriceStale`] otherwise). Liquidations also accept the oracle's explicit fallback
//! ([`PriceProvider::price_or_twap`]); without any price they wait.
//!
//! ### Liquidation and bad debt
//!
//! A liquidator repays at most 50% of one debt ([`Config::CloseFactor`]), or all of it below
//! health [`Config::FullLiquidationHealth`] (0.95), and receives the borrower's u-tokens of one
//! collateral market worth the repaid value plus the market's bonus. When the borrower has no
//! collateral left and still owes, every remaining debt is written off: first against the
//! market's reserves, the rest socialised to its suppliers, with [`Event::BadDebtWrittenOff`].
//!
//! ### First-depositor protection
//!
//! Cash is tracked internally and the first deposit of a market locks
//! [`Config::MinimumLiquidity`] u-tokens forever (see `cxmpute_math::lending`).
//!
//! ### Flash loans
//!
//! [`Pallet::flash_loan`] sends `amount` to the caller, dispatches the caller's calls with the
//! caller's origin, then takes back `amount + fee`; the fee goes to the reserves. If that
//! fails, or any call fails, the whole call fails and every change is reverted. While a flash
//! loan runs the lent amount is unavailable to redeem or borrow, the market's cash (and so its
//! exchange rate) is left unchanged, and another flash loan fails with
//! [`Error::NestedFlashLoan`].
//!
//! ## Low Level / Implementation Details
//!
//! An account takes part in at most [`Config::MaxMarketsPerAccount`] markets ([`MarketsOf`]),
//! so health checks cost `O(MaxMarketsPerAccount)`. Amounts are `u128`; all arithmetic is
//! checked and rounds against whoever would profit. `try_state` checks the u-token ledger, the
//! solvency of each market and the account index.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::oracle::{PriceError, PriceProvider, PriceSource};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod borrow;
mod flash;
mod health;
mod interest;
mod liquidation;
mod market;
mod supply;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::lend";

/// Sets up what benchmarks need and cannot do through the pallet's own traits.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Create the fungible asset `asset` so that accounts (including the pallet account) can
	/// hold it once minted (e.g. a sufficient asset with a minimum balance of 1).
	fn create_asset(asset: AssetId);
	/// Make `Config::Oracle` report `price` for `asset` as fresh.
	fn set_price(asset: AssetId, price: Price);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{fungibles, IsSubType, UnfilteredDispatchable},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::{FixedU128, Permill};
	use sp_runtime::traits::Dispatchable;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, parameter_types, traits::ConstU32};

		/// Defaults for a mock runtime: 4 markets per account, 6-second blocks.
		pub struct TestDefaultConfig;

		parameter_types! {
			/// The pallet account's id.
			pub const TestPalletId: PalletId = PalletId(*b"cx/lend_");
			/// 6-second blocks.
			pub const TestBlocksPerYear: u64 = cxmpute_math::lending::BLOCKS_PER_YEAR_6S;
			/// 1000 u-tokens locked by each first deposit.
			pub const TestMinimumLiquidity: Balance = 1_000;
			/// 50% close factor.
			pub const TestCloseFactor: Permill = Permill::from_percent(50);
			/// Full liquidation below 0.95.
			pub const TestFullLiquidationHealth: FixedU128 =
				cxmpute_math::lending::DEFAULT_FULL_LIQUIDATION_HEALTH;
			/// 0.09% flash-loan fee.
			pub const TestFlashLoanFee: Permill = Permill::from_parts(900);
		}

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			#[inject_runtime_type]
			type RuntimeCall = ();
			type PalletId = TestPalletId;
			type MaxMarketsPerAccount = ConstU32<4>;
			type MaxFlashLoanCalls = ConstU32<8>;
			type BlocksPerYear = TestBlocksPerYear;
			type MinimumLiquidity = TestMinimumLiquidity;
			type CloseFactor = TestCloseFactor;
			type FullLiquidationHealth = TestFullLiquidationHealth;
			type FlashLoanFee = TestFlashLoanFee;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The overarching call type: what a flash loan dispatches.
		#[pallet::no_default_bounds]
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo
			+ From<frame_system::Call<Self>>
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ IsSubType<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;

		/// The fungible assets lent and borrowed (e.g. `pallet-assets`).
		#[pallet::no_default]
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ fungibles::Mutate<Self::AccountId>;

		/// Prices of the assets against the stable asset (the oracle pallet).
		#[pallet::no_default]
		type Oracle: PriceProvider<AssetId>;

		/// Who may create and update markets (root or governance).
		#[pallet::no_default]
		type MarketOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The id of the pallet account that holds every market's cash.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The most markets an account may take part in (supply, debt or collateral flag).
		#[pallet::constant]
		type MaxMarketsPerAccount: Get<u32>;

		/// The most calls one flash loan may dispatch.
		#[pallet::constant]
		type MaxFlashLoanCalls: Get<u32>;

		/// Blocks per year, to turn annual rates into per-block rates.
		#[pallet::constant]
		type BlocksPerYear: Get<u64>;

		/// U-tokens locked forever by the first deposit of each market.
		#[pallet::constant]
		type MinimumLiquidity: Get<Balance>;

		/// Largest share of a debt repaid by one liquidation at health in `[0.95, 1)`.
		#[pallet::constant]
		type CloseFactor: Get<Permill>;

		/// Below this health a whole debt may be repaid by one liquidation.
		#[pallet::constant]
		type FullLiquidationHealth: Get<FixedU128>;

		/// Flash-loan fee, as a share of the amount, rounded up; goes to the reserves.
		#[pallet::constant]
		type FlashLoanFee: Get<Permill>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up benchmarks (assets and prices).
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: crate::BenchmarkHelper;
	}

	/// Every market, by asset.
	// Twox64Concat: asset ids are chosen by governance, not by users.
	#[pallet::storage]
	pub type Markets<T: Config> = StorageMap<_, Twox64Concat, AssetId, Market<T>, OptionQuery>;

	/// U-token balances, by market and account.
	// Twox64Concat for the governance-chosen asset, Blake2_128Concat for user-chosen accounts.
	#[pallet::storage]
	pub type UTokens<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AssetId,
		Blake2_128Concat,
		T::AccountId,
		Balance,
		ValueQuery,
	>;

	/// Debt snapshots, by market and borrower.
	// Twox64Concat for the governance-chosen asset, Blake2_128Concat for user-chosen accounts.
	#[pallet::storage]
	pub type Borrows<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AssetId,
		Blake2_128Concat,
		T::AccountId,
		BorrowSnapshot,
		OptionQuery,
	>;

	/// The markets each account takes part in: it holds u-tokens, owes, or flagged the market
	/// as collateral.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type MarketsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AccountMarketsOf<T>, ValueQuery>;

	/// The flash loan in progress, `(asset, amount)`; only set inside `flash_loan`.
	#[pallet::storage]
	pub type ActiveFlashLoan<T: Config> = StorageValue<_, (AssetId, Balance), OptionQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxMarketsPerAccount::get() >= 1, "an account needs one market");
			assert!(T::MaxFlashLoanCalls::get() >= 1, "a flash loan needs one call");
			assert!(T::BlocksPerYear::get() >= 1, "BlocksPerYear must be >= 1");
			assert!(T::MinimumLiquidity::get() >= 1, "MinimumLiquidity must be >= 1");
			assert!(!T::CloseFactor::get().is_zero(), "CloseFactor must be > 0");
			assert!(
				T::FullLiquidationHealth::get() <= FixedU128::from_u32(1),
				"FullLiquidationHealth must be <= 1"
			);
			assert!(T::FlashLoanFee::get() < Permill::one(), "FlashLoanFee must be < 100%");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A market was created.
		MarketCreated {
			/// The market's asset.
			asset: AssetId,
			/// Its parameters.
			params: MarketParams,
		},
		/// A market's parameters were changed (after accruing it).
		MarketUpdated {
			/// The market's asset.
			asset: AssetId,
			/// The new parameters.
			params: MarketParams,
		},
		/// Interest was accrued on a market.
		InterestAccrued {
			/// The market's asset.
			asset: AssetId,
			/// Interest added to the total borrows.
			interest: Balance,
			/// The part of it added to the reserves.
			reserves_added: Balance,
			/// The borrow index after accrual.
			borrow_index: FixedU128,
			/// The annual borrow rate applied.
			borrow_rate: FixedU128,
		},
		/// Underlying was supplied for u-tokens.
		Supplied {
			/// The supplier.
			who: T::AccountId,
			/// The market's asset.
			asset: AssetId,
			/// Underlying deposited.
			amount: Balance,
			/// U-tokens credited to the supplier.
			utokens: Balance,
			/// U-tokens locked forever (first deposit only).
			locked: Balance,
		},
		/// U-tokens were redeemed for underlying.
		Redeemed {
			/// The redeemer.
			who: T::AccountId,
			/// The market's asset.
			asset: AssetId,
			/// Underlying paid out.
			amount: Balance,
			/// U-tokens burnt.
			utokens: Balance,
		},
		/// U-tokens were transferred.
		UTokensTransferred {
			/// The market's asset.
			asset: AssetId,
			/// The sender.
			from: T::AccountId,
			/// The recipient.
			to: T::AccountId,
			/// U-tokens moved.
			amount: Balance,
		},
		/// A market's u-tokens now count as the account's collateral.
		CollateralEnabled {
			/// The account.
			who: T::AccountId,
			/// The market's asset.
			asset: AssetId,
		},
		/// A market's u-tokens no longer count as the account's collateral.
		CollateralDisabled {
			/// The account.
			who: T::AccountId,
			/// The market's asset.
			asset: AssetId,
		},
		/// Underlying was borrowed.
		Borrowed {
			/// The borrower.
			who: T::AccountId,
			/// The market's asset.
			asset: AssetId,
			/// Underlying borrowed.
			amount: Balance,
			/// The borrower's debt in this market afterwards.
			debt: Balance,
		},
		/// A debt was (partly) repaid.
		Repaid {
			/// Who paid.
			payer: T::AccountId,
			/// Whose debt was repaid.
			borrower: T::AccountId,
			/// The market's asset.
			asset: AssetId,
			/// Underlying repaid.
			amount: Balance,
			/// The borrower's debt in this market afterwards.
			debt: Balance,
		},
		/// An unhealthy position was liquidated.
		Liquidated {
			/// Who repaid.
			liquidator: T::AccountId,
			/// The liquidated borrower.
			borrower: T::AccountId,
			/// The asset of the debt repaid.
			debt_asset: AssetId,
			/// The asset of the collateral seized.
			collateral_asset: AssetId,
			/// Debt repaid.
			repaid: Balance,
			/// Collateral u-tokens moved to the liquidator.
			seized_utokens: Balance,
		},
		/// A borrower left without collateral had a debt written off.
		BadDebtWrittenOff {
			/// The borrower.
			borrower: T::AccountId,
			/// The market's asset.
			asset: AssetId,
			/// The debt written off.
			amount: Balance,
			/// The part taken from the market's reserves.
			from_reserves: Balance,
			/// The rest, lost by the market's suppliers (the exchange rate drops).
			socialised: Balance,
		},
		/// A flash loan was taken and repaid.
		FlashLoaned {
			/// The borrower.
			who: T::AccountId,
			/// The asset lent.
			asset: AssetId,
			/// The amount lent.
			amount: Balance,
			/// The fee paid to the reserves.
			fee: Balance,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero; give a positive amount.
		ZeroAmount,
		/// No market exists for this asset; see `MarketCreated` events.
		UnknownMarket,
		/// A market already exists for this asset; use `update_market`.
		MarketExists,
		/// The asset does not exist in `Config::Assets`; create it first.
		UnknownAsset,
		/// The rate model is invalid: the kink must be strictly between 0% and 100% and the
		/// rate at 100% utilisation at most `MAX_BORROW_RATE`.
		InvalidRateModel,
		/// The reserve factor must be below 100%.
		InvalidReserveFactor,
		/// The collateral factor must not exceed the liquidation threshold, which must be
		/// below 100%.
		InvalidCollateralFactor,
		/// The bonus exceeds `MAX_LIQUIDATION_BONUS`, or `liquidation_threshold * (1 + bonus)`
		/// exceeds 100% (liquidations would make positions less healthy).
		InvalidLiquidationBonus,
		/// The initial exchange rate must be non-zero.
		InvalidExchangeRate,
		/// An amount overflowed; use a smaller amount or accrue more often.
		Overflow,
		/// The market's totals are inconsistent (reserves above its assets); please report.
		InconsistentMarket,
		/// No underlying backs the market's u-tokens (all written off); it cannot take
		/// deposits.
		MarketInsolvent,
		/// The amount is too small to give a non-zero result (u-tokens minted, underlying paid
		/// out, collateral seized, or the first deposit's minimum liquidity).
		AmountTooSmall,
		/// The market has not enough cash for this (it is lent out or in a flash loan).
		InsufficientCash,
		/// The account holds fewer u-tokens than needed.
		InsufficientUTokens,
		/// The account holds too little of the underlying asset.
		InsufficientBalance,
		/// The account's collateral would not cover its debts; supply more or borrow less.
		InsufficientCollateral,
		/// The oracle's price of an involved asset is stale; wait for fresh feeds.
		PriceStale,
		/// The oracle has no price for an involved asset.
		PriceUnavailable,
		/// The oracle's price is zero or too large to value the amounts.
		PriceOutOfBounds,
		/// The account already takes part in `MaxMarketsPerAccount` markets; leave one.
		TooManyMarkets,
		/// This market's collateral factor is zero: its u-tokens cannot be collateral.
		NotCollateralAsset,
		/// The borrower has not enabled this market as collateral.
		CollateralNotEnabled,
		/// The account has no debt in this market.
		NoDebt,
		/// The position is healthy (health at least 1) and cannot be liquidated.
		NotLiquidatable,
		/// A borrower cannot liquidate itself.
		SelfLiquidation,
		/// Sender and recipient are the same account.
		SelfTransfer,
		/// A flash loan is already in progress: flash loans cannot be nested.
		NestedFlashLoan,
		/// The flash loan plus its fee could not be taken back after the calls.
		FlashLoanNotRepaid,
		/// More calls than `MaxFlashLoanCalls`.
		TooManyCalls,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a market for `asset`.
		///
		/// ## Dispatch Origin
		/// `Config::MarketOrigin`.
		///
		/// ## Parameters
		/// - `asset`: an existing asset without a market.
		/// - `params`: validated market parameters (see [`MarketParams`]).
		///
		/// Emits `MarketCreated`.
		#[pallet::call_index(0)]
		pub fn create_market(
			origin: OriginFor<T>,
			asset: AssetId,
			params: MarketParams,
		) -> DispatchResult {
			T::MarketOrigin::ensure_origin(origin)?;
			Self::do_create_market(asset, params)
		}

		/// Change a market's parameters; the market is accrued at the old rates first.
		///
		/// ## Dispatch Origin
		/// `Config::MarketOrigin`.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `params`: validated market parameters.
		///
		/// Emits `MarketUpdated`.
		#[pallet::call_index(1)]
		pub fn update_market(
			origin: OriginFor<T>,
			asset: AssetId,
			params: MarketParams,
		) -> DispatchResult {
			T::MarketOrigin::ensure_origin(origin)?;
			Self::do_update_market(asset, params)
		}

		/// Deposit `amount` underlying for u-tokens (rounded down).
		///
		/// ## Dispatch Origin
		/// Signed by the supplier.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `amount`: underlying to deposit; the first deposit must cover the minimum liquidity.
		///
		/// Emits `Supplied`.
		#[pallet::call_index(2)]
		pub fn supply(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_supply(who, asset, amount)
		}

		/// Burn u-tokens for underlying; fails if the account would be left undercollateralised.
		///
		/// ## Dispatch Origin
		/// Signed by the holder.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `amount`: u-tokens to burn, or underlying to receive (u-tokens burnt round up).
		///
		/// Emits `Redeemed`.
		#[pallet::call_index(3)]
		pub fn redeem(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: RedeemAmount,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_redeem(who, asset, amount)
		}

		/// Count the caller's u-tokens of `asset` as collateral.
		///
		/// ## Dispatch Origin
		/// Signed.
		///
		/// ## Parameters
		/// - `asset`: a market with a non-zero collateral factor.
		///
		/// Emits `CollateralEnabled`.
		#[pallet::call_index(4)]
		pub fn enable_collateral(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_enable_collateral(who, asset)
		}

		/// Stop counting the caller's u-tokens of `asset` as collateral; fails if the account
		/// would be left undercollateralised.
		///
		/// ## Dispatch Origin
		/// Signed.
		///
		/// ## Parameters
		/// - `asset`: a market enabled as collateral.
		///
		/// Emits `CollateralDisabled`.
		#[pallet::call_index(5)]
		pub fn disable_collateral(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_disable_collateral(who, asset)
		}

		/// Borrow `amount` underlying against the caller's collateral.
		///
		/// ## Dispatch Origin
		/// Signed by the borrower.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `amount`: underlying to borrow; needs fresh prices for every asset of the account.
		///
		/// Emits `Borrowed`.
		#[pallet::call_index(6)]
		pub fn borrow(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_borrow(who, asset, amount)
		}

		/// Repay (part of) a debt, the caller's own or another borrower's.
		///
		/// ## Dispatch Origin
		/// Signed by the payer.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `borrower`: whose debt to repay; `None` for the caller's.
		/// - `amount`: at most this much is repaid (capped at the debt; `u128::MAX` repays all).
		///
		/// Emits `Repaid`.
		#[pallet::call_index(7)]
		pub fn repay(
			origin: OriginFor<T>,
			asset: AssetId,
			borrower: Option<T::AccountId>,
			amount: Balance,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let borrower = borrower.unwrap_or_else(|| payer.clone());
			Self::do_repay(payer, borrower, asset, amount)
		}

		/// Liquidate an unhealthy position: repay up to the close factor of its `debt_asset`
		/// debt and receive its `collateral_asset` u-tokens worth the repaid value plus the
		/// bonus. A borrower left without collateral has its remaining debts written off.
		///
		/// ## Dispatch Origin
		/// Signed by the liquidator (anyone but the borrower).
		///
		/// ## Parameters
		/// - `borrower`: a position with health below 1.
		/// - `debt_asset`: the market of the debt to repay.
		/// - `collateral_asset`: a market the borrower enabled as collateral.
		/// - `amount`: the most the liquidator repays (capped by the close factor).
		///
		/// Emits `Liquidated`, and `BadDebtWrittenOff` per debt written off.
		#[pallet::call_index(8)]
		pub fn liquidate(
			origin: OriginFor<T>,
			borrower: T::AccountId,
			debt_asset: AssetId,
			collateral_asset: AssetId,
			amount: Balance,
		) -> DispatchResult {
			let liquidator = ensure_signed(origin)?;
			Self::do_liquidate(liquidator, borrower, debt_asset, collateral_asset, amount)
		}

		/// Borrow `amount` without collateral, dispatch `calls` with the caller's origin, then
		/// repay `amount` plus the fee; reverts everything if any call fails or the repayment
		/// cannot be taken.
		///
		/// ## Dispatch Origin
		/// Signed by the borrower.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `amount`: underlying lent, at most the market's available cash.
		/// - `calls`: at most `MaxFlashLoanCalls` calls; a nested `flash_loan` fails.
		///
		/// Weight: the base weight plus the declared weights of `calls`; the actual weights of
		/// the calls are refunded.
		///
		/// Emits `FlashLoaned`.
		#[pallet::call_index(9)]
		#[pallet::weight({
			let calls_weight = calls.iter().fold(Weight::zero(), |acc, call| {
				acc.saturating_add(call.get_dispatch_info().call_weight)
			});
			T::WeightInfo::flash_loan(calls.len() as u32).saturating_add(calls_weight)
		})]
		pub fn flash_loan(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: Balance,
			calls: Vec<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin.clone())?;
			Self::do_flash_loan(origin, who, asset, amount, calls)
		}

		/// Accrue a market's interest up to the current block.
		///
		/// ## Dispatch Origin
		/// Signed (anyone).
		///
		/// ## Parameters
		/// - `asset`: the market.
		///
		/// Emits `InterestAccrued` when interest was added.
		#[pallet::call_index(10)]
		pub fn accrue(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_accrue(asset).map(|_| ())
		}

		/// Transfer u-tokens; fails if the sender would be left undercollateralised.
		///
		/// ## Dispatch Origin
		/// Signed by the sender.
		///
		/// ## Parameters
		/// - `asset`: the market.
		/// - `to`: the recipient (not the sender).
		/// - `amount`: u-tokens to move.
		///
		/// Emits `UTokensTransferred`.
		#[pallet::call_index(11)]
		pub fn transfer_utokens(
			origin: OriginFor<T>,
			asset: AssetId,
			to: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer_utokens(who, to, asset, amount)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The market of `asset`, accrued to the current block.
		pub fn market(asset: AssetId) -> Option<Market<T>> {
			Self::current_market(asset).ok()
		}

		/// The current rates of the market of `asset`.
		pub fn rates(asset: AssetId) -> Option<MarketRates> {
			Self::market_rates(asset).ok()
		}

		/// The liquidation health factor of `who`: `Ok(None)` without debt, an error when a
		/// price is missing.
		pub fn health_factor(who: T::AccountId) -> Result<Option<FixedU128>, DispatchError> {
			Self::health_factor_of(&who)
		}

		/// Every market position of `who`, accrued to the current block.
		pub fn account_snapshot(who: T::AccountId) -> Vec<PositionSnapshot> {
			Self::positions_of(&who)
		}
	}
}
