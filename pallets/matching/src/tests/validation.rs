//! Jobs that no one can serve, or that were not served: refused with nothing escrowed, closed
//! with a full refund, never paid. Every test ends with `try_state` and the ledger's
//! conservation (`build_and_execute`); each also checks the payer's credits and the escrow.

use super::mock::*;
use crate::{
	ClassRequest, DataInput, Error, Event, JobRequest, JobService, JobSpec, Jobs, Outcome,
	ServiceKind, MIN_MAX_WAIT,
};
use cxmpute_primitives::JobUsage;
use frame_support::{assert_noop, assert_ok};

fn submit_for(
	service: JobService,
	input: DataInput,
	max_wait: Option<u64>,
) -> sp_runtime::DispatchResult {
	Matching::submit_job(
		RuntimeOrigin::signed(1),
		JobSpec {
			service,
			requirements: no_requirements(),
			max_usage: JobUsage { input_tokens: 1_000, output_tokens: 1_000, ..Default::default() },
		},
		input,
		100,
		System::block_number() + 20,
		0,
		ClassRequest::Standard,
		max_wait,
	)
}

/// Nothing was escrowed or queued: the payer's credits are whole and no job exists.
fn assert_nothing_taken() {
	assert_eq!(credits(1), CREDITS);
	assert_eq!(Jobs::<Test>::iter().count(), 0);
	assert!(ledger().escrows.is_empty());
}

#[test]
fn a_model_no_provision_offers_is_refused_with_nothing_escrowed() {
	ExtBuilder::default().build_and_execute(|| {
		let unknown = JobService::Inference { model: [0x99; 32] };
		assert_noop!(submit_for(unknown, input(), None), Error::<Test>::Unservable);
		assert_nothing_taken();
		// The offered model is accepted, even though its only provision is stopped.
		assert_ok!(submit_for(JobService::Inference { model: MODEL }, input(), None));
	});
}

#[test]
fn a_service_kind_no_provision_offers_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		deregister(STANDBY);
		add_inference(1, 100);
		assert_noop!(
			submit_for(JobService::TextToSpeech, input(), None),
			Error::<Test>::Unservable
		);
		assert_noop!(submit_for(JobService::Embeddings, input(), None), Error::<Test>::Unservable);
		assert_nothing_taken();
		assert_ok!(submit_for(JobService::Inference { model: MODEL }, input(), None));
	});
}

#[test]
fn empty_input_is_refused_inline_or_remote() {
	ExtBuilder::default().build_and_execute(|| {
		let model = JobService::Inference { model: MODEL };
		assert_noop!(
			submit_for(model.clone(), DataInput::Inline(vec![]), None),
			Error::<Test>::EmptyInput
		);
		let nowhere = DataInput::Remote { hash: [0; 32], uri: b"https://x.example/in".to_vec() };
		assert_noop!(submit_for(model.clone(), nowhere, None), Error::<Test>::EmptyInput);
		assert_nothing_taken();
		// One byte is an input.
		assert_ok!(submit_for(model, DataInput::Inline(vec![0]), None));
	});
}

#[test]
fn a_batch_refuses_each_bad_item_at_its_index_and_escrows_the_good_ones() {
	ExtBuilder::default().build_and_execute(|| {
		let deadline = System::block_number() + 20;
		let item = |service: JobService, input: DataInput, max_wait: Option<u64>| JobRequest {
			spec: JobSpec {
				service,
				requirements: no_requirements(),
				max_usage: JobUsage {
					input_tokens: 1_000,
					output_tokens: 1_000,
					..Default::default()
				},
			},
			input,
			max_unit_price: 100,
			deadline,
			redundancy: 0,
			class_request: ClassRequest::Standard,
			max_wait,
		};
		let good = JobService::Inference { model: MODEL };
		assert_ok!(Matching::submit_jobs(
			RuntimeOrigin::signed(1),
			vec![
				item(JobService::Inference { model: [0x99; 32] }, input(), None),
				item(good.clone(), input(), None),
				item(good.clone(), DataInput::Inline(vec![]), None),
				item(good.clone(), input(), Some(1)),
				item(good, input(), Some(MIN_MAX_WAIT.into())),
			]
		));
		let evs = events();
		let failed: Vec<_> = evs
			.iter()
			.filter_map(|e| match e {
				Event::SubmissionFailed { index, error } => Some((*index, *error)),
				_ => None,
			})
			.collect();
		assert_eq!(
			failed,
			vec![
				(0, Error::<Test>::Unservable.into()),
				(2, Error::<Test>::EmptyInput.into()),
				(3, Error::<Test>::MaxWaitTooShort.into()),
			]
		);
		// Two jobs of 150 each were escrowed, nothing for the refused items.
		assert_eq!(Jobs::<Test>::iter().count(), 2);
		assert_eq!(credits(1), CREDITS - 300);
	});
}

