//! Hands the validator list to `pallet-session` at each rotation.

use crate::{Config, Pallet, SetChanged, Validators};
use alloc::vec::Vec;
use sp_staking::SessionIndex;

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// Returns the set only when it changed, so an unchanged set does not make GRANDPA schedule
	/// a needless authority-set change every session.
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let validators = Validators::<T>::get().into_inner();
		log::info!(
			target: crate::LOG_TARGET,
			"planning session {new_index} with {} validators",
			validators.len()
		);
		Some(validators)
	}

	/// At genesis the session pallet needs the set for sessions 0 and 1 whatever the flag says.
	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let validators = Validators::<T>::get().into_inner();
		(!validators.is_empty()).then_some(validators)
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}
