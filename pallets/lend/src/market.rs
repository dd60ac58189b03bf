//! Markets: creation, parameter validation, the account index and shared helpers.

use crate::{
	pallet::*, AccountMarket, AssetId, Balance, Market, MarketParams, MAX_BORROW_RATE,
	MAX_LIQUIDATION_BONUS,
};
use cxmpute_math::{
	fixed::{self, Rounding},
	lending::{total_underlying, InterestRateModel},
	MathError,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungibles::Inspect, Get},
};
use sp_arithmetic::{
	traits::{One, Zero},
	FixedU128, PerThing, Permill,
};
use sp_runtime::traits::AccountIdConversion;

impl<T> From<MathError> for Error<T> {
	fn from(e: MathError) -> Self {
		match e {
			MathError::Overflow => Error::<T>::Overflow,
			MathError::Underflow | MathError::InvalidInput => Error::<T>::InconsistentMarket,
			MathError::DivisionByZero => Error::<T>::MarketInsolvent,
			MathError::AmountTooSmall => Error::<T>::AmountTooSmall,
		}
	}
}

/// Converts a math result into a pallet result.
pub(crate) fn math<T: Config, V>(r: Result<V, MathError>) -> Result<V, Error<T>> {
	r.map_err(Error::<T>::from)
}

impl<T: Config> Pallet<T> {
	/// The account holding every market's cash.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Check market parameters.
	///
	/// # Errors
	/// `InvalidRateModel`, `InvalidReserveFactor`, `InvalidCollateralFactor`,
	/// `InvalidLiquidationBonus`, `InvalidExchangeRate`: see [`Error`].
	pub fn validate_params(params: &MarketParams) -> DispatchResult {
		let kink = params.rate_model.kink;
		ensure!(!kink.is_zero() && kink < PerThing::one(), Error::<T>::InvalidRateModel);
		let model: InterestRateModel = params.rate_model.into();
		let max_rate =
			model.borrow_rate(FixedU128::one()).map_err(|_| Error::<T>::InvalidRateModel)?;
		ensure!(max_rate <= MAX_BORROW_RATE, Error::<T>::InvalidRateModel);
		ensure!(params.reserve_factor < Permill::one(), Error::<T>::InvalidReserveFactor);
		ensure!(
			params.liquidation_threshold < Permill::one()
				&& params.collateral_factor <= params.liquidation_threshold,
			Error::<T>::InvalidCollateralFactor
		);
		ensure!(
			params.liquidation_bonus <= MAX_LIQUIDATION_BONUS,
			Error::<T>::InvalidLiquidationBonus
		);
		// threshold * (1 + bonus) <= 1, in parts per million squared (fits in u64).
		let acc = u64::from(Permill::ACCURACY);
		let lhs = u64::from(params.liquidation_threshold.deconstruct())
			.saturating_mul(acc.saturating_add(u64::from(params.liquidation_bonus.deconstruct())));
		ensure!(lhs <= acc.saturating_mul(acc), Error::<T>::InvalidLiquidationBonus);
		ensure!(!params.initial_exchange_rate.is_zero(), Error::<T>::InvalidExchangeRate);
		Ok(())
	}

