//! Priority jobs pre-empting Spot runs.

use super::mock::*;
use crate::{ClassRequest, Event, InFlight, JobClass, Jobs, RunState};

#[test]
fn priority_job_preempts_a_spot_run() {
	ExtBuilder::default().build_and_execute(|| {
		Subscribers::set(vec![2]);
		add_inference(1, 10);
		edit(1, |p| p.capacity = 1);
		let spot = submit_with(1, 0, ClassRequest::Spot);
		next_block();
		accept(worker(1), spot);
		let prio = submit_with(2, 0, ClassRequest::Standard);
		events();
		next_block();
		let evs = events();
		assert!(evs.contains(&Event::Preempted { job: spot, provision: pid(1), by: prio }));
		assert_eq!(provisions_of(prio), vec![Some(pid(1))]);
		let s = Jobs::<Test>::get(spot).unwrap();
		assert_eq!(s.runs[0].state, RunState::Pending);
		assert!(s.queued.is_some());
		assert_eq!(s.attempts, 0, "pre-emption is not the provider's failure");
		assert_eq!(InFlight::<Test>::get(pid(1)).into_inner(), vec![(prio, JobClass::Priority)]);
		assert!(records().slashes.is_empty());
		// The spot job is matched again when capacity frees up.
		accept(worker(1), prio);
		finish(worker(1), prio, 1);
		next_block();
		assert_eq!(provisions_of(spot), vec![Some(pid(1))]);
	});
}

#[test]
fn standard_jobs_do_not_preempt() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		edit(1, |p| p.capacity = 1);
		let spot = submit_with(1, 0, ClassRequest::Spot);
		next_block();
		let standard = submit();
		next_block();
		assert_eq!(provisions_of(spot), vec![Some(pid(1))]);
		assert_eq!(provisions_of(standard), vec![None]);
	});
}
