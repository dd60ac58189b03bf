use super::types::{MarketState, Mint};
use crate::{
	fixed::{self, Rounding},
	Balance, MathError, MathResult,
};
use sp_arithmetic::{traits::Zero, FixedU128};

/// Underlying owned by the suppliers.
///
/// Formula: `cash + borrows - reserves` (exact).
///
/// # Errors
/// [`MathError::Overflow`] when `cash + borrows` overflows, [`MathError::Underflow`] when
/// `reserves > cash + borrows`.
pub fn total_underlying(cash: Balance, borrows: Balance, reserves: Balance) -> MathResult<Balance> {
	fixed::checked_sub(fixed::checked_add(cash, borrows)?, reserves)
}

fn supplier_assets(state: &MarketState) -> MathResult<Balance> {
	total_underlying(state.cash, state.total_borrows, state.total_reserves)
}

/// Underlying per u-token.
///
/// Formula: `(cash + borrows - reserves) / total_supply`, rounded **down** (u-tokens are
/// collateral: their holders would profit from rounding up); `initial_rate` while
/// `total_supply == 0`.
///
/// This is for display and valuation; [`mint`], [`redeem`] and [`redeem_underlying`] do not use
/// it but divide the raw totals, so they lose no precision to the rate's 18 decimals.
///
/// # Errors
/// Those of [`total_underlying`]; [`MathError::Overflow`] when the rate exceeds
/// `FixedU128::max_value()`.
pub fn exchange_rate(state: &MarketState, initial_rate: FixedU128) -> MathResult<FixedU128> {
	if state.total_supply == 0 {
		return Ok(initial_rate);
	}
	fixed::from_rational(supplier_assets(state)?, state.total_supply, Rounding::Down)
}

/// U-tokens minted for a deposit of `amount` underlying.
///
/// Formulas:
/// - first mint (`total_supply == 0`): `minted = amount / initial_rate`, rounded **down**;
///   `minimum_liquidity` of them are locked forever and the depositor receives the rest;
/// - later mints: `amount * total_supply / (cash + borrows - reserves)`, rounded **down**.
///
/// Rounds down because the depositor would profit from rounding up (at the other suppliers'
/// expense). See the [module docs](super) for why the first mint locks `minimum_liquidity`
/// ([`DEFAULT_MINIMUM_LIQUIDITY`](super::DEFAULT_MINIMUM_LIQUIDITY) is recommended); with
/// `minimum_liquidity == 0` the market is open to the first-depositor attack.
///
/// The pallet adds `amount` to `cash` and `to_depositor + locked` to `total_supply`.
///
/// # Errors
/// - [`MathError::AmountTooSmall`] when the depositor would receive no u-tokens (including a
///   first deposit that does not cover the minimum liquidity);
/// - [`MathError::DivisionByZero`] when `initial_rate` is zero, or when u-tokens exist but no
///   underlying backs them (the market is insolvent; minting would give away its supply);
/// - those of [`total_underlying`]; [`MathError::Overflow`].
pub fn mint(
	amount: Balance,
	state: &MarketState,
	initial_rate: FixedU128,
	minimum_liquidity: Balance,
) -> MathResult<Mint> {
	if state.total_supply == 0 {
		if initial_rate.is_zero() {
			return Err(MathError::DivisionByZero);
		}
		let minted = fixed::div_int(amount, initial_rate, Rounding::Down)?;
		let to_depositor = minted
			.checked_sub(minimum_liquidity)
			.filter(|n| *n > 0)
			.ok_or(MathError::AmountTooSmall)?;
		return Ok(Mint { to_depositor, locked: minimum_liquidity });
	}
	let assets = supplier_assets(state)?;
	let to_depositor = fixed::mul_div(amount, state.total_supply, assets, Rounding::Down)?;
	if to_depositor == 0 {
		return Err(MathError::AmountTooSmall);
	}
	Ok(Mint { to_depositor, locked: 0 })
}

/// Underlying paid out for burning `u_tokens`.
///
/// Formula: `u_tokens * (cash + borrows - reserves) / total_supply`, rounded **down** (the
/// redeemer would profit from rounding up).
///
/// The pallet must still check that `cash` covers the result (borrowed underlying cannot be
/// withdrawn), then subtract it from `cash` and `u_tokens` from `total_supply`.
///
/// # Errors
/// - [`MathError::InvalidInput`] when `u_tokens > total_supply`;
/// - [`MathError::AmountTooSmall`] when the result would be zero (nothing to pay out for the
///   burnt u-tokens);
/// - those of [`total_underlying`].
pub fn redeem(u_tokens: Balance, state: &MarketState) -> MathResult<Balance> {
	if u_tokens > state.total_supply {
		return Err(MathError::InvalidInput);
	}
	if u_tokens == 0 {
		return Err(MathError::AmountTooSmall);
	}
	let assets = supplier_assets(state)?;
	let out = fixed::mul_div(u_tokens, assets, state.total_supply, Rounding::Down)?;
	if out == 0 {
		return Err(MathError::AmountTooSmall);
	}
	Ok(out)
}

/// U-tokens burnt to withdraw exactly `amount` underlying.
///
/// Formula: `amount * total_supply / (cash + borrows - reserves)`, rounded **up** (the
/// redeemer would profit from rounding down: a withdrawal of one unit could otherwise burn
/// nothing).
///
/// # Errors
/// - [`MathError::AmountTooSmall`] when `amount == 0`;
/// - [`MathError::DivisionByZero`] when no underlying backs the supply;
/// - [`MathError::InvalidInput`] when no u-tokens exist or more than exist would be burnt;
/// - those of [`total_underlying`].
pub fn redeem_underlying(amount: Balance, state: &MarketState) -> MathResult<Balance> {
	if amount == 0 {
		return Err(MathError::AmountTooSmall);
	}
	if state.total_supply == 0 {
		return Err(MathError::InvalidInput);
	}
	let assets = supplier_assets(state)?;
	let burn = fixed::mul_div(amount, state.total_supply, assets, Rounding::Up)?;
	if burn > state.total_supply {
		return Err(MathError::InvalidInput);
	}
	Ok(burn)
}
