//! `try_state` detects corrupted state.

use super::mock::*;
use crate::{InFlight, JobClass, Jobs, LiveJobs, QueuedJobs, TotalInFlight};

fn assert_broken(f: impl FnOnce()) {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| {
		add_inference(1, 10);
		let a = submit();
		submit();
		next_block();
		accept(worker(1), a);
		assert!(Matching::do_try_state().is_ok());
		f();
		assert!(Matching::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_corruption() {
	assert_broken(|| TotalInFlight::<Test>::put(7));
	assert_broken(|| InFlight::<Test>::remove(pid(1)));
	assert_broken(|| {
		InFlight::<Test>::mutate(pid(2), |v| v.try_push((0, JobClass::Standard)).unwrap())
	});
	assert_broken(|| LiveJobs::<Test>::insert(JobClass::Standard, 5));
	assert_broken(|| QueuedJobs::<Test>::insert(JobClass::Standard, 0, 1));
	assert_broken(|| Jobs::<Test>::mutate(0, |j| j.as_mut().unwrap().queued = Some(3)));
	assert_broken(|| Jobs::<Test>::mutate(0, |j| j.as_mut().unwrap().deadline_at = 30));
	assert_broken(|| Jobs::<Test>::mutate(0, |j| j.as_mut().unwrap().redundancy = 1));
	assert_broken(|| crate::TimeoutsAt::<Test>::remove(21));
}
