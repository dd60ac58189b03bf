//! API keys: accounts that sign jobs on behalf of their owner, limited by scopes and a
//! spending cap.

use crate::{pallet::*, ApiKey, Balance, ServiceKind};
use alloc::vec::Vec;
use frame_support::{ensure, BoundedVec};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Register `key` for `owner`.
	///
	/// # Errors
	/// [`Error::KeyIsOwner`], [`Error::KeyCannotOwnKeys`] (the owner is a key),
	/// [`Error::ApiKeyExists`], [`Error::KeyOwnsKeys`], [`Error::InvalidScopes`],
	/// [`Error::TooManyApiKeys`].
	pub(crate) fn do_register_api_key(
		owner: T::AccountId,
		key: T::AccountId,
		mut scopes: Vec<ServiceKind>,
		spending_cap: Balance,
	) -> DispatchResult {
		ensure!(key != owner, Error::<T>::KeyIsOwner);
		ensure!(!ApiKeys::<T>::contains_key(&owner), Error::<T>::KeyCannotOwnKeys);
		ensure!(!ApiKeys::<T>::contains_key(&key), Error::<T>::ApiKeyExists);
		ensure!(KeysOf::<T>::get(&key).is_empty(), Error::<T>::KeyOwnsKeys);
		let len = scopes.len();
		scopes.sort();
		scopes.dedup();
		ensure!(len > 0 && scopes.len() == len, Error::<T>::InvalidScopes);
		let scopes: BoundedVec<_, _> = scopes.try_into().map_err(|_| Error::<T>::InvalidScopes)?;
		KeysOf::<T>::try_mutate(&owner, |keys| {
			keys.try_push(key.clone()).map_err(|_| Error::<T>::TooManyApiKeys)
		})?;
		ApiKeys::<T>::insert(
			&key,
			ApiKey { owner: owner.clone(), scopes, spending_cap, spent: 0, revoked: false },
		);
		Self::deposit_event(Event::ApiKeyRegistered { owner, key, spending_cap });
		Ok(())
	}

	/// The key `key` of `owner`, unrevoked.
	///
	/// # Errors
	/// [`Error::UnknownApiKey`], [`Error::NotKeyOwner`], [`Error::ApiKeyRevoked`].
	fn owned_key(
		owner: &T::AccountId,
		key: &T::AccountId,
	) -> Result<ApiKey<T::AccountId>, DispatchError> {
		let k = ApiKeys::<T>::get(key).ok_or(Error::<T>::UnknownApiKey)?;
		ensure!(&k.owner == owner, Error::<T>::NotKeyOwner);
		ensure!(!k.revoked, Error::<T>::ApiKeyRevoked);
		Ok(k)
	}

	/// Revoke `key`: it signs nothing any more and frees a slot of `owner`'s.
	///
	/// # Errors
	/// Those of [`Self::owned_key`].
	pub(crate) fn do_revoke_api_key(owner: T::AccountId, key: T::AccountId) -> DispatchResult {
		let mut k = Self::owned_key(&owner, &key)?;
		k.revoked = true;
		ApiKeys::<T>::insert(&key, k);
		KeysOf::<T>::mutate_exists(&owner, |keys| {
			if let Some(list) = keys {
				list.retain(|x| x != &key);
				if list.is_empty() {
					*keys = None;
				}
			}
		});
		Self::deposit_event(Event::ApiKeyRevoked { owner, key });
		Ok(())
	}

	/// Set `key`'s spending cap.
	///
	/// # Errors
	/// Those of [`Self::owned_key`].
	pub(crate) fn do_set_api_key_cap(
		owner: T::AccountId,
		key: T::AccountId,
		spending_cap: Balance,
	) -> DispatchResult {
		let mut k = Self::owned_key(&owner, &key)?;
		k.spending_cap = spending_cap;
		ApiKeys::<T>::insert(&key, k);
		Self::deposit_event(Event::ApiKeyCapSet { key, spending_cap });
		Ok(())
	}

	/// If `signer` is an API key: check it may buy `service` for `amount` more, count `amount`
	/// as spent and return its owner. `None` when `signer` is not a key.
	///
	/// # Errors
	/// [`Error::ApiKeyRevoked`], [`Error::OutOfScope`], [`Error::SpendingCapExceeded`],
	/// [`Error::Overflow`].
	pub(crate) fn charge_key(
		signer: &T::AccountId,
		service: ServiceKind,
		amount: Balance,
	) -> Result<Option<T::AccountId>, DispatchError> {
		let Some(mut k) = ApiKeys::<T>::get(signer) else { return Ok(None) };
		ensure!(!k.revoked, Error::<T>::ApiKeyRevoked);
		ensure!(k.scopes.contains(&service), Error::<T>::OutOfScope);
		k.spent = k.spent.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		ensure!(k.spent <= k.spending_cap, Error::<T>::SpendingCapExceeded);
		let owner = k.owner.clone();
		ApiKeys::<T>::insert(signer, k);
		Ok(Some(owner))
	}

	/// Count a top-up of `amount` of a job signed by `key` against the key's cap (a revoked
	/// key's running jobs may still be topped up within the cap).
	///
	/// # Errors
	/// [`Error::SpendingCapExceeded`], [`Error::Overflow`].
	pub(crate) fn charge_key_topup(key: &T::AccountId, amount: Balance) -> DispatchResult {
		ApiKeys::<T>::try_mutate(key, |k| {
			if let Some(k) = k {
				k.spent = k.spent.checked_add(amount).ok_or(Error::<T>::Overflow)?;
				ensure!(k.spent <= k.spending_cap, Error::<T>::SpendingCapExceeded);
			}
			Ok(())
		})
	}
}
