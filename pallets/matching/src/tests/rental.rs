//! Rentals: lazy per-block billing, extension, ending.

use super::mock::*;
use crate::{
	ClassRequest, Error, Event, JobService, JobSpec, Jobs, Outcome, ServiceKind, Tier, Timeout,
	TimeoutsAt,
};
use frame_support::{assert_noop, assert_ok};

/// Provision 1 offers rentals at 600 per hour (BlocksPerHour 600: 1 per block).
fn rental_provision() {
	add(pid(1), provider(1), worker(1), Tier::BlueSurge, ServiceKind::Rental, 600, 1);
}

/// User 1 rents for `blocks` at up to 1,200 per hour (2 per block escrowed).
fn rent(blocks: u32) -> u64 {
	let id = crate::NextJobId::<Test>::get();
	let spec = JobSpec { service: JobService::Rental { blocks }, ..inference_spec() };
	assert_ok!(Matching::submit_job(
		RuntimeOrigin::signed(1),
		spec,
		input(),
		1_200,
		20,
		0,
		ClassRequest::Standard,
		None
	));
	id
}

/// User 1 rents for `blocks` at up to `max` per hour.
fn rent_at(blocks: u32, max: u128) -> u64 {
	let id = crate::NextJobId::<Test>::get();
	let spec = JobSpec { service: JobService::Rental { blocks }, ..inference_spec() };
	assert_ok!(Matching::submit_job(
		RuntimeOrigin::signed(1),
		spec,
		input(),
		max,
		20,
		0,
		ClassRequest::Standard,
		None
	));
	id
}

#[test]
fn a_lease_ends_when_the_escrow_runs_dry() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		// At the provision's own price the escrow funds exactly the 10 blocks.
		let job = rent_at(10, 600);
		assert_eq!(escrow(job).payer_in, 10);
		next_block();
		accept(worker(1), job);
		let lease = Jobs::<Test>::get(job).unwrap().lease.unwrap();
		assert_eq!((lease.started_at, lease.ends_at, lease.price_per_block), (2, 12, 1));
		assert!(TimeoutsAt::<Test>::get(12).contains(&(job, Timeout::LeaseEnd)));
		run_to_block(11);
		assert!(Jobs::<Test>::contains_key(job));
		run_to_block(12);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 10);
		assert_eq!(credits(1), CREDITS - 10);
		assert_eq!(records().completions[0].2.compute_ms, 10 * 6_000);
	});
}

#[test]
fn a_cheaper_lease_runs_the_asked_blocks_and_refunds_the_rest() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent(10);
		assert_eq!(escrow(job).payer_in, 20);
		next_block();
		accept(worker(1), job);
		assert_eq!(Jobs::<Test>::get(job).unwrap().lease.unwrap().ends_at, 12);
		run_to_block(12);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 10);
		assert_eq!(credits(1), CREDITS - 10);
	});
}

#[test]
fn a_started_lease_outlives_the_deadline() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent_at(30, 600);
		next_block();
		accept(worker(1), job);
		run_to_block(25);
		assert!(Jobs::<Test>::contains_key(job));
		run_to_block(32);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 30);
	});
}

#[test]
fn end_rental_pays_elapsed_blocks_and_refunds_the_rest() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent(10);
		next_block();
		accept(worker(1), job);
		run_to_block(7);
		assert_noop!(Matching::end_rental(RuntimeOrigin::signed(2), job), Error::<Test>::NotOwner);
		assert_ok!(Matching::end_rental(RuntimeOrigin::signed(1), job));
		System::assert_last_event(
			Event::JobClosed {
				job,
				outcome: Outcome::LeaseEnded,
				output_hash: None,
				paid: 5,
				refunded: 15,
			}
			.into(),
		);
		assert_eq!(earned(provider(1)), 5);
		assert_eq!(crate::TotalInFlight::<Test>::get(), 0);
	});
}

#[test]
fn extend_rental_tops_up_and_moves_the_end() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent(10);
		// Before acceptance: topped up at the maximum price per block (2).
		assert_ok!(Matching::extend_rental(RuntimeOrigin::signed(1), job, 5));
		assert_eq!(escrow(job).payer_in, 30);
		next_block();
		accept(worker(1), job);
		// 15 blocks asked, 30 funded at 1 per block.
		assert_eq!(Jobs::<Test>::get(job).unwrap().lease.unwrap().ends_at, 17);
		// After: at the agreed price (1).
		assert_ok!(Matching::extend_rental(RuntimeOrigin::signed(1), job, 10));
		System::assert_last_event(
			Event::RentalExtended { job, blocks: 10, ends_at: Some(27) }.into(),
		);
		assert_eq!(escrow(job).payer_in, 40);
		// The old end entry is stale.
		run_to_block(18);
		assert!(Jobs::<Test>::contains_key(job));
		run_to_block(27);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 25);
		assert_eq!(credits(1), CREDITS - 25);
	});
}

#[test]
fn rental_calls_fail_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent(10);
		let other = submit();
		assert_noop!(
			Matching::extend_rental(RuntimeOrigin::signed(1), 99, 1),
			Error::<Test>::UnknownJob
		);
		assert_noop!(
			Matching::extend_rental(RuntimeOrigin::signed(2), job, 1),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Matching::extend_rental(RuntimeOrigin::signed(1), other, 1),
			Error::<Test>::WrongService
		);
		assert_noop!(
			Matching::extend_rental(RuntimeOrigin::signed(1), job, 0),
			Error::<Test>::ZeroBlocks
		);
		assert_noop!(
			Matching::extend_rental(RuntimeOrigin::signed(1), job, u32::MAX),
			sp_runtime::DispatchError::Other("insufficient credits")
		);
		assert_noop!(
			Matching::end_rental(RuntimeOrigin::signed(1), other),
			Error::<Test>::WrongService
		);
		next_block();
		accept(worker(1), job);
		events();
		// Rentals have no results.
		assert_ok!(Matching::submit_results(
			RuntimeOrigin::signed(worker(1)),
			vec![result(job, 1)]
		));
		assert_eq!(
			events(),
			vec![Event::ItemFailed { job, error: Error::<Test>::WrongService.into() }]
		);
	});
}

#[test]
fn ending_an_unstarted_rental_cancels_it() {
	ExtBuilder::default().build_and_execute(|| {
		let job = rent(10);
		assert_ok!(Matching::end_rental(RuntimeOrigin::signed(1), job));
		assert_eq!(credits(1), CREDITS);
	});
}

#[test]
fn a_failed_lease_pays_the_elapsed_blocks() {
	ExtBuilder::default().build_and_execute(|| {
		rental_provision();
		let job = rent(10);
		next_block();
		accept(worker(1), job);
		run_to_block(5);
		assert_ok!(Matching::report_failures(RuntimeOrigin::signed(worker(1)), vec![(job, 3)]));
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 3);
	});
}
