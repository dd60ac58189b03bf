//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, AssetId, Balance};
use alloc::collections::btree_map::BTreeMap;
use cxmpute_math::{
	fixed::{self, Rounding},
	lending::{debt_of, total_underlying},
};
use frame_support::{ensure, traits::fungibles::Inspect};
use sp_arithmetic::{traits::One, FixedU128};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_utokens`], [`Self::try_state_borrows`],
	/// [`Self::try_state_accounts`] and [`Self::try_state_cash`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_utokens()?;
		Self::try_state_borrows()?;
		Self::try_state_accounts()?;
		Self::try_state_cash()?;
		Ok(())
	}

	/// # Invariants
	/// For every market, with `A = cash + borrows - reserves` (which must not underflow) and
	/// `S = total_supply`:
	/// - `S = locked + sum of the holders' u-tokens`, no stored balance is zero, and
	///   `locked > 0` whenever `S > 0` (first-depositor protection);
	/// - what the holders can redeem, `R = sum(floor(u_i * A / S))`, satisfies `R <= A` and
	///   `A - R <= ceil(locked * A / S) + holders`: `A` is exactly what the holders and the
	///   locked shares own, less at most one unit of rounding per holder.
	pub fn try_state_utokens() -> Result<(), TryRuntimeError> {
		let mut holders: BTreeMap<AssetId, (Balance, u128, Balance)> = BTreeMap::new();
		for (asset, _, balance) in UTokens::<T>::iter() {
			ensure!(balance > 0, "zero u-token balance stored");
			ensure!(Markets::<T>::contains_key(asset), "u-tokens of an unknown market");
			let market = Markets::<T>::get(asset).ok_or("u-tokens of an unknown market")?;
			let assets = total_underlying(market.cash, market.total_borrows, market.total_reserves)
				.map_err(|_| "reserves exceed the market's assets")?;
			let redeemable = fixed::mul_div(balance, assets, market.total_supply, Rounding::Down)
				.map_err(|_| "u-tokens exceed the total supply")?;
			let entry = holders.entry(asset).or_default();
			entry.0 = entry.0.checked_add(balance).ok_or("u-token sum overflows")?;
			entry.1 = entry.1.saturating_add(1);
			entry.2 = entry.2.checked_add(redeemable).ok_or("redeemable sum overflows")?;
		}
		for (asset, market) in Markets::<T>::iter() {
			let (sum, count, redeemable) = holders.get(&asset).copied().unwrap_or_default();
			ensure!(
				market.locked.checked_add(sum) == Some(market.total_supply),
				"total supply differs from the u-token ledger"
			);
			ensure!(market.total_supply == 0 || market.locked > 0, "no locked minimum liquidity");
			let assets = total_underlying(market.cash, market.total_borrows, market.total_reserves)
				.map_err(|_| "reserves exceed the market's assets")?;
			ensure!(redeemable <= assets, "holders can redeem more than the market owns");
			if market.total_supply > 0 {
				let locked_share =
					fixed::mul_div(market.locked, assets, market.total_supply, Rounding::Up)
						.map_err(|_| "locked share overflows")?;
				ensure!(
					assets.saturating_sub(redeemable) <= locked_share.saturating_add(count),
					"market owns more than holders can redeem"
				);
			} else {
				ensure!(assets == 0, "assets without u-tokens");
			}
			ensure!(market.borrow_index >= FixedU128::one(), "borrow index below one");
		}
		Ok(())
	}

	/// # Invariants
	/// - every debt snapshot has a non-zero principal and an index between 1 and its market's
	///   index, in an existing market;
	/// - per market, the sum of the debts (each rounded up) is at least `total_borrows`
	///   (which rounds down), so `total_borrows` never overstates what is owed.
	pub fn try_state_borrows() -> Result<(), TryRuntimeError> {
		let mut debts: BTreeMap<AssetId, Balance> = BTreeMap::new();
		for (asset, _, snapshot) in Borrows::<T>::iter() {
			let market = Markets::<T>::get(asset).ok_or("debt in an unknown market")?;
			ensure!(snapshot.principal > 0, "zero debt stored");
			ensure!(snapshot.index >= FixedU128::one(), "debt index below one");
			let debt = debt_of(snapshot.principal, snapshot.index, market.borrow_index)
				.map_err(|_| "debt index above the market's")?;
			let sum = debts.entry(asset).or_default();
			*sum = sum.checked_add(debt).ok_or("debt sum overflows")?;
		}
		for (asset, market) in Markets::<T>::iter() {
			let sum = debts.get(&asset).copied().unwrap_or_default();
			ensure!(sum >= market.total_borrows, "total borrows exceed the debts");
		}
		Ok(())
	}

	/// # Invariants
	/// - an account lists each market at most once, only existing markets, and at most
	///   `MaxMarketsPerAccount` (bounded by type);
	/// - a listed market has u-tokens, a debt or the collateral flag of the account;
	/// - every u-token balance and debt is listed under its account.
	pub fn try_state_accounts() -> Result<(), TryRuntimeError> {
		for (who, list) in MarketsOf::<T>::iter() {
			ensure!(!list.is_empty(), "empty market list stored");
			for (i, entry) in list.iter().enumerate() {
				ensure!(
					!list.iter().take(i).any(|m| m.asset == entry.asset),
					"market listed twice"
				);
				ensure!(Markets::<T>::contains_key(entry.asset), "listed market is unknown");
				ensure!(
					entry.collateral
						|| UTokens::<T>::contains_key(entry.asset, &who)
						|| Borrows::<T>::contains_key(entry.asset, &who),
					"empty market listed"
				);
			}
		}
		let listed = |asset: AssetId, who: &T::AccountId| {
			MarketsOf::<T>::get(who).iter().any(|m| m.asset == asset)
		};
		for (asset, who, _) in UTokens::<T>::iter() {
			ensure!(listed(asset, &who), "u-tokens of an unlisted market");
		}
		for (asset, who, _) in Borrows::<T>::iter() {
			ensure!(listed(asset, &who), "debt in an unlisted market");
		}
		Ok(())
	}

	/// # Invariants
	/// - no flash loan is in progress between calls;
	/// - the pallet account holds at least each market's cash (donations may add more; they
	///   are not cash).
	pub fn try_state_cash() -> Result<(), TryRuntimeError> {
		ensure!(!ActiveFlashLoan::<T>::exists(), "flash loan left open");
		let account = Self::account_id();
		for (asset, market) in Markets::<T>::iter() {
			ensure!(
				T::Assets::balance(asset, &account) >= market.cash,
				"pallet account holds less than the cash"
			);
		}
		Ok(())
	}
}
