//! Spot checks, redundancy, comparison, tie-breaks and wrong-result slashing.

use super::mock::*;
use crate::{ClassRequest, EscrowPart, Event, Jobs, Outcome, SlashReason};
use sp_arithmetic::Permill;

/// Provisions 1..=n at price 10 (all near-equal).
fn providers(n: u8) {
	for i in 1..=n {
		add_inference(i, 10);
	}
}

/// Accept and finish every assigned run of `job` with `hash_of(provision number)`.
fn finish_all(job: u64, hash_of: impl Fn(u8) -> u8) {
	for p in provisions_of(job).into_iter().flatten() {
		let run_done = Jobs::<Test>::get(job).is_none_or(|j| {
			j.runs.iter().any(|r| {
				r.state.provision() == Some(&p) && matches!(r.state, crate::RunState::Done { .. })
			})
		});
		if run_done {
			continue;
		}
		accept(worker(p[0]), job);
		finish(worker(p[0]), job, hash_of(p[0]));
	}
}

#[test]
fn spot_check_is_drawn_after_the_first_result_and_paid_by_the_treasury() {
	ExtBuilder::default().with_spot_check(Permill::one()).build_and_execute(|| {
		providers(2);
		let job = submit();
		next_block();
		let first = provisions_of(job)[0].unwrap()[0];
		accept(worker(first), job);
		events();
		finish(worker(first), job, 4);
		// The draw waits for the next block's randomness.
		assert_eq!(Jobs::<Test>::get(job).unwrap().draw_at, Some(3));
		assert!(events().iter().all(|e| !matches!(e, Event::VerificationScheduled { .. })));
		next_block();
		assert!(events().contains(&Event::VerificationScheduled { job, tie_break: false }));
		assert_eq!(escrow(job).treasury_in, 150);
		let j = Jobs::<Test>::get(job).unwrap();
		assert_eq!(j.runs.len(), 2);
		assert_eq!(j.runs[1].funding, EscrowPart::Treasury);
		// Matched in the same block as the draw.
		let second = provisions_of(job)[1].unwrap()[0];
		assert_ne!(first, second, "verified on another provider");
		accept(worker(second), job);
		finish(worker(second), job, 4);
		assert!(!Jobs::<Test>::contains_key(job));
		// Both paid 8: the user pays the first run, the treasury the check.
		assert_eq!(earned(provider(first)), 8);
		assert_eq!(earned(provider(second)), 8);
		assert_eq!(credits(1), CREDITS - 8);
		assert_eq!(ledger().treasury, TREASURY - 8);
		assert!(records().slashes.is_empty());
	});
}

#[test]
fn spot_check_is_skipped_when_the_treasury_cannot_pay() {
	ExtBuilder::default().with_spot_check(Permill::one()).build_and_execute(|| {
		drain_treasury();
		providers(2);
		let job = submit();
		next_block();
		finish_all(job, |_| 1);
		assert!(Jobs::<Test>::contains_key(job));
		next_block();
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(escrow(job).treasury_in, 0);
	});
}

#[test]
fn a_job_expiring_while_verified_pays_the_first_result() {
	ExtBuilder::default().with_spot_check(Permill::one()).build_and_execute(|| {
		providers(1);
		let job = submit();
		next_block();
		finish_all(job, |_| 1);
		// No second provider: the check run waits until the deadline.
		run_to_block(21);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 8);
		assert_eq!(ledger().treasury, TREASURY);
	});
}

#[test]
fn no_spot_check_at_rate_zero() {
	ExtBuilder::default().build_and_execute(|| {
		providers(2);
		let job = submit();
		next_block();
		finish_all(job, |_| 1);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(escrow(job).treasury_in, 0);
	});
}

#[test]
fn equal_redundant_results_are_all_paid() {
	ExtBuilder::default().with_spot_check(Permill::one()).build_and_execute(|| {
		providers(3);
		let job = submit_with(1, 2, ClassRequest::Standard);
		next_block();
		finish_all(job, |_| 9);
		assert!(!Jobs::<Test>::contains_key(job));
		// No spot check with redundancy: three user-paid runs of 8.
		assert_eq!(credits(1), CREDITS - 24);
		assert_eq!(escrow(job).treasury_in, 0);
		assert_eq!(records().completions.len(), 3);
	});
}

