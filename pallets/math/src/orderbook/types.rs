use crate::Balance;
use sp_arithmetic::FixedU128;

/// The side of the resting (maker) order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
	/// The maker buys base and pays quote; the taker sells base.
	Bid,
	/// The maker sells base and receives quote; the taker buys base.
	Ask,
}

/// The amounts of one (partial) fill, from [`fill`](super::fill).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
	/// Base moved between maker and taker.
	pub base: Balance,
	/// Quote the maker receives (ask) or pays (bid).
	pub maker_quote: Balance,
	/// Quote the taker pays (ask) or receives (bid).
	pub taker_quote: Balance,
	/// Rounding surplus kept by the protocol, 0 or 1: `taker_quote - maker_quote` for an ask,
	/// `maker_quote - taker_quote` for a bid.
	pub surplus: Balance,
}

/// A running time-weighted price: `cumulative = sum(price_i * duration_i)`, in the inner units
/// of `FixedU128` times the time unit the caller uses (seconds, milliseconds or blocks).
///
/// `cumulative` is **modular**: it wraps around `2^128` on purpose (as Uniswap V2's price
/// accumulators do), so the accumulator never stops working. Averages over a window stay exact
/// as long as `average_price_inner * window < 2^128` (e.g. prices up to `3.9 * 10^15` over a
/// day counted in seconds); use a coarse time unit and bounded windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TwapAccumulator {
	/// `sum(price_i * duration_i)` up to `last_timestamp`, modulo `2^128`.
	pub cumulative: u128,
	/// The price in force since `last_timestamp`.
	pub last_price: FixedU128,
	/// When the accumulator was last updated.
	pub last_timestamp: u64,
}

/// A snapshot of a [`TwapAccumulator`] at a point in time, for
/// [`twap`](super::twap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observation {
	/// When the snapshot was taken.
	pub timestamp: u64,
	/// The accumulator's `cumulative` at `timestamp`, modulo `2^128`.
	pub cumulative: u128,
}
