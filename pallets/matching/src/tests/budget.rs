//! The hook's weight budget: matching reads each candidate set once per block, and work the
//! budget leaves over (timeouts, queued jobs) is done in later blocks, exactly once.

use super::mock::*;
use crate::{matching::match_weights, Event, Jobs, TimeoutCursor};
use frame_support::{
	traits::{Get, Hooks},
	weights::{RuntimeDbWeight, Weight},
};

/// A read and a write, as the hook pays for the cursor and for each block's queue.
fn rw() -> Weight {
	<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads_writes(1, 1)
}

fn pending(job: crate::JobId) -> bool {
	Jobs::<Test>::get(job).is_some_and(|j| j.has_pending())
}

#[test]
fn jobs_sharing_a_candidate_set_pay_for_reading_it_once() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 1..=4 {
			add_inference(n, 50);
		}
		let jobs: Vec<_> = (0..8).map(|_| submit()).collect();
		let now = System::block_number() + 1;
		System::set_block_number(now);
		let used = <Matching as Hooks<u64>>::on_initialize(now);
		assert!(jobs.iter().all(|j| !pending(*j)));
		let (cold, warm) = match_weights::<Test>();
		let reads =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(3);
		let expected = rw() + rw() + reads + cold + warm * 8;
		assert_eq!(used, expected);
		assert!(used.all_lt(crate::matching::worst_match::<Test>() * 8));
	});
}

#[test]
fn a_second_model_pays_for_its_own_candidate_set() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 50);
		add_inference(2, 50);
		edit(2, |p| p.models.push([2; 32]));
		let first = submit();
		let mut spec = inference_spec();
		spec.service = crate::JobService::Inference { model: [2; 32] };
		frame_support::assert_ok!(Matching::submit_job(
			RuntimeOrigin::signed(1),
			spec,
			input(),
			100,
			20,
			0,
			crate::ClassRequest::Standard,
			None
		));
		let now = System::block_number() + 1;
		System::set_block_number(now);
		let used = <Matching as Hooks<u64>>::on_initialize(now);
		assert!(!pending(first));
		let (cold, warm) = match_weights::<Test>();
		let reads =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(3);
		assert_eq!(used, rw() + rw() + reads + (cold + warm) * 2);
	});
}

#[test]
fn matching_stops_at_the_budget_and_resumes_in_queue_order() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 1..=4 {
			add_inference(n, 50);
		}
		let jobs: Vec<_> = (0..3).map(|_| submit()).collect();
		// Room for the empty timeout queue and one job's worst case, not two.
		let reads =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(3);
		HookBudget::set(Some(rw() + rw() + reads + crate::matching::worst_match::<Test>()));
		for (block, job) in jobs.iter().enumerate() {
			next_block();
			assert!(!pending(*job), "job {block} is matched in its own block");
			assert!(jobs[block + 1..].iter().all(|j| pending(*j)), "later jobs wait");
		}
		HookBudget::set(None);
	});
}

#[test]
fn timeouts_left_over_are_handled_in_later_blocks_once_each() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 1..=3 {
			add_inference(n, 50);
		}
		let jobs: Vec<_> = (0..3).map(|_| submit()).collect();
		next_block();
		assert!(jobs.iter().all(|j| !pending(*j)));
		let due = System::block_number() + AcceptWindow::get();
		run_to_block(due - 1);
		events();
		// Room for one acted-on entry per block: the other two wait under their block.
		let worst = crate::timeouts::worst_timeout::<Test>();
		HookBudget::set(Some(rw() + rw() + worst + worst / 2));
		for handled in 1..=3u64 {
			next_block();
			let timed_out = events()
				.into_iter()
				.filter(|e| matches!(e, Event::AssignmentTimedOut { .. }))
				.count();
			assert_eq!(timed_out, 1, "one entry per block");
			// The budget ran out inside `due`'s queue, then right after it.
			let expected = if handled < 3 { due } else { due + 1 };
			assert_eq!(TimeoutCursor::<Test>::get(), Some(expected));
		}
		// With the budget back, the cursor catches up with the chain.
		HookBudget::set(None);
		next_block();
		assert!(!events().iter().any(|e| matches!(e, Event::AssignmentTimedOut { .. })));
		assert_eq!(TimeoutCursor::<Test>::get(), Some(System::block_number() + 1));
	});
}
