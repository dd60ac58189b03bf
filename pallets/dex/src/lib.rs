//! # Dex pallet
//!
//! A central limit order book for any pair of assets, with no listing permission. Every resting
//! order is an on-chain object with an id and an owner that can be transferred like an NFT: the
//! holder receives the fills and may cancel. Taking orders fill at price-time priority, partial
//! fills settle the maker at the exact limit price, and each pair keeps a time-weighted average
//! price (TWAP) that the oracle can fall back on.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::place_limit_order`]: match against the opposite side up to a limit price, then
//!   rest the remainder as a new order.
//! - [`Pallet::place_market_order`]: match up to `max_fills` makers (immediate or cancel) with a
//!   slippage bound.
//! - [`Pallet::cancel_order`] / [`Pallet::transfer_order`]: the holder's rights on an order.
//! - [`Pallet::set_taker_fee`]: the admin sets the taker fee.
//! - [`TwapProvider`] for [`Pallet`]: the TWAP of an asset against [`Config::QuoteAsset`].
//! - View functions `order`, `best_price`, `book_depth`, `insert_hint`, `twap_of`.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Pair** `(base, quote)`: amounts are in base, prices in quote units per smallest base unit
//!   ([`Price`] = `FixedU128`). `(A, B)` and `(B, A)` are different books.
//! - **Bid / Ask**: a bid buys base and locks quote, an ask sells base and locks base. Locked
//!   funds are escrowed in the pallet account ([`Config::PalletId`]).
//! - **Maker**: a resting order. **Taker**: the order being matched against the book.
//!
//! ### Settlement and rounding
//!
//! Each fill is priced by [`cxmpute_math::orderbook::fill`]: the maker is settled cumulatively
//! (`maker_quote(filled_after) - maker_quote(filled_before)`, rounded in the maker's favour), so
//! any sequence of partial fills pays the maker exactly what one full fill would, and the taker
//! per fill, rounded against the taker. The difference (0 or 1 unit of quote per fill) goes to
//! [`Config::FeeAccount`], together with the taker fee (`ceil(received * TakerFee)`, in the
//! asset the taker receives). Makers pay no fee.
//!
//! ### Self-trade
//!
//! A taker that reaches one of its own resting orders fails with [`Error::SelfTrade`] (nothing
//! happens); cancel the own order first.
//!
//! ### Expiry
//!
//! An order with `expiry = e` can be filled while `now < e`. It is queued in
//! [`ExpiriesAt`] of block `e` (or up to [`MAX_EXPIRY_SPILL`] blocks later when that queue is
//! full), and `on_initialize` drains one queue per block, refunding at most
//! [`Config::MaxExpiriesPerBlock`] orders. A taker that meets an expired maker before the hook
//! does removes it on the way (it counts against `max_fills`), so an order is never filled after
//! its expiry.
//!
//! ### TWAP
//!
//! Each trade updates the pair's [`cxmpute_math::orderbook::TwapAccumulator`] with the traded
//! price, timed in blocks. At most one observation per [`Config::ObservationInterval`] blocks is
//! kept, in a ring of [`Config::MaxObservations`]. `twap(window)` is `(cumulative(now) -
//! cumulative(now - window)) / window`, the older value interpolated between the stored points
//! (exact with an `ObservationInterval` of 1); `None` when the history is shorter than `window`.
//!
//! ## Low Level / Implementation Details
//!
//! ### Book layout
//!
//! For each `(pair, side)`, [`Books`] keeps the best price and counts. Price levels are entries
//! of [`Levels`] keyed by `((pair, side), price)` and form a doubly linked list from the best
//! price to the worst. Each level is a FIFO doubly linked list of orders (`head` oldest, `tail`
//! newest) through the orders' `prev`/`next`. Inserting an order at an existing level appends it
//! at the tail; a new level is linked after the caller's `hint` (the next better existing
//! level, or `None` for a new best), which is verified in O(1) reads and otherwise walked for
//! at most [`MAX_HINT_STEPS`] levels ([`Error::InvalidHint`] beyond). The view function
//! `insert_hint` computes the right hint. Placing, filling and cancelling therefore read and
//! write a constant number of storage entries whatever the book depth, and matching a taker
//! against `k` makers costs `O(k)`.
//!
//! ### Reserves
//!
//! [`Reserves`] tracks the escrowed amount per asset internally: it always equals the sum of the
//! open orders' locked amounts. Payouts only come out of tracked reserves, so a donation to the
//! pallet account changes nothing (it stays there as untracked excess).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::oracle::{AssetId, Price, TwapProvider};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod book;
mod impl_twap_provider;
mod matching;
mod orders;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
mod twap;
pub mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::dex";

