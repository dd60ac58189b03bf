//! Health factors from oracle prices, across all markets of an account.

use crate::{
	market::math, pallet::*, AssetId, HealthKind, PositionSnapshot, Price, PriceError, PriceMode,
	PriceProvider,
};
use alloc::vec::Vec;
use cxmpute_math::lending::{
	collateral_value, debt_value, health_factor_of, Collateral, HealthFactor,
};
use frame_support::pallet_prelude::*;
use sp_arithmetic::{traits::Zero, FixedU128};

impl<T: Config> Pallet<T> {
	/// The price of `asset` under `mode`.
	///
	/// # Errors
	/// `PriceStale` (stale primary price, `Fresh` mode), `PriceUnavailable` (no price),
	/// `PriceOutOfBounds` (zero price).
	pub(crate) fn price_of(asset: AssetId, mode: PriceMode) -> Result<Price, Error<T>> {
		let price = match mode {
			PriceMode::Fresh => T::Oracle::price(asset),
			PriceMode::WithFallback => T::Oracle::price_or_twap(asset).map(|(p, _)| p),
		}
		.map_err(|e| match e {
			PriceError::Stale => Error::<T>::PriceStale,
			PriceError::Unknown | PriceError::TooFewFeeds => Error::<T>::PriceUnavailable,
		})?;
		ensure!(!price.is_zero(), Error::<T>::PriceOutOfBounds);
		Ok(price)
	}

	/// The health factor of `who`: `sum(collateral_value * share) / sum(debt_value)`, where
	/// `share` is the collateral factor ([`HealthKind::Borrow`]) or the liquidation threshold
	/// ([`HealthKind::Liquidation`]) of each market, every market accrued to the current block.
	///
	/// Without debt the result is [`HealthFactor::NoDebt`] and no price is read; otherwise the
	/// price of every asset the account owes or uses as collateral is needed.
	///
	/// # Errors
	/// Those of [`Self::price_of`] and [`Self::current_market`]; `PriceOutOfBounds` when a
	/// value overflows.
	pub(crate) fn health(
		who: &T::AccountId,
		kind: HealthKind,
		mode: PriceMode,
	) -> Result<HealthFactor, Error<T>> {
		let mut entries = Vec::new();
		let mut has_debt = false;
		for entry in MarketsOf::<T>::get(who) {
			let market = Self::current_market(entry.asset)?;
			let debt = Self::debt_in(entry.asset, &market, who)?;
			let utokens = if entry.collateral { UTokens::<T>::get(entry.asset, who) } else { 0 };
			has_debt |= debt > 0;
			if debt > 0 || utokens > 0 {
				entries.push((entry.asset, market, debt, utokens));
			}
		}
		if !has_debt {
			return Ok(HealthFactor::NoDebt);
		}
		let mut collaterals = Vec::new();
		let mut debts = Vec::new();
		for (asset, market, debt, utokens) in entries {
			let price = Self::price_of(asset, mode)?;
			if utokens > 0 {
				let underlying = Self::utokens_to_underlying(&market, utokens)?;
				let value = collateral_value(underlying, price)
					.map_err(|_| Error::<T>::PriceOutOfBounds)?;
				let share = match kind {
					HealthKind::Borrow => market.params.collateral_factor,
					HealthKind::Liquidation => market.params.liquidation_threshold,
				};
				collaterals.push(Collateral { value, liquidation_threshold: share });
			}
			if debt > 0 {
				debts.push(debt_value(debt, price).map_err(|_| Error::<T>::PriceOutOfBounds)?);
			}
		}
		math::<T, _>(health_factor_of(collaterals, debts))
	}

	/// Fails unless `who`'s collateral covers its debts at the collateral factors and fresh
	/// prices (no check and no price needed without debt).
	///
	/// # Errors
	/// `InsufficientCollateral`, and those of [`Self::health`].
	pub(crate) fn ensure_can_borrow(who: &T::AccountId) -> DispatchResult {
		let health = Self::health(who, HealthKind::Borrow, PriceMode::Fresh)?;
		ensure!(!health.is_liquidatable(), Error::<T>::InsufficientCollateral);
		Ok(())
	}

	/// The liquidation health factor of `who` with fallback prices: `None` without debt.
	///
	/// # Errors
	/// Those of [`Self::health`].
	pub fn health_factor_of(who: &T::AccountId) -> Result<Option<FixedU128>, DispatchError> {
		match Self::health(who, HealthKind::Liquidation, PriceMode::WithFallback)? {
			HealthFactor::NoDebt => Ok(None),
			HealthFactor::Finite(h) => Ok(Some(h)),
		}
	}

	/// Every market position of `who`, accrued to the current block (markets that fail to
	/// accrue are left out).
	pub fn positions_of(who: &T::AccountId) -> Vec<PositionSnapshot> {
		MarketsOf::<T>::get(who)
			.into_iter()
			.filter_map(|entry| {
				let market = Self::current_market(entry.asset).ok()?;
				let utokens = UTokens::<T>::get(entry.asset, who);
				Some(PositionSnapshot {
					asset: entry.asset,
					utokens,
					supplied: Self::utokens_to_underlying(&market, utokens).ok()?,
					debt: Self::debt_in(entry.asset, &market, who).ok()?,
					collateral: entry.collateral,
				})
			})
			.collect()
	}

	/// Whether `who` holds u-tokens in any market it flagged as collateral.
	pub(crate) fn has_collateral(who: &T::AccountId) -> bool {
		MarketsOf::<T>::get(who).iter().any(|m| m.collateral && UTokens::<T>::get(m.asset, who) > 0)
	}
}
