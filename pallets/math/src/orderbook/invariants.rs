//! Property tests for fills, fees and the TWAP accumulator.

use super::*;
use crate::fixed::FIXED_ONE;
use proptest::prelude::*;
use sp_arithmetic::{biguint::BigUint, FixedU128, PerThing, Permill};

const CASES: u32 = 1_000;

fn big(x: u128) -> BigUint {
	BigUint::from(x)
}

/// A limit price between 10^-18 and 10^6 quote per base unit, with arbitrary last digits.
fn limit_price() -> impl Strategy<Value = FixedU128> {
	prop_oneof![
		(1..=1_000_000 * FIXED_ONE).prop_map(FixedU128::from_inner),
		// prices like 1/3 or 1/7 that are never exact
		(1u128..=1_000, 1u128..=1_000).prop_map(|(n, d)| FixedU128::from_rational(n, d)),
	]
}

fn side() -> impl Strategy<Value = Side> {
	prop_oneof![Just(Side::Bid), Just(Side::Ask)]
}

/// An order size with the cut points of a split into partial fills.
fn order_and_split() -> impl Strategy<Value = (u128, Vec<u128>)> {
	prop_oneof![1u128..=100, 1u128..=10u128.pow(24)].prop_flat_map(|order| {
		prop::collection::vec(1..=order, 0..12).prop_map(move |mut cuts| {
			cuts.push(order);
			cuts.sort_unstable();
			cuts.dedup();
			(order, cuts)
		})
	})
}

/// A trade amount up to 10^12 tokens of 18 decimals.
fn trade_amount() -> impl Strategy<Value = u128> {
	0..=10u128.pow(30)
}

fn fee_rate() -> impl Strategy<Value = Permill> {
	(0..=Permill::ACCURACY).prop_map(Permill::from_parts)
}

/// A price and how long it stays in force.
fn price_period() -> impl Strategy<Value = (FixedU128, u64)> {
	((0..=10u128.pow(24)).prop_map(FixedU128::from_inner), 0u64..=1_000_000)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	/// Any split of a fill settles the maker with exactly the amount of one full fill; no
	/// taker ever trades at a better price than the limit; the protocol keeps at most one unit
	/// per fill; the maker's cumulative price is never worse than the limit.
	#[test]
	fn split_fills_add_up_and_respect_the_limit(
		side in side(),
		price in limit_price(),
		(order, cuts) in order_and_split(),
	) {
		let full = fill(side, price, order, 0, order).unwrap();
		prop_assert_eq!(full.maker_quote, full.taker_quote);
		prop_assert_eq!(full.surplus, 0);
		let (mut before, mut maker_total, mut taker_total, mut surplus_total) = (0u128, 0u128, 0u128, 0u128);
		for cut in cuts {
			let part = fill(side, price, order, before, cut - before).unwrap();
			// taker: exact value is base * price_inner / 10^18
			let paid = big(part.taker_quote) * big(FIXED_ONE);
			let exact = big(part.base) * big(price.into_inner());
			match side {
				Side::Ask => prop_assert!(paid >= exact, "taker buys below the limit"),
				Side::Bid => prop_assert!(paid <= exact, "taker sells above the limit"),
			}
			prop_assert!(part.surplus <= 1);
			before = cut;
			maker_total += part.maker_quote;
			taker_total += part.taker_quote;
			surplus_total += part.surplus;
			// maker: never worse than the limit on everything filled so far
			let maker_paid = big(maker_total) * big(FIXED_ONE);
			let maker_exact = big(before) * big(price.into_inner());
			match side {
				Side::Ask => prop_assert!(maker_paid >= maker_exact),
				Side::Bid => prop_assert!(maker_paid <= maker_exact),
			}
		}
		prop_assert_eq!(before, order);
		prop_assert_eq!(maker_total, full.maker_quote, "no drift for the maker");
		match side {
			Side::Ask => prop_assert_eq!(taker_total, maker_total + surplus_total),
			Side::Bid => prop_assert_eq!(taker_total + surplus_total, maker_total),
		}
	}

	/// A fee is never below the exact fee, exceeds it by less than one unit and never exceeds
	/// the amount.
	#[test]
	fn fee_rounds_up_by_less_than_one_unit(amount in trade_amount(), rate in fee_rate()) {
		let charged = fee(amount, rate).unwrap();
		let exact = big(amount) * big(u128::from(rate.deconstruct()));
		let accuracy = big(u128::from(Permill::ACCURACY));
		prop_assert!(big(charged) * accuracy.clone() >= exact.clone());
		if charged > 0 {
			prop_assert!(big(charged - 1) * accuracy < exact);
		}
		prop_assert!(charged <= amount);
	}

	/// The TWAP over any window is the exact time-weighted mean (rounded down), even when the
	/// accumulator wraps around 2^128, and lies between the lowest and highest price.
	#[test]
	fn twap_is_the_time_weighted_mean(
		start_cumulative in any::<u128>(),
		start_time in 0u64..=1_000_000_000,
		first in price_period(),
		periods in prop::collection::vec(price_period(), 1..20),
	) {
		let mut acc = TwapAccumulator {
			cumulative: start_cumulative,
			last_price: first.0,
			last_timestamp: start_time,
		};
		let start = acc.observe(start_time).unwrap();
		let (mut weighted, mut elapsed) = (0u128, 0u64);
		let (mut low, mut high) = (first.0, first.0);
		let mut current = first;
		for next in periods {
			weighted += current.0.into_inner() * u128::from(current.1);
			elapsed += current.1;
			acc = acc.update(next.0, start_time + elapsed).unwrap();
			low = low.min(current.0);
			high = high.max(current.0);
			current = next;
		}
		let end = acc.observe(start_time + elapsed).unwrap();
		if elapsed == 0 {
			prop_assert_eq!(twap(start, end), Err(crate::MathError::DivisionByZero));
		} else {
			let average = twap(start, end).unwrap();
			prop_assert_eq!(average.into_inner(), weighted / u128::from(elapsed));
			prop_assert!(low <= average && average <= high);
		}
	}
}
