use super::types::{Collateral, HealthFactor, Liquidation, LiquidationParams, LiquidationRequest};
use crate::{
	fixed::{self, Rounding},
	Balance, MathError, MathResult,
};
use sp_arithmetic::{
	traits::{Bounded, One},
	FixedU128, PerThing, Permill,
};

/// Value of a collateral amount in the unit of account.
///
/// Formula: `amount * price`, rounded **down** (the borrower would profit from an overstated
/// collateral). `price` is the price of one smallest unit of the asset.
///
/// # Errors
/// [`MathError::Overflow`] when the value does not fit in `u128`.
pub fn collateral_value(amount: Balance, price: FixedU128) -> MathResult<Balance> {
	fixed::mul_int(price, amount, Rounding::Down)
}

/// Value of a debt amount in the unit of account.
///
/// Formula: `amount * price`, rounded **up** (the borrower would profit from an understated
/// debt). `price` is the price of one smallest unit of the asset.
///
/// # Errors
/// [`MathError::Overflow`] when the value does not fit in `u128`.
pub fn debt_value(amount: Balance, price: FixedU128) -> MathResult<Balance> {
	fixed::mul_int(price, amount, Rounding::Up)
}

/// Collateral that counts towards the health factor.
///
/// Formula: `sum(value_i * liquidation_threshold_i)`, each product rounded **down** (the
/// borrower would profit from rounding up).
///
/// # Errors
/// [`MathError::Overflow`] when the sum does not fit in `u128`.
pub fn weighted_collateral<I: IntoIterator<Item = Collateral>>(
	collaterals: I,
) -> MathResult<Balance> {
	collaterals.into_iter().try_fold(0u128, |sum, c| {
		fixed::checked_add(sum, fixed::mul_per(c.liquidation_threshold, c.value, Rounding::Down)?)
	})
}

/// Total debt value.
///
/// Formula: `sum(debt_value_j)` (exact; each value is already rounded up by [`debt_value`]).
///
/// # Errors
/// [`MathError::Overflow`] when the sum does not fit in `u128`.
pub fn total_debt<I: IntoIterator<Item = Balance>>(debts: I) -> MathResult<Balance> {
	debts.into_iter().try_fold(0u128, fixed::checked_add)
}

/// Health factor of a position.
///
/// Formula: `weighted_collateral / total_debt`, rounded **down** (the borrower would profit
/// from rounding up); [`HealthFactor::NoDebt`] when `total_debt == 0`.
///
/// A ratio above `FixedU128::max_value()` (about `3.4e20`, e.g. large collateral against a
/// dust debt) saturates to that maximum instead of failing, so that such a position, which is
/// as healthy as can be, is never blocked by an overflow error.
///
/// # Errors
/// None in practice; the signature stays checked like its siblings.
pub fn health_factor(
	weighted_collateral: Balance,
	total_debt: Balance,
) -> MathResult<HealthFactor> {
	if total_debt == 0 {
		return Ok(HealthFactor::NoDebt);
	}
	match fixed::from_rational(weighted_collateral, total_debt, Rounding::Down) {
		Ok(h) => Ok(HealthFactor::Finite(h)),
		Err(MathError::Overflow) => Ok(HealthFactor::Finite(FixedU128::max_value())),
		Err(e) => Err(e),
	}
}

/// Health factor from collateral and debt values: [`weighted_collateral`], [`total_debt`],
/// then [`health_factor`].
///
/// # Errors
/// Those of the three functions.
pub fn health_factor_of<C, D>(collaterals: C, debts: D) -> MathResult<HealthFactor>
where
	C: IntoIterator<Item = Collateral>,
	D: IntoIterator<Item = Balance>,
{
	health_factor(weighted_collateral(collaterals)?, total_debt(debts)?)
}

impl HealthFactor {
	/// Whether the position may be liquidated: health strictly below 1.
	pub fn is_liquidatable(&self) -> bool {
		*self < HealthFactor::Finite(FixedU128::one())
	}
}

