//! Registering, editing and removing provisions.

use crate::{
	pallet::*, HardwareInput, HardwareSpec, PriceCeiling, Provision, ProvisionId, ProvisionState,
	ServiceInput, ServiceKind, ServiceOffer, Tier, UnitPrice, MAX_CPU_CORES, MAX_DISK_GB,
	MAX_RAM_MB, MAX_SERVICES, MAX_VRAM_MB,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The id of `provider`'s provision registered with `nonce`:
	/// `blake2_256((provider, nonce).encode())`.
	pub fn provision_id(provider: &T::AccountId, nonce: u64) -> ProvisionId {
		sp_io::hashing::blake2_256(&(provider, nonce).encode())
	}

	/// The DID of provision `id`: `did:cxmpute:<hex>`.
	pub fn did(id: &ProvisionId) -> alloc::string::String {
		crate::provision_did(id)
	}

	/// The provision `id`, if `who` is its provider.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`.
	pub(crate) fn provision_of_provider(
		who: &T::AccountId,
		id: &ProvisionId,
	) -> Result<Provision<T>, DispatchError> {
		let provision = Provisions::<T>::get(id).ok_or(Error::<T>::UnknownProvision)?;
		ensure!(&provision.provider == who, Error::<T>::NotProvider);
		Ok(provision)
	}

	/// Check and bound a hardware spec.
	///
	/// # Errors
	/// `SpecOutOfBounds`.
	fn checked_spec(spec: HardwareInput) -> Result<HardwareSpec<T>, DispatchError> {
		let ok = (1..=MAX_CPU_CORES).contains(&spec.cpu_cores)
			&& (1..=MAX_RAM_MB).contains(&spec.ram_mb)
			&& (1..=MAX_DISK_GB).contains(&spec.disk_gb)
			&& spec.vram_mb <= MAX_VRAM_MB
			&& !spec.region.is_empty();
		ensure!(ok, Error::<T>::SpecOutOfBounds);
		Ok(HardwareSpec {
			gpu_model: BoundedVec::try_from(spec.gpu_model)
				.map_err(|_| Error::<T>::SpecOutOfBounds)?,
			vram_mb: spec.vram_mb,
			cpu_cores: spec.cpu_cores,
			ram_mb: spec.ram_mb,
			disk_gb: spec.disk_gb,
			region: BoundedVec::try_from(spec.region).map_err(|_| Error::<T>::SpecOutOfBounds)?,
		})
	}

	/// Check and bound the offered services, sorted by kind.
	///
	/// # Errors
	/// `NoServices`, `TooManyServices`, `DuplicateService`, `PriceZero`, `PriceAboveCeiling`,
	/// `BadModels`.
	fn checked_services(
		mut services: Vec<ServiceInput>,
		tier: Tier,
	) -> Result<BoundedVec<ServiceOffer<T>, crate::MaxServices>, DispatchError> {
		ensure!(!services.is_empty(), Error::<T>::NoServices);
		ensure!(services.len() <= MAX_SERVICES as usize, Error::<T>::TooManyServices);
		services.sort_by_key(|s| s.kind);
		let mut out = Vec::with_capacity(services.len());
		for (i, s) in services.into_iter().enumerate() {
			ensure!(
				i == 0 || out.last().map(|o: &ServiceOffer<T>| o.kind) != Some(s.kind),
				Error::<T>::DuplicateService
			);
			Self::ensure_price(s.kind, tier, s.price)?;
			ensure!(s.kind == ServiceKind::Inference || s.models.is_empty(), Error::<T>::BadModels);
			let models = BoundedVec::try_from(s.models).map_err(|_| Error::<T>::BadModels)?;
			out.push(ServiceOffer { kind: s.kind, price: s.price, models });
		}
		BoundedVec::try_from(out).map_err(|_| Error::<T>::TooManyServices.into())
	}

	/// Check a quoted price: not zero, not above the tier's ceiling.
	///
	/// # Errors
	/// `PriceZero`, `PriceAboveCeiling`.
	fn ensure_price(kind: ServiceKind, tier: Tier, price: UnitPrice) -> DispatchResult {
		ensure!(price != 0, Error::<T>::PriceZero);
		if let Some(ceiling) = T::PriceCeiling::ceiling(kind, tier) {
			ensure!(price <= ceiling, Error::<T>::PriceAboveCeiling);
		}
		Ok(())
	}

	/// Check that an availability window has not ended.
	///
	/// # Errors
	/// `AvailabilityInPast`.
	pub(crate) fn ensure_available(until: Option<BlockNumberFor<T>>) -> DispatchResult {
		if let Some(until) = until {
			ensure!(
				until >= frame_system::Pallet::<T>::block_number(),
				Error::<T>::AvailabilityInPast
			);
		}
		Ok(())
	}

	/// Register a provision of `provider` in `Draft`; returns its id.
	///
	/// # Errors
	/// `SpecOutOfBounds`, `NoServices`, `TooManyServices`, `DuplicateService`, `PriceZero`,
	/// `PriceAboveCeiling`, `BadModels`, `EndpointTooLong`, `AvailabilityInPast`, `CapacityZero`,
	/// `TooManyProvisions`, `NonceOverflow`.
	pub(crate) fn do_register(
		provider: T::AccountId,
		spec: HardwareInput,
		services: Vec<ServiceInput>,
		endpoint: Vec<u8>,
		available_until: Option<BlockNumberFor<T>>,
		capacity: u32,
	) -> Result<ProvisionId, DispatchError> {
		let spec = Self::checked_spec(spec)?;
		let services = Self::checked_services(services, Tier::from_vram_mb(spec.vram_mb))?;
		ensure!(!endpoint.is_empty(), Error::<T>::EndpointTooLong);
		let endpoint = BoundedVec::try_from(endpoint).map_err(|_| Error::<T>::EndpointTooLong)?;
		Self::ensure_available(available_until)?;
		ensure!(capacity > 0, Error::<T>::CapacityZero);

		let nonce = NonceOf::<T>::get(&provider);
		let next = nonce.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
		let id = Self::provision_id(&provider, nonce);
		let mut list = ProvisionsOf::<T>::get(&provider);
		list.try_push(id).map_err(|_| Error::<T>::TooManyProvisions)?;
		// A fresh (provider, nonce) pair hashes to a fresh id unless blake2 collides.
		ensure!(!Provisions::<T>::contains_key(id), Error::<T>::NonceOverflow);

		let tier = Tier::from_vram_mb(spec.vram_mb);
		let provision = Provision::<T> {
			provider: provider.clone(),
			nonce,
			spec,
			tier,
			services,
			endpoint,
			available_until,
			capacity,
			state: ProvisionState::Draft,
			worker: None,
			last_heartbeat: Zero::zero(),
			deadline: None,
		};
		Self::count_offers(&provision.services, true);
		Provisions::<T>::insert(id, provision);
		ProvisionsOf::<T>::insert(&provider, list);
		NonceOf::<T>::insert(&provider, next);
		Self::deposit_event(Event::ProvisionRegistered { id, provider, tier });
		Ok(id)
	}

	/// Change prices of offered services; re-sort the pools of a running provision.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `NoServices` (empty list), `TooManyServices`,
	/// `ServiceNotOffered`, `PriceZero`, `PriceAboveCeiling`.
	pub(crate) fn do_update_prices(
		who: T::AccountId,
		id: ProvisionId,
		prices: Vec<(ServiceKind, UnitPrice)>,
	) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		ensure!(!prices.is_empty(), Error::<T>::NoServices);
		ensure!(prices.len() <= MAX_SERVICES as usize, Error::<T>::TooManyServices);
		let running = provision.state == ProvisionState::Running;
		if running {
			Self::leave_pools(&id, &provision);
		}
		for (kind, price) in prices {
			Self::ensure_price(kind, provision.tier, price)?;
			let offer = provision
				.services
				.iter_mut()
				.find(|s| s.kind == kind)
				.ok_or(Error::<T>::ServiceNotOffered)?;
			offer.price = price;
		}
		if running {
			Self::join_pools(&id, &provision)?;
		}
		Provisions::<T>::insert(id, provision);
		Self::deposit_event(Event::PricesUpdated { id });
		Ok(())
	}

	/// Replace the offered services; move a running provision between pools accordingly.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `NoServices`, `TooManyServices`, `DuplicateService`,
	/// `PriceZero`, `PriceAboveCeiling`, `BadModels`, `PoolFull` (nothing is changed then).
	pub(crate) fn do_set_services(
		who: T::AccountId,
		id: ProvisionId,
		services: Vec<ServiceInput>,
	) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		let services = Self::checked_services(services, provision.tier)?;
		let running = provision.state == ProvisionState::Running;
		if running {
			Self::leave_pools(&id, &provision);
		}
		Self::count_offers(&provision.services, false);
		Self::count_offers(&services, true);
		provision.services = services;
		if running {
			Self::join_pools(&id, &provision)?;
		}
		Provisions::<T>::insert(id, provision);
		Self::deposit_event(Event::ServicesUpdated { id });
		Ok(())
	}

	/// Set the availability window.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `AvailabilityInPast`.
	pub(crate) fn do_set_availability(
		who: T::AccountId,
		id: ProvisionId,
		until: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut provision = Self::provision_of_provider(&who, &id)?;
		Self::ensure_available(until)?;
		provision.available_until = until;
		Provisions::<T>::insert(id, provision);
		Self::deposit_event(Event::AvailabilitySet { id, until });
		Ok(())
	}

	/// Remove a `Draft` or `Off` provision, its worker index entry and its provider-list entry.
	///
	/// # Errors
	/// `UnknownProvision`, `NotProvider`, `InvalidTransition` (active provision: stop it first).
	pub(crate) fn do_deregister(who: T::AccountId, id: ProvisionId) -> DispatchResult {
		let provision = Self::provision_of_provider(&who, &id)?;
		ensure!(!provision.state.is_active(), Error::<T>::InvalidTransition);
		if let Some(worker) = provision.worker {
			ProvisionOfWorker::<T>::remove(&worker);
			Self::deposit_event(Event::WorkerRevoked { id, worker });
		}
		ProvisionsOf::<T>::mutate(&who, |list| list.retain(|p| p != &id));
		Self::count_offers(&provision.services, false);
		Provisions::<T>::remove(id);
		Self::deposit_event(Event::ProvisionDeregistered { id });
		Ok(())
	}
}
