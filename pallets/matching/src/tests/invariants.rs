//! Property tests: random sequences of submit/accept/result/fail/cancel/advance keep the mock
//! ledger conserved and `try_state` true.

use super::mock::*;
use crate::{ClassRequest, JobId, Jobs};
use proptest::prelude::*;
use sp_arithmetic::Permill;

const CASES: u32 = 1_000;

/// One step of a scenario.
#[derive(Clone, Debug)]
enum Action {
	/// A user submits a job.
	Submit { user: u64, redundancy: u32, spot: bool },
	/// The worker of run `run` of job `job` accepts.
	Accept { job: usize, run: usize },
	/// The worker of run `run` of job `job` submits output hash `hash`.
	Result { job: usize, run: usize, hash: u8 },
	/// The worker of run `run` of job `job` reports a failure.
	Fail { job: usize, run: usize },
	/// The owner cancels job `job`.
	Cancel { job: usize },
	/// User 1 rents a provision for `blocks`.
	Rent { blocks: u32 },
	/// The owner extends rental `job` by `blocks`.
	Extend { job: usize, blocks: u32 },
	/// The owner ends rental `job`.
	EndRental { job: usize },
	/// Advance this many blocks.
	Advance(u64),
}

fn user() -> impl Strategy<Value = u64> {
	1u64..=2
}

fn job_index() -> impl Strategy<Value = usize> {
	0usize..16
}

fn run_index() -> impl Strategy<Value = usize> {
	0usize..4
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		3 => (user(), 0u32..=2, any::<bool>())
			.prop_map(|(user, redundancy, spot)| Action::Submit { user, redundancy, spot }),
		4 => (job_index(), run_index()).prop_map(|(job, run)| Action::Accept { job, run }),
		4 => (job_index(), run_index(), 1u8..=2)
			.prop_map(|(job, run, hash)| Action::Result { job, run, hash }),
		1 => (job_index(), run_index()).prop_map(|(job, run)| Action::Fail { job, run }),
		1 => job_index().prop_map(|job| Action::Cancel { job }),
		1 => (1u32..10).prop_map(|blocks| Action::Rent { blocks }),
		1 => (job_index(), 1u32..5).prop_map(|(job, blocks)| Action::Extend { job, blocks }),
		1 => job_index().prop_map(|job| Action::EndRental { job }),
		3 => (1u64..4).prop_map(Action::Advance),
	]
}

/// The current worker of run `run` of `job`, if the run has a provision.
fn worker_of_run(job: JobId, run: usize) -> Option<u64> {
	let j = Jobs::<Test>::get(job)?;
	let p = j.runs.get(run)?.state.provision().copied()?;
	ProvisionMap::get().get(&p).and_then(|p| p.worker)
}

fn apply(action: &Action, jobs: &mut Vec<JobId>) {
	let pick = |i: usize, jobs: &Vec<JobId>| (!jobs.is_empty()).then(|| jobs[i % jobs.len()]);
	match action.clone() {
		Action::Submit { user, redundancy, spot } => {
			let id = crate::NextJobId::<Test>::get();
			let class = if spot { ClassRequest::Spot } else { ClassRequest::Standard };
			if Matching::submit_job(
				RuntimeOrigin::signed(user),
				inference_spec(),
				input(),
				100,
				System::block_number() + 12,
				redundancy,
				class,
				None,
			)
			.is_ok()
			{
				jobs.push(id);
			}
		},
		Action::Accept { job, run } => {
			if let Some(id) = pick(job, jobs) {
				if let Some(w) = worker_of_run(id, run) {
					let _ = Matching::accept_jobs(RuntimeOrigin::signed(w), vec![id]);
				}
			}
		},
		Action::Result { job, run, hash } => {
			if let Some(id) = pick(job, jobs) {
				if let Some(w) = worker_of_run(id, run) {
					let _ =
						Matching::submit_results(RuntimeOrigin::signed(w), vec![result(id, hash)]);
				}
			}
		},
		Action::Fail { job, run } => {
			if let Some(id) = pick(job, jobs) {
				if let Some(w) = worker_of_run(id, run) {
					let _ = Matching::report_failures(RuntimeOrigin::signed(w), vec![(id, 1)]);
				}
			}
		},
		Action::Cancel { job } => {
			if let Some(id) = pick(job, jobs) {
				let owner = Jobs::<Test>::get(id).map_or(1, |j| j.owner);
				let _ = Matching::cancel_job(RuntimeOrigin::signed(owner), id);
			}
		},
		Action::Rent { blocks } => {
			let id = crate::NextJobId::<Test>::get();
			let spec = crate::JobSpec {
				service: crate::JobService::Rental { blocks },
				..inference_spec()
			};
			if Matching::submit_job(
				RuntimeOrigin::signed(1),
				spec,
				input(),
				1_200,
				System::block_number() + 12,
				0,
				ClassRequest::Standard,
				None,
			)
			.is_ok()
			{
				jobs.push(id);
			}
		},
		Action::Extend { job, blocks } => {
			if let Some(id) = pick(job, jobs) {
				let owner = Jobs::<Test>::get(id).map_or(1, |j| j.owner);
				let _ = Matching::extend_rental(RuntimeOrigin::signed(owner), id, blocks);
			}
		},
		Action::EndRental { job } => {
			if let Some(id) = pick(job, jobs) {
				let owner = Jobs::<Test>::get(id).map_or(1, |j| j.owner);
				let _ = Matching::end_rental(RuntimeOrigin::signed(owner), id);
			}
		},
		Action::Advance(n) => run_to_block(System::block_number() + n),
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	#[test]
	fn random_sequences_conserve_the_ledger(
		actions in prop::collection::vec(action(), 1..60),
		capacity in 1u32..=3,
	) {
		ExtBuilder::default().with_spot_check(Permill::from_percent(50)).build_and_execute(|| {
			Subscribers::set(vec![2]);
			for n in 1..=4u8 {
				add_inference(n, 40 + u128::from(n));
				edit(n, |p| p.capacity = capacity);
			}
			add(pid(5), provider(5), worker(5), crate::Tier::BlueSurge, crate::ServiceKind::Rental, 600, 2);
			let mut jobs = Vec::new();
			for action in actions.iter() {
				apply(action, &mut jobs);
				Matching::do_try_state().expect("try_state holds after every step");
				assert_conserved();
			}
			// Every job ends by its deadline, every lease after its blocks.
			run_to_block(System::block_number() + 400);
			assert_eq!(Jobs::<Test>::iter().count(), 0);
			assert_eq!(crate::TotalInFlight::<Test>::get(), 0);
		});
	}
}
