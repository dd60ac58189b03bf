//! `submit_job`: validation, escrow, classes, queueing.

use super::mock::*;
use crate::{
	ClassRequest, DataInput, Error, Event, JobClass, JobService, JobSpec, Jobs, LiveJobs,
	MatchingParams, Params, ResourceLimits, ServiceKind, MAX_JOB_LIFETIME,
};
use cxmpute_primitives::JobUsage;
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Permill;

fn submit_spec(
	spec: JobSpec,
	input: DataInput,
	price: u128,
	redundancy: u32,
) -> sp_runtime::DispatchResult {
	Matching::submit_job(
		RuntimeOrigin::signed(1),
		spec,
		input,
		price,
		10,
		redundancy,
		ClassRequest::Standard,
		None,
	)
}

fn limits() -> ResourceLimits {
	ResourceLimits { cpu_millis: 1_000, memory_mb: 512, pids: 64, timeout_s: 60, network: false }
}

#[test]
fn submit_escrows_and_queues() {
	ExtBuilder::default().build_and_execute(|| {
		let job = submit();
		assert_eq!(escrow(job).payer_in, 150);
		assert_eq!(credits(1), CREDITS - 150);
		System::assert_last_event(
			Event::Submitted {
				job,
				owner: 1,
				class: JobClass::Standard,
				service: ServiceKind::Inference,
				escrow: 150,
			}
			.into(),
		);
		assert_eq!(LiveJobs::<Test>::get(JobClass::Standard), 1);
		assert_eq!(Jobs::<Test>::get(job).unwrap().queued, Some(0));
		assert_eq!(crate::NextJobId::<Test>::get(), 1);
	});
}

#[test]
fn redundancy_multiplies_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		let job = submit_with(1, 2, ClassRequest::Standard);
		assert_eq!(escrow(job).payer_in, 450);
		assert_eq!(Jobs::<Test>::get(job).unwrap().runs.len(), 3);
	});
}

#[test]
fn subscription_makes_a_job_priority_and_spot_is_spot() {
	ExtBuilder::default().build_and_execute(|| {
		Subscribers::set(vec![2]);
		let spot = submit_with(1, 0, ClassRequest::Spot);
		let prio = submit_with(2, 0, ClassRequest::Spot);
		assert_eq!(Jobs::<Test>::get(spot).unwrap().class, JobClass::Spot);
		assert_eq!(Jobs::<Test>::get(prio).unwrap().class, JobClass::Priority);
		// Spot jobs escrow the undiscounted worst case.
		assert_eq!(escrow(spot).payer_in, 150);
	});
}

#[test]
fn submit_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let spec = inference_spec();
		assert_noop!(submit_spec(spec, input(), 0, 0), Error::<Test>::PriceZero);
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				spec,
				input(),
				100,
				1,
				0,
				ClassRequest::Standard,
				None
			),
			Error::<Test>::DeadlineInPast
		);
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				spec,
				input(),
				100,
				2 + u64::from(MAX_JOB_LIFETIME),
				0,
				ClassRequest::Standard,
				None
			),
			Error::<Test>::DeadlineTooFar
		);
		assert_noop!(submit_spec(spec, input(), 100, 3), Error::<Test>::TooMuchRedundancy);
		assert_noop!(
			submit_spec(spec, DataInput::Inline(vec![0; 65]), 100, 0),
			Error::<Test>::DataTooLong
		);
		assert_noop!(
			submit_spec(spec, DataInput::Remote { hash: [1; 32], uri: vec![] }, 100, 0),
			Error::<Test>::BadUri
		);
		assert_noop!(
			submit_spec(spec, DataInput::Remote { hash: [1; 32], uri: vec![1; 33] }, 100, 0),
			Error::<Test>::BadUri
		);
		let nothing = JobSpec { max_usage: JobUsage::default(), ..spec };
		assert_noop!(submit_spec(nothing, input(), 100, 0), Error::<Test>::NothingToPay);
		let huge = JobSpec {
			max_usage: JobUsage { output_tokens: u64::MAX, ..Default::default() },
			..spec
		};
		assert_noop!(submit_spec(huge, input(), u128::MAX, 0), Error::<Test>::Overflow);
		for bad in [
			ResourceLimits { cpu_millis: 0, ..limits() },
			ResourceLimits { memory_mb: 0, ..limits() },
			ResourceLimits { pids: 0, ..limits() },
			ResourceLimits { timeout_s: 0, ..limits() },
			ResourceLimits { timeout_s: crate::MAX_TIMEOUT_S + 1, ..limits() },
		] {
			let container =
				JobSpec { service: JobService::Container { image: [1; 32], limits: bad }, ..spec };
			assert_noop!(submit_spec(container, input(), 100, 0), Error::<Test>::InvalidLimits);
		}
		let rental = JobSpec { service: JobService::Rental { blocks: 0 }, ..spec };
		assert_noop!(submit_spec(rental, input(), 100, 0), Error::<Test>::InvalidLimits);
		let rental = JobSpec { service: JobService::Rental { blocks: 10 }, ..spec };
		assert_noop!(submit_spec(rental, input(), 100, 1), Error::<Test>::TooMuchRedundancy);
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				rental,
				input(),
				100,
				10,
				0,
				ClassRequest::Spot,
				None
			),
			Error::<Test>::WrongService
		);
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::none(),
				spec,
				input(),
				100,
				10,
				0,
				ClassRequest::Standard,
				None
			),
			sp_runtime::DispatchError::BadOrigin
		);
		// Valid containers are accepted.
		let container = JobSpec {
			service: JobService::Container { image: [1; 32], limits: limits() },
			max_usage: JobUsage { compute_ms: 10_000, ..Default::default() },
			..spec
		};
		assert_ok!(submit_spec(container, input(), 100, 0));
	});
}