#[test]
fn an_empty_result_is_refused_unpaid_and_the_run_stays_accepted() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 80);
		let job = submit();
		next_block();
		accept(worker(1), job);
		let before = Jobs::<Test>::get(job).unwrap();
		events();
		let empty = |output: DataInput, output_hash: [u8; 32]| crate::ResultInput {
			job,
			output,
			output_hash,
			usage: JobUsage { input_tokens: 500, output_tokens: 500, ..Default::default() },
		};
		let remote_nothing =
			DataInput::Remote { hash: [0; 32], uri: b"https://w.example/out".to_vec() };
		assert_ok!(Matching::submit_results(
			RuntimeOrigin::signed(worker(1)),
			vec![
				empty(DataInput::Inline(vec![]), [5; 32]),
				empty(remote_nothing, [5; 32]),
				// Bytes, but an all-zero hash proves nothing.
				empty(DataInput::Inline(vec![1]), [0; 32]),
			]
		));
		let empty_output: sp_runtime::DispatchError = Error::<Test>::EmptyOutput.into();
		assert_eq!(
			events(),
			vec![
				Event::ItemFailed { job, error: empty_output },
				Event::ItemFailed { job, error: empty_output },
				Event::ItemFailed { job, error: empty_output },
			]
		);
		// Nothing paid, the run as it was, the escrow whole.
		assert_eq!(Jobs::<Test>::get(job).unwrap(), before);
		assert_eq!(earned(provider(1)), 0);
		assert_eq!(escrow(job).paid, 0);
		assert_eq!(credits(1), CREDITS - 150);
		// The real result still settles before the deadline.
		finish(worker(1), job, 5);
		assert_eq!(earned(provider(1)), 60);
		assert!(!Jobs::<Test>::contains_key(job));
	});
}

#[test]
fn an_empty_answer_with_its_proof_is_a_served_result() {
	ExtBuilder::default().build_and_execute(|| {
		// A chat reply that is only a stop token: the output document says so (non-empty
		// bytes), its hash is the canonical hash of zero tokens, and the usage counts the
		// prompt. That is served work, paid for the prompt's tokens.
		add_inference(1, 80);
		let job = submit();
		next_block();
		accept(worker(1), job);
		assert_ok!(Matching::submit_results(
			RuntimeOrigin::signed(worker(1)),
			vec![crate::ResultInput {
				job,
				output: DataInput::Inline(
					br#"{"tokens":[],"text":"","finish_reason":"stop"}"#.to_vec()
				),
				output_hash: [9; 32],
				usage: JobUsage { input_tokens: 1_000, output_tokens: 0, ..Default::default() },
			}]
		));
		// 1,000 input tokens are half a unit of 1K output tokens: 0.5 x 80 = 40.
		assert_eq!(earned(provider(1)), 40);
		assert_eq!(credits(1), CREDITS - 40);
		assert!(!Jobs::<Test>::contains_key(job));
	});
}

#[test]
fn a_job_no_worker_accepts_within_its_wait_closes_unmatched_with_a_full_refund() {
	ExtBuilder::default().build_and_execute(|| {
		// The model is offered (STANDBY), but nothing runs: the job waits unmatched.
		assert_ok!(submit_for(JobService::Inference { model: MODEL }, input(), Some(5)));
		let job = 0;
		let submitted = System::block_number();
		assert_eq!(credits(1), CREDITS - 150);
		run_to_block(submitted + 4);
		assert!(Jobs::<Test>::contains_key(job), "still waiting before its wait is over");
		events();
		run_to_block(submitted + 5);
		assert_eq!(
			events(),
			vec![Event::JobClosed {
				job,
				outcome: Outcome::Unmatched,
				output_hash: None,
				paid: 0,
				refunded: 150
			}]
		);
		assert_eq!(credits(1), CREDITS);
		assert_eq!(Jobs::<Test>::iter().count(), 0);
	});
}

