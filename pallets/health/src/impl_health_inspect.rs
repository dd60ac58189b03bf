//! [`HealthInspect`] for the pallet: how other pallets read measured health.

use crate::{pallet::*, HealthInspect, HealthStats, ProvisionId};

impl<T: Config> HealthInspect for Pallet<T> {
	/// The stored [`HealthStats`] of `id` (one storage read); `None` before any authority
	/// probed it or after it was pruned.
	fn health_of(id: &ProvisionId) -> Option<HealthStats> {
		HealthOf::<T>::get(id)
	}
}
