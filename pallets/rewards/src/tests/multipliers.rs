//! Uptime, latency and demand multipliers: boundaries and recompute timing.

use super::mock::*;
use crate::{DemandMultiplier, Event, HealthStats, JobUsage, ServiceKind, Tier};
use cxmpute_math::rewards::{
	apply_multiplier, combined_multiplier, demand_multiplier, latency_multiplier, uptime_multiplier,
};
use sp_arithmetic::{traits::One, FixedU128, Perbill, Permill};

/// Milli-points of one MarianaDepth request (15,000 base) with this health.
fn mariana_points(health: Option<(Permill, u32)>) -> u128 {
	let id = provision(7, Tier::MarianaDepth);
	if let Some((uptime, latency)) = health {
		set_health(id, uptime, latency);
	}
	job(id, ServiceKind::Inference, JobUsage::default());
	let points = Rewards::points_of(0, 7);
	crate::PointsOf::<Test>::remove(0, 7);
	crate::EpochPoints::<Test>::remove(0);
	HealthMap::mutate(|m| m.clear());
	points
}

/// What the math crate's default curves give.
fn expected(uptime: Permill, latency: u32, demand: FixedU128) -> u128 {
	let u = uptime_multiplier(Perbill::from_parts(uptime.deconstruct() * 1_000)).unwrap();
	let l = latency_multiplier(latency).unwrap();
	apply_multiplier(15_000, combined_multiplier(&[u, l, demand]).unwrap()).unwrap()
}

#[test]
fn uptime_multiplier_boundaries() {
	ExtBuilder::default().build_and_execute(|| {
		// 1,150 ms gives a latency multiplier of exactly 1.0.
		// (uptime in Permill parts, expected milli-points, description)
		let cases: [(u32, u128, &str); 6] = [
			(0, 12_000, "no uptime: 0.80"),
			(900_000, 12_000, "90%: 0.80"),
			(950_000, 15_768, "95%: 1.0513 rounded down"),
			(999_499, 19_499, "just below 99.95%: 1.29999 rounded down"),
			(999_500, 19_500, "99.95%: 1.30"),
			(1_000_000, 19_500, "100%: 1.30"),
		];
		for (parts, points, desc) in cases {
			let uptime = Permill::from_parts(parts);
			assert_eq!(mariana_points(Some((uptime, 1_150))), points, "{desc}");
			assert_eq!(expected(uptime, 1_150, FixedU128::one()), points, "{desc} (math crate)");
		}
	});
}

#[test]
fn latency_multiplier_boundaries() {
	ExtBuilder::default().build_and_execute(|| {
		let top = Permill::from_parts(999_500);
		// (p50 ms, expected milli-points at uptime 1.30, description)
		let cases: [(u32, u128, &str); 6] = [
			(0, 22_425, "instant: 1.15"),
			(299, 22_425, "below 300 ms: 1.15"),
			(300, 22_425, "300 ms: 1.15"),
			(1_150, 19_500, "half way: 1.0"),
			(2_000, 16_575, "2 s: 0.85"),
			(u32::MAX, 16_575, "timeouts: 0.85"),
		];
		for (ms, points, desc) in cases {
			assert_eq!(mariana_points(Some((top, ms))), points, "{desc}");
			assert_eq!(expected(top, ms, FixedU128::one()), points, "{desc} (math crate)");
		}
		// The worst: 0.80 * 0.85 = 0.68.
		assert_eq!(mariana_points(Some((Permill::zero(), 5_000))), 10_200);
	});
}

#[test]
fn unmeasured_health_is_neutral() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(mariana_points(None), 15_000);
		let id = provision(7, Tier::MarianaDepth);
		HealthMap::mutate(|m| {
			m.insert(
				id,
				HealthStats { uptime: Permill::zero(), p50_latency_ms: 10_000, reporters: 0 },
			);
		});
		job(id, ServiceKind::Inference, JobUsage::default());
		assert_eq!(Rewards::points_of(0, 7), 15_000, "no reporters: neutral");
	});
}

#[test]
fn demand_multiplier_follows_utilisation() {
	// (utilisation, expected multiplier, expected milli-points)
	let cases: [(Option<Perbill>, FixedU128, u128); 5] = [
		(None, FixedU128::one(), 15_000),
		(Some(Perbill::zero()), FixedU128::from_rational(1, 2), 7_500),
		(Some(Perbill::from_percent(50)), FixedU128::one(), 15_000),
		(Some(Perbill::from_percent(75)), FixedU128::from_rational(3, 2), 22_500),
		(Some(Perbill::one()), FixedU128::from_u32(2), 30_000),
	];
	for (utilisation, multiplier, points) in cases {
		ExtBuilder::default().with_utilisation(utilisation).build_and_execute(|| {
			assert_eq!(DemandMultiplier::<Test>::get(), multiplier, "{utilisation:?}");
			if let Some(u) = utilisation {
				assert_eq!(demand_multiplier(u), Ok(multiplier));
			}
			assert_eq!(mariana_points(None), points, "{utilisation:?}");
		});
	}
}

#[test]
fn all_multipliers_combine() {
	ExtBuilder::default().with_utilisation(Some(Perbill::one())).build_and_execute(|| {
		// 1.30 * 1.15 * 2.0 = 2.99
		assert_eq!(mariana_points(Some((Permill::one(), 100))), 44_850);
		// 0.80 * 0.85 * 0.5 = 0.34
		Utilisation::set(Some(Perbill::zero()));
		Rewards::recompute_demand(System::block_number());
		assert_eq!(mariana_points(Some((Permill::zero(), 3_000))), 5_100);
	});
}

#[test]
fn demand_is_recomputed_every_period() {
	ExtBuilder::default().build_and_execute(|| {
		// Block 1 computed it (neutral); the next recompute is at block 6.
		assert_eq!(crate::NextDemandAt::<Test>::get(), 6);
		Utilisation::set(Some(Perbill::one()));
		run_to_block(5);
		assert_eq!(DemandMultiplier::<Test>::get(), FixedU128::one());
		events();
		run_to_block(6);
		assert_eq!(DemandMultiplier::<Test>::get(), FixedU128::from_u32(2));
		assert_eq!(
			events(),
			vec![Event::<Test>::DemandUpdated {
				utilisation: Some(Perbill::one()),
				multiplier: FixedU128::from_u32(2),
			}]
		);
		assert_eq!(crate::NextDemandAt::<Test>::get(), 11);
		Utilisation::set(None);
		run_to_block(10);
		assert_eq!(DemandMultiplier::<Test>::get(), FixedU128::from_u32(2));
		run_to_block(11);
		assert_eq!(DemandMultiplier::<Test>::get(), FixedU128::one(), "unknown: neutral");
	});
}