#[test]
fn without_a_wait_of_its_own_a_job_waits_the_default() {
	ExtBuilder::default().build_and_execute(|| {
		let job = submit();
		let submitted = System::block_number();
		run_to_block(submitted + DefaultMaxWait::get() - 1);
		assert!(Jobs::<Test>::contains_key(job));
		run_to_block(submitted + DefaultMaxWait::get());
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(escrow(job).refunded, 150);
		assert_eq!(credits(1), CREDITS);
	});
}

#[test]
fn a_job_assigned_but_not_accepted_when_its_wait_ends_closes_and_frees_the_slot() {
	ExtBuilder::default().build_and_execute(|| {
		// Matched at once, but the worker never accepts: the accept window (3 blocks) drops
		// the run and it is matched again; when the wait (5 blocks) ends it is assigned, not
		// accepted, so it closes, unpaid.
		add_inference(1, 80);
		assert_ok!(submit_for(JobService::Inference { model: MODEL }, input(), Some(5)));
		let job = 0;
		let submitted = System::block_number();
		run_to_block(submitted + 4);
		assert!(matches!(
			Jobs::<Test>::get(job).unwrap().runs[0].state,
			crate::RunState::Assigned { .. }
		));
		assert_eq!(crate::TotalInFlight::<Test>::get(), 1);
		run_to_block(submitted + 5);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(escrow(job).refunded, 150);
		assert_eq!(escrow(job).paid, 0);
		assert_eq!(credits(1), CREDITS);
		assert_eq!(crate::TotalInFlight::<Test>::get(), 0, "the slot is free again");
		assert!(crate::InFlight::<Test>::get(pid(1)).is_empty());
	});
}

#[test]
fn an_accepted_job_outlives_its_wait_and_only_the_deadline_bounds_it() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 80);
		let job = submit();
		let submitted = System::block_number();
		next_block();
		accept(worker(1), job);
		run_to_block(submitted + DefaultMaxWait::get() + 1);
		let live = Jobs::<Test>::get(job).expect("served in time: the wait does not end it");
		assert_eq!(live.match_by_at, None);
		finish(worker(1), job, 3);
		assert_eq!(earned(provider(1)), 60);
	});
}

#[test]
fn a_wait_shorter_than_two_blocks_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let model = JobService::Inference { model: MODEL };
		assert_noop!(submit_for(model.clone(), input(), Some(1)), Error::<Test>::MaxWaitTooShort);
		assert_noop!(submit_for(model, input(), Some(0)), Error::<Test>::MaxWaitTooShort);
		assert_nothing_taken();
	});
}

#[test]
fn jobs_left_waiting_when_the_last_provision_offering_their_model_goes_close_unservable() {
	ExtBuilder::default().build_and_execute(|| {
		// Two waiting jobs for MODEL (offered only by the stopped STANDBY) and one for
		// embeddings offered by another stopped provision.
		add(pid(3), provider(3), worker(3), crate::Tier::BlueSurge, ServiceKind::Embeddings, 20, 2);
		edit(3, |p| p.running = false);
		let a = submit();
		let b = submit_with(2, 0, ClassRequest::Standard);
		assert_ok!(submit_for(JobService::Embeddings, input(), None));
		let c = 2;
		next_block();
		assert_eq!(Jobs::<Test>::iter().count(), 3, "all wait");
		events();
		// The last provision offering MODEL and the only one offering embeddings besides
		// STANDBY leaves: the MODEL jobs close at the next block, not at their deadline.
		deregister(STANDBY);
		next_block();
		let closed: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::JobClosed { job, outcome, paid, refunded, .. } => {
					Some((job, outcome, paid, refunded))
				},
				_ => None,
			})
			.collect();
		assert_eq!(
			closed,
			vec![(a, Outcome::Unservable, 0, 150), (b, Outcome::Unservable, 0, 150)]
		);
		assert_eq!(credits(1), CREDITS - escrow(c).payer_in);
		assert_eq!(credits(2), CREDITS);
		// Embeddings are still offered by provision 3: that job keeps waiting.
		assert!(Jobs::<Test>::contains_key(c));
	});
}
