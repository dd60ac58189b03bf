//! The `on_initialize` work: closing epochs and recomputing the demand multiplier, both `O(1)`.

use crate::{
	pallet::*, weights::WeightInfo, BalanceOf, EpochIndex, NetworkUtilisation, LOG_TARGET,
};
use cxmpute_math::rewards::interpolate;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::{traits::One, FixedU128};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Close the open epoch when its end block is reached, and recompute the demand multiplier
	/// when its period has passed. Each is `O(1)`; returns the weight used.
	pub(crate) fn do_on_initialize(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_idle();
		let ends_at = EpochEndsAt::<T>::get();
		if ends_at.is_zero() {
			// The clock has not started (pallet added without genesis): start it now.
			EpochEndsAt::<T>::put(now.saturating_add(T::EpochLength::get()));
			weight.saturating_accrue(T::DbWeight::get().writes(1));
		} else if now >= ends_at {
			Self::close_epoch(now);
			weight.saturating_accrue(T::WeightInfo::on_initialize_epoch());
		}
		let demand_at = NextDemandAt::<T>::get();
		if demand_at.is_zero() || now >= demand_at {
			Self::recompute_demand(now);
			weight.saturating_accrue(T::WeightInfo::on_initialize_demand());
		}
		weight
	}

	/// Close the open epoch: freeze its budget at the current emission if it has points, open
	/// the next one ending `EpochLength` blocks after `now`.
	///
	/// Emits `EpochClosed`.
	pub(crate) fn close_epoch(now: BlockNumberFor<T>) {
		let epoch = CurrentEpoch::<T>::get();
		let total_points = EpochPoints::<T>::get(epoch);
		let budget = if total_points == 0 {
			BalanceOf::<T>::zero()
		} else {
			// Validated parameters always fit; saturate defensively rather than panic.
			let emission = Params::<T>::get().emission_per_epoch;
			let budget = BalanceOf::<T>::try_from(emission).unwrap_or_else(|_| {
				log::error!(target: LOG_TARGET, "emission {emission} does not fit the balance");
				BalanceOf::<T>::zero()
			});
			EpochBudget::<T>::insert(epoch, budget);
			budget
		};
		CurrentEpoch::<T>::put(epoch.saturating_add(1));
		EpochEndsAt::<T>::put(now.saturating_add(T::EpochLength::get()));
		Self::deposit_event(Event::EpochClosed { epoch, total_points, budget });
	}

	/// Recompute [`DemandMultiplier`] from `Config::Utilisation` on the parameters' demand
	/// curve (1.0 when the utilisation is unknown or the curve invalid); the next recompute is
	/// `DemandPeriod` blocks after `now`.
	///
	/// Emits `DemandUpdated`.
	pub(crate) fn recompute_demand(now: BlockNumberFor<T>) {
		let utilisation = T::Utilisation::utilisation();
		let multiplier = utilisation
			.and_then(|u| {
				interpolate(&Params::<T>::get().demand_curve, u128::from(u.deconstruct())).ok()
			})
			.unwrap_or_else(FixedU128::one);
		DemandMultiplier::<T>::put(multiplier);
		NextDemandAt::<T>::put(now.saturating_add(T::DemandPeriod::get()));
		Self::deposit_event(Event::DemandUpdated { utilisation, multiplier });
	}

	/// Whether `epoch` is closed.
	pub(crate) fn is_closed(epoch: EpochIndex) -> bool {
		epoch < CurrentEpoch::<T>::get()
	}

	/// Whether `epoch` is past the claim window (`ClaimWindow > 0` and the open epoch is after
	/// `epoch + ClaimWindow`).
	pub(crate) fn is_expired(epoch: EpochIndex) -> bool {
		let window = T::ClaimWindow::get();
		window > 0 && CurrentEpoch::<T>::get() > epoch.saturating_add(window)
	}
}
