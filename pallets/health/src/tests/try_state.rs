//! The invariants: they hold after every call, and `try_state` catches them when broken.

use crate::{tests::mock::*, HealthOf, HealthStats, LastReports, ProbesOf};
use frame_support::{assert_ok, traits::Hooks, BoundedVec};
use sp_arithmetic::Permill;

/// Run `break_it`, check that `try_state` fails with `message`, then undo with `fix_it`.
fn assert_caught(break_it: impl FnOnce(), message: &'static str, fix_it: impl FnOnce()) {
	assert_ok!(Health::do_try_state());
	break_it();
	assert_eq!(Health::do_try_state(), Err(message.into()));
	fix_it();
	assert_ok!(Health::do_try_state());
}

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(Health::integrity_test);
}

#[test]
fn try_state_catches_an_empty_window() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| ProbesOf::<Test>::insert(provision(1), authority(0), BoundedVec::new()),
			"empty probe window",
			|| ProbesOf::<Test>::remove(provision(1), authority(0)),
		);
	});
}

#[test]
fn try_state_catches_stats_that_differ_from_the_windows() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_ok!(submit(0, vec![(p, Some(10))]));
		let honest = HealthOf::<Test>::get(p).unwrap();
		assert_caught(
			|| {
				HealthOf::<Test>::insert(
					p,
					HealthStats { uptime: Permill::one(), p50_latency_ms: 1, reporters: 1 },
				)
			},
			"health stats differ from their windows",
			|| HealthOf::<Test>::insert(p, honest),
		);
	});
}

#[test]
fn try_state_catches_stats_without_windows_and_windows_without_stats() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_caught(
			|| HealthOf::<Test>::insert(p, HealthStats::default()),
			"health stats of a provision without windows",
			|| HealthOf::<Test>::remove(p),
		);
		assert_caught(
			|| ProbesOf::<Test>::insert(p, authority(0), BoundedVec::truncate_from(vec![None])),
			"windows of a provision without health stats",
			|| ProbesOf::<Test>::remove(p, authority(0)),
		);
	});
}

#[test]
fn try_state_catches_an_authority_listed_twice() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				LastReports::<Test>::put(BoundedVec::truncate_from(vec![
					(authority(0), 1),
					(authority(0), 2),
				]))
			},
			"authority twice in LastReports",
			LastReports::<Test>::kill,
		);
	});
}
