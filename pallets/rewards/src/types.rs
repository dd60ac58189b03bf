//! Storage and call-argument types of the rewards pallet.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cxmpute_math::rewards::{Breakpoint, DEMAND_POINTS, LATENCY_POINTS, UPTIME_POINTS};
use cxmpute_primitives::compute::Tier;
use frame_support::{
	pallet_prelude::{BoundedVec, ConstU32},
	traits::fungible,
};
use scale_info::TypeInfo;
use sp_arithmetic::FixedU128;

/// Index of a reward epoch; epoch `0` starts at genesis.
pub type EpochIndex = u32;

/// Reward points in thousandths of a point (`1_000` milli-points = 1 point). Points are kept as
/// integers and every conversion rounds **down** (the provider would profit from rounding up).
pub type MilliPoints = u128;

/// Milli-points in one point.
pub const MILLI: MilliPoints = 1_000;

/// The most breakpoints a multiplier curve may have.
pub const MAX_BREAKPOINTS: u32 = 8;

/// The largest per-unit rate a parameter may set: 1,000 points (per request, minute, page or
/// 1K tokens). Keeps `rate * units` far from `u128::MAX` for any `u64` usage.
pub const MAX_POINTS_PER_UNIT: MilliPoints = 1_000 * MILLI;

/// The largest `y` of a multiplier curve (4.0); the product of the three multipliers then stays
/// at most 64.
pub const MAX_MULTIPLIER: FixedU128 = FixedU128::from_u32(4);

/// `Perbill` accuracy: the largest meaningful `x` of the uptime and demand curves (100%).
pub const PERBILL_PARTS: u128 = 1_000_000_000;

/// A piecewise-linear multiplier curve: breakpoints `(x, y)` with strictly increasing `x`, read
/// with [`cxmpute_math::rewards::interpolate`] (flat outside the breakpoints).
pub type Curve = BoundedVec<Breakpoint, ConstU32<MAX_BREAKPOINTS>>;

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Milli-points per successful request of a per-request service (inference, container,
/// serverless, rental), by tier.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde", rename_all = "camelCase")]
pub struct TierPoints {
	/// [`Tier::TidePool`] (default 1 point).
	pub tide_pool: MilliPoints,
	/// [`Tier::BlueSurge`] (default 3 points).
	pub blue_surge: MilliPoints,
	/// [`Tier::OpenOcean`] (default 7 points).
	pub open_ocean: MilliPoints,
	/// [`Tier::MarianaDepth`] (default 15 points).
	pub mariana_depth: MilliPoints,
}

impl TierPoints {
	/// The milli-points per request of `tier`.
	pub fn of(&self, tier: Tier) -> MilliPoints {
		match tier {
			Tier::TidePool => self.tide_pool,
			Tier::BlueSurge => self.blue_surge,
			Tier::OpenOcean => self.open_ocean,
			Tier::MarianaDepth => self.mariana_depth,
		}
	}

	/// All four rates, smallest tier first.
	pub fn all(&self) -> [MilliPoints; 4] {
		[self.tide_pool, self.blue_surge, self.open_ocean, self.mariana_depth]
	}
}

impl Default for TierPoints {
	fn default() -> Self {
		Self {
			tide_pool: MILLI,
			blue_surge: 3 * MILLI,
			open_ocean: 7 * MILLI,
			mariana_depth: 15 * MILLI,
		}
	}
}

/// Every tunable of the reward formula, set by [`Config::ParamsOrigin`] through
/// `set_params` (validated, see `Pallet::validate_params`) or at genesis.
///
/// [`Default`] gives the documented defaults with an emission of `0`: a runtime sets the
/// emission in its genesis config.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde", rename_all = "camelCase")]
pub struct RewardParams {
	/// Milli-points per successful request of the per-request services, by tier.
	pub tier_points: TierPoints,
	/// Text-to-speech milli-points per minute of audio, pro rata per second (default 2 points).
	pub tts_per_minute: MilliPoints,
	/// Web-scraping milli-points per page (default 0.5 points).
	pub scraping_per_page: MilliPoints,
	/// Embeddings milli-points per 1,000 input + output tokens, pro rata per token (default 1
	/// point).
	pub embeddings_per_1k_tokens: MilliPoints,
	/// Uptime multiplier curve, `x` in `Perbill` parts (default 0.80 up to 90%, rising to 1.30
	/// at 99.95%).
	pub uptime_curve: Curve,
	/// p50 latency multiplier curve, `x` in milliseconds (default 1.15 up to 300 ms, falling to
	/// 0.85 at 2,000 ms).
	pub latency_curve: Curve,
	/// Network-demand multiplier curve, `x` in `Perbill` parts of utilisation (default 0.5 at
	/// 0%, 1.0 at 50%, 2.0 at 100%).
	pub demand_curve: Curve,
	/// Emission of an epoch in the smallest unit of [`Config::Currency`], frozen as the
	/// epoch's budget when the epoch closes. At most [`Config::MaxEmissionPerEpoch`].
	pub emission_per_epoch: u128,
}

impl Default for RewardParams {
	fn default() -> Self {
		Self {
			tier_points: TierPoints::default(),
			tts_per_minute: 2 * MILLI,
			scraping_per_page: MILLI / 2,
			embeddings_per_1k_tokens: MILLI,
			uptime_curve: BoundedVec::truncate_from(UPTIME_POINTS.to_vec()),
			latency_curve: BoundedVec::truncate_from(LATENCY_POINTS.to_vec()),
			demand_curve: BoundedVec::truncate_from(DEMAND_POINTS.to_vec()),
			emission_per_epoch: 0,
		}
	}
}

/// Why a completed job earned no points.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum IgnoreReason {
	/// The provision is unknown to [`Config::Provisions`] (no provider or tier).
	UnknownProvision,
	/// The job's usage is worth zero points (e.g. no audio, no pages, or fewer tokens than one
	/// milli-point), or the multipliers scaled it down to zero.
	NoPoints,
	/// The points or an epoch total would overflow `u128` (never with validated parameters and
	/// realistic usage).
	Overflow,
}
