//! Table-driven vectors for the reward curves and shares.

// Case tables are tuples, one vector per line, read next to their description.
#![allow(clippy::type_complexity)]

use super::*;
use crate::MathError;
use sp_arithmetic::{
	traits::{Bounded, One, Zero},
	FixedU128, Perbill,
};

fn fx(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

fn inner(x: u128) -> FixedU128 {
	FixedU128::from_inner(x)
}

#[test]
fn uptime_multiplier_cases() {
	// (uptime in Perbill parts, expected, description)
	let cases: &[(u32, FixedU128, &str)] = &[
		(0, fx(80, 100), "no uptime: floor of the curve"),
		(500_000_000, fx(80, 100), "50%: floor"),
		(900_000_000, fx(80, 100), "90%: first breakpoint"),
		(950_000_000, inner(1_051_256_281_407_035_175), "95%: 0.80 + 0.5 * 5 / 9.95, rounded down"),
		(999_000_000, inner(1_297_487_437_185_929_648), "99.9%"),
		(999_500_000, fx(130, 100), "99.95%: top of the curve"),
		(1_000_000_000, fx(130, 100), "100%: top"),
	];
	for (parts, expected, desc) in cases {
		assert_eq!(uptime_multiplier(Perbill::from_parts(*parts)), Ok(*expected), "{desc}");
	}
}

#[test]
fn latency_multiplier_cases() {
	// (p50 latency in ms, expected, description)
	let cases: &[(u32, FixedU128, &str)] = &[
		(0, fx(115, 100), "instant"),
		(300, fx(115, 100), "300 ms: best"),
		(301, inner(1_149_823_529_411_764_705), "just above 300 ms, rounded down"),
		(1_000, inner(1_026_470_588_235_294_117), "1 s"),
		(1_150, FixedU128::one(), "half way: 1.0"),
		(2_000, fx(85, 100), "2 s: worst"),
		(u32::MAX, fx(85, 100), "timeouts: worst"),
	];
	for (ms, expected, desc) in cases {
		assert_eq!(latency_multiplier(*ms), Ok(*expected), "{desc}");
	}
}

#[test]
fn demand_multiplier_cases() {
	// (utilisation in percent, expected, description)
	let cases: &[(u32, FixedU128, &str)] = &[
		(0, fx(50, 100), "idle network"),
		(25, fx(75, 100), "quarter used"),
		(50, FixedU128::one(), "half used: neutral"),
		(75, fx(150, 100), "three quarters used"),
		(100, fx(200, 100), "saturated"),
	];
	for (pct, expected, desc) in cases {
		assert_eq!(demand_multiplier(Perbill::from_percent(*pct)), Ok(*expected), "{desc}");
	}
}

#[test]
fn interpolate_cases() {
	let one = FixedU128::one();
	let two = fx(2, 1);
	// (points, x, expected, description)
	let cases: &[(&[Breakpoint], u128, Result<FixedU128, MathError>, &str)] = &[
		(&[], 5, Err(MathError::InvalidInput), "no points"),
		(&[(10, two)], 5, Ok(two), "one point: constant"),
		(&[(10, one), (10, two)], 10, Err(MathError::InvalidInput), "repeated x"),
		(&[(10, one), (5, two)], 7, Err(MathError::InvalidInput), "decreasing x"),
		(
			&[(0, one), (3, two)],
			1,
			Ok(inner(1_333_333_333_333_333_333)),
			"rising third rounds down",
		),
		(
			&[(0, two), (3, one)],
			1,
			Ok(inner(1_666_666_666_666_666_666)),
			"falling third rounds down",
		),
		(&[(0, one), (10, two), (20, one)], 15, Ok(fx(3, 2)), "second segment"),
		(&[(0, one), (10, two), (20, one)], 10, Ok(two), "middle breakpoint"),
		(&[(0, one), (10, one)], 7, Ok(one), "flat segment"),
		(
			&[(0, FixedU128::zero()), (u128::MAX, one)],
			u128::MAX - 1,
			Ok(inner(999_999_999_999_999_999)),
			"wide segment",
		),
	];
	for (points, x, expected, desc) in cases {
		assert_eq!(interpolate(points, *x), *expected, "{desc}");
	}
}

#[test]
fn multiplier_and_share_cases() {
	assert_eq!(combined_multiplier(&[]), Ok(FixedU128::one()), "no multipliers");
	assert_eq!(combined_multiplier(&[fx(130, 100), fx(115, 100), fx(2, 1)]), Ok(fx(299, 100)));
	assert_eq!(combined_multiplier(&[FixedU128::max_value(), fx(2, 1)]), Err(MathError::Overflow));
	assert_eq!(apply_multiplier(1_000, fx(299, 100)), Ok(2_990));
	assert_eq!(apply_multiplier(1, fx(85, 100)), Ok(0), "0.85 rounds down");

	// (budget, points, total points, expected share, description)
	let cases: &[(u128, u128, u128, Result<u128, MathError>, &str)] = &[
		(1_000, 1, 3, Ok(333), "a third rounds down"),
		(1_000, 2, 3, Ok(666), "two thirds round down"),
		(1_000, 3, 3, Ok(1_000), "everything"),
		(1_000, 0, 3, Ok(0), "no points"),
		(u128::MAX, u128::MAX - 1, u128::MAX, Ok(u128::MAX - 1), "no overflow at the top"),
		(1_000, 1, 0, Err(MathError::DivisionByZero), "no points at all"),
		(1_000, 4, 3, Err(MathError::InvalidInput), "more than the total"),
	];
	for (budget, points, total, expected, desc) in cases {
		assert_eq!(pro_rata_share(*budget, *points, *total), *expected, "{desc}");
	}
}
