//! `try_state` detects broken invariants.

use super::mock::*;
use crate::{EpochBudget, EpochClaimedPoints, EpochPaid, EpochPoints, Params, PointsOf, Tier};
use sp_runtime::TryRuntimeError;

fn broken(setup: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		jobs(provision(1, Tier::TidePool), 1);
		jobs(provision(2, Tier::BlueSurge), 1);
		run_to_epoch(1);
		jobs(provision(1, Tier::TidePool), 1);
		assert_eq!(Rewards::do_try_state(), Ok(()));
		setup();
		assert_eq!(Rewards::do_try_state(), Err(TryRuntimeError::Other(expected)), "{expected}");
	});
}

#[test]
fn try_state_detects_points_mismatch() {
	broken(
		|| PointsOf::<Test>::insert(0, 1, 999),
		"unpaid points do not match the epoch total minus claimed points",
	);
	broken(
		|| EpochPoints::<Test>::insert(1, 5),
		"unpaid points do not match the epoch total minus claimed points",
	);
	broken(|| PointsOf::<Test>::insert(0, 3, 0), "zero points stored");
	broken(|| PointsOf::<Test>::insert(7, 3, 10), "points of an epoch without a total");
	broken(|| EpochClaimedPoints::<Test>::insert(0, 5_000), "more points claimed than awarded");
}

#[test]
fn try_state_detects_budget_corruption() {
	broken(|| EpochPaid::<Test>::insert(0, EMISSION + 1), "paid more than the budget");
	broken(|| EpochPaid::<Test>::insert(0, 1), "paid plus unpaid shares exceed the budget");
	broken(
		|| EpochBudget::<Test>::remove(0),
		"budget missing for a closed epoch or present for the open one",
	);
	broken(
		|| EpochBudget::<Test>::insert(1, 5),
		"budget missing for a closed epoch or present for the open one",
	);
	broken(|| EpochPaid::<Test>::insert(4, 1), "paid out of an epoch without budget");
}

#[test]
fn try_state_detects_invalid_params() {
	broken(
		|| Params::<Test>::mutate(|p| p.tier_points.tide_pool = 0),
		"stored parameters are invalid",
	);
}
