use super::types::{Breakpoint, DEMAND_POINTS, LATENCY_POINTS, UPTIME_POINTS};
use crate::{
	fixed::{self, Rounding},
	Balance, MathError, MathResult,
};
use sp_arithmetic::{traits::One, FixedU128, Perbill};

/// Reads `y` at `x` off the piecewise-linear curve through `points`.
///
/// Formula, on the segment `(x0, y0)–(x1, y1)` with `x0 <= x <= x1`:
/// `y = y0 + (y1 - y0) * (x - x0) / (x1 - x0)` (computed as `y0 - (y0 - y1) * ...` on falling
/// segments); `y` of the first point below it and of the last point above it (the curve is
/// flat outside its breakpoints). The result is rounded **down** to the nearest `10^-18`: the
/// curves here scale rewards, and providers would profit from rounding up. At a breakpoint
/// the result is exactly its `y`.
///
/// # Errors
/// [`MathError::InvalidInput`] when `points` is empty or its `x` are not strictly increasing.
pub fn interpolate(points: &[Breakpoint], x: u128) -> MathResult<FixedU128> {
	let (Some(&(first_x, first_y)), Some(&(last_x, last_y))) = (points.first(), points.last())
	else {
		return Err(MathError::InvalidInput);
	};
	if points.windows(2).any(|w| matches!(w, [(a, _), (b, _)] if a >= b)) {
		return Err(MathError::InvalidInput);
	}
	if x <= first_x {
		return Ok(first_y);
	}
	if x >= last_x {
		return Ok(last_y);
	}
	for segment in points.windows(2) {
		let [(x0, y0), (x1, y1)] = segment else { continue };
		if x > *x1 {
			continue;
		}
		// x0 < x <= x1 here: strictly increasing points and x above the first point.
		let offset = fixed::checked_sub(x, *x0)?;
		let width = fixed::checked_sub(*x1, *x0)?;
		return if y1 >= y0 {
			let rise = fixed::checked_sub(y1.into_inner(), y0.into_inner())?;
			let step = fixed::mul_div(rise, offset, width, Rounding::Down)?;
			fixed::checked_add(y0.into_inner(), step).map(FixedU128::from_inner)
		} else {
			let fall = fixed::checked_sub(y0.into_inner(), y1.into_inner())?;
			let step = fixed::mul_div(fall, offset, width, Rounding::Up)?;
			fixed::checked_sub(y0.into_inner(), step).map(FixedU128::from_inner)
		};
	}
	// Unreachable: x < last_x, so some segment ends at or after x.
	Err(MathError::InvalidInput)
}

/// Uptime multiplier, 0.80 to 1.30: [`interpolate`] on [`UPTIME_POINTS`](super::UPTIME_POINTS).
///
/// # Errors
/// None in practice (the curve is valid); the signature stays checked like its siblings.
pub fn uptime_multiplier(uptime: Perbill) -> MathResult<FixedU128> {
	interpolate(&UPTIME_POINTS, u128::from(uptime.deconstruct()))
}

/// p50 latency multiplier, 1.15 down to 0.85: [`interpolate`] on
/// [`LATENCY_POINTS`](super::LATENCY_POINTS).
///
/// # Errors
/// None in practice (the curve is valid); the signature stays checked like its siblings.
pub fn latency_multiplier(p50_latency_ms: u32) -> MathResult<FixedU128> {
	interpolate(&LATENCY_POINTS, u128::from(p50_latency_ms))
}

/// Network-demand multiplier, 0.5 to 2.0: [`interpolate`] on
/// [`DEMAND_POINTS`](super::DEMAND_POINTS).
///
/// # Errors
/// None in practice (the curve is valid); the signature stays checked like its siblings.
pub fn demand_multiplier(utilisation: Perbill) -> MathResult<FixedU128> {
	interpolate(&DEMAND_POINTS, u128::from(utilisation.deconstruct()))
}

/// The product of several multipliers.
///
/// Formula: `m_1 * m_2 * ... * m_n` (1 for none), each product rounded **down** (providers
/// would profit from rounding up).
///
/// # Errors
/// [`MathError::Overflow`] when the product exceeds `FixedU128::max_value()`.
pub fn combined_multiplier(multipliers: &[FixedU128]) -> MathResult<FixedU128> {
	multipliers.iter().try_fold(FixedU128::one(), |acc, m| fixed::mul(acc, *m, Rounding::Down))
}

/// Points scaled by a multiplier.
///
/// Formula: `points * multiplier`, rounded **down** (the provider would profit from rounding
/// up).
///
/// # Errors
/// [`MathError::Overflow`] when the result does not fit in `u128`.
pub fn apply_multiplier(points: u128, multiplier: FixedU128) -> MathResult<u128> {
	fixed::mul_int(multiplier, points, Rounding::Down)
}

/// A participant's share of a budget.
///
/// Formula: `budget * points / total_points`, rounded **down** (the participant would profit
/// from rounding up), so that the shares of participants whose points add up to
/// `total_points` never add up to more than `budget`; the undistributed remainder is less
/// than one unit per participant and stays with the payer (e.g. rolls over to the next epoch).
///
/// # Errors
/// - [`MathError::DivisionByZero`] when `total_points == 0`;
/// - [`MathError::InvalidInput`] when `points > total_points`.
pub fn pro_rata_share(budget: Balance, points: u128, total_points: u128) -> MathResult<Balance> {
	if total_points == 0 {
		return Err(MathError::DivisionByZero);
	}
	if points > total_points {
		return Err(MathError::InvalidInput);
	}
	fixed::mul_div(budget, points, total_points, Rounding::Down)
}
