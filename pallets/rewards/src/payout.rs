//! Claims and page payouts of closed epochs, and settlement.

use crate::{pallet::*, BalanceOf, EpochIndex, MilliPoints};
use cxmpute_math::{fixed, rewards::pro_rata_share};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Provenance,
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// A share of an epoch's budget: `floor(budget * points / total_points)`, rounded down
	/// (the provider would profit from rounding up), so the shares never add up to more than
	/// the budget.
	///
	/// # Errors
	/// `Overflow` when the figures are inconsistent (`points > total_points`, zero total).
	pub(crate) fn share_of(
		budget: BalanceOf<T>,
		points: MilliPoints,
		total_points: MilliPoints,
	) -> Result<BalanceOf<T>, Error<T>> {
		let budget: u128 = budget.try_into().map_err(|_| Error::<T>::Overflow)?;
		let share =
			pro_rata_share(budget, points, total_points).map_err(|_| Error::<T>::Overflow)?;
		// share <= budget, which came from the balance type.
		BalanceOf::<T>::try_from(share).map_err(|_| Error::<T>::Overflow)
	}

	/// Check `epoch` can be paid and return its budget.
	///
	/// # Errors
	/// `EpochNotClosed`, `UnknownEpoch`.
	fn payable_budget(epoch: EpochIndex) -> Result<BalanceOf<T>, Error<T>> {
		ensure!(Self::is_closed(epoch), Error::<T>::EpochNotClosed);
		EpochBudget::<T>::get(epoch).ok_or(Error::<T>::UnknownEpoch)
	}

	/// Pay `who` its share of the closed epoch `epoch`, removing its points.
	///
	/// # Errors
	/// `EpochNotClosed`, `EpochExpired`, `UnknownEpoch`, `NothingToClaim`, `Overflow`, or the
	/// currency's error when the share cannot be minted (nothing changes then).
	pub(crate) fn do_claim(who: T::AccountId, epoch: EpochIndex) -> DispatchResult {
		ensure!(Self::is_closed(epoch), Error::<T>::EpochNotClosed);
		ensure!(!Self::is_expired(epoch), Error::<T>::EpochExpired);
		let budget = Self::payable_budget(epoch)?;
		let points = PointsOf::<T>::take(epoch, &who).ok_or(Error::<T>::NothingToClaim)?;
		let amount = Self::share_of(budget, points, EpochPoints::<T>::get(epoch))?;
		if !amount.is_zero() {
			T::Currency::mint_into(&who, amount)?;
		}
		let claimed = fixed::checked_add(EpochClaimedPoints::<T>::get(epoch), points)
			.map_err(|_| Error::<T>::Overflow)?;
		let paid = EpochPaid::<T>::get(epoch).saturating_add(amount);
		Self::deposit_event(Event::RewardsPaid { epoch, provider: who, points, amount });
		Self::record_progress(epoch, budget, claimed, paid);
		Ok(())
	}

	/// Pay (or, for an expired epoch, remove without paying) up to `MaxPayoutsPerPage`
	/// entries of `epoch`'s [`PointsOf`] prefix; returns how many were processed.
	///
	/// A share that cannot be minted is forfeited (`RewardForfeited`) so that one account can
	/// never block the epoch.
	///
	/// # Errors
	/// `EpochNotClosed`, `UnknownEpoch`, `NothingToClaim` (no entries left), `Overflow`.
	pub(crate) fn do_payout_page(epoch: EpochIndex) -> Result<u32, DispatchError> {
		let budget = Self::payable_budget(epoch)?;
		let total = EpochPoints::<T>::get(epoch);
		let expired = Self::is_expired(epoch);
		let mut claimed = EpochClaimedPoints::<T>::get(epoch);
		let mut paid = EpochPaid::<T>::get(epoch);
		let mut n: u32 = 0;
		let page = T::MaxPayoutsPerPage::get() as usize;
		for (provider, points) in PointsOf::<T>::drain_prefix(epoch).take(page) {
			n = n.saturating_add(1);
			claimed = fixed::checked_add(claimed, points).map_err(|_| Error::<T>::Overflow)?;
			if expired {
				continue;
			}
			let amount = Self::share_of(budget, points, total)?;
			if Self::mint_share(&provider, amount) {
				paid = paid.saturating_add(amount);
				Self::deposit_event(Event::RewardsPaid { epoch, provider, points, amount });
			} else {
				Self::deposit_event(Event::RewardForfeited { epoch, provider, amount });
			}
		}
		ensure!(n > 0, Error::<T>::NothingToClaim);
		if expired {
			Self::deposit_event(Event::ExpiredPointsReaped { epoch, providers: n });
		}
		Self::record_progress(epoch, budget, claimed, paid);
		Ok(n)
	}

	/// Mint `amount` to `who` if possible, changing nothing otherwise; zero always succeeds.
	fn mint_share(who: &T::AccountId, amount: BalanceOf<T>) -> bool {
		if amount.is_zero() {
			return true;
		}
		if T::Currency::can_deposit(who, amount, Provenance::Minted).into_result().is_err() {
			return false;
		}
		with_storage_layer(|| T::Currency::mint_into(who, amount)).is_ok()
	}

	/// Store an epoch's claimed points and paid amount, or settle it when every point is
	/// claimed: remove its records and add the unminted remainder to [`TotalUnminted`].
	///
	/// Emits `EpochSettled` on settlement.
	fn record_progress(
		epoch: EpochIndex,
		budget: BalanceOf<T>,
		claimed: MilliPoints,
		paid: BalanceOf<T>,
	) {
		if claimed >= EpochPoints::<T>::get(epoch) {
			let unminted = budget.saturating_sub(paid);
			EpochBudget::<T>::remove(epoch);
			EpochPoints::<T>::remove(epoch);
			EpochClaimedPoints::<T>::remove(epoch);
			EpochPaid::<T>::remove(epoch);
			TotalUnminted::<T>::mutate(|u| u.saturating_accrue(unminted));
			Self::deposit_event(Event::EpochSettled { epoch, paid, unminted });
		} else {
			EpochClaimedPoints::<T>::insert(epoch, claimed);
			EpochPaid::<T>::insert(epoch, paid);
		}
	}

	/// `provider`'s pending payout in `epoch` (see the `pending_rewards` view function).
	pub(crate) fn pending(epoch: EpochIndex, provider: &T::AccountId) -> BalanceOf<T> {
		let Some(points) = PointsOf::<T>::get(epoch, provider) else {
			return Zero::zero();
		};
		let total = EpochPoints::<T>::get(epoch);
		let budget = if Self::is_closed(epoch) {
			if Self::is_expired(epoch) {
				return Zero::zero();
			}
			EpochBudget::<T>::get(epoch).unwrap_or_else(Zero::zero)
		} else {
			BalanceOf::<T>::try_from(Params::<T>::get().emission_per_epoch)
				.unwrap_or_else(|_| Zero::zero())
		};
		Self::share_of(budget, points, total).unwrap_or_else(|_| Zero::zero())
	}
}
