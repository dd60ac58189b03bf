//! Validation and setting of the reward parameters.

use crate::{
	pallet::*, BalanceOf, Curve, RewardParams, MAX_MULTIPLIER, MAX_POINTS_PER_UNIT, PERBILL_PARTS,
};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Check `params`:
	/// - every base point and rate is in `1..=MAX_POINTS_PER_UNIT`;
	/// - every curve has 1 to `MAX_BREAKPOINTS` breakpoints with strictly increasing `x`, every
	///   `y` at most `MAX_MULTIPLIER`, and the uptime and demand curves' `x` at most 100%
	///   (`Perbill` parts);
	/// - `emission_per_epoch` is at most `MaxEmissionPerEpoch` and fits the balance type.
	///
	/// # Errors
	/// `PointsOutOfRange`, `InvalidCurve`, `MultiplierOutOfRange`, `EmissionTooHigh`.
	pub fn validate_params(params: &RewardParams) -> Result<(), Error<T>> {
		let rates = params.tier_points.all().into_iter().chain([
			params.tts_per_minute,
			params.scraping_per_page,
			params.embeddings_per_1k_tokens,
		]);
		for rate in rates {
			ensure!((1..=MAX_POINTS_PER_UNIT).contains(&rate), Error::<T>::PointsOutOfRange);
		}
		Self::validate_curve(&params.uptime_curve, Some(PERBILL_PARTS))?;
		Self::validate_curve(&params.latency_curve, None)?;
		Self::validate_curve(&params.demand_curve, Some(PERBILL_PARTS))?;
		ensure!(
			params.emission_per_epoch <= T::MaxEmissionPerEpoch::get(),
			Error::<T>::EmissionTooHigh
		);
		BalanceOf::<T>::try_from(params.emission_per_epoch)
			.map_err(|_| Error::<T>::EmissionTooHigh)?;
		Ok(())
	}

	/// Check one curve; `max_x` bounds its `x` when given.
	fn validate_curve(curve: &Curve, max_x: Option<u128>) -> Result<(), Error<T>> {
		ensure!(!curve.is_empty(), Error::<T>::InvalidCurve);
		ensure!(curve.windows(2).all(|w| w[0].0 < w[1].0), Error::<T>::InvalidCurve);
		if let (Some(max_x), Some((last_x, _))) = (max_x, curve.last()) {
			ensure!(*last_x <= max_x, Error::<T>::InvalidCurve);
		}
		ensure!(curve.iter().all(|(_, y)| *y <= MAX_MULTIPLIER), Error::<T>::MultiplierOutOfRange);
		Ok(())
	}

	/// Validate and store `params`.
	///
	/// # Errors
	/// See [`Self::validate_params`].
	pub(crate) fn do_set_params(params: RewardParams) -> DispatchResult {
		Self::validate_params(&params)?;
		Params::<T>::put(&params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
