//! Flash loans.

use crate::{market::math, pallet::*, AssetId, Balance, WeightInfo};
use alloc::vec::Vec;
use cxmpute_math::fixed::{self, Rounding};
use frame_support::{
	dispatch::{extract_actual_weight, GetDispatchInfo},
	ensure,
	pallet_prelude::*,
	traits::Get,
};
use frame_system::pallet_prelude::OriginFor;
use sp_arithmetic::traits::Zero;
use sp_runtime::traits::Dispatchable;

impl<T: Config> Pallet<T> {
	/// Lend `amount` of `asset` to `who`, dispatch `calls` with `origin`, then take back
	/// `amount + fee`.
	///
	/// Formula: `fee = amount * FlashLoanFee`, rounded **up**; the fee is added to the cash and
	/// the reserves. While the calls run, [`ActiveFlashLoan`] holds the loan: the market's
	/// cash is unchanged (so its exchange rate and utilisation are too) but the lent amount
	/// cannot be redeemed or borrowed, and another flash loan fails.
	///
	/// Returns the base weight plus the actual weights of the calls.
	///
	/// # Errors
	/// `TooManyCalls`, `NestedFlashLoan`, `ZeroAmount`, `UnknownMarket`, `InsufficientCash`,
	/// `Overflow`, `FlashLoanNotRepaid`, or the first failing call's error; in every case all
	/// changes are reverted.
	pub(crate) fn do_flash_loan(
		origin: OriginFor<T>,
		who: T::AccountId,
		asset: AssetId,
		amount: Balance,
		calls: Vec<<T as Config>::RuntimeCall>,
	) -> DispatchResultWithPostInfo {
		let calls_len = calls.len() as u32;
		ensure!(calls_len <= T::MaxFlashLoanCalls::get(), Error::<T>::TooManyCalls);
		ensure!(!ActiveFlashLoan::<T>::exists(), Error::<T>::NestedFlashLoan);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let market = Self::do_accrue(asset)?;
		ensure!(amount <= Self::available_cash(asset, &market), Error::<T>::InsufficientCash);
		let fee = math::<T, _>(fixed::mul_per(T::FlashLoanFee::get(), amount, Rounding::Up))?;
		let owed = math::<T, _>(fixed::checked_add(amount, fee))?;

		ActiveFlashLoan::<T>::put((asset, amount));
		Self::push(&who, asset, amount)?;
		let base = T::WeightInfo::flash_loan(calls_len);
		let mut weight = Weight::zero();
		for call in calls {
			let info = call.get_dispatch_info();
			let result = call.dispatch(origin.clone());
			weight = weight.saturating_add(extract_actual_weight(&result, &info));
			result.map_err(|mut err| {
				err.post_info = Some(base.saturating_add(weight)).into();
				err
			})?;
		}
		ActiveFlashLoan::<T>::kill();

		Self::pull(&who, asset, owed).map_err(|_| Error::<T>::FlashLoanNotRepaid)?;
		// The calls may have changed the market: book the fee on its current state.
		let mut market = Self::stored_market(asset)?;
		market.cash = math::<T, _>(fixed::checked_add(market.cash, fee))?;
		market.total_reserves = math::<T, _>(fixed::checked_add(market.total_reserves, fee))?;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::FlashLoaned { who, asset, amount, fee });
		Ok(Some(base.saturating_add(weight)).into())
	}
}
