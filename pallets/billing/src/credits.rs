//! Credits: deposits and withdrawals of the stable asset, and the internal credit/debit
//! helpers every other movement goes through.

use crate::{pallet::*, Balance};
use frame_support::{
	ensure,
	traits::{fungibles::Mutate, tokens::Preservation, Get},
};
use sp_runtime::{traits::AccountIdConversion, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// The account holding all deposited stable asset.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Move `amount` of stable asset from `who` to the pallet account and credit it.
	///
	/// # Errors
	/// [`Error::ZeroAmount`], [`Error::Overflow`], the asset's transfer error.
	pub(crate) fn do_deposit(who: T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut totals = StableTotals::<T>::get();
		totals.deposited = totals.deposited.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		Self::credit(&who, amount)?;
		T::Assets::transfer(
			T::StableAsset::get(),
			&who,
			&Self::account_id(),
			amount,
			Preservation::Expendable,
		)?;
		StableTotals::<T>::put(totals);
		Self::deposit_event(Event::Deposited { who, amount });
		Ok(())
	}

	/// Debit `amount` of `who`'s credits and transfer as much stable asset to `who`.
	///
	/// # Errors
	/// [`Error::ZeroAmount`], [`Error::InsufficientCredits`], [`Error::Overflow`], the asset's
	/// transfer error.
	pub(crate) fn do_withdraw(who: T::AccountId, amount: Balance) -> DispatchResult {
		Self::pay_out(&who, &who, amount)?;
		Self::deposit_event(Event::Withdrawn { who, amount });
		Ok(())
	}

	/// Pay `amount` of the treasury's credits (platform fees, unspent verification funds) to
	/// `to` as stable asset.
	///
	/// # Errors
	/// As [`Self::do_withdraw`], with the treasury's credits.
	pub(crate) fn do_spend_treasury(to: T::AccountId, amount: Balance) -> DispatchResult {
		Self::pay_out(&T::Treasury::get(), &to, amount)?;
		Self::deposit_event(Event::TreasurySpent { to, amount });
		Ok(())
	}

	/// Debit `amount` of `from`'s credits and transfer as much stable asset to `to`.
	fn pay_out(from: &T::AccountId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let mut totals = StableTotals::<T>::get();
		totals.withdrawn = totals.withdrawn.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		Self::debit(from, amount)?;
		T::Assets::transfer(
			T::StableAsset::get(),
			&Self::account_id(),
			to,
			amount,
			Preservation::Expendable,
		)?;
		StableTotals::<T>::put(totals);
		Ok(())
	}

	/// Add `amount` to `who`'s credits and to [`TotalCredits`].
	///
	/// # Errors
	/// [`Error::Overflow`] (nothing changed).
	pub(crate) fn credit(who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		let total = TotalCredits::<T>::get().checked_add(amount).ok_or(Error::<T>::Overflow)?;
		let credits = CreditsOf::<T>::get(who).checked_add(amount).ok_or(Error::<T>::Overflow)?;
		CreditsOf::<T>::insert(who, credits);
		TotalCredits::<T>::put(total);
		Ok(())
	}

	/// Take `amount` off `who`'s credits and [`TotalCredits`].
	///
	/// # Errors
	/// [`Error::InsufficientCredits`], [`Error::Overflow`] (nothing changed).
	pub(crate) fn debit(who: &T::AccountId, amount: Balance) -> DispatchResult {
		Self::debit_or(who, amount, Error::<T>::InsufficientCredits.into())
	}

	/// Like [`Self::debit`], failing with `short` when `who` has too few credits.
	pub(crate) fn debit_or(
		who: &T::AccountId,
		amount: Balance,
		short: DispatchError,
	) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		let credits = CreditsOf::<T>::get(who).checked_sub(amount).ok_or(short)?;
		let total = TotalCredits::<T>::get().checked_sub(amount).ok_or(Error::<T>::Overflow)?;
		if credits == 0 {
			CreditsOf::<T>::remove(who);
		} else {
			CreditsOf::<T>::insert(who, credits);
		}
		TotalCredits::<T>::put(total);
		Ok(())
	}

	/// Add `amount` to the subscription pool.
	///
	/// # Errors
	/// [`Error::Overflow`].
	pub(crate) fn pool_add(amount: Balance) -> DispatchResult {
		SubscriptionPool::<T>::try_mutate(|p| {
			*p = p.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}

	/// Take `amount` out of the subscription pool.
	///
	/// # Errors
	/// [`Error::SubscriptionPoolExhausted`].
	pub(crate) fn pool_take(amount: Balance) -> DispatchResult {
		SubscriptionPool::<T>::try_mutate(|p| {
			*p = p.checked_sub(amount).ok_or(Error::<T>::SubscriptionPoolExhausted)?;
			Ok(())
		})
	}
}