/// Share of a debt that may be repaid in one liquidation.
///
/// `None` when the position is not liquidatable (no debt, or health at least 1); 100% when
/// health is below `params.full_liquidation_health`; `params.close_factor` otherwise.
pub fn close_factor(health: HealthFactor, params: &LiquidationParams) -> Option<Permill> {
	if !health.is_liquidatable() {
		return None;
	}
	if health < HealthFactor::Finite(params.full_liquidation_health) {
		Some(Permill::one())
	} else {
		Some(params.close_factor)
	}
}

/// Largest amount of `debt` a liquidator may repay in one liquidation.
///
/// Formula: `max(1, debt * close_factor)`, the product rounded **down** (the liquidator profits
/// from each unit repaid, through the bonus); at least one unit so that a dust debt can still
/// be liquidated. 0 when the position is not liquidatable or `debt == 0`.
///
/// # Errors
/// None in practice; the signature stays checked like its siblings.
pub fn max_repay(
	debt: Balance,
	health: HealthFactor,
	params: &LiquidationParams,
) -> MathResult<Balance> {
	let Some(factor) = close_factor(health, params) else { return Ok(0) };
	let amount = fixed::mul_per(factor, debt, Rounding::Down)?;
	Ok(amount.max(debt.min(1)))
}

/// The debt asset's price raised by the liquidation bonus: `debt_price * (1 + bonus)`, rounded
/// **down** (the liquidator would profit from rounding up).
fn bonus_price(debt_price: FixedU128, bonus: Permill) -> MathResult<u128> {
	let accuracy = u128::from(Permill::ACCURACY);
	let one_plus_bonus = fixed::checked_add(accuracy, u128::from(bonus.deconstruct()))?;
	fixed::mul_div(debt_price.into_inner(), one_plus_bonus, accuracy, Rounding::Down)
}

/// Collateral a liquidator receives for repaying `repay` units of debt.
///
/// Formula: `repay * debt_price * (1 + bonus) / collateral_price`, rounded **down** (the
/// liquidator would profit from rounding up). `debt_price * (1 + bonus)` is itself rounded
/// down first, so the result is never above the exact value (it may be one unit below the
/// exact floor).
///
/// # Errors
/// [`MathError::DivisionByZero`] when `collateral_price` is zero, [`MathError::Overflow`] when
/// the amount does not fit in `u128`.
pub fn seize_amount(
	repay: Balance,
	debt_price: FixedU128,
	collateral_price: FixedU128,
	bonus: Permill,
) -> MathResult<Balance> {
	fixed::mul_div(
		repay,
		bonus_price(debt_price, bonus)?,
		collateral_price.into_inner(),
		Rounding::Down,
	)
}

/// Prices a liquidation.
///
/// 1. `repay = min(request.repay, max_repay(debt, health))`;
/// 2. `seize = seize_amount(repay)`, rounded **down**;
/// 3. when the borrower holds less collateral than that, `seize = collateral_balance` and
///    `repay = seize * collateral_price / (debt_price * (1 + bonus))`, rounded **up** (the
///    liquidator pays at least the exact price of what is seized; this never exceeds the
///    repay of step 1).
///
/// Returns `None` when the position is not liquidatable (no debt or health at least 1). The
/// liquidator never receives more than `repay * debt_price * (1 + bonus)` worth of collateral.
///
/// # Errors
/// - [`MathError::AmountTooSmall`] when the requested repay is zero or buys no collateral;
/// - [`MathError::DivisionByZero`] when a price is zero;
/// - [`MathError::Overflow`].
pub fn liquidate(
	request: &LiquidationRequest,
	params: &LiquidationParams,
) -> MathResult<Option<Liquidation>> {
	if !request.health.is_liquidatable() {
		return Ok(None);
	}
	if request.repay == 0 {
		return Err(MathError::AmountTooSmall);
	}
	let price = bonus_price(request.debt_price, params.bonus)?;
	let collateral_price = request.collateral_price.into_inner();
	let mut repay = request.repay.min(max_repay(request.debt, request.health, params)?);
	let mut seize = fixed::mul_div(repay, price, collateral_price, Rounding::Down)?;
	if seize > request.collateral_balance {
		seize = request.collateral_balance;
		repay = repay.min(fixed::mul_div(seize, collateral_price, price, Rounding::Up)?);
	}
	if seize == 0 || repay == 0 {
		return Err(MathError::AmountTooSmall);
	}
	Ok(Some(Liquidation { repay, seize }))
}
