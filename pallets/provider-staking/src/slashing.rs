//! Slashing provider stake, split between the harmed account and the treasury.

use crate::{pallet::*, BalanceOf, SlashReason, LOG_TARGET};
use frame_support::{
	storage::with_storage_layer,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Move `amount` from `provider`'s stake hold to `dest`'s free balance, atomically; whether
	/// it happened. Fails (changing nothing) when `dest` is the provider or cannot receive it
	/// (e.g. `dest` does not exist and `amount` is below the existential deposit).
	fn pay_out(provider: &T::AccountId, dest: &T::AccountId, amount: BalanceOf<T>) -> bool {
		if dest == provider {
			return false;
		}
		with_storage_layer::<_, DispatchError, _>(|| {
			T::Currency::transfer_on_hold(
				&HoldReason::ProviderStake.into(),
				provider,
				dest,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
		})
		.is_ok()
	}

	/// Slash up to `amount` of `provider`'s stake, active first and then the unlocking chunks
	/// newest first; returns the amount actually slashed.
	///
	/// With `s = min(amount, active + unlocking)`: `to_harmed = HarmedShare * s` rounded down,
	/// `to_treasury = s - to_harmed`. The harmed part goes to the treasury when `harmed` is
	/// `None`, is the provider, or cannot receive it. What the treasury cannot receive is not
	/// slashed: it stays held and bonded, so nothing is burned and the total issuance is
	/// unchanged. Emits `Slashed` when something was slashed.
	///
	/// # Errors
	/// None: never fails; an unbonded provider or a zero amount slashes nothing.
	pub(crate) fn do_slash(
		provider: &T::AccountId,
		amount: BalanceOf<T>,
		harmed: Option<&T::AccountId>,
		reason: SlashReason,
	) -> BalanceOf<T> {
		let Some(mut ledger) = LedgerOf::<T>::get(provider) else { return Zero::zero() };
		// A stored ledger's total fits: it equals the balance held for it.
		let planned = amount.min(ledger.total().unwrap_or(ledger.active));
		if planned.is_zero() {
			return Zero::zero();
		}
		let share = HarmedShare::<T>::get().mul_floor(planned);
		// `share <= planned`, so neither operation saturates.
		let mut to_treasury = planned.saturating_sub(share);
		let mut to_harmed = Zero::zero();
		if !share.is_zero() {
			if harmed.is_some_and(|h| Self::pay_out(provider, h, share)) {
				to_harmed = share;
			} else {
				to_treasury = to_treasury.saturating_add(share);
			}
		}
		if !to_treasury.is_zero()
			&& !Self::pay_out(provider, &T::TreasuryAccount::get(), to_treasury)
		{
			log::warn!(
				target: LOG_TARGET,
				"treasury cannot receive {:?} slashed from {:?}; it stays bonded",
				to_treasury,
				provider,
			);
			to_treasury = Zero::zero();
		}
		let slashed = to_harmed.saturating_add(to_treasury);
		if slashed.is_zero() {
			return slashed;
		}
		ledger.take(slashed);
		Self::put_ledger(provider, ledger);
		TotalStaked::<T>::mutate(|t| *t = t.saturating_sub(slashed));
		Self::deposit_event(Event::Slashed {
			provider: provider.clone(),
			amount: slashed,
			to_harmed,
			to_treasury,
			reason,
		});
		slashed
	}
}
