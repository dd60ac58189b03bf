//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, Balance, Funding};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect, Get},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_conservation`], [`Self::try_state_escrows`],
	/// [`Self::try_state_api_keys`] and [`Self::try_state_subscriptions`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_conservation()?;
		Self::try_state_escrows()?;
		Self::try_state_api_keys()?;
		Self::try_state_subscriptions()?;
		Ok(())
	}

	/// # Invariants
	/// - `TotalCredits` is the sum of `CreditsOf` (no zero entries) and `TotalEscrowed` the sum
	///   of both parts of every escrow;
	/// - `TotalCredits + TotalEscrowed + SubscriptionPool = deposited - withdrawn`;
	/// - the pallet account holds at least that much stable asset (more only by donations).
	pub fn try_state_conservation() -> Result<(), TryRuntimeError> {
		let mut credits: Balance = 0;
		for (_, c) in CreditsOf::<T>::iter() {
			ensure!(c > 0, "zero credits stored");
			credits = credits.checked_add(c).ok_or("credits overflow")?;
		}
		ensure!(credits == TotalCredits::<T>::get(), "TotalCredits differs from the credits");
		let mut escrowed: Balance = 0;
		for e in Escrows::<T>::iter_values() {
			escrowed = escrowed
				.checked_add(e.payer_part)
				.and_then(|s| s.checked_add(e.treasury_part))
				.ok_or("escrows overflow")?;
		}
		ensure!(escrowed == TotalEscrowed::<T>::get(), "TotalEscrowed differs from the escrows");
		let held = credits
			.checked_add(escrowed)
			.and_then(|s| s.checked_add(SubscriptionPool::<T>::get()))
			.ok_or("held overflows")?;
		let totals = StableTotals::<T>::get();
		let net =
			totals.deposited.checked_sub(totals.withdrawn).ok_or("withdrew more than deposited")?;
		ensure!(held == net, "credits, escrows and pool differ from deposited - withdrawn");
		ensure!(
			T::Assets::balance(T::StableAsset::get(), &Self::account_id()) >= held,
			"pallet account holds less than it owes"
		);
		Ok(())
	}

	/// # Invariants
	/// For every escrow:
	/// - `payer_part = payer_in - payer_paid` and `treasury_part = treasury_in - treasury_paid`;
	/// - only subscription-funded escrows reserve tokens;
	/// - its key, if any, is registered to the payer.
	///
	/// For every payer: `OpenJobsOf` counts its subscription-funded escrows and `ReservedTokensOf` is the sum of
	/// their reserved tokens (no zero entries).
	pub fn try_state_escrows() -> Result<(), TryRuntimeError> {
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut reserved: BTreeMap<T::AccountId, u64> = BTreeMap::new();
		for e in Escrows::<T>::iter_values() {
			ensure!(
				e.payer_in.checked_sub(e.payer_paid) == Some(e.payer_part),
				"payer part differs from what was put in minus paid"
			);
			ensure!(
				e.treasury_in.checked_sub(e.treasury_paid) == Some(e.treasury_part),
				"treasury part differs from what was put in minus paid"
			);
			ensure!(
				e.funding == Funding::Subscription || e.reserved_tokens == 0,
				"credit-funded escrow reserves tokens"
			);
			if let Some(key) = &e.api_key {
				let k = ApiKeys::<T>::get(key).ok_or("escrow of an unknown key")?;
				ensure!(k.owner == e.payer, "escrow's key belongs to someone else");
			}
			if e.funding == Funding::Subscription {
				let n = open.entry(e.payer.clone()).or_default();
				*n = n.checked_add(1).ok_or("open jobs overflow")?;
			}
			if e.reserved_tokens > 0 {
				let r = reserved.entry(e.payer.clone()).or_default();
				*r = r.checked_add(e.reserved_tokens).ok_or("reserved tokens overflow")?;
			}
		}
		for (who, n) in OpenJobsOf::<T>::iter() {
			ensure!(open.remove(&who) == Some(n), "OpenJobsOf differs from the escrows");
		}
		ensure!(open.is_empty(), "OpenJobsOf differs from the escrows");
		for (who, r) in ReservedTokensOf::<T>::iter() {
			ensure!(reserved.remove(&who) == Some(r), "ReservedTokensOf differs from the escrows");
		}
		ensure!(reserved.is_empty(), "ReservedTokensOf differs from the escrows");
		Ok(())
	}

	/// # Invariants
	/// - every key listed in `KeysOf[owner]` is registered to `owner` and not revoked, and
	///   every unrevoked key is listed by its owner;
	/// - no key owns keys, and no owner is its own key;
	/// - a key's `spent` is at least what its open escrows still hold in their payer part.
	pub fn try_state_api_keys() -> Result<(), TryRuntimeError> {
		let mut listed = 0usize;
		for (owner, keys) in KeysOf::<T>::iter() {
			ensure!(!keys.is_empty(), "empty key list stored");
			ensure!(!ApiKeys::<T>::contains_key(&owner), "a key owns keys");
			for key in keys.iter() {
				let k = ApiKeys::<T>::get(key).ok_or("listed key not registered")?;
				ensure!(k.owner == owner && !k.revoked, "listed key revoked or someone else's");
				ensure!(key != &owner, "owner is its own key");
				listed += 1;
			}
		}
		let unrevoked = ApiKeys::<T>::iter_values().filter(|k| !k.revoked).count();
		ensure!(unrevoked == listed, "an unrevoked key is not listed by its owner");
		let mut held: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for e in Escrows::<T>::iter_values() {
			if let Some(key) = e.api_key {
				let h = held.entry(key).or_default();
				*h = h.checked_add(e.payer_part).ok_or("key escrows overflow")?;
			}
		}
		for (key, h) in held {
			let k = ApiKeys::<T>::get(&key).ok_or("escrow of an unknown key")?;
			ensure!(k.spent >= h, "key spent below its open escrows");
		}
		Ok(())
	}

	/// # Invariants
	/// Every subscription has valid terms, at most `requests_per_minute` requests in its
	/// window, and grants no later than its period's start.
	pub fn try_state_subscriptions() -> Result<(), TryRuntimeError> {
		let period = T::SubscriptionPeriod::get();
		for sub in SubscriptionOf::<T>::iter_values() {
			ensure!(sub.terms.is_valid(), "subscription with invalid terms");
			ensure!(
				sub.window_requests <= sub.terms.requests_per_minute,
				"more requests than the rate limit"
			);
			let start = sub.period_end.saturating_sub(period);
			ensure!(sub.grants.iter().all(|g| g.granted_at <= start), "grant from the future");
		}
		Ok(())
	}
}
