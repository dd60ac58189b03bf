//! `report_failures`, accept timeouts, `MaxAttempts`, cancellation and expiry.

use super::mock::*;
use crate::{Error, Event, Jobs, Outcome, RunState, SlashReason, TimeoutsAt};
use frame_support::{assert_noop, assert_ok};

#[test]
fn reported_failure_requeues_the_run_without_slash() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		next_block();
		accept(worker(1), job);
		events();
		assert_ok!(Matching::report_failures(RuntimeOrigin::signed(worker(1)), vec![(job, 7)]));
		assert_eq!(events(), vec![Event::RunFailed { job, run: 0, provision: pid(1), reason: 7 }]);
		let j = Jobs::<Test>::get(job).unwrap();
		assert_eq!(j.runs[0].state, RunState::Pending);
		assert_eq!(j.attempts, 1);
		assert!(j.queued.is_some());
		assert!(records().slashes.is_empty());
		// Re-matched (the same provision is eligible again).
		next_block();
		assert_eq!(provisions_of(job), vec![Some(pid(1))]);
	});
}

#[test]
fn report_failure_fails_per_item() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		next_block();
		events();
		assert_ok!(Matching::report_failures(RuntimeOrigin::signed(9), vec![(job, 1), (42, 1)]));
		assert_eq!(
			events(),
			vec![
				Event::ItemFailed { job, error: Error::<Test>::NotWorker.into() },
				Event::ItemFailed { job: 42, error: Error::<Test>::UnknownJob.into() },
			]
		);
		assert_noop!(
			Matching::report_failures(RuntimeOrigin::signed(worker(1)), vec![(job, 1); 9]),
			Error::<Test>::BatchTooLarge
		);
	});
}

#[test]
fn too_many_failures_refund_the_job() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		for attempt in 1..=3u32 {
			next_block();
			assert_ok!(Matching::report_failures(RuntimeOrigin::signed(worker(1)), vec![(job, 1)]));
			if attempt <= 2 {
				assert_eq!(Jobs::<Test>::get(job).unwrap().attempts, attempt);
			}
		}
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(credits(1), CREDITS);
		System::assert_last_event(
			Event::JobClosed {
				job,
				outcome: Outcome::Failed,
				output_hash: None,
				paid: 0,
				refunded: 150,
			}
			.into(),
		);
	});
}

#[test]
fn accept_timeout_slashes_and_requeues() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		next_block(); // assigned at 2, must accept by 5
		assert!(TimeoutsAt::<Test>::get(5).contains(&(job, crate::Timeout::Accept(0))));
		run_to_block(4);
		events();
		run_to_block(5);
		let evs = events();
		assert!(evs.contains(&Event::ProviderSlashed {
			job,
			provision: pid(1),
			provider: provider(1),
			amount: 100,
			reason: SlashReason::JobTimedOut
		}));
		assert!(evs.contains(&Event::AssignmentTimedOut { job, run: 0, provision: pid(1) }));
		assert_eq!(records().slashes, vec![(provider(1), 100, Some(1), SlashReason::JobTimedOut)]);
		// Re-queued and re-matched in the same block (the hook runs timeouts first).
		assert_eq!(Jobs::<Test>::get(job).unwrap().attempts, 1);
		assert_eq!(provisions_of(job), vec![Some(pid(1))]);
	});
}

#[test]
fn an_accepted_run_does_not_time_out() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		next_block();
		accept(worker(1), job);
		run_to_block(8);
		assert!(records().slashes.is_empty());
		assert!(matches!(Jobs::<Test>::get(job).unwrap().runs[0].state, RunState::Accepted { .. }));
	});
}

#[test]
fn repeated_accept_timeouts_refund_after_max_attempts() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		run_to_block(14); // timeouts at 5, 8, 11 -> 3 > MaxAttempts (2)
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(credits(1), CREDITS);
		assert_eq!(records().slashes.len(), 3);
	});
}

#[test]
fn cancel_works_before_acceptance() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let queued = submit();
		let assigned = submit_with(2, 1, crate::ClassRequest::Standard);
		edit(1, |p| p.capacity = 1);
		assert_ok!(Matching::cancel_job(RuntimeOrigin::signed(1), queued));
		next_block();
		assert_eq!(provisions_of(assigned), vec![Some(pid(1)), None]);
		assert_ok!(Matching::cancel_job(RuntimeOrigin::signed(2), assigned));
		System::assert_last_event(
			Event::JobClosed {
				job: assigned,
				outcome: Outcome::Cancelled,
				output_hash: None,
				paid: 0,
				refunded: 300,
			}
			.into(),
		);
		assert_eq!(credits(1), CREDITS);
		assert_eq!(credits(2), CREDITS);
		assert_eq!(crate::TotalInFlight::<Test>::get(), 0);
		// The hole left in the queue is skipped.
		next_block();
	});
}

#[test]
fn cancel_fails_when_not_owner_unknown_or_started() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let job = submit();
		assert_noop!(Matching::cancel_job(RuntimeOrigin::signed(2), job), Error::<Test>::NotOwner);
		assert_noop!(Matching::cancel_job(RuntimeOrigin::signed(1), 9), Error::<Test>::UnknownJob);
		next_block();
		accept(worker(1), job);
		assert_noop!(
			Matching::cancel_job(RuntimeOrigin::signed(1), job),
			Error::<Test>::AlreadyStarted
		);
	});
}

#[test]
fn expiry_slashes_accepted_unfinished_runs() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		add_inference(2, 10);
		let job = submit_with(1, 1, crate::ClassRequest::Standard);
		next_block();
		let ps = provisions_of(job);
		let first = ps[0].unwrap()[0];
		let second = ps[1].unwrap()[0];
		accept(worker(first), job);
		accept(worker(second), job);
		finish(worker(first), job, 3);
		run_to_block(21);
		assert!(!Jobs::<Test>::contains_key(job));
		// The finished run is paid (0.75 units at 10 = 8), the unfinished one slashed.
		assert_eq!(earned(provider(first)), 8);
		assert_eq!(
			records().slashes,
			vec![(provider(second), 200, Some(1), SlashReason::JobTimedOut)]
		);
		assert_eq!(credits(1), CREDITS - 8);
	});
}

#[test]
fn full_timeout_queues_spill_to_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		MaxTimeoutsPerBlock::set(2);
		add_inference(1, 10);
		edit(1, |p| p.capacity = 3);
		let jobs: Vec<u64> = (0..3)
			.map(|_| {
				let id = crate::NextJobId::<Test>::get();
				assert_ok!(Matching::submit_job(
					RuntimeOrigin::signed(1),
					inference_spec(),
					input(),
					100,
					10,
					0,
					crate::ClassRequest::Standard,
					None
				));
				id
			})
			.collect();
		next_block();
		// Accept timeouts due at 5: two fit, the third spills to 6.
		assert_eq!(TimeoutsAt::<Test>::get(5).len(), 2);
		assert!(TimeoutsAt::<Test>::get(6).contains(&(jobs[2], crate::Timeout::Accept(0))));
		run_to_block(5);
		assert_eq!(records().slashes.len(), 2);
		run_to_block(6);
		assert_eq!(records().slashes.len(), 3);
	});
}
