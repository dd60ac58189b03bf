use super::types::{Fill, Side};
use crate::{
	fixed::{self, Rounding},
	Balance, MathError, MathResult,
};
use sp_arithmetic::{FixedU128, Permill};

/// Quote for `base` at `price`.
///
/// Formula: `base * price`, rounded as `rounding` says.
///
/// # Errors
/// [`MathError::Overflow`] when the quote does not fit in `u128`.
pub fn quote_for(base: Balance, price: FixedU128, rounding: Rounding) -> MathResult<Balance> {
	fixed::mul_int(price, base, rounding)
}

/// Rounding in the maker's favour and against the taker: up when the maker receives quote
/// (ask, the taker pays), down when the maker pays it (bid, the taker receives).
fn rounding(side: Side) -> Rounding {
	match side {
		Side::Ask => Rounding::Up,
		Side::Bid => Rounding::Down,
	}
}

/// Quote settled with the maker for the first `filled` base of an order.
///
/// Formula: `filled * price`, rounded **up** for an ask (the maker receives at least the limit
/// price) and **down** for a bid (the maker pays at most the limit price): the maker would
/// lose from the opposite rounding, and each fill settles the difference of two such values.
/// For a bid, `maker_quote(Side::Bid, price, order_base)` is the quote to lock when the order
/// is placed, and `maker_quote(total) - maker_quote(filled)` what to release on cancel.
///
/// # Errors
/// [`MathError::Overflow`] when the quote does not fit in `u128`.
pub fn maker_quote(side: Side, price: FixedU128, filled: Balance) -> MathResult<Balance> {
	quote_for(filled, price, rounding(side))
}

/// Prices a fill of `fill_base` against an order of `order_base` at `price` of which
/// `filled_before` is already filled.
///
/// Formulas:
/// - `maker_quote = maker_quote(filled_before + fill_base) - maker_quote(filled_before)`
///   (see [`maker_quote`]; the parts of any split add up to a single full fill);
/// - `taker_quote = fill_base * price`, rounded **up** when the taker buys (ask) and
///   **down** when the taker sells (bid): the taker would profit from the opposite rounding;
/// - `surplus = |taker_quote - maker_quote|`, 0 or 1, kept by the protocol (`ceil(x + y) <=
///   ceil(x) + ceil(y)` and `floor(x + y) >= floor(x) + floor(y)`, so the taker's side always
///   covers the maker's).
///
/// # Errors
/// - [`MathError::InvalidInput`] when `fill_base == 0` or the fill goes beyond `order_base`;
/// - [`MathError::Overflow`] when a quote does not fit in `u128`.
pub fn fill(
	side: Side,
	price: FixedU128,
	order_base: Balance,
	filled_before: Balance,
	fill_base: Balance,
) -> MathResult<Fill> {
	let filled_after = filled_before.checked_add(fill_base).ok_or(MathError::InvalidInput)?;
	if fill_base == 0 || filled_after > order_base {
		return Err(MathError::InvalidInput);
	}
	let maker = fixed::checked_sub(
		maker_quote(side, price, filled_after)?,
		maker_quote(side, price, filled_before)?,
	)?;
	let taker = quote_for(fill_base, price, rounding(side))?;
	let surplus = match side {
		Side::Ask => fixed::checked_sub(taker, maker)?,
		Side::Bid => fixed::checked_sub(maker, taker)?,
	};
	Ok(Fill { base: fill_base, maker_quote: maker, taker_quote: taker, surplus })
}

/// Trading fee on `amount`.
///
/// Formula: `amount * fee_rate`, rounded **up** (the trader would profit from rounding down;
/// a non-zero amount at a non-zero rate always pays at least one unit).
///
/// # Errors
/// None in practice (`fee_rate <= 1`); the signature stays checked like its siblings.
pub fn fee(amount: Balance, fee_rate: Permill) -> MathResult<Balance> {
	fixed::mul_per(fee_rate, amount, Rounding::Up)
}
