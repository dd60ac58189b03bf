//! Pruning the health data of provisions that no longer exist.

use crate::{pallet::*, ProvisionId, ProvisionsInspect};
use alloc::vec::Vec;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Remove the windows and stats of `provision`, which must no longer exist.
	///
	/// Returns how many windows were removed (at most `MaxAuthorities`, the most a provision
	/// has; should more remain, a later call removes them).
	///
	/// # Errors
	/// - `ProvisionStillExists`: the provision still has a provider;
	/// - `NothingToPrune`: there is no window and no stats of the provision.
	pub(crate) fn do_prune(provision: ProvisionId) -> Result<u32, Error<T>> {
		if T::Provisions::provider_of(&provision).is_some() {
			return Err(Error::<T>::ProvisionStillExists);
		}
		let had_stats = HealthOf::<T>::take(provision).is_some();
		// Collect first (at most `MaxAuthorities`), then remove: no removal while iterating.
		let authorities: Vec<T::AuthorityId> = ProbesOf::<T>::iter_key_prefix(provision)
			.take(T::MaxAuthorities::get() as usize)
			.collect();
		for authority in &authorities {
			ProbesOf::<T>::remove(provision, authority);
		}
		if ProbesOf::<T>::iter_key_prefix(provision).next().is_some() {
			log::warn!(
				target: crate::LOG_TARGET,
				"provision {provision:?} had more than MaxAuthorities windows; prune again"
			);
		}
		let removed = authorities.len() as u32;
		if !had_stats && removed == 0 {
			return Err(Error::<T>::NothingToPrune);
		}
		Self::deposit_event(Event::Pruned { provision, windows: removed });
		Ok(removed)
	}
}
