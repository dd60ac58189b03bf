//! `set_params`: origin, validation, effect; genesis.

use super::mock::*;
use crate::{
	Curve, Error, Event, JobUsage, Params, RewardParams, ServiceKind, Tier, TierPoints,
	MAX_POINTS_PER_UNIT,
};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_arithmetic::FixedU128;
use sp_runtime::{BuildStorage, DispatchError};

fn curve(points: &[(u128, u32)]) -> Curve {
	BoundedVec::truncate_from(points.iter().map(|(x, y)| (*x, FixedU128::from_u32(*y))).collect())
}

#[test]
fn set_params_works_for_root() {
	ExtBuilder::default().build_and_execute(|| {
		let params = RewardParams {
			tier_points: TierPoints { tide_pool: 2_000, ..Default::default() },
			emission_per_epoch: 5,
			..Default::default()
		};
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), Box::new(params.clone())));
		assert_eq!(Params::<Test>::get(), params);
		assert_eq!(Rewards::params(), params);
		System::assert_last_event(Event::<Test>::ParamsSet { params }.into());
		jobs(provision(1, Tier::TidePool), 1);
		assert_eq!(Rewards::points_of(0, 1), 2_000, "applies to the next job");
	});
}

#[test]
fn set_params_fails_for_non_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Rewards::set_params(RuntimeOrigin::signed(1), Box::default()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_params_rejects_out_of_range_values() {
	ExtBuilder::default().build_and_execute(|| {
		let base = RewardParams::default;
		// (params, expected error, description)
		let cases: Vec<(RewardParams, Error<Test>, &str)> = vec![
			(
				RewardParams {
					tier_points: TierPoints { blue_surge: 0, ..Default::default() },
					..base()
				},
				Error::<Test>::PointsOutOfRange,
				"zero tier points",
			),
			(
				RewardParams { tts_per_minute: MAX_POINTS_PER_UNIT + 1, ..base() },
				Error::<Test>::PointsOutOfRange,
				"rate too high",
			),
			(
				RewardParams { scraping_per_page: 0, ..base() },
				Error::<Test>::PointsOutOfRange,
				"zero page rate",
			),
			(
				RewardParams { embeddings_per_1k_tokens: 0, ..base() },
				Error::<Test>::PointsOutOfRange,
				"zero token rate",
			),
			(
				RewardParams { uptime_curve: curve(&[]), ..base() },
				Error::<Test>::InvalidCurve,
				"empty curve",
			),
			(
				RewardParams { latency_curve: curve(&[(300, 1), (300, 1)]), ..base() },
				Error::<Test>::InvalidCurve,
				"repeated x",
			),
			(
				RewardParams { demand_curve: curve(&[(10, 1), (5, 1)]), ..base() },
				Error::<Test>::InvalidCurve,
				"decreasing x",
			),
			(
				RewardParams { uptime_curve: curve(&[(1_000_000_001, 1)]), ..base() },
				Error::<Test>::InvalidCurve,
				"uptime beyond 100%",
			),
			(
				RewardParams { demand_curve: curve(&[(0, 1), (2_000_000_000, 1)]), ..base() },
				Error::<Test>::InvalidCurve,
				"utilisation beyond 100%",
			),
			(
				RewardParams { latency_curve: curve(&[(0, 5)]), ..base() },
				Error::<Test>::MultiplierOutOfRange,
				"multiplier above 4",
			),
			(
				RewardParams { emission_per_epoch: u64::MAX as u128 + 1, ..base() },
				Error::<Test>::EmissionTooHigh,
				"emission above the maximum",
			),
		];
		for (params, error, desc) in cases {
			let error: DispatchError = error.into();
			assert_eq!(
				Rewards::validate_params(&params).map_err(DispatchError::from),
				Err(error),
				"{desc}"
			);
			assert_noop!(Rewards::set_params(RuntimeOrigin::root(), Box::new(params)), error);
		}
		// The bounds themselves are accepted.
		let edge = RewardParams {
			tts_per_minute: MAX_POINTS_PER_UNIT,
			latency_curve: curve(&[(0, 4), (u128::MAX, 0)]),
			uptime_curve: curve(&[(1_000_000_000, 1)]),
			emission_per_epoch: u64::MAX as u128,
			..base()
		};
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), Box::new(edge)));
	});
}

#[test]
fn custom_curves_apply() {
	ExtBuilder::default().build_and_execute(|| {
		let params = RewardParams {
			latency_curve: curve(&[(0, 2)]),
			uptime_curve: curve(&[(0, 3)]),
			..Params::<Test>::get()
		};
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), Box::new(params)));
		let id = provision(1, Tier::TidePool);
		set_health(id, sp_arithmetic::Permill::from_percent(10), 10_000);
		job(id, ServiceKind::Inference, JobUsage::default());
		assert_eq!(Rewards::points_of(0, 1), 6_000, "1 point * 3 * 2");
	});
}

#[test]
#[should_panic(expected = "invalid genesis reward params")]
fn genesis_rejects_invalid_params() {
	let params = RewardParams { scraping_per_page: 0, ..Default::default() };
	let _ = crate::GenesisConfig::<Test> { params, ..Default::default() }.build_storage();
}

#[test]
fn default_params_match_the_documented_table() {
	let p = RewardParams::default();
	assert_eq!(p.tier_points.all(), [1_000, 3_000, 7_000, 15_000]);
	assert_eq!(
		(p.tts_per_minute, p.scraping_per_page, p.embeddings_per_1k_tokens),
		(2_000, 500, 1_000)
	);
	assert_eq!(p.uptime_curve.to_vec(), cxmpute_math::rewards::UPTIME_POINTS.to_vec());
	assert_eq!(p.latency_curve.to_vec(), cxmpute_math::rewards::LATENCY_POINTS.to_vec());
	assert_eq!(p.demand_curve.to_vec(), cxmpute_math::rewards::DEMAND_POINTS.to_vec());
}
