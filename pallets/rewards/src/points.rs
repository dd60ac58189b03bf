//! Points of a completed job: base points by tier and service, health and demand multipliers.

use crate::{
	pallet::*, EpochIndex, HealthInspect, HealthStats, IgnoreReason, JobUsage, MilliPoints,
	ProvisionId, ProvisionsInspect, RewardParams, ServiceKind, Tier, LOG_TARGET,
};
use cxmpute_math::{
	fixed::{self, Rounding},
	rewards::{apply_multiplier, combined_multiplier, interpolate},
	MathError, MathResult,
};
use sp_arithmetic::{traits::One, FixedU128};

/// Seconds in a minute (text-to-speech is rated per minute, paid per second).
const SECONDS_PER_MINUTE: u128 = 60;
/// Tokens per embeddings rate unit.
const TOKENS_PER_UNIT: u128 = 1_000;
/// `Perbill` parts per `Permill` part.
const PERBILL_PER_PERMILL: u128 = 1_000;

/// The base milli-points of one successful `service` job on a `tier` provision, before
/// multipliers.
///
/// Formulas (all rounded **down**, the provider would profit from rounding up):
/// - Inference, Container, Serverless, Rental: `tier_points[tier]` per request;
/// - TextToSpeech: `tts_per_minute * audio_seconds / 60`;
/// - WebScraping: `scraping_per_page * pages`;
/// - Embeddings: `embeddings_per_1k_tokens * (input_tokens + output_tokens) / 1000`.
///
/// # Errors
/// [`MathError::Overflow`] when the result does not fit in `u128` (impossible with rates up
/// to `MAX_POINTS_PER_UNIT`).
pub fn base_points(
	params: &RewardParams,
	tier: Tier,
	service: ServiceKind,
	usage: &JobUsage,
) -> MathResult<MilliPoints> {
	match service {
		ServiceKind::Inference
		| ServiceKind::Container
		| ServiceKind::Serverless
		| ServiceKind::Rental => Ok(params.tier_points.of(tier)),
		ServiceKind::TextToSpeech => fixed::mul_div(
			params.tts_per_minute,
			u128::from(usage.audio_seconds),
			SECONDS_PER_MINUTE,
			Rounding::Down,
		),
		ServiceKind::WebScraping => {
			params.scraping_per_page.checked_mul(u128::from(usage.pages)).ok_or(MathError::Overflow)
		},
		ServiceKind::Embeddings => {
			let tokens = fixed::checked_add(
				u128::from(usage.input_tokens),
				u128::from(usage.output_tokens),
			)?;
			fixed::mul_div(params.embeddings_per_1k_tokens, tokens, TOKENS_PER_UNIT, Rounding::Down)
		},
	}
}

/// The `(uptime, latency)` multipliers of a provision with measured `health`, read off the
/// parameters' curves (uptime converted from `Permill` to `Perbill` parts).
///
/// Unmeasured health (`None`, or no reporters) gives the neutral `(1.0, 1.0)`: a new provision
/// is neither punished nor boosted before the validators have probed it.
///
/// # Errors
/// [`MathError::InvalidInput`] when a curve is invalid (never after `validate_params`).
pub fn health_multipliers(
	params: &RewardParams,
	health: Option<HealthStats>,
) -> MathResult<(FixedU128, FixedU128)> {
	match health {
		Some(h) if h.reporters > 0 => {
			let uptime = u128::from(h.uptime.deconstruct())
				.checked_mul(PERBILL_PER_PERMILL)
				.ok_or(MathError::Overflow)?;
			Ok((
				interpolate(&params.uptime_curve, uptime)?,
				interpolate(&params.latency_curve, u128::from(h.p50_latency_ms))?,
			))
		},
		_ => Ok((FixedU128::one(), FixedU128::one())),
	}
}

impl<T: Config> Pallet<T> {
	/// Award `provision`'s provider the points of a completed job in the open epoch.
	///
	/// `points = floor(base_points * floor(uptime_m * latency_m * demand_m))`. Unknown
	/// provisions, zero points and overflows are ignored with [`Event::JobIgnored`]; this never
	/// fails or panics.
	///
	/// Weight: `O(1)`: two reads of `Config::Provisions`, one of `Config::Health`, and the
	/// pallet's `Params`, `DemandMultiplier`, `CurrentEpoch`, `PointsOf` and `EpochPoints`.
	pub(crate) fn do_job_completed(
		provision: &ProvisionId,
		service: ServiceKind,
		usage: &JobUsage,
	) {
		let ignore = |reason: IgnoreReason| {
			log::debug!(target: LOG_TARGET, "job of {provision:?} ignored: {reason:?}");
			Self::deposit_event(Event::JobIgnored { provision: *provision, service, reason });
		};
		let (Some(provider), Some(tier)) =
			(T::Provisions::provider_of(provision), T::Provisions::tier_of(provision))
		else {
			return ignore(IgnoreReason::UnknownProvision);
		};
		let points = match Self::job_points(provision, tier, service, usage) {
			Ok(0) => return ignore(IgnoreReason::NoPoints),
			Ok(points) => points,
			Err(_) => return ignore(IgnoreReason::Overflow),
		};
		let epoch = CurrentEpoch::<T>::get();
		if Self::credit(epoch, &provider, points).is_err() {
			return ignore(IgnoreReason::Overflow);
		}
		Self::deposit_event(Event::PointsAwarded {
			epoch,
			provider,
			provision: *provision,
			service,
			points,
		});
	}

	/// The milli-points of a job, multipliers applied.
	///
	/// # Errors
	/// [`MathError`] on overflow or invalid curves.
	pub(crate) fn job_points(
		provision: &ProvisionId,
		tier: Tier,
		service: ServiceKind,
		usage: &JobUsage,
	) -> MathResult<MilliPoints> {
		let params = Params::<T>::get();
		let base = base_points(&params, tier, service, usage)?;
		let (uptime, latency) = health_multipliers(&params, T::Health::health_of(provision))?;
		let multiplier = combined_multiplier(&[uptime, latency, DemandMultiplier::<T>::get()])?;
		apply_multiplier(base, multiplier)
	}

	/// Add `points` to `provider`'s points and to the total of `epoch`; writes nothing on
	/// overflow.
	///
	/// # Errors
	/// [`MathError::Overflow`].
	pub(crate) fn credit(
		epoch: EpochIndex,
		provider: &T::AccountId,
		points: MilliPoints,
	) -> MathResult<()> {
		let mine = fixed::checked_add(PointsOf::<T>::get(epoch, provider).unwrap_or(0), points)?;
		let total = fixed::checked_add(EpochPoints::<T>::get(epoch), points)?;
		PointsOf::<T>::insert(epoch, provider, mine);
		EpochPoints::<T>::insert(epoch, total);
		Ok(())
	}
}
