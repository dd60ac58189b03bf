//! Table-driven edge cases for the shared helpers.

// Case tables are tuples, one vector per line, read next to their description.
#![allow(clippy::type_complexity)]

use super::*;
use crate::MathError;
use sp_arithmetic::traits::{Bounded, One, Zero};
use sp_arithmetic::{FixedU128, Perbill, Permill};

fn fx(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

#[test]
fn mul_div_cases() {
	// (a, b, c, rounding, expected, description)
	let cases: &[(u128, u128, u128, Rounding, Result<u128, MathError>, &str)] = &[
		(10, 10, 3, Rounding::Down, Ok(33), "100 / 3 rounds down to 33"),
		(10, 10, 3, Rounding::Up, Ok(34), "100 / 3 rounds up to 34"),
		(10, 10, 5, Rounding::Up, Ok(20), "exact quotient is not bumped by Up"),
		(0, 10, 3, Rounding::Up, Ok(0), "zero numerator stays zero when rounding up"),
		(1, 1, 0, Rounding::Down, Err(MathError::DivisionByZero), "division by zero"),
		(u128::MAX, u128::MAX, u128::MAX, Rounding::Down, Ok(u128::MAX), "256-bit intermediate"),
		(u128::MAX, 2, 1, Rounding::Down, Err(MathError::Overflow), "result above u128"),
		(u128::MAX, u128::MAX - 1, u128::MAX, Rounding::Up, Ok(u128::MAX - 1), "large, exact"),
		(1, 1, 2, Rounding::NearestPrefUp, Ok(1), "half rounds up with NearestPrefUp"),
		(1, 1, 2, Rounding::NearestPrefDown, Ok(0), "half rounds down with NearestPrefDown"),
	];
	for (a, b, c, rounding, expected, desc) in cases {
		assert_eq!(mul_div(*a, *b, *c, *rounding), *expected, "{desc}");
	}
}

#[test]
fn fixed_mul_div_cases() {
	// (a, b, rounding, expected a*b, expected a/b, description)
	let third = FixedU128::from_inner(333_333_333_333_333_333);
	let cases: &[(FixedU128, FixedU128, Rounding, FixedU128, FixedU128, &str)] = &[
		(fx(3, 2), fx(2, 1), Rounding::Down, fx(3, 1), fx(3, 4), "exact values"),
		(
			FixedU128::from_inner(1),
			FixedU128::from_inner(1),
			Rounding::Up,
			FixedU128::from_inner(1),
			FixedU128::one(),
			"1e-18 squared rounds up to the smallest step",
		),
		(
			FixedU128::from_inner(1),
			FixedU128::from_inner(1),
			Rounding::Down,
			FixedU128::zero(),
			FixedU128::one(),
			"1e-18 squared rounds down to zero",
		),
		(
			FixedU128::one(),
			FixedU128::from_u32(3),
			Rounding::Up,
			FixedU128::from_u32(3),
			FixedU128::from_inner(333_333_333_333_333_334),
			"1/3 rounds up in the last digit",
		),
		(
			FixedU128::one(),
			FixedU128::from_u32(3),
			Rounding::Down,
			FixedU128::from_u32(3),
			third,
			"1/3 rounds down in the last digit",
		),
	];
	for (a, b, rounding, product, quotient, desc) in cases {
		assert_eq!(mul(*a, *b, *rounding), Ok(*product), "product: {desc}");
		assert_eq!(div(*a, *b, *rounding), Ok(*quotient), "quotient: {desc}");
	}
	assert_eq!(
		div(FixedU128::one(), FixedU128::zero(), Rounding::Down),
		Err(MathError::DivisionByZero)
	);
	assert_eq!(mul(FixedU128::max_value(), fx(2, 1), Rounding::Down), Err(MathError::Overflow));
}

#[test]
fn int_and_per_thing_cases() {
	// 1.5 * 7 = 10.5
	assert_eq!(mul_int(fx(3, 2), 7, Rounding::Down), Ok(10));
	assert_eq!(mul_int(fx(3, 2), 7, Rounding::Up), Ok(11));
	// 7 / 1.5 = 4.67
	assert_eq!(div_int(7, fx(3, 2), Rounding::Down), Ok(4));
	assert_eq!(div_int(7, fx(3, 2), Rounding::Up), Ok(5));
	assert_eq!(div_int(7, FixedU128::zero(), Rounding::Up), Err(MathError::DivisionByZero));
	// 0.3% of 1001 = 3.003
	assert_eq!(mul_per(Permill::from_parts(3_000), 1_001, Rounding::Down), Ok(3));
	assert_eq!(mul_per(Permill::from_parts(3_000), 1_001, Rounding::Up), Ok(4));
	assert_eq!(mul_per(Perbill::one(), u128::MAX, Rounding::Up), Ok(u128::MAX));
	assert_eq!(from_per_thing(Permill::from_percent(15), Rounding::Down), Ok(fx(15, 100)));
	assert_eq!(
		from_per_thing(Perbill::from_parts(1), Rounding::Down),
		Ok(FixedU128::from_inner(1_000_000_000))
	);
	assert_eq!(complement_per_thing(Permill::from_percent(15)), Ok(fx(85, 100)));
	assert_eq!(complement_per_thing(Permill::one()), Ok(FixedU128::zero()));
	assert_eq!(checked_sub(1, 2), Err(MathError::Underflow));
	assert_eq!(checked_add(u128::MAX, 1), Err(MathError::Overflow));
	assert_eq!(from_rational(1, 0, Rounding::Down), Err(MathError::DivisionByZero));
	assert_eq!(
		from_rational(2, 3, Rounding::Up),
		Ok(FixedU128::from_inner(666_666_666_666_666_667))
	);
}

#[test]
fn pow_cases() {
	// (base, exp, rounding, expected, description)
	let cases: &[(FixedU128, u64, Rounding, Result<FixedU128, MathError>, &str)] = &[
		(fx(3, 2), 0, Rounding::Down, Ok(FixedU128::one()), "x^0 = 1"),
		(FixedU128::zero(), 0, Rounding::Down, Ok(FixedU128::one()), "0^0 = 1 by convention"),
		(FixedU128::zero(), 5, Rounding::Up, Ok(FixedU128::zero()), "0^5 = 0"),
		(fx(3, 2), 1, Rounding::Down, Ok(fx(3, 2)), "x^1 = x"),
		(fx(2, 1), 10, Rounding::Down, Ok(FixedU128::from_u32(1024)), "2^10"),
		(fx(11, 10), 2, Rounding::Down, Ok(fx(121, 100)), "1.1^2 exact"),
		(fx(1, 2), 3, Rounding::Up, Ok(fx(1, 8)), "0.5^3 exact"),
		(
			FixedU128::from_inner(1),
			2,
			Rounding::Up,
			Ok(FixedU128::from_inner(1)),
			"smallest step squared rounds up to the smallest step",
		),
		(FixedU128::from_inner(1), 2, Rounding::Down, Ok(FixedU128::zero()), "and down to zero"),
		(fx(2, 1), 128, Rounding::Down, Err(MathError::Overflow), "2^128 overflows"),
		(
			FixedU128::one(),
			u64::MAX,
			Rounding::Up,
			Ok(FixedU128::one()),
			"1^(2^64 - 1) in 64 squarings",
		),
	];
	for (base, exp, rounding, expected, desc) in cases {
		assert_eq!(pow(*base, *exp, *rounding), *expected, "{desc}");
	}
	// FixedU128::max_value() is about 3.4e20: 2^68 fits, 2^69 does not. Squaring stops with the
	// last bit of the exponent, so 2^68 needs no intermediate above 2^64.
	assert_eq!(
		pow(fx(2, 1), 68, Rounding::Down),
		Ok(FixedU128::from_inner((1u128 << 68) * FIXED_ONE))
	);
	assert_eq!(pow(fx(2, 1), 69, Rounding::Down), Err(MathError::Overflow));
}
