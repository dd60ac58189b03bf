use super::types::{Observation, TwapAccumulator};
use crate::{MathError, MathResult};
use sp_arithmetic::FixedU128;

impl TwapAccumulator {
	/// A new accumulator with `price` in force from `now`.
	pub fn new(price: FixedU128, now: u64) -> Self {
		Self { cumulative: 0, last_price: price, last_timestamp: now }
	}

	/// The accumulator at `now`, as if it were updated then with no price change.
	///
	/// Formula: `cumulative + last_price * (now - last_timestamp)`, the product checked and the
	/// sum modulo `2^128` (see [`TwapAccumulator`]).
	///
	/// # Errors
	/// - [`MathError::InvalidInput`] when `now < last_timestamp` (time went backwards);
	/// - [`MathError::Overflow`] when `last_price * elapsed` alone exceeds `u128`: update more
	///   often or use a coarser time unit.
	pub fn observe(&self, now: u64) -> MathResult<Observation> {
		let elapsed = now.checked_sub(self.last_timestamp).ok_or(MathError::InvalidInput)?;
		let added = self
			.last_price
			.into_inner()
			.checked_mul(u128::from(elapsed))
			.ok_or(MathError::Overflow)?;
		Ok(Observation { timestamp: now, cumulative: self.cumulative.wrapping_add(added) })
	}

	/// Records that `price` is in force from `now` on.
	///
	/// Formula: `cumulative += last_price * (now - last_timestamp)` (see [`Self::observe`]),
	/// then `last_price = price` and `last_timestamp = now`. The price in force during the
	/// elapsed interval is the previous one, so a price set in a block only counts from then
	/// on and a single manipulated block weighs only for the time it stays.
	///
	/// # Errors
	/// Those of [`Self::observe`].
	pub fn update(&self, price: FixedU128, now: u64) -> MathResult<Self> {
		let observation = self.observe(now)?;
		Ok(Self { cumulative: observation.cumulative, last_price: price, last_timestamp: now })
	}
}

/// Time-weighted average price between two observations.
///
/// Formula: `(newer.cumulative - older.cumulative) / (newer.timestamp - older.timestamp)`,
/// the subtraction modulo `2^128` and the division rounded **down** to the nearest `10^-18`
/// (no party is favoured by a TWAP itself; consumers needing a conservative bound should
/// allow for that last digit).
///
/// # Errors
/// - [`MathError::InvalidInput`] when `newer` is older than `older`;
/// - [`MathError::DivisionByZero`] when both observations have the same timestamp.
pub fn twap(older: Observation, newer: Observation) -> MathResult<FixedU128> {
	let window = newer.timestamp.checked_sub(older.timestamp).ok_or(MathError::InvalidInput)?;
	let delta = newer.cumulative.wrapping_sub(older.cumulative);
	delta
		.checked_div(u128::from(window))
		.map(FixedU128::from_inner)
		.ok_or(MathError::DivisionByZero)
}
