//! Storage and call types of the dex pallet.

use crate::{pallet::Config, AssetId, Balance, Price};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cxmpute_math::orderbook::{Observation, TwapAccumulator};
use frame_support::BoundedVec;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// Identifier of an order; assigned from [`crate::NextOrderId`], never reused.
pub type OrderId = u64;

/// An order of runtime `T`.
pub type OrderOf<T> = Order<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// The observation ring of a pair of runtime `T`.
pub type ObservationRingOf<T> = BoundedVec<StoredObservation, <T as Config>::MaxObservations>;

/// A book key: the pair and the side of the resting orders.
pub type BookKey = (Pair, Side);

/// A market: `base` is traded, prices are in `quote` per smallest unit of `base`.
///
/// `(A, B)` and `(B, A)` are different books. Any two distinct existing assets form a pair; no
/// listing is needed.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Pair {
	/// The traded asset; order amounts are in it.
	pub base: AssetId,
	/// The pricing asset; prices are quote units per base unit.
	pub quote: AssetId,
}

impl Pair {
	/// The pair `base/quote`.
	pub const fn new(base: AssetId, quote: AssetId) -> Self {
		Self { base, quote }
	}
}

/// The side of an order.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Side {
	/// Buys base, pays quote; a resting bid locks quote.
	Bid,
	/// Sells base, receives quote; a resting ask locks base.
	Ask,
}

impl Side {
	/// The other side.
	pub const fn opposite(self) -> Self {
		match self {
			Side::Bid => Side::Ask,
			Side::Ask => Side::Bid,
		}
	}

	/// Whether, on a book of this side, `a` is a strictly better price than `b` (higher for
	/// bids, lower for asks).
	pub fn better(self, a: Price, b: Price) -> bool {
		match self {
			Side::Bid => a > b,
			Side::Ask => a < b,
		}
	}

	/// The math crate's side.
	pub const fn to_math(self) -> cxmpute_math::orderbook::Side {
		match self {
			Side::Bid => cxmpute_math::orderbook::Side::Bid,
			Side::Ask => cxmpute_math::orderbook::Side::Ask,
		}
	}
}

/// A resting limit order: an on-chain object that its `owner` may cancel or transfer.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Order<AccountId, BlockNumber> {
	/// The holder: receives the fills, may cancel and transfer the order.
	pub owner: AccountId,
	/// The market.
	pub pair: Pair,
	/// Bid (buys base) or ask (sells base).
	pub side: Side,
	/// The exact limit price, quote per base unit; every fill settles the maker at it.
	pub price: Price,
	/// The base amount the order rested with (what matched on placement is not included).
	pub amount: Balance,
	/// The base amount still open; never zero while the order exists.
	pub remaining: Balance,
	/// The block from which the order can no longer be filled; `None`: good till cancelled.
	pub expiry: Option<BlockNumber>,
	/// The block whose [`crate::ExpiriesAt`] queue holds the order (`>= expiry`).
	pub expiry_slot: Option<BlockNumber>,
	/// The previous (older) order at the same price level.
	pub prev: Option<OrderId>,
	/// The next (newer) order at the same price level.
	pub next: Option<OrderId>,
}

impl<AccountId, BlockNumber> Order<AccountId, BlockNumber> {
	/// The base amount filled so far.
	pub fn filled(&self) -> Balance {
		self.amount.saturating_sub(self.remaining)
	}

	/// The asset the order locks: quote for a bid, base for an ask.
	pub fn locked_asset(&self) -> AssetId {
		match self.side {
			Side::Bid => self.pair.quote,
			Side::Ask => self.pair.base,
		}
	}

	/// What the order still has locked in escrow.
	///
	/// Formula: `remaining` for an ask; for a bid `maker_quote(amount) - maker_quote(filled)`
	/// (both rounded down, see [`cxmpute_math::orderbook::maker_quote`]), i.e. exactly what the
	/// remaining fills will pay, whatever their sizes.
	pub fn locked(&self) -> Option<Balance> {
		match self.side {
			Side::Ask => Some(self.remaining),
			Side::Bid => {
				let total = cxmpute_math::orderbook::maker_quote(
					cxmpute_math::orderbook::Side::Bid,
					self.price,
					self.amount,
				)
				.ok()?;
				let used = cxmpute_math::orderbook::maker_quote(
					cxmpute_math::orderbook::Side::Bid,
					self.price,
					self.filled(),
				)
				.ok()?;
				total.checked_sub(used)
			},
		}
	}
}

