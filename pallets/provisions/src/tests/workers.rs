//! `authorize_worker` and `revoke_worker`: rotation and the reverse index.

use crate::{mock::*, Error, Event, ProvisionOfWorker, ProvisionState, ServiceKind};
use frame_support::{assert_noop, assert_ok};

#[test]
fn authorize_worker_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		System::assert_last_event(
			Event::WorkerAuthorized { id, worker: 10, previous: None }.into(),
		);
		assert_eq!(ProvisionOfWorker::<Test>::get(10), Some(id));
		assert_eq!(crate::Provisions::<Test>::get(id).unwrap().worker, Some(10));
	});
}

#[test]
fn rotation_replaces_the_old_key() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 11));
		System::assert_last_event(
			Event::WorkerAuthorized { id, worker: 11, previous: Some(10) }.into(),
		);
		assert_eq!(ProvisionOfWorker::<Test>::get(10), None);
		assert_eq!(ProvisionOfWorker::<Test>::get(11), Some(id));
		// The old key can no longer act; the new one can.
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::NotWorker
		);
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(11), id));
		assert_eq!(state(id), ProvisionState::Running);
	});
}

#[test]
fn authorize_worker_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let a = register(1);
		let b = register(1);
		let c = register(2);
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(1), [9; 32], 10),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(2), a, 10),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(1), a, 1),
			Error::<Test>::WorkerIsProvider
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), a, 10));
		// One key, one provision: not another of the same provider, nor another provider's,
		// nor the same one again.
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(1), b, 10),
			Error::<Test>::WorkerAlreadyAssigned
		);
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(2), c, 10),
			Error::<Test>::WorkerAlreadyAssigned
		);
		assert_noop!(
			Provisions::authorize_worker(RuntimeOrigin::signed(1), a, 10),
			Error::<Test>::WorkerAlreadyAssigned
		);
	});
}

#[test]
fn revoke_worker_works_and_turns_active_provision_off() {
	ExtBuilder::default().build_and_execute(|| {
		let draft = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), draft, 10));
		assert_ok!(Provisions::revoke_worker(RuntimeOrigin::signed(1), draft));
		System::assert_last_event(Event::WorkerRevoked { id: draft, worker: 10 }.into());
		assert_eq!(state(draft), ProvisionState::Draft);
		assert_eq!(ProvisionOfWorker::<Test>::get(10), None);

		let id = running(1, 11, 8_192, vec![service(ServiceKind::Inference, 100)]);
		events();
		assert_ok!(Provisions::revoke_worker(RuntimeOrigin::signed(1), id));
		assert_eq!(
			events(),
			vec![
				Event::ProvisionStateChanged {
					id,
					from: ProvisionState::Running,
					to: ProvisionState::Off
				},
				Event::WorkerRevoked { id, worker: 11 },
			]
		);
		assert!(Provisions::cheapest(ServiceKind::Inference, crate::Tier::BlueSurge, 5).is_empty());
		// The freed key can serve another provision.
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), draft, 11));
	});
}

#[test]
fn revoke_worker_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_noop!(
			Provisions::revoke_worker(RuntimeOrigin::signed(1), [9; 32]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::revoke_worker(RuntimeOrigin::signed(1), id),
			Error::<Test>::NoWorker
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_noop!(
			Provisions::revoke_worker(RuntimeOrigin::signed(10), id),
			Error::<Test>::NotProvider
		);
	});
}

#[test]
fn worker_key_cannot_act_as_provider() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		let w = || RuntimeOrigin::signed(10);
		assert_noop!(Provisions::stop_provision(w(), id), Error::<Test>::NotProvider);
		assert_noop!(
			Provisions::update_prices(w(), id, vec![(ServiceKind::Inference, 1)]),
			Error::<Test>::NotProvider
		);
		assert_noop!(Provisions::authorize_worker(w(), id, 12), Error::<Test>::NotProvider);
		assert_noop!(Provisions::set_availability(w(), id, None), Error::<Test>::NotProvider);
	});
}
