//! Supplying and redeeming underlying, u-token transfers and collateral flags.

use crate::{market::math, pallet::*, AssetId, Balance, RedeemAmount};
use cxmpute_math::{
	fixed,
	lending::{mint, redeem, redeem_underlying},
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
};
use sp_arithmetic::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Move `amount` of `asset` from `who` to the pallet account.
	///
	/// # Errors
	/// `InsufficientBalance`, or the asset pallet's error.
	pub(crate) fn pull(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		let free =
			T::Assets::reducible_balance(asset, who, Preservation::Expendable, Fortitude::Polite);
		ensure!(free >= amount, Error::<T>::InsufficientBalance);
		T::Assets::transfer(asset, who, &Self::account_id(), amount, Preservation::Expendable)?;
		Ok(())
	}

	/// Move `amount` of `asset` from the pallet account to `who`.
	///
	/// # Errors
	/// The asset pallet's error (e.g. `who` cannot receive the asset).
	pub(crate) fn push(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		T::Assets::transfer(asset, &Self::account_id(), who, amount, Preservation::Expendable)?;
		Ok(())
	}

	/// Deposit `amount` underlying for u-tokens.
	///
	/// Formula: see [`mint`]; u-tokens rounded down, the first deposit locks
	/// `MinimumLiquidity`.
	///
	/// # Errors
	/// `ZeroAmount`, `UnknownMarket`, `AmountTooSmall`, `MarketInsolvent`, `Overflow`,
	/// `TooManyMarkets`, `InsufficientBalance`.
	pub(crate) fn do_supply(who: T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::do_accrue(asset)?;
		let minted = math::<T, _>(mint(
			amount,
			&market.state(),
			market.params.initial_exchange_rate,
			T::MinimumLiquidity::get(),
		))?;
		market.cash = math::<T, _>(fixed::checked_add(market.cash, amount))?;
		let new_supply = math::<T, _>(fixed::checked_add(minted.to_depositor, minted.locked))?;
		market.total_supply = math::<T, _>(fixed::checked_add(market.total_supply, new_supply))?;
		market.locked = math::<T, _>(fixed::checked_add(market.locked, minted.locked))?;
		let balance =
			math::<T, _>(fixed::checked_add(UTokens::<T>::get(asset, &who), minted.to_depositor))?;
		Self::join_market(&who, asset)?;
		Self::pull(&who, asset, amount)?;
		UTokens::<T>::insert(asset, &who, balance);
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::Supplied {
			who,
			asset,
			amount,
			utokens: minted.to_depositor,
			locked: minted.locked,
		});
		Ok(())
	}

	/// Burn u-tokens for underlying.
	///
	/// Formulas: [`redeem`] (by u-tokens; underlying rounded down) or [`redeem_underlying`]
	/// (by underlying; u-tokens rounded up).
	///
	/// # Errors
	/// `ZeroAmount`, `UnknownMarket`, `InsufficientUTokens`, `InsufficientCash`,
	/// `AmountTooSmall`, `InsufficientCollateral` and the price errors (when the account has
	/// debt).
	pub(crate) fn do_redeem(
		who: T::AccountId,
		asset: AssetId,
		amount: RedeemAmount,
	) -> DispatchResult {
		let requested = match amount {
			RedeemAmount::UTokens(x) | RedeemAmount::Underlying(x) => x,
		};
		ensure!(!requested.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::do_accrue(asset)?;
		let held = UTokens::<T>::get(asset, &who);
		let (burn, out) = match amount {
			RedeemAmount::UTokens(u) => {
				ensure!(u <= held, Error::<T>::InsufficientUTokens);
				(u, math::<T, _>(redeem(u, &market.state()))?)
			},
			RedeemAmount::Underlying(x) => {
				ensure!(held > 0, Error::<T>::InsufficientUTokens);
				let burn = math::<T, _>(redeem_underlying(x, &market.state()))
					.map_err(|_| Error::<T>::InsufficientUTokens)?;
				(burn, x)
			},
		};
		ensure!(burn <= held, Error::<T>::InsufficientUTokens);
		ensure!(out <= Self::available_cash(asset, &market), Error::<T>::InsufficientCash);
		market.cash = math::<T, _>(fixed::checked_sub(market.cash, out))?;
		market.total_supply = math::<T, _>(fixed::checked_sub(market.total_supply, burn))?;
		UTokens::<T>::insert(asset, &who, held.saturating_sub(burn));
		if held == burn {
			UTokens::<T>::remove(asset, &who);
		}
		Markets::<T>::insert(asset, market);
		Self::leave_market_if_empty(&who, asset);
		Self::push(&who, asset, out)?;
		Self::ensure_can_borrow(&who)?;
		Self::deposit_event(Event::Redeemed { who, asset, amount: out, utokens: burn });
		Ok(())
	}

	/// Move `amount` u-tokens of `asset` from `from` to `to`, then check `from`'s health.
	///
	/// # Errors
	/// `ZeroAmount`, `SelfTransfer`, `UnknownMarket`, `InsufficientUTokens`,
	/// `TooManyMarkets`, `InsufficientCollateral` and the price errors (when `from` has debt).
	pub(crate) fn do_transfer_utokens(
		from: T::AccountId,
		to: T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(from != to, Error::<T>::SelfTransfer);
		Self::do_accrue(asset)?;
		Self::move_utokens(&from, &to, asset, amount)?;
		Self::ensure_can_borrow(&from)?;
		Self::deposit_event(Event::UTokensTransferred { asset, from, to, amount });
		Ok(())
	}

	/// Move u-tokens between two accounts, maintaining the account index (no health check).
	///
	/// # Errors
	/// `InsufficientUTokens`, `TooManyMarkets`, `Overflow`.
	pub(crate) fn move_utokens(
		from: &T::AccountId,
		to: &T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		let held = UTokens::<T>::get(asset, from);
		let rest = held.checked_sub(amount).ok_or(Error::<T>::InsufficientUTokens)?;
		let received = math::<T, _>(fixed::checked_add(UTokens::<T>::get(asset, to), amount))?;
		Self::join_market(to, asset)?;
		if rest == 0 {
			UTokens::<T>::remove(asset, from);
		} else {
			UTokens::<T>::insert(asset, from, rest);
		}
		UTokens::<T>::insert(asset, to, received);
		Self::leave_market_if_empty(from, asset);
		Ok(())
	}

	/// Count `who`'s u-tokens of `asset` as collateral.
	///
	/// # Errors
	/// `UnknownMarket`, `NotCollateralAsset`, `TooManyMarkets`.
	pub(crate) fn do_enable_collateral(who: T::AccountId, asset: AssetId) -> DispatchResult {
		let market = Self::stored_market(asset)?;
		ensure!(!market.params.collateral_factor.is_zero(), Error::<T>::NotCollateralAsset);
		Self::set_collateral_flag(&who, asset, true)?;
		Self::deposit_event(Event::CollateralEnabled { who, asset });
		Ok(())
	}

	/// Stop counting `who`'s u-tokens of `asset` as collateral.
	///
	/// # Errors
	/// `UnknownMarket`, `CollateralNotEnabled`, `InsufficientCollateral` and the price errors
	/// (when the account has debt).
	pub(crate) fn do_disable_collateral(who: T::AccountId, asset: AssetId) -> DispatchResult {
		Self::stored_market(asset)?;
		ensure!(Self::is_collateral(&who, asset), Error::<T>::CollateralNotEnabled);
		Self::set_collateral_flag(&who, asset, false)?;
		Self::leave_market_if_empty(&who, asset);
		Self::ensure_can_borrow(&who)?;
		Self::deposit_event(Event::CollateralDisabled { who, asset });
		Ok(())
	}
}
