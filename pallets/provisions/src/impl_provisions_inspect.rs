//! [`ProvisionsInspect`] for the pallet: read access for matching.

use crate::{
	pallet::*, HardwareSummary, ModelId, ProvisionId, ProvisionsInspect, ServiceKind, Tier,
	UnitPrice,
};
use alloc::vec::Vec;

impl<T: Config> ProvisionsInspect<T::AccountId> for Pallet<T> {
	fn is_running(id: &ProvisionId) -> bool {
		Self::is_live(id)
	}
	fn provider_of(id: &ProvisionId) -> Option<T::AccountId> {
		Provisions::<T>::get(id).map(|p| p.provider)
	}
	fn worker_of(id: &ProvisionId) -> Option<T::AccountId> {
		Provisions::<T>::get(id).and_then(|p| p.worker)
	}
	fn tier_of(id: &ProvisionId) -> Option<Tier> {
		Provisions::<T>::get(id).map(|p| p.tier)
	}
	fn price_of(id: &ProvisionId, service: ServiceKind) -> Option<UnitPrice> {
		Provisions::<T>::get(id).and_then(|p| p.price_of(service))
	}
	fn capacity(id: &ProvisionId) -> Option<u32> {
		Provisions::<T>::get(id).map(|p| p.capacity)
	}
	fn cheapest(service: ServiceKind, tier: Tier, n: u32) -> Vec<(ProvisionId, UnitPrice)> {
		Pallet::<T>::cheapest(service, tier, n)
	}
	fn highest_active_tier(provider: &T::AccountId) -> Option<Tier> {
		ProvisionsOf::<T>::get(provider)
			.iter()
			.filter_map(|id| Provisions::<T>::get(id))
			.filter(|p| p.state.is_active())
			.map(|p| p.tier)
			.max()
	}
	fn health_endpoint(id: &ProvisionId) -> Option<Vec<u8>> {
		Provisions::<T>::get(id).map(|p| p.endpoint.into_inner())
	}
	fn running_page(
		cursor: Option<ProvisionId>,
		n: u32,
	) -> (Vec<ProvisionId>, Option<ProvisionId>) {
		Pallet::<T>::running_page(cursor, n)
	}
	fn offers_model(id: &ProvisionId, model: &ModelId) -> bool {
		Provisions::<T>::get(id).is_some_and(|p| {
			p.services.iter().any(|s| s.kind == ServiceKind::Inference && s.models.contains(model))
		})
	}
	fn hardware_of(id: &ProvisionId) -> Option<HardwareSummary> {
		Provisions::<T>::get(id).map(|p| HardwareSummary {
			vram_mb: p.spec.vram_mb,
			cpu_cores: p.spec.cpu_cores,
			ram_mb: p.spec.ram_mb,
		})
	}
	fn running_capacity() -> u64 {
		RunningCapacity::<T>::get()
	}
	fn is_offered(service: ServiceKind, model: Option<&ModelId>) -> bool {
		Pallet::<T>::is_offered(service, model)
	}
}
