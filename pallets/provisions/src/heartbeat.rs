//! Heartbeats, deadline queues and the bounded auto-off in `on_initialize`.

use crate::{
	pallet::*, weights::WeightInfo, ProvisionId, ProvisionState, StakeGate, MAX_DEADLINE_SPILL,
};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Queue `id` for the deadline `now + HeartbeatTimeout`, or the first of the following
	/// `MAX_DEADLINE_SPILL` blocks whose queue has room; returns the block used.
	///
	/// # Errors
	/// `HeartbeatQueueFull`.
	pub(crate) fn schedule_deadline(id: &ProvisionId) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::HeartbeatTimeout::get());
		for _ in 0..=MAX_DEADLINE_SPILL {
			let pushed = DeadlinesAt::<T>::mutate(at, |queue| queue.try_push(*id).is_ok());
			if pushed {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::HeartbeatQueueFull.into())
	}

	/// Remove `id` from the deadline queue of block `at`.
	pub(crate) fn unschedule_deadline(id: &ProvisionId, at: Option<BlockNumberFor<T>>) {
		if let Some(at) = at {
			DeadlinesAt::<T>::mutate_exists(at, |queue| {
				if let Some(q) = queue {
					q.retain(|p| p != id);
					if q.is_empty() {
						*queue = None;
					}
				}
			});
		}
	}

	/// Record a heartbeat of the worker key `who` for `id`; `Started` becomes `Running` and joins
	/// its pools.
	///
	/// # Errors
	/// `UnknownProvision`, `NotWorker`, `InvalidTransition` (not `Started`/`Running`),
	/// `AvailabilityInPast` (the availability window has ended), `NotEnoughStake` (the stake
	/// gate no longer allows the tier), `PoolFull`,
	/// `HeartbeatQueueFull`.
	pub(crate) fn do_heartbeat(who: T::AccountId, id: ProvisionId) -> DispatchResult {
		let mut provision = Provisions::<T>::get(id).ok_or(Error::<T>::UnknownProvision)?;
		ensure!(provision.worker.as_ref() == Some(&who), Error::<T>::NotWorker);
		ensure!(provision.state.is_active(), Error::<T>::InvalidTransition);
		Self::ensure_available(provision.available_until)?;
		// Stake can shrink after start (slashing); a provision below its tier's minimum cannot
		// stay alive, so it goes off at its deadline.
		ensure!(
			T::StakeGate::can_run(&provision.provider, provision.tier),
			Error::<T>::NotEnoughStake
		);
		Self::unschedule_deadline(&id, provision.deadline);
		provision.deadline = Some(Self::schedule_deadline(&id)?);
		provision.last_heartbeat = frame_system::Pallet::<T>::block_number();
		if provision.state == ProvisionState::Started {
			Self::join_pools(&id, &provision)?;
			Self::set_state(&id, &mut provision, ProvisionState::Running);
		}
		Provisions::<T>::insert(id, provision);
		Ok(())
	}

	/// Turn off the provisions queued for block `now` (at most `MaxOffPerBlock`, the queue's
	/// bound); returns the weight used.
	pub(crate) fn do_expire(now: BlockNumberFor<T>) -> Weight {
		let queue = DeadlinesAt::<T>::take(now);
		let n = queue.len() as u32;
		for id in queue {
			if let Some(mut provision) = Provisions::<T>::get(id) {
				if provision.state.is_active() && provision.deadline == Some(now) {
					provision.deadline = None;
					Self::go_off(&id, &mut provision);
					Provisions::<T>::insert(id, provision);
				} else {
					log::warn!(target: crate::LOG_TARGET, "stale deadline entry {:?}", id);
				}
			}
		}
		<T as Config>::WeightInfo::on_initialize(n)
	}

	/// Whether `id` is running, heartbeated less than `HeartbeatTimeout` blocks ago, and its
	/// availability window has not ended.
	pub(crate) fn is_live(id: &ProvisionId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		Provisions::<T>::get(id).is_some_and(|p| {
			p.state == ProvisionState::Running
				&& p.last_heartbeat.saturating_add(T::HeartbeatTimeout::get()) > now
				&& p.available_until.is_none_or(|until| until >= now)
		})
	}
}
