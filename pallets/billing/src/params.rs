//! Admin parameters: plan terms and the reference price table.

use crate::{
	default_reference_price, pallet::*, Plan, PlanTerms, ReferencePrice, ServiceKind, Tier,
	UnitPrice,
};
use alloc::vec::Vec;
use frame_support::ensure;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// Set the terms of a public plan.
	///
	/// # Errors
	/// [`Error::EnterpriseTermsPerAccount`], [`Error::InvalidTerms`].
	pub(crate) fn do_set_plan_terms(plan: Plan, terms: PlanTerms) -> DispatchResult {
		ensure!(plan != Plan::Enterprise, Error::<T>::EnterpriseTermsPerAccount);
		ensure!(terms.is_valid(), Error::<T>::InvalidTerms);
		PlanTermsOf::<T>::insert(plan, terms);
		Self::deposit_event(Event::PlanTermsSet { plan, terms });
		Ok(())
	}

	/// Set or remove `who`'s enterprise terms.
	///
	/// # Errors
	/// [`Error::InvalidTerms`].
	pub(crate) fn do_set_enterprise_terms(
		who: T::AccountId,
		terms: Option<PlanTerms>,
	) -> DispatchResult {
		match terms {
			Some(t) => {
				ensure!(t.is_valid(), Error::<T>::InvalidTerms);
				EnterpriseTermsOf::<T>::insert(&who, t);
			},
			None => EnterpriseTermsOf::<T>::remove(&who),
		}
		Self::deposit_event(Event::EnterpriseTermsSet { who, terms });
		Ok(())
	}

	/// The effective reference price of `service` in `tier`: the admin's override, else the
	/// default.
	pub fn reference_price(service: ServiceKind, tier: Tier) -> Option<UnitPrice> {
		ReferencePriceOf::<T>::get(service, tier)
			.unwrap_or_else(|| default_reference_price(service, tier))
	}

	/// Every service in every tier with its effective reference price.
	pub(crate) fn reference_table() -> Vec<ReferencePrice> {
		ServiceKind::ALL
			.iter()
			.flat_map(|service| {
				Tier::ALL.iter().map(move |tier| {
					let stored = ReferencePriceOf::<T>::get(service, tier);
					ReferencePrice {
						service: *service,
						tier: *tier,
						overridden: stored.is_some(),
						price: stored.unwrap_or_else(|| default_reference_price(*service, *tier)),
					}
				})
			})
			.collect()
	}
}
