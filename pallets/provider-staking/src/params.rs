//! Root-set parameters: minimum stake per tier and the harmed share of slashes.

use crate::{pallet::*, BalanceOf, Tier};
use frame_support::pallet_prelude::*;
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	/// Set the minimum active stake of `tier`.
	///
	/// # Errors
	/// None.
	pub(crate) fn do_set_min_stake(tier: Tier, amount: BalanceOf<T>) -> DispatchResult {
		MinStakeOf::<T>::insert(tier, amount);
		Self::deposit_event(Event::MinStakeSet { tier, amount });
		Ok(())
	}

	/// Set the share of slashes paid to the harmed account.
	///
	/// # Errors
	/// None.
	pub(crate) fn do_set_harmed_share(share: Perbill) -> DispatchResult {
		HarmedShare::<T>::put(share);
		Self::deposit_event(Event::HarmedShareSet { share });
		Ok(())
	}
}
