//! Worker keys: authorize (or rotate) and revoke.

use crate::{pallet::*, ProvisionId};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Make `worker` the worker key of `id`, replacing the current one.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `WorkerIsProvider`, `WorkerAlreadyAssigned` (the key
	/// serves a provision, this one included).
	pub(crate) fn do_authorize_worker(
		who: T::AccountId,
		id: ProvisionId,
		worker: T::AccountId,
	) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		ensure!(worker != who, Error::<T>::WorkerIsProvider);
		ensure!(!ProvisionOfWorker::<T>::contains_key(&worker), Error::<T>::WorkerAlreadyAssigned);
		let previous = provision.worker.replace(worker.clone());
		if let Some(old) = &previous {
			ProvisionOfWorker::<T>::remove(old);
		}
		ProvisionOfWorker::<T>::insert(&worker, id);
		Provisions::<T>::insert(id, provision);
		Self::deposit_event(Event::WorkerAuthorized { id, worker, previous });
		Ok(())
	}

	/// Remove the worker key of `id`; an active provision goes `Off`.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `NoWorker`.
	pub(crate) fn do_revoke_worker(who: T::AccountId, id: ProvisionId) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		let worker = provision.worker.take().ok_or(Error::<T>::NoWorker)?;
		ProvisionOfWorker::<T>::remove(&worker);
		if provision.state.is_active() {
			Self::go_off(&id, &mut provision);
		}
		Provisions::<T>::insert(id, provision);
		Self::deposit_event(Event::WorkerRevoked { id, worker });
		Ok(())
	}
}
