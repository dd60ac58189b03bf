//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, EscrowPart, JobClass, MaxRunsOf, RunState, Timeout};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_in_flight`], [`Self::try_state_queues`],
	/// [`Self::try_state_jobs`] and [`Self::try_state_timeouts`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_in_flight()?;
		Self::try_state_queues()?;
		Self::try_state_jobs()?;
		Self::try_state_timeouts()?;
		Ok(())
	}

	/// # Invariants
	/// - every `InFlight` entry `(job, class)` of provision `p` is a job of that class with an
	///   assigned or accepted run on `p`, listed once;
	/// - every assigned or accepted run is listed in its provision's `InFlight`;
	/// - `TotalInFlight` is the number of entries.
	pub fn try_state_in_flight() -> Result<(), TryRuntimeError> {
		let mut entries = 0u64;
		for (p, list) in InFlight::<T>::iter() {
			ensure!(!list.is_empty(), "empty in-flight list stored");
			for (i, (id, class)) in list.iter().enumerate() {
				ensure!(!list[..i].iter().any(|(j, _)| j == id), "job in flight twice");
				let job = Jobs::<T>::get(id).ok_or("in-flight entry of an unknown job")?;
				ensure!(job.class == *class, "in-flight entry with a wrong class");
				ensure!(
					job.runs.iter().any(|r| r.state.in_flight() && r.state.provision() == Some(&p)),
					"in-flight entry without an assigned/accepted run"
				);
				entries += 1;
			}
		}
		let mut runs = 0u64;
		for (id, job) in Jobs::<T>::iter() {
			for r in job.runs.iter().filter(|r| r.state.in_flight()) {
				let p = r.state.provision().ok_or("in-flight run without provision")?;
				ensure!(
					InFlight::<T>::get(p).iter().any(|(j, _)| *j == id),
					"assigned/accepted run not in flight"
				);
				runs += 1;
			}
		}
		ensure!(runs == entries, "in-flight entries and runs differ");
		ensure!(TotalInFlight::<T>::get() == entries, "TotalInFlight is not the sum");
		Ok(())
	}

	/// # Invariants
	/// - every `QueuedJobs` entry of a class lies in `head..tail` and names a job of that class
	///   whose `queued` is that position;
	/// - a job is queued (and then exactly at its position) iff it has a pending run, so no
	///   job is both queued and fully assigned;
	/// - `LiveJobs` counts the jobs of each class and is at most `MaxQueueLen`.
	pub fn try_state_queues() -> Result<(), TryRuntimeError> {
		for class in [JobClass::Priority, JobClass::Standard, JobClass::Spot] {
			let bounds = Queues::<T>::get(class);
			ensure!(bounds.head <= bounds.tail, "queue head after tail");
			for (pos, id) in QueuedJobs::<T>::iter_prefix(class) {
				ensure!(pos >= bounds.head && pos < bounds.tail, "queue entry out of bounds");
				let job = Jobs::<T>::get(id).ok_or("queued job unknown")?;
				ensure!(job.class == class, "job queued in another class");
				ensure!(job.queued == Some(pos), "queue entry at a wrong position");
			}
			let live = Jobs::<T>::iter_values().filter(|j| j.class == class).count() as u32;
			ensure!(LiveJobs::<T>::get(class) == live, "LiveJobs is not the count");
			ensure!(live <= T::MaxQueueLen::get(), "more live jobs than MaxQueueLen");
		}
		for (id, job) in Jobs::<T>::iter() {
			ensure!(job.queued.is_some() == job.has_pending(), "queued iff a run is pending");
			if let Some(pos) = job.queued {
				ensure!(QueuedJobs::<T>::get(job.class, pos) == Some(id), "job not in its queue");
			}
		}
		Ok(())
	}

	/// # Invariants
	/// - job ids are below `NextJobId`;
	/// - a job has `1 + redundancy` payer-funded runs first, then at most `MaxRunsOf` runs,
	///   the treasury-funded ones being a spot check (redundancy 0, drawn) and a tie-break;
	/// - attempts are at most `MaxAttempts`; redundancy at most `MaxRedundancy`;
	/// - a job has a lease iff it is a rental with an accepted run.
	pub fn try_state_jobs() -> Result<(), TryRuntimeError> {
		let next = NextJobId::<T>::get();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < next, "job id not below NextJobId");
			ensure!(job.redundancy <= T::MaxRedundancy::get(), "redundancy above the bound");
			ensure!(job.runs.len() as u32 <= MaxRunsOf::<T>::get(), "too many runs");
			let payer = job.runs.iter().filter(|r| r.funding == EscrowPart::Payer).count();
			ensure!(payer as u32 == job.redundancy + 1, "wrong number of user runs");
			ensure!(
				job.runs.iter().take(payer).all(|r| r.funding == EscrowPart::Payer),
				"user runs not first"
			);
			let treasury = job.runs.len() - payer;
			let expected =
				usize::from(job.redundancy == 0 && job.check_drawn) + usize::from(job.tie_break);
			ensure!(treasury <= expected, "unexpected treasury runs");
			ensure!(job.attempts <= T::MaxAttempts::get(), "attempts above MaxAttempts");
			let accepted = job.runs.iter().any(|r| matches!(r.state, RunState::Accepted { .. }));
			ensure!(
				job.lease.is_some() == (job.spec.service.is_rental() && accepted),
				"lease iff an accepted rental"
			);
		}
		Ok(())
	}

	/// # Invariants
	/// - every job's deadline entry is in `TimeoutsAt[deadline_at]` (unless its lease started),
	///   and `deadline_at` is at or after `deadline`;
	/// - every assigned run's accept entry is in `TimeoutsAt[timeout_at]`;
	/// - every lease's end entry is in `TimeoutsAt[entry_at]`, every pending spot-check draw's
	///   entry in `TimeoutsAt[draw_at]`, every pending wait's entry in `TimeoutsAt[match_by_at]`, and only a job nothing was
	///   accepted for waits;
	/// - every queue holds at most `MaxTimeoutsPerBlock` entries, and none is behind
	///   [`TimeoutCursor`] (the hook would never see it).
	pub fn try_state_timeouts() -> Result<(), TryRuntimeError> {
		let cursor = TimeoutCursor::<T>::get();
		for (at, queue) in TimeoutsAt::<T>::iter() {
			ensure!(queue.len() as u32 <= T::MaxTimeoutsPerBlock::get(), "timeout queue too long");
			ensure!(cursor.is_none_or(|c| at >= c), "timeout queue behind the cursor");
		}
		for (id, job) in Jobs::<T>::iter() {
			ensure!(job.deadline_at >= job.deadline, "deadline queued too early");
			// A started lease ignores (and may have consumed) its deadline entry.
			ensure!(
				job.lease.is_some()
					|| TimeoutsAt::<T>::get(job.deadline_at).contains(&(id, Timeout::Deadline)),
				"deadline not queued"
			);
			for (r, run) in job.runs.iter().enumerate() {
				if let RunState::Assigned { timeout_at, .. } = run.state {
					ensure!(
						TimeoutsAt::<T>::get(timeout_at).contains(&(id, Timeout::Accept(r as u32))),
						"accept timeout not queued"
					);
				}
			}
			if let Some(at) = job.draw_at {
				ensure!(job.check_drawn && !job.has_pending(), "draw pending on a wrong job");
				ensure!(
					TimeoutsAt::<T>::get(at).contains(&(id, Timeout::Draw)),
					"spot-check draw not queued"
				);
			}
			if let Some(at) = job.match_by_at {
				ensure!(!job.started(), "a started job still waits for a worker");
				ensure!(
					TimeoutsAt::<T>::get(at).contains(&(id, Timeout::MatchBy)),
					"wait for a worker not queued"
				);
			}
			if let Some(lease) = job.lease {
				ensure!(lease.entry_at >= lease.ends_at, "lease end queued too early");
				ensure!(
					TimeoutsAt::<T>::get(lease.entry_at).contains(&(id, Timeout::LeaseEnd)),
					"lease end not queued"
				);
			}
		}
		Ok(())
	}
}
