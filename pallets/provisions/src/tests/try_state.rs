//! `try_state` detects broken invariants.

use crate::{mock::*, DeadlinesAt, PoolOf, ProvisionOfWorker, ProvisionsOf, ServiceKind, Tier};
use frame_support::BoundedVec;

fn broken(setup: impl FnOnce(crate::ProvisionId), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert!(Provisions::do_try_state().is_ok());
		setup(id);
		let err = Provisions::do_try_state().expect_err("invariant must be broken");
		assert_eq!(err, sp_runtime::TryRuntimeError::Other(expected), "{expected}");
	});
}

#[test]
fn try_state_detects_missing_pool_entry() {
	broken(
		|_| PoolOf::<Test>::remove((ServiceKind::Inference, Tier::BlueSurge)),
		"a running provision is missing from a pool",
	);
}

#[test]
fn try_state_detects_wrong_pool_price() {
	broken(
		|id| {
			PoolOf::<Test>::insert(
				(ServiceKind::Inference, Tier::BlueSurge),
				BoundedVec::truncate_from(vec![(99, id)]),
			)
		},
		"pool entry with a wrong price",
	);
}

#[test]
fn try_state_detects_unsorted_pool() {
	broken(
		|id| {
			PoolOf::<Test>::insert(
				(ServiceKind::Inference, Tier::BlueSurge),
				BoundedVec::truncate_from(vec![(100, id), (1, [0; 32])]),
			)
		},
		"pool not strictly sorted",
	);
}

#[test]
fn try_state_detects_broken_worker_index() {
	broken(|_| ProvisionOfWorker::<Test>::remove(10), "worker key not indexed to its provision");
	broken(
		|id| ProvisionOfWorker::<Test>::insert(99, id),
		"worker index disagrees with the provision",
	);
}

#[test]
fn try_state_detects_broken_provider_list() {
	broken(|_| ProvisionsOf::<Test>::remove(1), "a provision is not listed under its provider");
}

#[test]
fn try_state_detects_broken_deadline_queue() {
	broken(
		|_| {
			let _ = DeadlinesAt::<Test>::clear(u32::MAX, None);
		},
		"active provision not queued",
	);
}
