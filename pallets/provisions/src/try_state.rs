//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, ProvisionId, ProvisionState, MAX_SERVICES};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_pools`], [`Self::try_state_workers`],
	/// [`Self::try_state_providers`], [`Self::try_state_deadlines`] and
	/// [`Self::try_state_offers`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_pools()?;
		Self::try_state_workers()?;
		Self::try_state_providers()?;
		Self::try_state_deadlines()?;
		Self::try_state_offers()?;
		Ok(())
	}

	/// # Invariants
	/// - `ServiceOffers` holds, for each service kind, how many registered provisions offer
	///   it, and no entry for a kind none offers;
	/// - `ModelOffers` holds, for each model, how many registered provisions offer inference
	///   on it (a model listed twice by one provision counts once), and no entry for others.
	pub fn try_state_offers() -> Result<(), TryRuntimeError> {
		let mut kinds = BTreeMap::new();
		let mut models = BTreeMap::new();
		for p in Provisions::<T>::iter_values() {
			let mut own = alloc::collections::btree_set::BTreeSet::new();
			for offer in p.services.iter() {
				*kinds.entry(offer.kind).or_insert(0u32) += 1;
				own.extend(offer.models.iter().copied());
			}
			for model in own {
				*models.entry(model).or_insert(0u32) += 1;
			}
		}
		ensure!(
			ServiceOffers::<T>::iter().collect::<BTreeMap<_, _>>() == kinds,
			"ServiceOffers does not count the registered provisions' services"
		);
		ensure!(
			ModelOffers::<T>::iter().collect::<BTreeMap<_, _>>() == models,
			"ModelOffers does not count the registered provisions' models"
		);
		Ok(())
	}

	/// # Invariants
	/// - every pool is sorted strictly ascending by `(price, id)` (so holds no duplicate) and
	///   holds at most `MaxPoolSize` entries;
	/// - every pool entry is a `Running` provision of the pool's tier offering the pool's
	///   service at the entry's price;
	/// - every `Running` provision is in the pool of each of its services (pools hold exactly
	///   as many entries as running provisions offer services);
	/// - `RunningCapacity` is the summed capacity of the `Running` provisions.
	pub fn try_state_pools() -> Result<(), TryRuntimeError> {
		let mut entries = 0usize;
		for ((service, tier), pool) in PoolOf::<T>::iter() {
			ensure!(pool.len() as u32 <= T::MaxPoolSize::get(), "pool larger than MaxPoolSize");
			ensure!(pool.windows(2).all(|w| w[0] < w[1]), "pool not strictly sorted");
			for (price, id) in pool.iter() {
				let p = Provisions::<T>::get(id).ok_or("pool entry of an unknown provision")?;
				ensure!(
					p.state == ProvisionState::Running,
					"pool entry of a provision not running"
				);
				ensure!(p.tier == tier, "pool entry in the wrong tier");
				ensure!(p.price_of(service) == Some(*price), "pool entry with a wrong price");
				entries += 1;
			}
		}
		let expected: usize = Provisions::<T>::iter_values()
			.filter(|p| p.state == ProvisionState::Running)
			.map(|p| p.services.len())
			.sum();
		ensure!(entries == expected, "a running provision is missing from a pool");
		let capacity: u64 = Provisions::<T>::iter_values()
			.filter(|p| p.state == ProvisionState::Running)
			.map(|p| u64::from(p.capacity))
			.sum();
		ensure!(RunningCapacity::<T>::get() == capacity, "RunningCapacity is not the running sum");
		Ok(())
	}

	/// # Invariants
	/// - a provision's worker key maps back to it in `ProvisionOfWorker`;
	/// - every `ProvisionOfWorker` entry names an existing provision whose worker is that key;
	/// - an active (`Started`/`Running`) provision has a worker key.
	pub fn try_state_workers() -> Result<(), TryRuntimeError> {
		for (id, p) in Provisions::<T>::iter() {
			if let Some(worker) = &p.worker {
				ensure!(
					ProvisionOfWorker::<T>::get(worker) == Some(id),
					"worker key not indexed to its provision"
				);
			} else {
				ensure!(!p.state.is_active(), "active provision without a worker key");
			}
		}
		for (worker, id) in ProvisionOfWorker::<T>::iter() {
			let p = Provisions::<T>::get(id).ok_or("worker index names an unknown provision")?;
			ensure!(p.worker == Some(worker), "worker index disagrees with the provision");
		}
		Ok(())
	}

	/// # Invariants
	/// - every provision's id is `provision_id(provider, nonce)` with `nonce` below the
	///   provider's `NonceOf`, and it is listed once in `ProvisionsOf[provider]`;
	/// - every listed id is a provision of that provider;
	/// - services are at most one per kind, sorted by kind, with non-zero prices.
	pub fn try_state_providers() -> Result<(), TryRuntimeError> {
		let mut listed = 0usize;
		for (provider, list) in ProvisionsOf::<T>::iter() {
			for (i, id) in list.iter().enumerate() {
				ensure!(!list[..i].contains(id), "provision listed twice");
				let p = Provisions::<T>::get(id).ok_or("listed provision is unknown")?;
				ensure!(p.provider == provider, "provision listed under another provider");
				listed += 1;
			}
		}
		let mut count = 0usize;
		for (id, p) in Provisions::<T>::iter() {
			ensure!(Self::provision_id(&p.provider, p.nonce) == id, "id not derived from nonce");
			ensure!(p.nonce < NonceOf::<T>::get(&p.provider), "nonce not below the counter");
			ensure!(p.services.len() as u32 <= MAX_SERVICES, "too many services");
			ensure!(
				p.services.windows(2).all(|w| w[0].kind < w[1].kind),
				"services not sorted or duplicated"
			);
			ensure!(p.services.iter().all(|s| s.price != 0), "zero price stored");
			count += 1;
		}
		ensure!(listed == count, "a provision is not listed under its provider");
		Ok(())
	}

	/// # Invariants
	/// - an active provision has a deadline and is in exactly that block's queue, once;
	/// - an inactive provision has no deadline;
	/// - every queue entry is an active provision whose deadline is that block.
	pub fn try_state_deadlines() -> Result<(), TryRuntimeError> {
		let mut queued: BTreeMap<ProvisionId, u32> = BTreeMap::new();
		for (at, queue) in DeadlinesAt::<T>::iter() {
			for id in queue.iter() {
				let p = Provisions::<T>::get(id).ok_or("queued provision is unknown")?;
				ensure!(p.state.is_active(), "inactive provision queued");
				ensure!(p.deadline == Some(at), "provision queued at the wrong block");
				*queued.entry(*id).or_default() += 1;
			}
		}
		ensure!(queued.values().all(|n| *n == 1), "provision queued twice");
		let mut active = 0usize;
		for (_, p) in Provisions::<T>::iter() {
			ensure!(p.state.is_active() == p.deadline.is_some(), "deadline iff active");
			active += usize::from(p.state.is_active());
		}
		ensure!(active == queued.len(), "active provision not queued");
		Ok(())
	}
}