/// A price level: the FIFO list of the orders resting at one price, linked to its neighbours.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PriceLevel {
	/// The next better price level (towards the best); `None` for the best level.
	pub prev: Option<Price>,
	/// The next worse price level; `None` for the worst level.
	pub next: Option<Price>,
	/// The oldest order, filled first.
	pub head: OrderId,
	/// The newest order.
	pub tail: OrderId,
	/// How many orders rest at this level.
	pub orders: u32,
	/// The sum of their remaining base amounts.
	pub open: Balance,
}

/// Summary of one side of a book.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BookSide {
	/// The best price (head of the level list): highest bid or lowest ask.
	pub best: Option<Price>,
	/// How many price levels the side has.
	pub levels: u32,
	/// How many orders rest on the side.
	pub orders: u32,
}

/// One level of [`crate::Pallet::book_depth`].
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct LevelInfo {
	/// The level's price.
	pub price: Price,
	/// The base amount open at it.
	pub open: Balance,
	/// How many orders rest at it.
	pub orders: u32,
}

/// What a taker wants from the matching engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TakerOrder {
	/// The market.
	pub pair: Pair,
	/// The taker's side: a bid taker consumes asks.
	pub side: Side,
	/// The worst price the taker accepts; `None` for a market order.
	pub limit: Option<Price>,
	/// The base amount to trade.
	pub amount: Balance,
	/// The most makers to consume (fills plus expired orders removed on the way).
	pub max_fills: u32,
}

/// The result of matching a taker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchOutcome {
	/// Base traded.
	pub base: Balance,
	/// Quote the taker paid (bid taker) or got before the fee (ask taker), rounding included.
	pub quote: Balance,
	/// The taker fee, in the asset the taker receives.
	pub fee: Balance,
	/// Makers consumed (filled or removed as expired).
	pub fills: u32,
}

/// The TWAP accumulator of a pair, stored.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct StoredAccumulator {
	/// `sum(price_i * blocks_i)` in `FixedU128` inner units, modulo `2^128`.
	pub cumulative: u128,
	/// The last traded price, in force since `last_timestamp`.
	pub last_price: Price,
	/// The block of the last update.
	pub last_timestamp: u64,
}

impl From<StoredAccumulator> for TwapAccumulator {
	fn from(a: StoredAccumulator) -> Self {
		TwapAccumulator {
			cumulative: a.cumulative,
			last_price: a.last_price,
			last_timestamp: a.last_timestamp,
		}
	}
}

impl From<TwapAccumulator> for StoredAccumulator {
	fn from(a: TwapAccumulator) -> Self {
		StoredAccumulator {
			cumulative: a.cumulative,
			last_price: a.last_price,
			last_timestamp: a.last_timestamp,
		}
	}
}

/// A snapshot of a pair's accumulator, stored.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct StoredObservation {
	/// The block of the snapshot.
	pub timestamp: u64,
	/// The accumulator's cumulative value then.
	pub cumulative: u128,
}

impl From<StoredObservation> for Observation {
	fn from(o: StoredObservation) -> Self {
		Observation { timestamp: o.timestamp, cumulative: o.cumulative }
	}
}

impl From<Observation> for StoredObservation {
	fn from(o: Observation) -> Self {
		StoredObservation { timestamp: o.timestamp, cumulative: o.cumulative }
	}
}

/// Creates assets for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make sure asset `id` exists (create it with `admin` if needed), so that it can be
	/// minted.
	fn create_asset(id: AssetId, admin: AccountId);
}

/// A [`BenchmarkHelper`] creating sufficient assets with a minimum balance of 1 through
/// `fungibles::Create`.
#[cfg(feature = "runtime-benchmarks")]
pub struct CreateAssets<A>(core::marker::PhantomData<A>);

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId, A> BenchmarkHelper<AccountId> for CreateAssets<A>
where
	A: frame_support::traits::fungibles::Create<AccountId, AssetId = AssetId, Balance = Balance>,
{
	fn create_asset(id: AssetId, admin: AccountId) {
		if !A::asset_exists(id) {
			let _ = A::create(id, admin, true, 1);
		}
	}
}
