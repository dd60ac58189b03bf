//! Per-block timeout queues (accept windows, deadlines, lease ends) and their bounded
//! processing in `on_initialize`.

use crate::{pallet::*, weights::WeightInfo, JobId, Outcome, RunState, Timeout, MAX_TIMEOUT_SPILL};
use cxmpute_primitives::provider::{ProviderSlashing, SlashReason};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Queue `(job, kind)` in block `at`'s timeout queue, or the first of the following
	/// `MAX_TIMEOUT_SPILL` blocks with room; returns the block used.
	///
	/// # Errors
	/// `TimeoutQueueFull`.
	pub(crate) fn schedule_timeout(
		mut at: BlockNumberFor<T>,
		job: JobId,
		kind: Timeout,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		for _ in 0..=MAX_TIMEOUT_SPILL {
			if TimeoutsAt::<T>::mutate(at, |q| q.try_push((job, kind)).is_ok()) {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::TimeoutQueueFull.into())
	}

	/// Handle the timeouts queued for `now` (at most `MaxTimeoutsPerBlock`); returns the weight.
	pub(crate) fn do_timeouts(now: BlockNumberFor<T>) -> Weight {
		let queue = TimeoutsAt::<T>::take(now);
		let n = queue.len() as u64;
		for (id, kind) in queue {
			Self::handle_timeout(now, id, kind);
		}
		T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(<T as Config>::WeightInfo::process_timeout().saturating_mul(n))
	}

	/// Act on one timeout entry if the job still names block `now` for it (stale entries are
	/// ignored).
	fn handle_timeout(now: BlockNumberFor<T>, id: JobId, kind: Timeout) {
		let Some(mut job) = Jobs::<T>::get(id) else { return };
		match kind {
			Timeout::Accept(r) => {
				let Some(run) = job.runs.get(r as usize) else { return };
				let RunState::Assigned { provision, provider, timeout_at, .. } = run.state.clone()
				else {
					return;
				};
				if timeout_at != now {
					return;
				}
				let amount = T::Slashing::slash(
					&provider,
					T::AcceptTimeoutSlash::get(),
					Some(&job.owner),
					SlashReason::JobTimedOut,
				);
				Self::deposit_event(Event::ProviderSlashed {
					job: id,
					provision,
					provider,
					amount,
					reason: SlashReason::JobTimedOut,
				});
				Self::deposit_event(Event::AssignmentTimedOut { job: id, run: r, provision });
				Self::drop_run(id, &mut job, r as usize);
				Self::after_drop(id, job);
			},
			Timeout::Deadline => {
				// A started lease runs until its escrow is dry, whatever the deadline.
				if job.deadline_at == now && job.lease.is_none() {
					let winner = Self::partial_winner(&job);
					Self::close_job(id, job, Outcome::Expired, winner, 0);
				}
			},
			Timeout::Draw => {
				if job.draw_at == Some(now) {
					Self::do_draw(id, job);
				}
			},
			Timeout::LeaseEnd => {
				if job.lease.is_some_and(|l| l.entry_at == now) {
					Self::end_lease(id, job, now);
				}
			},
		}
	}
}
