//! [`StakeGate`] for the pallet: the provisions pallet asks it before starts and heartbeats.

use crate::{pallet::*, StakeGate, Tier};

impl<T: Config> StakeGate<T::AccountId> for Pallet<T> {
	/// `active >= MinStakeOf[tier]` and `active > 0`. One or two storage reads.
	fn can_run(provider: &T::AccountId, tier: Tier) -> bool {
		Self::passes_gate(provider, tier)
	}
}
