//! `start_provision`, `stop_provision` and the full lifecycle.

use crate::{mock::*, Error, Event, ProvisionState, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok};
use ProvisionState::*;

fn changed(id: crate::ProvisionId, from: ProvisionState, to: ProvisionState) -> RuntimeEvent {
	Event::ProvisionStateChanged { id, from, to }.into()
}

#[test]
fn full_lifecycle_emits_every_transition() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_eq!(state(id), Draft);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		System::assert_last_event(changed(id, Draft, Started));
		// Started is not yet in the pools.
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5).is_empty());
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(10), id));
		System::assert_last_event(changed(id, Started, Running));
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(id, 100)]
		);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), id));
		System::assert_last_event(changed(id, Running, Off));
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5).is_empty());
		// Off can start again.
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		System::assert_last_event(changed(id, Off, Started));
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), id));
		System::assert_last_event(changed(id, Started, Off));
	});
}

#[test]
fn start_provision_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), [9; 32]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(2), id),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::NoWorker
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::InvalidTransition
		);
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(10), id));
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::InvalidTransition
		);
	});
}

#[test]
fn start_provision_fails_without_enough_stake() {
	ExtBuilder::default().with_denied_provider(1).build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::NotEnoughStake
		);
		DeniedProvider::set(0);
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
	});
}

#[test]
fn start_provision_fails_when_availability_ended() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_ok!(Provisions::set_availability(RuntimeOrigin::signed(1), id, Some(3)));
		run_to_block(4);
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::AvailabilityInPast
		);
	});
}

#[test]
fn stop_provision_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_noop!(
			Provisions::stop_provision(RuntimeOrigin::signed(1), [9; 32]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::stop_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::InvalidTransition
		);
		let run = running(2, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_noop!(
			Provisions::stop_provision(RuntimeOrigin::signed(1), run),
			Error::<Test>::NotProvider
		);
	});
}

#[test]
fn set_availability_works_and_fails_in_the_past() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::set_availability(RuntimeOrigin::signed(1), id, Some(10)));
		System::assert_last_event(Event::AvailabilitySet { id, until: Some(10) }.into());
		assert_ok!(Provisions::set_availability(RuntimeOrigin::signed(1), id, None));
		System::assert_last_event(Event::AvailabilitySet { id, until: None }.into());
		run_to_block(5);
		assert_noop!(
			Provisions::set_availability(RuntimeOrigin::signed(1), id, Some(4)),
			Error::<Test>::AvailabilityInPast
		);
		assert_noop!(
			Provisions::set_availability(RuntimeOrigin::signed(1), [9; 32], None),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::set_availability(RuntimeOrigin::signed(2), id, None),
			Error::<Test>::NotProvider
		);
	});
}
