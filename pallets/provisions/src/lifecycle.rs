//! Lifecycle transitions: start, stop, and the shared `Off` transition.

use crate::{pallet::*, Provision, ProvisionId, ProvisionState, StakeGate};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Set the state of `provision`, keep [`RunningCapacity`] in step, and emit
	/// `ProvisionStateChanged` (the caller stores it).
	pub(crate) fn set_state(id: &ProvisionId, provision: &mut Provision<T>, to: ProvisionState) {
		let from = provision.state;
		let capacity = u64::from(provision.capacity);
		match (from == ProvisionState::Running, to == ProvisionState::Running) {
			(false, true) => RunningCapacity::<T>::mutate(|c| *c = c.saturating_add(capacity)),
			(true, false) => RunningCapacity::<T>::mutate(|c| *c = c.saturating_sub(capacity)),
			_ => {},
		}
		provision.state = to;
		Self::deposit_event(Event::ProvisionStateChanged { id: *id, from, to });
	}

	/// Turn an active provision `Off`: leave its pools if running, drop its deadline entry
	/// (the caller stores the provision).
	pub(crate) fn go_off(id: &ProvisionId, provision: &mut Provision<T>) {
		if provision.state == ProvisionState::Running {
			Self::leave_pools(id, provision);
		}
		Self::unschedule_deadline(id, provision.deadline.take());
		Self::set_state(id, provision, ProvisionState::Off);
	}

	/// Start a `Draft` or `Off` provision; it has `HeartbeatTimeout` blocks for its first
	/// heartbeat.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `InvalidTransition`, `NoWorker`,
	/// `AvailabilityInPast`, `NotEnoughStake`, `HeartbeatQueueFull`.
	pub(crate) fn do_start(who: T::AccountId, id: ProvisionId) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		ensure!(!provision.state.is_active(), Error::<T>::InvalidTransition);
		ensure!(provision.worker.is_some(), Error::<T>::NoWorker);
		Self::ensure_available(provision.available_until)?;
		ensure!(T::StakeGate::can_run(&who, provision.tier), Error::<T>::NotEnoughStake);
		provision.deadline = Some(Self::schedule_deadline(&id)?);
		Self::set_state(&id, &mut provision, ProvisionState::Started);
		Provisions::<T>::insert(id, provision);
		Ok(())
	}

	/// Stop a `Started` or `Running` provision.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `InvalidTransition`.
	pub(crate) fn do_stop(who: T::AccountId, id: ProvisionId) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		ensure!(provision.state.is_active(), Error::<T>::InvalidTransition);
		Self::go_off(&id, &mut provision);
		Provisions::<T>::insert(id, provision);
		Ok(())
	}
}