	/// Create the market of `asset`.
	///
	/// # Errors
	/// `MarketExists`, `UnknownAsset`, and those of [`Self::validate_params`].
	pub(crate) fn do_create_market(asset: AssetId, params: MarketParams) -> DispatchResult {
		ensure!(!Markets::<T>::contains_key(asset), Error::<T>::MarketExists);
		ensure!(T::Assets::asset_exists(asset), Error::<T>::UnknownAsset);
		Self::validate_params(&params)?;
		let market = Market::<T> {
			params,
			cash: 0,
			total_borrows: 0,
			total_reserves: 0,
			total_supply: 0,
			locked: 0,
			borrow_index: FixedU128::one(),
			accrued_at: frame_system::Pallet::<T>::block_number(),
		};
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::MarketCreated { asset, params });
		Ok(())
	}

	/// Accrue the market of `asset` at its old parameters, then replace them.
	///
	/// # Errors
	/// `UnknownMarket`, those of [`Self::validate_params`] and of [`Self::do_accrue`].
	pub(crate) fn do_update_market(asset: AssetId, params: MarketParams) -> DispatchResult {
		Self::validate_params(&params)?;
		let mut market = Self::do_accrue(asset)?;
		market.params = params;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::MarketUpdated { asset, params });
		Ok(())
	}

	/// Underlying of the market that can leave it now: `cash`, less a flash loan of this
	/// asset in progress.
	pub(crate) fn available_cash(asset: AssetId, market: &Market<T>) -> Balance {
		match ActiveFlashLoan::<T>::get() {
			Some((a, lent)) if a == asset => market.cash.saturating_sub(lent),
			_ => market.cash,
		}
	}

	/// Underlying that `utokens` u-tokens redeem for: `utokens * (cash + borrows - reserves) /
	/// total_supply`, rounded **down** (0 when nothing is supplied).
	///
	/// # Errors
	/// `InconsistentMarket`, `Overflow`.
	pub(crate) fn utokens_to_underlying(
		market: &Market<T>,
		utokens: Balance,
	) -> Result<Balance, Error<T>> {
		if utokens == 0 || market.total_supply == 0 {
			return Ok(0);
		}
		let assets =
			math(total_underlying(market.cash, market.total_borrows, market.total_reserves))?;
		math(fixed::mul_div(utokens, assets, market.total_supply, Rounding::Down))
	}

	/// Add `asset` to the markets of `who` (not as collateral) if missing.
	///
	/// # Errors
	/// `TooManyMarkets`.
	pub(crate) fn join_market(who: &T::AccountId, asset: AssetId) -> DispatchResult {
		MarketsOf::<T>::try_mutate(who, |list| {
			if list.iter().any(|m| m.asset == asset) {
				return Ok(());
			}
			list.try_push(AccountMarket { asset, collateral: false })
				.map_err(|_| Error::<T>::TooManyMarkets.into())
		})
	}

	/// Remove `asset` from the markets of `who` when the account holds no u-tokens, owes
	/// nothing and has not flagged it as collateral.
	pub(crate) fn leave_market_if_empty(who: &T::AccountId, asset: AssetId) {
		if UTokens::<T>::get(asset, who) != 0 || Borrows::<T>::contains_key(asset, who) {
			return;
		}
		MarketsOf::<T>::mutate_exists(who, |maybe| {
			if let Some(list) = maybe {
				list.retain(|m| m.asset != asset || m.collateral);
				if list.is_empty() {
					*maybe = None;
				}
			}
		});
	}

	/// Set the collateral flag of `asset` for `who`, joining the market if needed.
	///
	/// # Errors
	/// `TooManyMarkets`.
	pub(crate) fn set_collateral_flag(
		who: &T::AccountId,
		asset: AssetId,
		collateral: bool,
	) -> DispatchResult {
		Self::join_market(who, asset)?;
		MarketsOf::<T>::mutate(who, |list| {
			for m in list.iter_mut().filter(|m| m.asset == asset) {
				m.collateral = collateral;
			}
		});
		Ok(())
	}

	/// Whether `who` flagged `asset` as collateral.
	pub(crate) fn is_collateral(who: &T::AccountId, asset: AssetId) -> bool {
		MarketsOf::<T>::get(who).iter().any(|m| m.asset == asset && m.collateral)
	}

	/// The market of `asset` as stored (not accrued).
	///
	/// # Errors
	/// `UnknownMarket`.
	pub(crate) fn stored_market(asset: AssetId) -> Result<Market<T>, Error<T>> {
		Markets::<T>::get(asset).ok_or(Error::<T>::UnknownMarket)
	}
}
