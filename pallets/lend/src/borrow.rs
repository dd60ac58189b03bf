//! Borrowing and repaying.

use crate::{market::math, pallet::*, AssetId, Balance, BorrowSnapshot};
use cxmpute_math::fixed;
use frame_support::{ensure, pallet_prelude::*};
use sp_arithmetic::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Borrow `amount` of `asset`.
	///
	/// The debt becomes `debt_of(snapshot) + amount` at the market's current index; the whole
	/// account must stay covered at the collateral factors and fresh prices.
	///
	/// # Errors
	/// `ZeroAmount`, `UnknownMarket`, `InsufficientCash`, `TooManyMarkets`, `Overflow`,
	/// `InsufficientCollateral`, `PriceStale`, `PriceUnavailable`, `PriceOutOfBounds`.
	pub(crate) fn do_borrow(who: T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::do_accrue(asset)?;
		ensure!(amount <= Self::available_cash(asset, &market), Error::<T>::InsufficientCash);
		let debt = math::<T, _>(fixed::checked_add(Self::debt_in(asset, &market, &who)?, amount))?;
		market.cash = math::<T, _>(fixed::checked_sub(market.cash, amount))?;
		market.total_borrows = math::<T, _>(fixed::checked_add(market.total_borrows, amount))?;
		Self::join_market(&who, asset)?;
		Borrows::<T>::insert(
			asset,
			&who,
			BorrowSnapshot { principal: debt, index: market.borrow_index },
		);
		Markets::<T>::insert(asset, market);
		Self::push(&who, asset, amount)?;
		Self::ensure_can_borrow(&who)?;
		Self::deposit_event(Event::Borrowed { who, asset, amount, debt });
		Ok(())
	}

	/// `payer` repays up to `amount` of `borrower`'s debt in `asset`.
	///
	/// `total_borrows` decreases with a saturating subtraction (it rounds down while each debt
	/// rounds up).
	///
	/// # Errors
	/// `ZeroAmount`, `UnknownMarket`, `NoDebt`, `InsufficientBalance`, `Overflow`.
	pub(crate) fn do_repay(
		payer: T::AccountId,
		borrower: T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let market = Self::do_accrue(asset)?;
		let debt = Self::debt_in(asset, &market, &borrower)?;
		ensure!(debt > 0, Error::<T>::NoDebt);
		let paid = amount.min(debt);
		let rest = Self::reduce_debt(asset, market, &borrower, debt, paid)?;
		Self::pull(&payer, asset, paid)?;
		Self::deposit_event(Event::Repaid { payer, borrower, asset, amount: paid, debt: rest });
		Ok(())
	}

	/// Book a repayment of `paid` (at most `debt`) of `borrower`'s debt in `market` (already
	/// accrued): cash grows, `total_borrows` shrinks (saturating), the snapshot is renewed.
	/// Returns the remaining debt. The caller moves the underlying.
	///
	/// # Errors
	/// `Overflow`.
	pub(crate) fn reduce_debt(
		asset: AssetId,
		mut market: crate::Market<T>,
		borrower: &T::AccountId,
		debt: Balance,
		paid: Balance,
	) -> Result<Balance, DispatchError> {
		let rest = debt.saturating_sub(paid);
		market.cash = math::<T, _>(fixed::checked_add(market.cash, paid))?;
		market.total_borrows = market.total_borrows.saturating_sub(paid);
		if rest == 0 {
			Borrows::<T>::remove(asset, borrower);
		} else {
			Borrows::<T>::insert(
				asset,
				borrower,
				BorrowSnapshot { principal: rest, index: market.borrow_index },
			);
		}
		Markets::<T>::insert(asset, market);
		Self::leave_market_if_empty(borrower, asset);
		Ok(rest)
	}
}