#[test]
fn a_strict_majority_wins_and_the_loser_is_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		providers(3);
		let job = submit_with(1, 2, ClassRequest::Standard);
		next_block();
		finish_all(job, |p| if p == 3 { 66 } else { 9 });
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(3)), 0);
		assert_eq!(earned(provider(1)) + earned(provider(2)), 16);
		assert_eq!(
			records().slashes,
			vec![(provider(3), 1_000, Some(1), SlashReason::WrongResult)]
		);
		assert_eq!(credits(1), CREDITS - 16);
	});
}

#[test]
fn a_mismatch_gets_a_tie_break_and_the_majority_wins() {
	ExtBuilder::default().build_and_execute(|| {
		providers(2);
		let job = submit_with(1, 1, ClassRequest::Standard);
		next_block();
		finish_all(job, |p| p);
		assert!(System::events().iter().any(|e| e.event
			== RuntimeEvent::Matching(Event::VerificationScheduled { job, tie_break: true })));
		assert_eq!(escrow(job).treasury_in, 150);
		// A third provider joins and agrees with provision 2.
		add_inference(3, 10);
		next_block();
		assert_eq!(provisions_of(job)[2], Some(pid(3)));
		accept(worker(3), job);
		finish(worker(3), job, 2);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 0);
		assert_eq!(earned(provider(2)), 8);
		assert_eq!(earned(provider(3)), 8);
		assert_eq!(
			records().slashes,
			vec![(provider(1), 1_000, Some(1), SlashReason::WrongResult)]
		);
		assert_eq!(credits(1), CREDITS - 8);
		assert_eq!(ledger().treasury, TREASURY - 8);
	});
}

#[test]
fn no_majority_after_the_tie_break_refunds_everyone() {
	ExtBuilder::default().build_and_execute(|| {
		providers(3);
		let job = submit_with(1, 1, ClassRequest::Standard);
		next_block();
		let ps: Vec<u8> = provisions_of(job).into_iter().flatten().map(|p| p[0]).collect();
		for p in ps.iter() {
			accept(worker(*p), job);
			finish(worker(*p), job, *p);
		}
		next_block();
		finish_all(job, |_| 77);
		assert!(!Jobs::<Test>::contains_key(job));
		System::assert_last_event(
			Event::JobClosed {
				job,
				outcome: Outcome::Unresolved,
				output_hash: None,
				paid: 0,
				refunded: 300,
			}
			.into(),
		);
		assert!(records().slashes.is_empty());
		assert_eq!(credits(1), CREDITS);
		assert_eq!(ledger().treasury, TREASURY);
	});
}

#[test]
fn a_mismatch_without_treasury_funds_is_unresolved() {
	ExtBuilder::default().build_and_execute(|| {
		drain_treasury();
		providers(2);
		let job = submit_with(1, 1, ClassRequest::Standard);
		next_block();
		finish_all(job, |p| p);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(credits(1), CREDITS);
		assert!(records().slashes.is_empty());
		System::assert_last_event(
			Event::JobClosed {
				job,
				outcome: Outcome::Unresolved,
				output_hash: None,
				paid: 0,
				refunded: 300,
			}
			.into(),
		);
	});
}

#[test]
fn a_failed_spot_check_is_tie_broken_and_the_cheater_slashed() {
	ExtBuilder::default().with_spot_check(Permill::one()).build_and_execute(|| {
		providers(1);
		let job = submit();
		next_block();
		// Provision 1 returns a wrong (cheap) answer.
		finish_all(job, |_| 13);
		add_inference(2, 10);
		next_block(); // draw: spot check matched to provision 2
		finish_all(job, |_| 42);
		assert!(Jobs::<Test>::get(job).unwrap().tie_break);
		add_inference(3, 10);
		next_block();
		finish_all(job, |_| 42);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(earned(provider(1)), 0);
		assert_eq!(earned(provider(2)), 8);
		assert_eq!(earned(provider(3)), 8);
		assert_eq!(
			records().slashes,
			vec![(provider(1), 1_000, Some(1), SlashReason::WrongResult)]
		);
		// The user paid nothing for the wrong run; the treasury paid both verification runs.
		assert_eq!(credits(1), CREDITS);
		assert_eq!(ledger().treasury, TREASURY - 16);
		System::assert_last_event(
			Event::JobClosed {
				job,
				outcome: Outcome::Settled,
				output_hash: Some([42; 32]),
				paid: 16,
				refunded: 150,
			}
			.into(),
		);
	});
}
