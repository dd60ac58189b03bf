//! Interest: accrual of a market and the current rates.

use crate::{market::math, pallet::*, AssetId, Balance, Market, MarketRates};
use cxmpute_math::lending::{
	accrue_interest, debt_of, exchange_rate, supply_rate, utilisation, Accrual, InterestRateModel,
};
use frame_support::{pallet_prelude::*, traits::Get};
use sp_runtime::traits::{Saturating, UniqueSaturatedInto};

impl<T: Config> Pallet<T> {
	/// The market of `asset` accrued to the current block, without writing it.
	///
	/// Formula: see [`accrue_interest`]; blocks elapsed = `now - accrued_at`.
	///
	/// # Errors
	/// `UnknownMarket`; `Overflow` and the other errors of [`accrue_interest`].
	pub(crate) fn accrued(asset: AssetId) -> Result<(Market<T>, Accrual), Error<T>> {
		let mut market = Self::stored_market(asset)?;
		let now = frame_system::Pallet::<T>::block_number();
		let blocks: u64 = now.saturating_sub(market.accrued_at).unique_saturated_into();
		let model: InterestRateModel = market.params.rate_model.into();
		let accrual = math::<T, _>(accrue_interest(
			market.state(),
			&model,
			market.params.reserve_factor,
			T::BlocksPerYear::get(),
			blocks,
		))?;
		market.set_state(accrual.state);
		market.accrued_at = now;
		Ok((market, accrual))
	}

	/// The market of `asset` accrued to the current block, without writing it (what
	/// [`Self::do_accrue`] would store).
	///
	/// # Errors
	/// Those of [`Self::accrued`].
	pub fn current_market(asset: AssetId) -> Result<Market<T>, Error<T>> {
		Self::accrued(asset).map(|(m, _)| m)
	}

	/// Accrue the market of `asset` to the current block and store it.
	///
	/// Emits `InterestAccrued` when interest was added.
	///
	/// # Errors
	/// Those of [`Self::accrued`].
	pub(crate) fn do_accrue(asset: AssetId) -> Result<Market<T>, DispatchError> {
		let (market, accrual) = Self::accrued(asset)?;
		let stored = Self::stored_market(asset)?;
		if stored.accrued_at != market.accrued_at {
			Markets::<T>::insert(asset, &market);
		}
		if accrual.interest > 0 {
			Self::deposit_event(Event::InterestAccrued {
				asset,
				interest: accrual.interest,
				reserves_added: accrual.reserves_added,
				borrow_index: market.borrow_index,
				borrow_rate: accrual.borrow_rate,
			});
		}
		Ok(market)
	}

	/// The debt of `who` in `market` (of `asset`) at the market's index, rounded **up**.
	///
	/// # Errors
	/// `InconsistentMarket` (snapshot index above the market's), `MarketInsolvent` (zero
	/// index), `Overflow`.
	pub(crate) fn debt_in(
		asset: AssetId,
		market: &Market<T>,
		who: &T::AccountId,
	) -> Result<Balance, Error<T>> {
		match Borrows::<T>::get(asset, who) {
			None => Ok(0),
			Some(s) => math::<T, _>(debt_of(s.principal, s.index, market.borrow_index)),
		}
	}

	/// Utilisation, borrow and supply rates and exchange rate of the market of `asset`, at the
	/// current block.
	///
	/// # Errors
	/// Those of [`Self::accrued`].
	pub fn market_rates(asset: AssetId) -> Result<MarketRates, Error<T>> {
		let market = Self::current_market(asset)?;
		let model: InterestRateModel = market.params.rate_model.into();
		let u =
			math::<T, _>(utilisation(market.cash, market.total_borrows, market.total_reserves))?;
		let borrow_rate = math::<T, _>(model.borrow_rate(u))?;
		Ok(MarketRates {
			utilisation: u,
			borrow_rate,
			supply_rate: math::<T, _>(supply_rate(borrow_rate, u, market.params.reserve_factor))?,
			exchange_rate: math::<T, _>(exchange_rate(
				&market.state(),
				market.params.initial_exchange_rate,
			))?,
		})
	}
}
