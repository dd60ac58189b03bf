//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, BalanceOf};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_ledgers`] and [`Self::try_state_total`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_ledgers()?;
		Self::try_state_total()?;
		Ok(())
	}

	/// # Invariants
	/// - no stored ledger is empty (no active stake and no unlocking chunk);
	/// - a ledger has at most `MaxUnlockingChunks` chunks, sorted by `unlock_at` strictly
	///   ascending, none of them zero;
	/// - the provider's balance on hold for [`HoldReason::ProviderStake`] equals
	///   `active + sum(unlocking)`.
	pub fn try_state_ledgers() -> Result<(), TryRuntimeError> {
		let reason = HoldReason::ProviderStake.into();
		for (who, ledger) in LedgerOf::<T>::iter() {
			ensure!(!ledger.is_empty(), "empty ledger stored");
			ensure!(
				ledger.unlocking.len() as u32 <= T::MaxUnlockingChunks::get(),
				"more chunks than MaxUnlockingChunks"
			);
			ensure!(
				ledger.unlocking.windows(2).all(|w| w[0].unlock_at < w[1].unlock_at),
				"chunks not strictly sorted by unlock block"
			);
			ensure!(ledger.unlocking.iter().all(|c| !c.value.is_zero()), "zero chunk stored");
			let total = ledger.total().ok_or("ledger total overflows")?;
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == total,
				"held balance differs from the ledger"
			);
		}
		Ok(())
	}

	/// # Invariants
	/// - [`TotalStaked`] equals the sum over all ledgers of `active + sum(unlocking)`.
	pub fn try_state_total() -> Result<(), TryRuntimeError> {
		let mut sum = BalanceOf::<T>::zero();
		for ledger in LedgerOf::<T>::iter_values() {
			let total = ledger.total().ok_or("ledger total overflows")?;
			sum = sum.checked_add(&total).ok_or("sum of ledgers overflows")?;
		}
		ensure!(sum == TotalStaked::<T>::get(), "TotalStaked differs from the sum of ledgers");
		Ok(())
	}
}
