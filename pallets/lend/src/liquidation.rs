//! Liquidations and the write-off of bad debt.

use crate::{market::math, pallet::*, AssetId, Balance, HealthKind, PriceMode};
use alloc::vec::Vec;
use cxmpute_math::{
	fixed::{self, Rounding},
	lending::{liquidate, total_underlying, LiquidationRequest},
};
use frame_support::{ensure, pallet_prelude::*};
use sp_arithmetic::traits::Zero;

impl<T: Config> Pallet<T> {
	/// `liquidator` repays up to `amount` of `borrower`'s `debt_asset` debt and receives
	/// `borrower`'s `collateral_asset` u-tokens.
	///
	/// 1. Both markets are accrued; the health factor uses the liquidation thresholds and
	///    fresh or fallback prices.
	/// 2. [`liquidate`] caps the repayment by the close factor (50%, 100% below health 0.95)
	///    and prices the seized collateral: `repay * debt_price * (1 + bonus) /
	///    collateral_price`, rounded down, capped by the borrower's collateral.
	/// 3. The seized underlying converts to u-tokens rounded **down**
	///    (`seize * total_supply / (cash + borrows - reserves)`), or all of the borrower's
	///    u-tokens when the whole collateral is seized.
	/// 4. If the borrower has no collateral left, every remaining debt is written off
	///    ([`Self::write_off_bad_debt`]).
	///
	/// # Errors
	/// `ZeroAmount`, `SelfLiquidation`, `UnknownMarket`, `CollateralNotEnabled`, `NoDebt`,
	/// `NotLiquidatable`, `AmountTooSmall`, `PriceUnavailable`, `PriceOutOfBounds`,
	/// `InsufficientBalance`, `TooManyMarkets` (the liquidator's), `Overflow`.
	pub(crate) fn do_liquidate(
		liquidator: T::AccountId,
		borrower: T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(liquidator != borrower, Error::<T>::SelfLiquidation);
		let debt_market = Self::do_accrue(debt_asset)?;
		let collateral_market = Self::do_accrue(collateral_asset)?;
		ensure!(Self::is_collateral(&borrower, collateral_asset), Error::<T>::CollateralNotEnabled);
		let debt = Self::debt_in(debt_asset, &debt_market, &borrower)?;
		ensure!(debt > 0, Error::<T>::NoDebt);
		let health = Self::health(&borrower, HealthKind::Liquidation, PriceMode::WithFallback)?;
		ensure!(health.is_liquidatable(), Error::<T>::NotLiquidatable);

		let held = UTokens::<T>::get(collateral_asset, &borrower);
		let collateral_balance = Self::utokens_to_underlying(&collateral_market, held)?;
		let request = LiquidationRequest {
			health,
			debt,
			repay: amount,
			debt_price: Self::price_of(debt_asset, PriceMode::WithFallback)?,
			collateral_price: Self::price_of(collateral_asset, PriceMode::WithFallback)?,
			collateral_balance,
		};
		let liquidation = math::<T, _>(liquidate(&request, &debt_market.liquidation_params()))?
			.ok_or(Error::<T>::NotLiquidatable)?;
		let seized_utokens = if liquidation.seize >= collateral_balance {
			held
		} else {
			let assets = math::<T, _>(total_underlying(
				collateral_market.cash,
				collateral_market.total_borrows,
				collateral_market.total_reserves,
			))?;
			math::<T, _>(fixed::mul_div(
				liquidation.seize,
				collateral_market.total_supply,
				assets,
				Rounding::Down,
			))?
			.min(held)
		};
		ensure!(seized_utokens > 0, Error::<T>::AmountTooSmall);

		Self::reduce_debt(debt_asset, debt_market, &borrower, debt, liquidation.repay)?;
		Self::pull(&liquidator, debt_asset, liquidation.repay)?;
		Self::move_utokens(&borrower, &liquidator, collateral_asset, seized_utokens)?;
		Self::deposit_event(Event::Liquidated {
			liquidator,
			borrower: borrower.clone(),
			debt_asset,
			collateral_asset,
			repaid: liquidation.repay,
			seized_utokens,
		});
		if !Self::has_collateral(&borrower) {
			Self::write_off_bad_debt(&borrower)?;
		}
		Ok(())
	}

	/// Write off every debt of `borrower` (who has no collateral left).
	///
	/// For each market with a debt `d` (accrued first): `total_borrows -= d` (saturating),
	/// `from_reserves = min(d, reserves)` leaves the reserves and the rest is `socialised`: the
	/// suppliers' assets `cash + borrows - reserves` drop by it.
	///
	/// Emits `BadDebtWrittenOff` per market.
	///
	/// # Errors
	/// Those of [`Self::do_accrue`].
	pub(crate) fn write_off_bad_debt(borrower: &T::AccountId) -> DispatchResult {
		let assets: Vec<AssetId> = MarketsOf::<T>::get(borrower).iter().map(|m| m.asset).collect();
		for asset in assets {
			if !Borrows::<T>::contains_key(asset, borrower) {
				continue;
			}
			let mut market = Self::do_accrue(asset)?;
			let debt = Self::debt_in(asset, &market, borrower)?;
			let from_reserves = debt.min(market.total_reserves);
			market.total_borrows = market.total_borrows.saturating_sub(debt);
			market.total_reserves = market.total_reserves.saturating_sub(from_reserves);
			Markets::<T>::insert(asset, market);
			Borrows::<T>::remove(asset, borrower);
			Self::leave_market_if_empty(borrower, asset);
			Self::deposit_event(Event::BadDebtWrittenOff {
				borrower: borrower.clone(),
				asset,
				amount: debt,
				from_reserves,
				socialised: debt.saturating_sub(from_reserves),
			});
		}
		Ok(())
	}
}
