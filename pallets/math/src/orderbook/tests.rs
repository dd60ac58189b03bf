//! Table-driven vectors for fills, fees and the TWAP accumulator.

// Case tables are tuples, one vector per line, read next to their description.
#![allow(clippy::type_complexity)]

use super::*;
use crate::MathError;
use sp_arithmetic::{
	traits::{Bounded, One},
	FixedU128, Permill,
};

fn fx(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

fn f(base: u128, maker_quote: u128, taker_quote: u128, surplus: u128) -> Fill {
	Fill { base, maker_quote, taker_quote, surplus }
}

#[test]
fn fill_cases() {
	let half = fx(1, 2);
	let third = FixedU128::from_inner(333_333_333_333_333_333);
	// (side, price, order base, filled before, fill base, expected, description)
	let cases: &[(Side, FixedU128, u128, u128, u128, Result<Fill, MathError>, &str)] = &[
		(Side::Ask, fx(3, 1), 10, 0, 10, Ok(f(10, 30, 30, 0)), "exact price, full fill"),
		(Side::Ask, half, 2, 0, 2, Ok(f(2, 1, 1, 0)), "full fill at 0.5"),
		(Side::Ask, half, 2, 0, 1, Ok(f(1, 1, 1, 0)), "ask: first half, 0.5 rounds up"),
		(Side::Ask, half, 2, 1, 1, Ok(f(1, 0, 1, 1)), "ask: second half, maker already paid"),
		(Side::Bid, half, 2, 0, 2, Ok(f(2, 1, 1, 0)), "bid full fill at 0.5"),
		(Side::Bid, half, 2, 0, 1, Ok(f(1, 0, 0, 0)), "bid: first half, 0.5 rounds down"),
		(Side::Bid, half, 2, 1, 1, Ok(f(1, 1, 0, 1)), "bid: second half, maker pays the unit"),
		(Side::Ask, third, 9, 0, 4, Ok(f(4, 2, 2, 0)), "ask at 1/3: 1.33 rounds up"),
		(Side::Ask, third, 9, 4, 5, Ok(f(5, 1, 2, 1)), "ask at 1/3: ceil(3) - ceil(1.33)"),
		(Side::Bid, third, 9, 0, 4, Ok(f(4, 1, 1, 0)), "bid at 1/3: 1.33 rounds down"),
		(Side::Bid, third, 9, 4, 5, Ok(f(5, 1, 1, 0)), "bid at 1/3: floor(3) - floor(1.33)"),
		(Side::Ask, half, 2, 0, 0, Err(MathError::InvalidInput), "empty fill"),
		(Side::Ask, half, 2, 1, 2, Err(MathError::InvalidInput), "overfill"),
		(
			Side::Ask,
			half,
			u128::MAX,
			u128::MAX,
			1,
			Err(MathError::InvalidInput),
			"filled overflows",
		),
		(
			Side::Ask,
			FixedU128::max_value(),
			u128::MAX,
			0,
			u128::MAX,
			Err(MathError::Overflow),
			"quote overflows",
		),
	];
	for (side, price, order, before, base, expected, desc) in cases {
		assert_eq!(fill(*side, *price, *order, *before, *base), *expected, "{desc}");
	}
}

#[test]
fn maker_quote_is_the_bid_lock_and_telescopes() {
	let price = FixedU128::from_inner(333_333_333_333_333_333);
	// A bid for 9 base at 1/3 locks floor(2.999999999999999997) = 2 quote.
	assert_eq!(maker_quote(Side::Bid, price, 9), Ok(2));
	assert_eq!(maker_quote(Side::Ask, price, 9), Ok(3));
	let parts = [1u128, 3, 2, 3];
	let (mut filled, mut paid) = (0u128, 0u128);
	for part in parts {
		let fill = fill(Side::Bid, price, 9, filled, part).expect("within the order; qed");
		filled += part;
		paid += fill.maker_quote;
		assert_eq!(paid, maker_quote(Side::Bid, price, filled).unwrap(), "after {filled}");
	}
	assert_eq!(paid, 2, "the lock is used up exactly");
}

#[test]
fn fee_cases() {
	// (amount, fee rate, expected fee, description)
	let cases: &[(u128, Permill, u128, &str)] = &[
		(1_000, Permill::from_parts(3_000), 3, "0.3% of 1000"),
		(1_001, Permill::from_parts(3_000), 4, "3.003 rounds up"),
		(1, Permill::from_parts(3_000), 1, "dust still pays one unit"),
		(0, Permill::from_parts(3_000), 0, "nothing, no fee"),
		(1_000, Permill::zero(), 0, "no fee rate"),
		(u128::MAX, Permill::one(), u128::MAX, "100% of everything"),
	];
	for (amount, rate, expected, desc) in cases {
		assert_eq!(fee(*amount, *rate), Ok(*expected), "{desc}");
	}
}

#[test]
fn twap_cases() {
	let acc = TwapAccumulator::new(FixedU128::one(), 100);
	let acc = acc.update(fx(2, 1), 110).expect("time moves forward; qed");
	assert_eq!(acc.cumulative, 10 * 10u128.pow(18), "1.0 for 10 time units");
	let acc = acc.update(fx(4, 1), 115).expect("time moves forward; qed");
	assert_eq!(acc.cumulative, 20 * 10u128.pow(18), "then 2.0 for 5");
	let start = Observation { timestamp: 100, cumulative: 0 };
	let mid = Observation { timestamp: 110, cumulative: 10 * 10u128.pow(18) };
	let end = acc.observe(120).expect("time moves forward; qed");
	assert_eq!(end.cumulative, 40 * 10u128.pow(18), "then 4.0 for 5, not yet recorded");

	// (older, newer, expected, description)
	let cases: &[(Observation, Observation, Result<FixedU128, MathError>, &str)] = &[
		(start, end, Ok(fx(2, 1)), "(10 + 10 + 20) / 20"),
		(mid, end, Ok(fx(3, 1)), "(10 + 20) / 10"),
		(
			start,
			Observation { timestamp: 103, cumulative: 10u128.pow(18) },
			Ok(FixedU128::from_inner(333_333_333_333_333_333)),
			"rounds down",
		),
		(end, start, Err(MathError::InvalidInput), "observations swapped"),
		(end, end, Err(MathError::DivisionByZero), "empty window"),
	];
	for (older, newer, expected, desc) in cases {
		assert_eq!(twap(*older, *newer), *expected, "{desc}");
	}

	// The accumulator wraps around 2^128 and the average stays exact.
	let near_end = TwapAccumulator {
		cumulative: u128::MAX - 5 * 10u128.pow(18),
		last_price: fx(3, 1),
		last_timestamp: 50,
	};
	let before = near_end.observe(50).expect("no time elapsed; qed");
	let after = near_end.observe(60).expect("time moves forward; qed");
	assert!(after.cumulative < before.cumulative, "wrapped");
	assert_eq!(twap(before, after), Ok(fx(3, 1)));

	assert_eq!(acc.update(FixedU128::one(), 114), Err(MathError::InvalidInput), "backwards");
	let huge = TwapAccumulator::new(FixedU128::max_value(), 0);
	assert_eq!(huge.observe(2), Err(MathError::Overflow), "price * elapsed overflows");
	assert_eq!(huge.update(FixedU128::one(), 1).map(|a| a.last_price), Ok(FixedU128::one()));
}
