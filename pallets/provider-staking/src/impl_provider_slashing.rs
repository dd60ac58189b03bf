//! [`ProviderSlashing`] for the pallet: the job market slashes through it.

use crate::{pallet::*, BalanceOf, ProviderSlashing, SlashReason};

impl<T: Config> ProviderSlashing<T::AccountId, BalanceOf<T>> for Pallet<T> {
	/// See [`Pallet::do_slash`].
	fn slash(
		provider: &T::AccountId,
		amount: BalanceOf<T>,
		harmed: Option<&T::AccountId>,
		reason: SlashReason,
	) -> BalanceOf<T> {
		Self::do_slash(provider, amount, harmed, reason)
	}
}