/// A balance of any asset, in its smallest unit.
pub type Balance = u128;

/// How many levels past a wrong insertion hint the pallet walks before giving up.
pub const MAX_HINT_STEPS: u32 = 4;

/// How many blocks past its expiry an order may be queued when the expiry's queue is full.
pub const MAX_EXPIRY_SPILL: u32 = 16;

/// The most levels the `book_depth` view function returns.
pub const MAX_DEPTH_QUERY: u32 = 1_000;

/// The book depth the benchmarks measure with; calls are weighed at it (depth costs O(1), so
/// its component is only a safety margin).
pub const BENCHMARKED_DEPTH: u32 = 10_000;

// `place_limit_order` takes the nine parameters of an order.
#[allow(clippy::too_many_arguments)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungibles::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::StaticLookup, Permill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{
			derive_impl, parameter_types,
			traits::{ConstU128, ConstU32},
		};
		use sp_runtime::FixedU128;

		parameter_types! {
			/// The pallet id of the test defaults.
			pub const DexPalletId: PalletId = PalletId(*b"cx/dex__");
			/// No taker fee by default.
			pub const DefaultTakerFee: Permill = Permill::from_percent(0);
			/// Taker fee of at most 5 %.
			pub const MaxTakerFee: Permill = Permill::from_percent(5);
			/// Lowest price `10^-9`.
			pub const MinPrice: FixedU128 = FixedU128::from_inner(1_000_000_000);
			/// Highest price `10^12`.
			pub const MaxPrice: FixedU128 = FixedU128::from_inner(1_000_000_000_000 * 1_000_000_000_000_000_000);
		}

		/// Defaults for a mock runtime: small bounds, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type PalletId = DexPalletId;
			type DefaultTakerFee = DefaultTakerFee;
			type MaxTakerFee = MaxTakerFee;
			type MinPrice = MinPrice;
			type MaxPrice = MaxPrice;
			type MinOrderAmount = ConstU128<1>;
			type MaxFills = ConstU32<16>;
			type MaxExpiriesPerBlock = ConstU32<4>;
			type MaxObservations = ConstU32<8>;
			type ObservationInterval = ConstU32<1>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The assets traded: any asset id the implementation knows can be paired.
		#[pallet::no_default]
		type Assets: Inspect<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ Mutate<Self::AccountId>;

		/// The pallet id; its account escrows the locked funds.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Receives taker fees and rounding surplus. It must be able to receive every traded
		/// asset (exist, or the assets have a minimum balance of 1).
		#[pallet::no_default]
		type FeeAccount: Get<Self::AccountId>;

		/// The origin that may change the taker fee.
		#[pallet::no_default]
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The asset TWAPs are given against ([`TwapProvider`]): the chain's USD stable asset.
		#[pallet::no_default]
		#[pallet::constant]
		type QuoteAsset: Get<AssetId>;

		/// The taker fee until [`Pallet::set_taker_fee`] is called.
		#[pallet::constant]
		type DefaultTakerFee: Get<Permill>;

		/// The highest taker fee the admin may set.
		#[pallet::constant]
		type MaxTakerFee: Get<Permill>;

		/// The lowest limit price (non-zero).
		#[pallet::constant]
		type MinPrice: Get<Price>;

		/// The highest limit price.
		#[pallet::constant]
		type MaxPrice: Get<Price>;

		/// The smallest order amount, in base units (the lot).
		#[pallet::constant]
		type MinOrderAmount: Get<Balance>;

		/// The most makers one taker may consume.
		#[pallet::constant]
		type MaxFills: Get<u32>;

		/// The size of each expiry queue: the most orders `on_initialize` expires per block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The most TWAP observations kept per pair.
		#[pallet::constant]
		type MaxObservations: Get<u32>;

		/// The fewest blocks between two TWAP observations of a pair.
		#[pallet::constant]
		type ObservationInterval: Get<u32>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Creates assets in the benchmarks (e.g. [`CreateAssets`]).
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Every open order.
	// Blake2_128Concat: ids are sequential but keep the safe default.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Blake2_128Concat, OrderId, OrderOf<T>, OptionQuery>;

	/// The id of the next order.
	#[pallet::storage]
	pub type NextOrderId<T: Config> = StorageValue<_, OrderId, ValueQuery>;

	/// Summary of each side of each book: best price and counts.
	// Blake2_128Concat: pairs are user-chosen.
	#[pallet::storage]
	pub type Books<T: Config> = StorageMap<_, Blake2_128Concat, BookKey, BookSide, ValueQuery>;

	/// The price levels of each side of each book, linked from the best to the worst.
	// Blake2_128Concat: pairs and prices are user-chosen.
	#[pallet::storage]
	pub type Levels<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BookKey,
		Blake2_128Concat,
		Price,
		PriceLevel,
		OptionQuery,
	>;

	/// The amount of each asset escrowed for open orders (tracked, not read from the account).
	// Blake2_128Concat: asset ids are user-chosen.
	#[pallet::storage]
	pub type Reserves<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, Balance, ValueQuery>;

	/// Orders to expire at this block; drained by `on_initialize`.
	// Twox64Concat: block numbers are bounded by the spill and cheap to hash.
	#[pallet::storage]
	pub type ExpiriesAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<OrderId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// The taker fee before any `set_taker_fee`: [`Config::DefaultTakerFee`].
	#[pallet::type_value]
	pub fn DefaultFee<T: Config>() -> Permill {
		T::DefaultTakerFee::get()
	}

	/// The taker fee, charged on what the taker receives.
	#[pallet::storage]
	pub type TakerFee<T: Config> = StorageValue<_, Permill, ValueQuery, DefaultFee<T>>;

	/// The TWAP accumulator of each pair that has traded.
	// Blake2_128Concat: pairs are user-chosen.
	#[pallet::storage]
	pub type TwapOf<T: Config> = StorageMap<_, Blake2_128Concat, Pair, StoredAccumulator>;

	/// The TWAP observations of each pair, oldest first.
	// Blake2_128Concat: pairs are user-chosen.
	#[pallet::storage]
	pub type ObservationsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, Pair, ObservationRingOf<T>, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_expire(now)
		}

		fn integrity_test() {
			assert!(T::MaxFills::get() >= 1, "a taker must be able to fill one maker");
			assert!(T::MaxExpiriesPerBlock::get() >= 1, "an expiry queue must hold one order");
			assert!(T::MaxObservations::get() >= 2, "a TWAP needs two observations");
			assert!(T::ObservationInterval::get() >= 1, "ObservationInterval must be >= 1");
			assert!(!T::MinPrice::get().is_zero(), "MinPrice must be non-zero");
			assert!(T::MinPrice::get() <= T::MaxPrice::get(), "MinPrice must be <= MaxPrice");
			assert!(T::MinOrderAmount::get() >= 1, "MinOrderAmount must be >= 1");
			assert!(T::DefaultTakerFee::get() <= T::MaxTakerFee::get(), "default fee too high");
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
		/// An order rested on the book.
		OrderPlaced {
			/// Its id.
			id: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// The market.
			pair: Pair,
			/// Its side.
			side: Side,
			/// Its limit price.
			price: Price,
			/// The base amount that rested.
			amount: Balance,
			/// Its expiry block, if any.
			expiry: Option<BlockNumberFor<T>>,
		},
		/// A resting order was (partially) filled.
		OrderFilled {
			/// The order.
			id: OrderId,
			/// Its owner, who got the proceeds.
			owner: T::AccountId,
			/// The taker.
			taker: T::AccountId,
			/// Base traded.
			base: Balance,
			/// Quote the maker received (ask) or paid (bid).
			quote: Balance,
			/// Base left open; `0`: the order is gone.
			remaining: Balance,
		},
		/// A taker traded against the book.
		Traded {
			/// The taker.
			taker: T::AccountId,
			/// The market.
			pair: Pair,
			/// The taker's side.
			side: Side,
			/// Base traded.
			base: Balance,
			/// Quote the taker paid (bid) or got before the fee (ask).
			quote: Balance,
			/// The taker fee, in the asset received.
			fee: Balance,
			/// Makers consumed.
			fills: u32,
		},
		/// The owner cancelled an order; the locked remainder went back.
		OrderCancelled {
			/// The order.
			id: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// What was refunded, in the locked asset.
			refunded: Balance,
		},
		/// An order expired; the locked remainder went back.
		OrderExpired {
			/// The order.
			id: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// What was refunded, in the locked asset.
			refunded: Balance,
		},
		/// An order changed hands.
		OrderTransferred {
			/// The order.
			id: OrderId,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// The taker fee changed.
		TakerFeeSet {
			/// The new fee.
			fee: Permill,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// An amount is zero; trade at least one unit.
		ZeroAmount,
		/// The order amount is below `MinOrderAmount`.
		AmountBelowMinimum,
		/// The order's value in quote rounds to zero; trade more or at a higher price.
		ZeroQuote,
		/// An asset does not exist; check the ids.
		UnknownAsset,
		/// Base and quote are the same asset.
		SameAsset,
		/// The taker would match one of its own resting orders; cancel that order first.
		SelfTrade,
		/// A quantity does not fit in 128 bits; use smaller amounts.
		Overflow,
		/// The limit price is outside `[MinPrice, MaxPrice]`.
		PriceOutOfBounds,
		/// No open order has this id (filled, cancelled, expired or never placed).
		UnknownOrder,
		/// Only the order's owner may do this.
		NotOwner,
		/// The expiry is not after the current block.
		ExpiryInPast,
		/// The expiry queues up to `MAX_EXPIRY_SPILL` blocks after the expiry are full; pick
		/// another expiry.
		ExpiryQueueFull,
		/// The insertion hint is not a level of the book or is more than `MAX_HINT_STEPS`
		/// levels away; ask the `insert_hint` view function.
		InvalidHint,
		/// `max_fills` is above `MaxFills` (or zero for a market order).
		InvalidMaxFills,
		/// After `max_fills` makers the limit order still crosses the book; raise `max_fills`
		/// or trade less.
		StillCrossing,
		/// The market order found nothing to trade.
		NoLiquidity,
		/// A market buy would spend more than `quote_limit`, or a market sell receive less.
		SlippageExceeded,
		/// The fee is above `MaxTakerFee`.
		FeeTooHigh,
		/// The book's storage is inconsistent (a bug); nothing was changed.
		Corruption,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Match against the opposite side up to `price`, then rest the remainder as an order.
		///
		/// ## Dispatch Origin
		/// Signed by the trader, who owns the resting order.
		///
		/// ## Parameters
		/// - `base`, `quote`: the market (distinct, existing assets).
		/// - `side`: `Bid` buys base, `Ask` sells base.
		/// - `price`: the limit, quote per base unit, within `[MinPrice, MaxPrice]`.
		/// - `amount`: base amount, at least `MinOrderAmount`.
		/// - `expiry`: the block from which the order can no longer fill, or `None`.
		/// - `hint`: the next better existing level of the own side (see `insert_hint`); only
		///   used when a new level is created.
		/// - `max_fills`: the most makers to consume, at most `MaxFills`.
		///
		/// Emits `OrderFilled` per fill, `Traded` if anything matched and `OrderPlaced` if a
		/// remainder rests.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::place_limit_order(BENCHMARKED_DEPTH, *max_fills))]
		pub fn place_limit_order(
			origin: OriginFor<T>,
			base: AssetId,
			quote: AssetId,
			side: Side,
			price: Price,
			amount: Balance,
			expiry: Option<BlockNumberFor<T>>,
			hint: Option<Price>,
			max_fills: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let outcome = Self::do_place_limit_order(
				who,
				Pair::new(base, quote),
				side,
				price,
				amount,
				expiry,
				hint,
				max_fills,
			)?;
			Ok(Some(T::WeightInfo::place_limit_order(BENCHMARKED_DEPTH, outcome.fills)).into())
		}

		/// Trade `amount` base against the best prices, immediately or not at all.
		///
		/// ## Dispatch Origin
		/// Signed by the trader.
		///
		/// ## Parameters
		/// - `base`, `quote`: the market.
		/// - `side`: `Bid` buys base, `Ask` sells base.
		/// - `amount`: the most base to trade; what is not matched within `max_fills` makers is
		///   dropped.
		/// - `quote_limit`: for a buy the most quote to pay, for a sell the least quote to
		///   receive after the fee.
		/// - `max_fills`: the most makers to consume, `1..=MaxFills`.
		///
		/// Emits `OrderFilled` per fill and `Traded`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::place_market_order(BENCHMARKED_DEPTH, *max_fills))]
		pub fn place_market_order(
			origin: OriginFor<T>,
			base: AssetId,
			quote: AssetId,
			side: Side,
			amount: Balance,
			quote_limit: Balance,
			max_fills: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let outcome = Self::do_place_market_order(
				who,
				Pair::new(base, quote),
				side,
				amount,
				quote_limit,
				max_fills,
			)?;
			Ok(Some(T::WeightInfo::place_market_order(BENCHMARKED_DEPTH, outcome.fills)).into())
		}

		/// Cancel an order and get its locked remainder back.
		///
		/// ## Dispatch Origin
		/// Signed by the order's owner.
		///
		/// ## Parameters
		/// - `id`: the order.
		///
		/// Emits `OrderCancelled`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_order(BENCHMARKED_DEPTH))]
		pub fn cancel_order(origin: OriginFor<T>, id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(who, id)
		}

		/// Give an order (its future fills and the right to cancel) to another account.
		///
		/// ## Dispatch Origin
		/// Signed by the order's owner.
		///
		/// ## Parameters
		/// - `id`: the order.
		/// - `to`: the new owner.
		///
		/// Emits `OrderTransferred`.
		#[pallet::call_index(3)]
		pub fn transfer_order(
			origin: OriginFor<T>,
			id: OrderId,
			to: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let to = T::Lookup::lookup(to)?;
			Self::do_transfer_order(who, id, to)
		}

		/// Set the taker fee.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Parameters
		/// - `fee`: at most `MaxTakerFee`.
		///
		/// Emits `TakerFeeSet`.
		#[pallet::call_index(4)]
		pub fn set_taker_fee(origin: OriginFor<T>, fee: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(fee <= T::MaxTakerFee::get(), Error::<T>::FeeTooHigh);
			TakerFee::<T>::put(fee);
			Self::deposit_event(Event::TakerFeeSet { fee });
			Ok(())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// An open order.
		pub fn order(id: OrderId) -> Option<OrderOf<T>> {
			Orders::<T>::get(id)
		}

		/// The best price of one side of a book: highest bid or lowest ask.
		pub fn best_price(pair: Pair, side: Side) -> Option<Price> {
			Books::<T>::get((pair, side)).best
		}

		/// The first `n` levels (at most 1,000) of one side of a book, best first.
		pub fn book_depth(pair: Pair, side: Side, n: u32) -> Vec<LevelInfo> {
			Self::levels_from_best(pair, side, n.min(MAX_DEPTH_QUERY))
		}

		/// The `hint` to pass to `place_limit_order` for a new order at `price`: the next better
		/// existing level, or `None` if the order would be the new best (or its level exists).
		pub fn insert_hint(pair: Pair, side: Side, price: Price) -> Option<Price> {
			Self::find_hint(pair, side, price)
		}

		/// The TWAP of a pair over the last `window` blocks.
		pub fn twap_of(pair: Pair, window: u32) -> Option<Price> {
			Self::pair_twap(pair, window)
		}
	}
}
