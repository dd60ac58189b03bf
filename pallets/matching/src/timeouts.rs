//! Per-block timeout queues (accept windows, deadlines, waits for a worker, lease ends) and
//! their bounded processing in `on_initialize`.

use crate::{pallet::*, weights::WeightInfo, JobId, Outcome, RunState, Timeout, MAX_TIMEOUT_SPILL};
use alloc::vec::Vec;
use cxmpute_primitives::provider::{ProviderSlashing, SlashReason};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

/// The weight of spot-check draws that settle: what all of a hook's draws share, and each
/// draw, from the `timeout_draws` benchmark (`n` draws due in one block).
pub(crate) fn draw_weights<T: Config>() -> (Weight, Weight) {
	let one = <T as Config>::WeightInfo::timeout_draws(1);
	let each = <T as Config>::WeightInfo::timeout_draws(2).saturating_sub(one);
	(one.saturating_sub(each), each)
}

/// The most one timeout entry may cost: acting on a deadline, accept window or lease end, or
/// the first settling draw of a hook.
pub(crate) fn worst_timeout<T: Config>() -> Weight {
	let (draw_shared, draw) = draw_weights::<T>();
	<T as Config>::WeightInfo::process_timeout().max(draw_shared.saturating_add(draw))
}

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
		// A queue at or before the current block may already be behind the cursor.
		at = at.max(frame_system::Pallet::<T>::block_number().saturating_add(One::one()));
		for _ in 0..=MAX_TIMEOUT_SPILL {
			// Appending reads only the length, not the queue: pushes stay cheap in full blocks.
			if TimeoutsAt::<T>::try_append(at, (job, kind)).is_ok() {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::TimeoutQueueFull.into())
	}

	/// Handle due timeout entries, oldest block first, from [`TimeoutCursor`] up to `now`,
	/// while `budget` allows one more entry's worst case; entries left over stay queued under
	/// their block and the cursor stays there, so a later block picks them up. Returns the
	/// weight used.
	pub(crate) fn do_timeouts(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		let (draw_shared, draw) = draw_weights::<T>();
		let worst = worst_timeout::<T>();
		let stale = <T as Config>::WeightInfo::timeout_stale();
		let mut drawn = false;
		let per_block = T::DbWeight::get().reads_writes(1, 1);
		let mut used = T::DbWeight::get().reads_writes(1, 1);
		let mut at = TimeoutCursor::<T>::get().unwrap_or(now).min(now);
		loop {
			if !used.saturating_add(per_block).saturating_add(worst).all_lte(budget) {
				TimeoutCursor::<T>::put(at);
				return used;
			}
			used = used.saturating_add(per_block);
			let mut queue = TimeoutsAt::<T>::take(at).into_inner().into_iter();
			while let Some((id, kind)) = queue.next() {
				if !used.saturating_add(worst).all_lte(budget) {
					let left: Vec<_> = core::iter::once((id, kind)).chain(queue).collect();
					TimeoutsAt::<T>::insert(at, BoundedVec::truncate_from(left));
					TimeoutCursor::<T>::put(at);
					return used;
				}
				used = used.saturating_add(match Self::handle_timeout(at, now, id, kind) {
					Handled::Stale => stale,
					// The draws of one hook share the writes of totals and the treasury.
					Handled::Drawn if drawn => draw,
					Handled::Drawn => {
						drawn = true;
						draw_shared.saturating_add(draw)
					},
					Handled::Acted => worst,
				});
			}
			if at >= now {
				break;
			}
			at = at.saturating_add(One::one());
		}
		TimeoutCursor::<T>::put(now.saturating_add(One::one()));
		used
	}

	/// Act on one entry of block `at`'s queue if the job still names that block for it (stale
	/// entries are ignored); `now` is the current block.
	pub(crate) fn handle_timeout(
		at: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
		id: JobId,
		kind: Timeout,
	) -> Handled {
		let Some(mut job) = Jobs::<T>::get(id) else { return Handled::Stale };
		match kind {
			Timeout::Accept(r) => {
				let Some(run) = job.runs.get(r as usize) else { return Handled::Stale };
				let RunState::Assigned { provision, provider, timeout_at, .. } = run.state.clone()
				else {
					return Handled::Stale;
				};
				if timeout_at != at {
					return Handled::Stale;
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
				Handled::Acted
			},
			// A started lease runs until its escrow is dry, whatever the deadline.
			Timeout::Deadline if job.deadline_at == at && job.lease.is_none() => {
				let winner = Self::partial_winner(&job);
				Self::close_job(id, job, Outcome::Expired, winner, 0);
				Handled::Acted
			},
			Timeout::Draw if job.draw_at == Some(at) => {
				Self::do_draw(id, job);
				Handled::Drawn
			},
			// Nothing accepted within `max_wait`: nothing ran, everything is refunded (an
			// assigned run's slot is freed; its worker is not slashed).
			// Accepting clears `match_by_at`, so a job that was served in time finds its entry
			// stale.
			Timeout::MatchBy if job.match_by_at == Some(at) && !job.started() => {
				Self::close_job(id, job, Outcome::Unmatched, None, 0);
				Handled::Acted
			},
			Timeout::LeaseEnd if job.lease.is_some_and(|l| l.entry_at == at) => {
				// Paid up to the lease's end even when the entry is handled late.
				Self::end_lease(id, job, now.min(at));
				Handled::Acted
			},
			_ => Handled::Stale,
		}
	}
}

/// What handling a timeout entry did, for its weight.
pub(crate) enum Handled {
	/// Nothing: the job has moved on (the common case: accepted, settled, extended).
	Stale,
	/// The spot-check draw of a finished job, then its settlement.
	Drawn,
	/// An accept window, deadline or lease end acted on.
	Acted,
}
