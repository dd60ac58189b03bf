//! `prune`, `HealthInspect` and the view functions.

use crate::{tests::mock::*, Error, Event, HealthInspect, HealthOf, HealthStats, ProbesOf};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Permill;

#[test]
fn prune_removes_data_of_a_deregistered_provision() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_ok!(submit(0, vec![(p, Some(10))]));
		assert_ok!(submit(1, vec![(p, Some(20))]));
		remove_provision(p);
		assert_ok!(Health::prune(RuntimeOrigin::signed(5), p));
		assert!(HealthOf::<Test>::get(p).is_none());
		assert_eq!(ProbesOf::<Test>::iter_prefix(p).count(), 0);
		System::assert_last_event(Event::Pruned { provision: p, windows: 2 }.into());
	});
}

#[test]
fn prune_fails_when_the_provision_still_exists() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_ok!(submit(0, vec![(p, Some(10))]));
		// Existing but stopped still counts as existing.
		add_provision(p, false);
		assert_noop!(
			Health::prune(RuntimeOrigin::signed(5), p),
			Error::<Test>::ProvisionStillExists
		);
	});
}

#[test]
fn prune_fails_when_there_is_nothing_to_prune() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Health::prune(RuntimeOrigin::signed(5), provision(42)),
			Error::<Test>::NothingToPrune
		);
	});
}

#[test]
fn prune_fails_for_unsigned_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Health::prune(RuntimeOrigin::none(), provision(42)),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn health_inspect_and_view_functions_read_the_stored_data() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_eq!(<Health as HealthInspect>::health_of(&p), None);
		assert_eq!(Health::health_of(p), None);
		assert!(Health::probes_of(p).is_empty());
		assert_ok!(submit(0, vec![(p, Some(10))]));
		let stats = HealthStats { uptime: Permill::one(), p50_latency_ms: 10, reporters: 1 };
		assert_eq!(<Health as HealthInspect>::health_of(&p), Some(stats));
		assert_eq!(Health::health_of(p), Some(stats));
		assert_eq!(Health::probes_of(p), vec![(authority(0), vec![Some(10)])]);
	});
}
