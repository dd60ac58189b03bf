//! `accept_jobs` and the accept window.

use super::mock::*;
use crate::{Error, Event, Jobs, RunState};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::traits::BadOrigin;

#[test]
fn accept_works() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		next_block();
		accept(worker(1), job);
		System::assert_last_event(Event::Accepted { job, run: 0, provision: pid(1) }.into());
		assert!(matches!(
			Jobs::<Test>::get(job).unwrap().runs[0].state,
			RunState::Accepted { accepted_at: 2, .. }
		));
	});
}

#[test]
fn accept_fails_per_item() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		add_inference(2, 10);
		edit(2, |p| p.models = vec![]);
		let job = submit();
		let queued = submit_with(2, 0, crate::ClassRequest::Spot);
		edit(1, |p| p.capacity = 1);
		next_block();
		events();
		assert_ok!(Matching::accept_jobs(
			RuntimeOrigin::signed(worker(1)),
			vec![99, queued, job, job]
		));
		assert_eq!(
			events(),
			vec![
				Event::ItemFailed { job: 99, error: Error::<Test>::UnknownJob.into() },
				Event::ItemFailed { job: queued, error: Error::<Test>::NotWorker.into() },
				Event::Accepted { job, run: 0, provision: pid(1) },
				Event::ItemFailed { job, error: Error::<Test>::NotAssigned.into() },
			]
		);
		// The provider's own account is not the worker key.
		assert_ok!(Matching::accept_jobs(RuntimeOrigin::signed(provider(2)), vec![queued]));
		assert_eq!(
			events(),
			vec![Event::ItemFailed { job: queued, error: Error::<Test>::NotWorker.into() }]
		);
		assert_noop!(
			Matching::accept_jobs(RuntimeOrigin::signed(worker(1)), vec![job; 9]),
			Error::<Test>::BatchTooLarge
		);
		assert_noop!(Matching::accept_jobs(RuntimeOrigin::none(), vec![job]), BadOrigin);
	});
}
