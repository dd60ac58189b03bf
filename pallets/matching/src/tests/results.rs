//! `submit_results`: settlement, payment, rewards, refunds, usage caps, spot pricing.

use super::mock::*;
use crate::{ClassRequest, DataInput, Error, Event, Jobs, Outcome, ResultInput, ServiceKind};
use cxmpute_primitives::JobUsage;
use frame_support::{assert_noop, assert_ok};

#[test]
fn result_settles_pays_rewards_and_refunds() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 80);
		let job = submit();
		next_block();
		accept(worker(1), job);
		events();
		finish(worker(1), job, 5);
		// 500 in + 500 out = 0.75 units at 80 = 60; the rest of 150 is refunded.
		assert_eq!(earned(provider(1)), 60);
		assert_eq!(credits(1), CREDITS - 60);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(crate::TotalInFlight::<Test>::get(), 0);
		let usage = JobUsage { input_tokens: 500, output_tokens: 500, ..Default::default() };
		assert_eq!(records().completions, vec![(pid(1), ServiceKind::Inference, usage)]);
		assert_eq!(escrow(job).tokens_used, 1_000);
		let evs = events();
		assert!(matches!(
			evs[0],
			Event::ResultSubmitted { job: j, run: 0, output_hash, .. }
				if j == job && output_hash == [5; 32]
		));
		assert_eq!(
			evs.last(),
			Some(&Event::JobClosed {
				job,
				outcome: Outcome::Settled,
				output_hash: Some([5; 32]),
				paid: 60,
				refunded: 90
			})
		);
	});
}

#[test]
fn usage_is_capped_at_max_usage_and_cost_at_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 100);
		let job = submit();
		next_block();
		accept(worker(1), job);
		let mut r = result(job, 1);
		r.usage =
			JobUsage { input_tokens: u64::MAX, output_tokens: u64::MAX, ..Default::default() };
		assert_ok!(Matching::submit_results(RuntimeOrigin::signed(worker(1)), vec![r]));
		assert_eq!(earned(provider(1)), 150);
		let capped = JobUsage { input_tokens: 1_000, output_tokens: 1_000, ..Default::default() };
		assert_eq!(records().completions[0].2, capped);
	});
}

#[test]
fn spot_jobs_pay_the_discounted_price() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 100);
		let job = submit_with(1, 0, ClassRequest::Spot);
		next_block();
		accept(worker(1), job);
		finish(worker(1), job, 1);
		// 0.75 units at 30% of 100 = 22.5 -> 23.
		assert_eq!(earned(provider(1)), 23);
		assert_eq!(credits(1), CREDITS - 23);
	});
}

#[test]
fn results_fail_per_item() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 100);
		let assigned = submit();
		let accepted = submit();
		next_block();
		accept(worker(1), accepted);
		events();
		let too_long =
			ResultInput { output: DataInput::Inline(vec![0; 65]), ..result(accepted, 1) };
		let bad_uri = ResultInput {
			output: DataInput::Remote { hash: [1; 32], uri: vec![] },
			..result(accepted, 1)
		};
		assert_ok!(Matching::submit_results(
			RuntimeOrigin::signed(worker(1)),
			vec![result(99, 1), result(assigned, 1), too_long, bad_uri]
		));
		assert_eq!(
			events(),
			vec![
				Event::ItemFailed { job: 99, error: Error::<Test>::UnknownJob.into() },
				Event::ItemFailed { job: assigned, error: Error::<Test>::NotAccepted.into() },
				Event::ItemFailed { job: accepted, error: Error::<Test>::DataTooLong.into() },
				Event::ItemFailed { job: accepted, error: Error::<Test>::BadUri.into() },
			]
		);
		// Another key is not the worker.
		assert_ok!(Matching::submit_results(RuntimeOrigin::signed(7), vec![result(accepted, 1)]));
		assert_eq!(
			events(),
			vec![Event::ItemFailed { job: accepted, error: Error::<Test>::NotWorker.into() }]
		);
		// A remote output is fine; the second item settles in the same batch.
		let remote = ResultInput {
			output: DataInput::Remote { hash: [1; 32], uri: b"ipfs://x".to_vec() },
			..result(accepted, 1)
		};
		assert_ok!(Matching::submit_results(RuntimeOrigin::signed(worker(1)), vec![remote]));
		assert!(!Jobs::<Test>::contains_key(accepted));
		assert_noop!(
			Matching::submit_results(
				RuntimeOrigin::signed(worker(1)),
				vec![result(assigned, 1); 9]
			),
			Error::<Test>::BatchTooLarge
		);
		assert_noop!(
			Matching::submit_results(RuntimeOrigin::none(), vec![]),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn only_the_current_worker_key_may_act() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 100);
		let job = submit();
		next_block();
		accept(worker(1), job);
		// The provider rotates the worker key: the old key is refused.
		edit(1, |p| p.worker = Some(555));
		events();
		assert_ok!(Matching::submit_results(
			RuntimeOrigin::signed(worker(1)),
			vec![result(job, 1)]
		));
		assert_eq!(
			events(),
			vec![Event::ItemFailed { job, error: Error::<Test>::NotWorker.into() }]
		);
		finish(555, job, 1);
		assert!(!Jobs::<Test>::contains_key(job));
	});
}
