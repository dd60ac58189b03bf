//! The `(service, tier)` pools of running provisions, cheapest first.

use crate::{pallet::*, Provision, ProvisionId, ServiceKind, Tier, UnitPrice};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Insert `id` into the pool of each of its services at its sorted position
	/// (by price, then id).
	///
	/// # Errors
	/// `PoolFull` if any of those pools already holds `MaxPoolSize` entries (nothing is written
	/// for the failing pool; the dispatch's storage layer reverts the others).
	pub(crate) fn join_pools(id: &ProvisionId, provision: &Provision<T>) -> DispatchResult {
		for offer in provision.services.iter() {
			PoolOf::<T>::try_mutate((offer.kind, provision.tier), |pool| -> DispatchResult {
				let entry = (offer.price, *id);
				let pos = pool.binary_search(&entry).unwrap_or_else(|p| p);
				pool.try_insert(pos, entry).map_err(|_| Error::<T>::PoolFull)?;
				Ok(())
			})?;
		}
		Ok(())
	}

	/// Remove `id` from the pool of each of its services (at its current prices).
	pub(crate) fn leave_pools(id: &ProvisionId, provision: &Provision<T>) {
		for offer in provision.services.iter() {
			PoolOf::<T>::mutate((offer.kind, provision.tier), |pool| {
				pool.retain(|(_, p)| p != id);
			});
		}
	}

	/// Up to `n` running provisions offering `service` in `tier`, cheapest first (ties by id),
	/// skipping those whose heartbeat deadline has passed but that `on_initialize` has not yet
	/// turned off. Reads one pool and at most `MaxPoolSize` provisions.
	pub fn cheapest(service: ServiceKind, tier: Tier, n: u32) -> Vec<(ProvisionId, UnitPrice)> {
		PoolOf::<T>::get((service, tier))
			.into_iter()
			.filter(|(_, id)| Self::is_live(id))
			.take(n as usize)
			.map(|(price, id)| (id, price))
			.collect()
	}

	/// Up to `n` live provisions in `Provisions` storage order, starting after `cursor`, and the
	/// cursor to continue from (`None` once the end of the map is reached). Scans at most
	/// `4 * n` entries, so a page may hold fewer than `n` ids while the cursor still advances.
	/// Meant for offchain workers (storage iteration is not weighed).
	pub fn running_page(
		cursor: Option<ProvisionId>,
		n: u32,
	) -> (Vec<ProvisionId>, Option<ProvisionId>) {
		let mut iter = match cursor {
			Some(c) => Provisions::<T>::iter_keys_from(Provisions::<T>::hashed_key_for(c)),
			None => Provisions::<T>::iter_keys(),
		};
		let mut out = Vec::new();
		let mut last = None;
		let budget = (n as usize).saturating_mul(4);
		for _ in 0..budget {
			let Some(id) = iter.next() else {
				return (out, None);
			};
			last = Some(id);
			if Self::is_live(&id) {
				out.push(id);
				if out.len() >= n as usize {
					break;
				}
			}
		}
		(out, last)
	}
}
