//! `heartbeat` and the bounded auto-off in `on_initialize`.

use crate::{mock::*, DeadlinesAt, Error, Event, ProvisionState, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use ProvisionState::*;

#[test]
fn heartbeat_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), [9; 32]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::NotWorker
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		// Provider is not the worker.
		assert_noop!(Provisions::heartbeat(RuntimeOrigin::signed(1), id), Error::<Test>::NotWorker);
		// Draft: not started.
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::InvalidTransition
		);
		// A worker key of another provision is not this one's.
		let other = register(2);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(2), other, 20));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(20), id),
			Error::<Test>::NotWorker
		);
	});
}

#[test]
fn heartbeat_fails_after_availability_window() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_ok!(Provisions::set_availability(RuntimeOrigin::signed(1), id, Some(2)));
		run_to_block(2);
		assert!(<Provisions as crate::ProvisionsInspect<_>>::is_running(&id));
		run_to_block(3);
		// Past its window: no longer offered, cannot heartbeat, goes off at its deadline.
		assert!(!<Provisions as crate::ProvisionsInspect<_>>::is_running(&id));
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5).is_empty());
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::AvailabilityInPast
		);
		run_to_block(6);
		assert_eq!(state(id), Off);
	});
}

#[test]
fn heartbeats_keep_a_provision_running() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		for _ in 0..5 {
			run_to_block(System::block_number() + 4);
			assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(10), id));
		}
		assert_eq!(state(id), Running);
		assert_eq!(System::block_number(), 21);
		// Exactly one queue entry, at the latest deadline.
		assert_eq!(DeadlinesAt::<Test>::iter().count(), 1);
		assert_eq!(DeadlinesAt::<Test>::get(26).to_vec(), vec![id]);
	});
}

#[test]
fn missed_heartbeats_turn_running_provision_off() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		// Heartbeat at block 1, timeout 5: off at block 6.
		run_to_block(5);
		assert_eq!(state(id), Running);
		assert!(<Provisions as crate::ProvisionsInspect<_>>::is_running(&id));
		events();
		run_to_block(6);
		assert_eq!(state(id), Off);
		assert_eq!(events(), vec![Event::ProvisionStateChanged { id, from: Running, to: Off }]);
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5).is_empty());
		// The worker cannot revive it; the provider restarts it.
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::InvalidTransition
		);
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(10), id));
		assert_eq!(state(id), Running);
	});
}

#[test]
fn started_without_heartbeat_goes_off() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), id));
		run_to_block(6);
		assert_eq!(state(id), Off);
	});
}

#[test]
fn auto_off_is_bounded_per_block() {
	ExtBuilder::default().build_and_execute(|| {
		// MaxOffPerBlock = 2: five provisions heartbeating in block 1 are queued at blocks
		// 6, 6, 7, 7, 8.
		let ids: Vec<_> = (1..=5u64)
			.map(|p| running(p, 10 + p, 8_192, vec![service(ServiceKind::ALL[p as usize], 100)]))
			.collect();
		assert_eq!(DeadlinesAt::<Test>::get(6).len(), 2);
		assert_eq!(DeadlinesAt::<Test>::get(7).len(), 2);
		assert_eq!(DeadlinesAt::<Test>::get(8).len(), 1);
		let off = || ids.iter().filter(|id| state(**id) == Off).count();
		run_to_block(6);
		assert_eq!(off(), 2);
		// Overdue provisions are not offered even before the hook turns them off.
		for (p, id) in ids.iter().enumerate() {
			assert!(!<Provisions as crate::ProvisionsInspect<_>>::is_running(id));
			let kind = ServiceKind::ALL[p + 1];
			assert!(Provisions::cheapest(kind, Tier::BlueSurge, 5).is_empty());
		}
		run_to_block(7);
		assert_eq!(off(), 4);
		run_to_block(8);
		assert_eq!(off(), 5);
	});
}

#[test]
fn on_initialize_weight_counts_processed_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::weights::WeightInfo;
		running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		System::set_block_number(6);
		let w = <Provisions as Hooks<u64>>::on_initialize(6);
		assert_eq!(w, <() as WeightInfo>::on_initialize(1));
		let w = <Provisions as Hooks<u64>>::on_initialize(7);
		assert_eq!(w, <() as WeightInfo>::on_initialize(0));
	});
}

#[test]
fn heartbeat_fails_when_all_queues_full() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		// Fill the queues of blocks 6..=6+MAX_DEADLINE_SPILL with ids of no provision.
		for at in 6..=6 + crate::MAX_DEADLINE_SPILL as u64 {
			DeadlinesAt::<Test>::insert(
				at,
				frame_support::BoundedVec::truncate_from(vec![[1; 32], [2; 32]]),
			);
		}
		assert_noop!(
			Provisions::start_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::HeartbeatQueueFull
		);
		let _ = DeadlinesAt::<Test>::clear(u32::MAX, None);
	});
}

#[test]
fn heartbeat_fails_when_stake_dropped_and_provision_goes_off() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		// The provider's stake was slashed below the tier's minimum after the start.
		DeniedProvider::set(1);
		assert_noop!(
			Provisions::heartbeat(RuntimeOrigin::signed(10), id),
			Error::<Test>::NotEnoughStake
		);
		run_to_block(10);
		assert_eq!(state(id), ProvisionState::Off);
	});
}
