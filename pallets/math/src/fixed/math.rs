use crate::{MathError, MathResult};
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{One, Saturating},
	FixedPointNumber, FixedU128, PerThing, Rounding,
};

/// The inner value of `FixedU128::one()`: `10^18`.
pub const FIXED_ONE: u128 = <FixedU128 as FixedPointNumber>::DIV;

/// `a + b`, or [`MathError::Overflow`].
pub fn checked_add(a: u128, b: u128) -> MathResult<u128> {
	a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a - b`, or [`MathError::Underflow`] when `b > a`.
pub fn checked_sub(a: u128, b: u128) -> MathResult<u128> {
	a.checked_sub(b).ok_or(MathError::Underflow)
}

/// Formula: `a * b / c`, computed through a 256-bit intermediate, rounded as `rounding` says.
///
/// # Errors
/// - [`MathError::DivisionByZero`] when `c == 0`;
/// - [`MathError::Overflow`] when the result does not fit in `u128` (the intermediate product
///   never overflows).
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> MathResult<u128> {
	if c == 0 {
		return Err(MathError::DivisionByZero);
	}
	multiply_by_rational_with_rounding(a, b, c, rounding).ok_or(MathError::Overflow)
}

/// Formula: `floor(a * b / c)`. See [`mul_div`].
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> MathResult<u128> {
	mul_div(a, b, c, Rounding::Down)
}

/// Formula: `ceil(a * b / c)`. See [`mul_div`].
pub fn mul_div_ceil(a: u128, b: u128, c: u128) -> MathResult<u128> {
	mul_div(a, b, c, Rounding::Up)
}

/// Formula: `n * f` for an integer `n` and a fixed-point `f`, rounded as `rounding` says.
///
/// # Errors
/// [`MathError::Overflow`] when the result does not fit in `u128`.
pub fn mul_int(f: FixedU128, n: u128, rounding: Rounding) -> MathResult<u128> {
	mul_div(n, f.into_inner(), FIXED_ONE, rounding)
}

/// Formula: `n / f` for an integer `n` and a fixed-point `f`, rounded as `rounding` says.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `f` is zero, [`MathError::Overflow`] when the result does
/// not fit in `u128`.
pub fn div_int(n: u128, f: FixedU128, rounding: Rounding) -> MathResult<u128> {
	mul_div(n, FIXED_ONE, f.into_inner(), rounding)
}

/// Formula: `a * b` in fixed point, rounded to the nearest `10^-18` as `rounding` says.
///
/// Unlike `FixedU128::checked_mul`, which always rounds down, the direction is the caller's.
///
/// # Errors
/// [`MathError::Overflow`] when the product exceeds `FixedU128::max_value()`.
pub fn mul(a: FixedU128, b: FixedU128, rounding: Rounding) -> MathResult<FixedU128> {
	mul_div(a.into_inner(), b.into_inner(), FIXED_ONE, rounding).map(FixedU128::from_inner)
}

/// Formula: `a / b` in fixed point, rounded to the nearest `10^-18` as `rounding` says.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `b` is zero, [`MathError::Overflow`] when the quotient
/// exceeds `FixedU128::max_value()`.
pub fn div(a: FixedU128, b: FixedU128, rounding: Rounding) -> MathResult<FixedU128> {
	mul_div(a.into_inner(), FIXED_ONE, b.into_inner(), rounding).map(FixedU128::from_inner)
}

/// Formula: `n / d` as a fixed-point number, rounded as `rounding` says.
///
/// # Errors
/// [`MathError::DivisionByZero`] when `d == 0`, [`MathError::Overflow`] when `n / d` exceeds
/// `FixedU128::max_value()`.
pub fn from_rational(n: u128, d: u128, rounding: Rounding) -> MathResult<FixedU128> {
	mul_div(n, FIXED_ONE, d, rounding).map(FixedU128::from_inner)
}

/// Formula: `a + b` in fixed point, or [`MathError::Overflow`].
pub fn add(a: FixedU128, b: FixedU128) -> MathResult<FixedU128> {
	checked_add(a.into_inner(), b.into_inner()).map(FixedU128::from_inner)
}

/// Formula: `a - b` in fixed point, or [`MathError::Underflow`] when `b > a`.
pub fn sub(a: FixedU128, b: FixedU128) -> MathResult<FixedU128> {
	checked_sub(a.into_inner(), b.into_inner()).map(FixedU128::from_inner)
}

/// Formula: `p * n` for a per-thing `p` (`Permill`, `Perbill`...) and an integer `n`, rounded
/// as `rounding` says. Exact up to the final rounding (256-bit intermediate).
///
/// # Errors
/// None in practice (`p <= 1`), but the signature stays checked like its siblings.
pub fn mul_per<P: PerThing>(p: P, n: u128, rounding: Rounding) -> MathResult<u128> {
	mul_div(n, p.deconstruct().into(), P::ACCURACY.into(), rounding)
}

/// Formula: `p` as a fixed-point number, `parts * 10^18 / ACCURACY`, rounded as `rounding` says.
///
/// Exact for `Percent`, `Permill`, `Perbill` and `Perquintill`, whose accuracies divide
/// `10^18`.
///
/// # Errors
/// None in practice, but the signature stays checked like its siblings.
pub fn from_per_thing<P: PerThing>(p: P, rounding: Rounding) -> MathResult<FixedU128> {
	from_rational(p.deconstruct().into(), P::ACCURACY.into(), rounding)
}

/// Formula: `1 - p` as a fixed-point number (exact for `Permill`/`Perbill`, see
/// [`from_per_thing`]).
///
/// # Errors
/// None in practice, but the signature stays checked like its siblings.
pub fn complement_per_thing<P: PerThing>(p: P) -> MathResult<FixedU128> {
	let left = P::ACCURACY.saturating_sub(p.deconstruct());
	from_rational(left.into(), P::ACCURACY.into(), Rounding::Down)
}

/// Formula: `base ^ exp` by exponentiation by squaring, every product rounded as `rounding` says.
///
/// With `Rounding::Up` the result is never below the exact power, with `Rounding::Down` never
/// above it (all factors are non-negative, so rounding each product in one direction moves the
/// result in that direction). It takes `O(log exp)` multiplications; the base is squared only
/// while bits of the exponent remain, so for `base >= 1` no intermediate exceeds the result and
/// an overflow error means the result itself does not fit.
///
/// Precision: squaring amplifies the rounding of early products, so the result can be off by
/// up to about `2 * exp` steps of `10^-18` per unit of the result (a relative error of
/// `2 * exp * 10^-18`, e.g. `10^-11` for a year of 6-second blocks), always in the rounding's
/// direction.
///
/// # Errors
/// [`MathError::Overflow`] when the result exceeds `FixedU128::max_value()`.
pub fn pow(base: FixedU128, exp: u64, rounding: Rounding) -> MathResult<FixedU128> {
	let mut result = FixedU128::one();
	let mut square = base;
	let mut remaining = exp;
	while remaining > 0 {
		if remaining & 1 == 1 {
			result = mul(result, square, rounding)?;
		}
		remaining >>= 1;
		if remaining > 0 {
			square = mul(square, square, rounding)?;
		}
	}
	Ok(result)
}
