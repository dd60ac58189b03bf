//! Bonding, unbonding, withdrawing and rebonding stake.

use crate::{pallet::*, BalanceOf, ProvisionsInspect, StakeLedger, Tier, UnlockChunk};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::traits::{CheckedAdd, CheckedSub, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Whether an active stake of `active` meets the gate of `tier`: at least
	/// [`MinStakeOf`]`[tier]` and non-zero.
	pub(crate) fn meets_minimum(active: BalanceOf<T>, tier: Tier) -> bool {
		!active.is_zero() && active >= MinStakeOf::<T>::get(tier)
	}

	/// Whether `who`'s active stake meets the gate of `tier`.
	pub(crate) fn passes_gate(who: &T::AccountId, tier: Tier) -> bool {
		LedgerOf::<T>::get(who).is_some_and(|l| Self::meets_minimum(l.active, tier))
	}

	/// Store `ledger` of `who`, or remove it when empty.
	pub(crate) fn put_ledger(who: &T::AccountId, ledger: StakeLedger<T>) {
		if ledger.is_empty() {
			LedgerOf::<T>::remove(who);
		} else {
			LedgerOf::<T>::insert(who, ledger);
		}
	}

	/// Hold `amount` of `who`'s free balance and add it to the active stake.
	///
	/// # Errors
	/// `ZeroAmount`; `BelowMinimumBond` (first bond below the existential deposit);
	/// `InsufficientBalance` (free balance minus the existential deposit is smaller);
	/// `Overflow`; the currency's hold errors.
	pub(crate) fn do_bond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let ledger = LedgerOf::<T>::get(&who);
		ensure!(
			ledger.is_some() || amount >= T::Currency::minimum_balance(),
			Error::<T>::BelowMinimumBond
		);
		ensure!(
			amount <= T::Currency::reducible_balance(&who, Preservation::Protect, Fortitude::Force),
			Error::<T>::InsufficientBalance
		);
		let mut ledger = ledger.unwrap_or_default();
		ledger.active = ledger.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let total = TotalStaked::<T>::get().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::ProviderStake.into(), &who, amount)?;
		LedgerOf::<T>::insert(&who, ledger);
		TotalStaked::<T>::put(total);
		Self::deposit_event(Event::Bonded { provider: who, amount });
		Ok(())
	}

	/// Move `amount` of `who`'s active stake into an unlocking chunk at `now + UnbondingDelay`
	/// (merged with an existing chunk of that block).
	///
	/// # Errors
	/// `ZeroAmount`; `NotBonded`; `InsufficientBond` (more than active); `BelowMinimumBond`
	/// (would leave `0 < active < ED`); `StakeInUse` (would leave less than the minimum of the
	/// provider's highest active tier); `NoMoreChunks`; `Overflow`.
	pub(crate) fn do_unbond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = LedgerOf::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
		let remaining = ledger.active.checked_sub(&amount).ok_or(Error::<T>::InsufficientBond)?;
		ensure!(
			remaining.is_zero() || remaining >= T::Currency::minimum_balance(),
			Error::<T>::BelowMinimumBond
		);
		if let Some(tier) = T::Provisions::highest_active_tier(&who) {
			ensure!(Self::meets_minimum(remaining, tier), Error::<T>::StakeInUse);
		}
		let unlock_at = frame_system::Pallet::<T>::block_number()
			.checked_add(&T::UnbondingDelay::get())
			.ok_or(Error::<T>::Overflow)?;
		// Chunks are sorted by `unlock_at`; a shorter delay after an upgrade may put the new
		// chunk before existing ones, so insert at the sorted position.
		match ledger.unlocking.binary_search_by_key(&unlock_at, |c| c.unlock_at) {
			Ok(i) => {
				let chunk = ledger.unlocking.get_mut(i).ok_or(Error::<T>::Overflow)?;
				chunk.value = chunk.value.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			},
			Err(i) => ledger
				.unlocking
				.try_insert(i, UnlockChunk { value: amount, unlock_at })
				.map_err(|_| Error::<T>::NoMoreChunks)?,
		}
		ledger.active = remaining;
		LedgerOf::<T>::insert(&who, ledger);
		Self::deposit_event(Event::Unbonded { provider: who, amount, unlock_at });
		Ok(())
	}

	/// Release every chunk of `who` with `unlock_at <= now`; remove the ledger when empty.
	///
	/// # Errors
	/// `NotBonded`; `NothingToWithdraw` (no chunk has unlocked); the currency's release errors.
	pub(crate) fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
		let mut ledger = LedgerOf::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut amount = BalanceOf::<T>::zero();
		for chunk in ledger.unlocking.iter().filter(|c| c.unlock_at <= now) {
			amount = amount.checked_add(&chunk.value).ok_or(Error::<T>::Overflow)?;
		}
		ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
		ledger.unlocking.retain(|c| c.unlock_at > now);
		T::Currency::release(&HoldReason::ProviderStake.into(), &who, amount, Precision::Exact)?;
		TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(amount));
		Self::put_ledger(&who, ledger);
		Self::deposit_event(Event::Withdrawn { provider: who, amount });
		Ok(())
	}

	/// Move `amount` of `who`'s unlocking stake back to active, newest chunk first.
	///
	/// # Errors
	/// `ZeroAmount`; `NotBonded`; `InsufficientUnlocking` (more than unlocking); `Overflow`.
	pub(crate) fn do_rebond(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = LedgerOf::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
		let unlocking = ledger.unlocking_total().ok_or(Error::<T>::Overflow)?;
		ensure!(amount <= unlocking, Error::<T>::InsufficientUnlocking);
		let active = ledger.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		ledger.take_unlocking(amount);
		ledger.active = active;
		LedgerOf::<T>::insert(&who, ledger);
		Self::deposit_event(Event::Rebonded { provider: who, amount });
		Ok(())
	}
}