#[test]
fn submit_fails_when_billing_refuses() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(3),
				inference_spec(),
				input(),
				100,
				10,
				0,
				ClassRequest::Standard,
				None
			),
			sp_runtime::DispatchError::Other("insufficient credits")
		);
	});
}

#[test]
fn submit_fails_when_the_class_is_full() {
	ExtBuilder::default().build_and_execute(|| {
		MaxQueueLen::set(2);
		submit();
		submit();
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				inference_spec(),
				input(),
				100,
				10,
				0,
				ClassRequest::Standard,
				None
			),
			Error::<Test>::QueueFull
		);
		// Another class still has room.
		submit_with(1, 0, ClassRequest::Spot);
	});
}

#[test]
fn submit_fails_when_timeout_queues_are_full() {
	ExtBuilder::default().build_and_execute(|| {
		MaxTimeoutsPerBlock::set(1);
		MaxQueueLen::set(32);
		// Deadlines 10..=26 (17 blocks) fill up.
		for _ in 0..=crate::MAX_TIMEOUT_SPILL {
			assert_ok!(Matching::submit_job(
				RuntimeOrigin::signed(2),
				inference_spec(),
				input(),
				1,
				10,
				0,
				ClassRequest::Spot,
				None
			));
		}
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				inference_spec(),
				input(),
				100,
				10,
				0,
				ClassRequest::Standard,
				None
			),
			Error::<Test>::TimeoutQueueFull
		);
	});
}

#[test]
fn set_params_needs_the_admin() {
	ExtBuilder::default().build_and_execute(|| {
		let params = MatchingParams {
			spot_check_rate: Permill::from_percent(10),
			near_equal_band: Permill::from_percent(1),
		};
		assert_noop!(
			Matching::set_params(RuntimeOrigin::signed(1), params),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Matching::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Params::<Test>::get(), params);
		System::assert_last_event(Event::ParamsSet { params }.into());
	});
}

#[test]
fn submit_fails_when_job_ids_are_exhausted() {
	ExtBuilder::default().build_and_execute(|| {
		crate::NextJobId::<Test>::put(u64::MAX);
		assert_noop!(
			Matching::submit_job(
				RuntimeOrigin::signed(1),
				inference_spec(),
				input(),
				100,
				10,
				0,
				ClassRequest::Standard,
				None
			),
			Error::<Test>::JobIdsExhausted
		);
	});
}

fn request(deadline: u64) -> crate::JobRequest<u64> {
	crate::JobRequest {
		spec: inference_spec(),
		input: input(),
		max_unit_price: 100,
		deadline,
		redundancy: 0,
		class_request: ClassRequest::Standard,
		max_wait: None,
	}
}

#[test]
fn submit_jobs_queues_each_item_and_reports_failed_ones_by_position() {
	ExtBuilder::default().build_and_execute(|| {
		let now = System::block_number();
		let before = ledger().credits.get(&1).copied().unwrap_or_default();
		events();
		assert_ok!(Matching::submit_jobs(
			RuntimeOrigin::signed(1),
			vec![request(now + 20), request(now), request(now + 30)]
		));
		let evs = events();
		assert!(matches!(evs[0], Event::Submitted { job: 0, .. }));
		assert_eq!(
			evs[1],
			Event::SubmissionFailed { index: 1, error: Error::<Test>::DeadlineInPast.into() }
		);
		assert!(matches!(evs[2], Event::Submitted { job: 1, .. }));
		assert_eq!(evs.len(), 3);
		assert!(Jobs::<Test>::contains_key(0) && Jobs::<Test>::contains_key(1));
		assert_eq!(LiveJobs::<Test>::get(JobClass::Standard), 2);
		// Only the two queued jobs are escrowed: the failed item left nothing behind.
		let escrowed = before - ledger().credits.get(&1).copied().unwrap_or_default();
		let escrow_of = |job| ledger().escrows.get(&job).map(|e| e.payer_in).unwrap_or_default();
		assert_eq!(escrowed, escrow_of(0) + escrow_of(1));
		assert!(escrow_of(0) > 0 && escrow_of(0) == escrow_of(1));
		assert_eq!(ledger().escrows.len(), 2);
	});
}

#[test]
fn submit_jobs_refuses_batches_over_max_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let now = System::block_number();
		let max =
			<<Test as crate::Config>::MaxBatch as frame_support::traits::Get<u32>>::get() as usize;
		assert_noop!(
			Matching::submit_jobs(RuntimeOrigin::signed(1), vec![request(now + 20); max + 1]),
			Error::<Test>::BatchTooLarge
		);
	});
}
