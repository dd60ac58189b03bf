//! Property tests for the shared helpers: the rounding direction is exact, checked against
//! arbitrary-precision arithmetic.

use super::*;
use crate::MathError;
use proptest::prelude::*;
use sp_arithmetic::{biguint::BigUint, traits::One, FixedU128};

const CASES: u32 = 1_000;

fn big(x: u128) -> BigUint {
	BigUint::from(x)
}

/// Any `u128`, biased towards the edges by proptest.
fn any_amount() -> impl Strategy<Value = u128> {
	any::<u128>()
}

/// A non-zero divisor.
fn divisor() -> impl Strategy<Value = u128> {
	1..=u128::MAX
}

/// A fixed-point base between 0 and 2, where powers stay representable for small exponents.
fn base_up_to_two() -> impl Strategy<Value = FixedU128> {
	(0..=2 * FIXED_ONE).prop_map(FixedU128::from_inner)
}

/// `1 + r` for a per-block rate `r` up to `10^-6` (about 500% a year with 6-second blocks).
fn rate_near_one() -> impl Strategy<Value = FixedU128> {
	(FIXED_ONE..=FIXED_ONE + FIXED_ONE / 1_000_000).prop_map(FixedU128::from_inner)
}

/// A small exponent, so the exact power can be computed with big integers.
fn small_exponent() -> impl Strategy<Value = u64> {
	0u64..=12
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	/// `mul_div` with `Down` is the floor and with `Up` the ceiling of the exact quotient.
	#[test]
	fn mul_div_brackets_the_exact_quotient(a in any_amount(), b in any_amount(), c in divisor()) {
		let exact = big(a) * big(b);
		match (mul_div(a, b, c, Rounding::Down), mul_div(a, b, c, Rounding::Up)) {
			(Ok(down), Ok(up)) => {
				prop_assert!(big(down) * big(c) <= exact.clone());
				prop_assert!(exact.clone() < (big(down) + big(1)) * big(c));
				prop_assert!(big(up) * big(c) >= exact.clone());
				let is_exact = big(down) * big(c) == exact;
				prop_assert_eq!(up, if is_exact { down } else { down + 1 });
			},
			(Err(MathError::Overflow), _) => {
				// floor(a * b / c) > u128::MAX  <=>  a * b >= (u128::MAX + 1) * c
				prop_assert!(exact >= (big(u128::MAX) + big(1)) * big(c));
			},
			(Ok(down), Err(MathError::Overflow)) => prop_assert_eq!(down, u128::MAX),
			(down, up) => prop_assert!(false, "unexpected {:?} {:?}", down, up),
		}
	}

	/// Rounding down never exceeds rounding up, and they differ by at most one step.
	#[test]
	fn fixed_mul_and_div_round_in_the_asked_direction(
		a in any_amount().prop_map(FixedU128::from_inner),
		b in any_amount().prop_map(FixedU128::from_inner),
	) {
		if let (Ok(down), Ok(up)) = (mul(a, b, Rounding::Down), mul(a, b, Rounding::Up)) {
			prop_assert!(up.into_inner() - down.into_inner() <= 1);
		}
		if let (Ok(down), Ok(up)) = (div(a, b, Rounding::Down), div(a, b, Rounding::Up)) {
			prop_assert!(up.into_inner() - down.into_inner() <= 1);
		}
	}

	/// `pow` with `Down` is at most, and with `Up` at least, the exact power.
	#[test]
	fn pow_brackets_the_exact_power(base in base_up_to_two(), exp in small_exponent()) {
		let down = pow(base, exp, Rounding::Down).expect("2^12 fits in FixedU128; qed");
		let up = pow(base, exp, Rounding::Up).expect("2^12 fits in FixedU128; qed");
		// exact: base^exp = inner^exp / ONE^exp, so result_inner ~ inner^exp / ONE^(exp - 1).
		let mut exact_num = big(1);
		let mut scale = big(1);
		for i in 0..exp {
			exact_num = exact_num * big(base.into_inner());
			if i > 0 {
				scale = scale * big(FIXED_ONE);
			}
		}
		if exp == 0 {
			prop_assert_eq!(down, FixedU128::one());
			prop_assert_eq!(up, FixedU128::one());
		} else {
			prop_assert!(big(down.into_inner()) * scale.clone() <= exact_num.clone());
			prop_assert!(big(up.into_inner()) * scale >= exact_num);
		}
		prop_assert!(down <= up);
	}

	/// Over long exponents the two roundings of `pow` stay within `2 * exp` steps of `10^-18`
	/// per unit of the result of each other (the documented precision).
	#[test]
	fn pow_precision_over_long_exponents(
		base in rate_near_one(),
		exp in 0u64..=20_000_000,
	) {
		let down = pow(base, exp, Rounding::Down).unwrap().into_inner();
		let up = pow(base, exp, Rounding::Up).unwrap().into_inner();
		let units = up / FIXED_ONE + 1;
		prop_assert!(down <= up);
		prop_assert!(up - down <= 2 * u128::from(exp) * units + 2, "down {} up {}", down, up);
	}

	/// Squaring gives the same answer as multiplying step by step when every step is exact
	/// enough: `x^(m+n) = x^m * x^n` within rounding, and both stay on the same side.
	#[test]
	fn pow_is_monotone_in_the_exponent_for_bases_above_one(
		base in (FIXED_ONE..=2 * FIXED_ONE).prop_map(FixedU128::from_inner),
		exp in 0u64..=60,
	) {
		let a = pow(base, exp, Rounding::Up);
		let b = pow(base, exp + 1, Rounding::Up);
		if let (Ok(a), Ok(b)) = (a, b) {
			prop_assert!(b >= a);
		}
	}
}
