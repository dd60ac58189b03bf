//! [`NetworkUtilisation`] for the pallet: in-flight runs over running capacity.

use crate::{pallet::*, NetworkUtilisation, ProvisionsInspect};
use sp_arithmetic::Perbill;

impl<T: Config> NetworkUtilisation for Pallet<T> {
	/// `TotalInFlight / running_capacity` (capped at 100%), `None` when no capacity runs.
	fn utilisation() -> Option<Perbill> {
		let capacity = T::Provisions::running_capacity();
		if capacity == 0 {
			return None;
		}
		Some(Perbill::from_rational(TotalInFlight::<T>::get().min(capacity), capacity))
	}
}
