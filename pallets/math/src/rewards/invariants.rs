//! Property tests for the reward curves and shares.

use super::*;
use crate::fixed::FIXED_ONE;
use proptest::prelude::*;
use sp_arithmetic::{FixedU128, PerThing, Perbill};

const CASES: u32 = 1_000;

/// Points of one participant.
fn participant_points() -> impl Strategy<Value = u128> {
	prop_oneof![0u128..=1_000, 0u128..=10u128.pow(30)]
}

/// An epoch budget.
fn budget() -> impl Strategy<Value = u128> {
	prop_oneof![0u128..=1_000, 0u128..=10u128.pow(30), Just(u128::MAX)]
}

/// A ratio such as uptime or utilisation.
fn ratio() -> impl Strategy<Value = Perbill> {
	(0..=Perbill::ACCURACY).prop_map(Perbill::from_parts)
}

/// A curve with strictly increasing `x` and arbitrary `y` between 0 and 10.
fn curve() -> impl Strategy<Value = Vec<Breakpoint>> {
	prop::collection::btree_set(0u128..=1_000_000, 1..8).prop_flat_map(|xs| {
		let n = xs.len();
		prop::collection::vec((0..=10 * FIXED_ONE).prop_map(FixedU128::from_inner), n)
			.prop_map(move |ys| xs.iter().copied().zip(ys).collect::<Vec<_>>())
	})
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	/// Shares never add up to more than the budget, and leave less than one unit per
	/// participant undistributed.
	#[test]
	fn shares_never_exceed_the_budget(
		budget in budget(),
		points in prop::collection::vec(participant_points(), 1..50),
	) {
		let total: u128 = points.iter().sum();
		prop_assume!(total > 0);
		let shares: Vec<u128> = points.iter().map(|p| pro_rata_share(budget, *p, total).unwrap()).collect();
		let paid = shares.iter().try_fold(0u128, |a, s| a.checked_add(*s));
		let paid = paid.expect("shares never add up past the budget; qed");
		prop_assert!(paid <= budget);
		prop_assert!(budget - paid < points.len() as u128);
		// more points never mean a smaller share
		for (a, b) in points.iter().zip(points.iter().skip(1)) {
			let sa = pro_rata_share(budget, *a, total).unwrap();
			let sb = pro_rata_share(budget, *b, total).unwrap();
			if a <= b {
				prop_assert!(sa <= sb);
			} else {
				prop_assert!(sa >= sb);
			}
		}
	}

	/// Interpolation stays within the segment's `y` range, hits the breakpoints exactly and
	/// rounds down by less than one step.
	#[test]
	fn interpolation_stays_on_the_segment(curve in curve(), x in 0u128..=1_100_000) {
		let y = interpolate(&curve, x).unwrap();
		for (bx, by) in &curve {
			prop_assert_eq!(interpolate(&curve, *bx).unwrap(), *by);
		}
		let (first, last) = (curve[0], curve[curve.len() - 1]);
		if x <= first.0 {
			prop_assert_eq!(y, first.1);
		} else if x >= last.0 {
			prop_assert_eq!(y, last.1);
		} else {
			let i = curve.iter().position(|(bx, _)| *bx >= x).unwrap();
			let ((x0, y0), (x1, y1)) = (curve[i - 1], curve[i]);
			prop_assert!(y0.min(y1) <= y && y <= y0.max(y1));
			// exact: y0 + (y1 - y0) * (x - x0) / (x1 - x0), compared as integers times (x1 - x0)
			let width = x1 - x0;
			let scaled = y.into_inner() as i128 * width as i128;
			let exact = y0.into_inner() as i128 * width as i128
				+ (y1.into_inner() as i128 - y0.into_inner() as i128) * (x - x0) as i128;
			prop_assert!(scaled <= exact && exact < scaled + width as i128, "rounded down by < 1e-18");
		}
	}

	/// The named multipliers stay in their ranges and move the right way.
	#[test]
	fn multipliers_are_bounded_and_monotone(a in ratio(), b in ratio(), ms_a in any::<u32>(), ms_b in any::<u32>()) {
		let (low, high) = (a.min(b), a.max(b));
		let up = |r| uptime_multiplier(r).unwrap();
		let demand = |r| demand_multiplier(r).unwrap();
		prop_assert!(up(low) <= up(high));
		prop_assert!(demand(low) <= demand(high));
		prop_assert!(FixedU128::from_rational(80, 100) <= up(low) && up(high) <= FixedU128::from_rational(130, 100));
		prop_assert!(FixedU128::from_rational(50, 100) <= demand(low) && demand(high) <= FixedU128::from_rational(200, 100));
		let (fast, slow) = (ms_a.min(ms_b), ms_a.max(ms_b));
		let lat = |ms| latency_multiplier(ms).unwrap();
		prop_assert!(lat(fast) >= lat(slow));
		prop_assert!(FixedU128::from_rational(85, 100) <= lat(slow) && lat(fast) <= FixedU128::from_rational(115, 100));
	}
}
