//! Provider-side glue between the compute pallets: stake slashing, measured health, job usage
//! for rewards, and network utilisation.

use crate::compute::{ProvisionId, ServiceKind};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{Perbill, Permill};

/// Why a provider is slashed; recorded in the staking pallet's events.
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
pub enum SlashReason {
	/// A job failed on the provider's side.
	JobFailed,
	/// The provider did not accept or finish a job in time.
	JobTimedOut,
	/// A spot check or dispute proved the provider's result wrong.
	WrongResult,
}

/// Slashing of provider stake, called by the job market.
pub trait ProviderSlashing<AccountId, Balance> {
	/// Slash up to `amount` of `provider`'s bonded stake (active first, then unbonding). The
	/// configured share goes to `harmed` (the user who lost out), if given, and the rest to the
	/// treasury. Returns the amount actually slashed (less than `amount` when the stake is
	/// smaller); never fails.
	fn slash(
		provider: &AccountId,
		amount: Balance,
		harmed: Option<&AccountId>,
		reason: SlashReason,
	) -> Balance;
}

/// No slashing (runtimes and tests without staking): slashes nothing.
impl<AccountId, Balance: Default> ProviderSlashing<AccountId, Balance> for () {
	fn slash(_: &AccountId, _: Balance, _: Option<&AccountId>, _: SlashReason) -> Balance {
		Balance::default()
	}
}

/// A provision's health as measured by the validators' probes (median across validators).
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
	Default,
)]
pub struct HealthStats {
	/// Share of successful probes over the rolling window.
	pub uptime: Permill,
	/// Median (p50) response time of successful probes, in milliseconds.
	pub p50_latency_ms: u32,
	/// How many validators' measurements the figures combine.
	pub reporters: u32,
}

/// Read access to measured health, for rewards (multipliers) and matching (preference).
pub trait HealthInspect {
	/// The provision's measured health, `None` before any validator probed it.
	fn health_of(id: &ProvisionId) -> Option<HealthStats>;
}

/// Nothing measured.
impl HealthInspect for () {
	fn health_of(_: &ProvisionId) -> Option<HealthStats> {
		None
	}
}

/// What a completed job used; reported by the worker with its result and passed to rewards.
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
	Default,
)]
pub struct JobUsage {
	/// Input (prompt) tokens.
	pub input_tokens: u64,
	/// Output (generated) tokens.
	pub output_tokens: u64,
	/// Compute time, milliseconds.
	pub compute_ms: u64,
	/// Pages fetched (web scraping).
	pub pages: u32,
	/// Audio produced, seconds (text-to-speech).
	pub audio_seconds: u32,
}

/// Called by the job market when a job settles successfully.
pub trait OnJobCompleted {
	/// `provision` completed a `service` job that used `usage`.
	fn on_job_completed(provision: &ProvisionId, service: ServiceKind, usage: &JobUsage);
}

/// Nobody listens.
impl OnJobCompleted for () {
	fn on_job_completed(_: &ProvisionId, _: ServiceKind, _: &JobUsage) {}
}

/// The network's current utilisation (busy capacity / running capacity), for the rewards'
/// demand multiplier.
pub trait NetworkUtilisation {
	/// Current utilisation, `None` when unknown (the multiplier is then neutral).
	fn utilisation() -> Option<Perbill>;
}

/// Unknown utilisation.
impl NetworkUtilisation for () {
	fn utilisation() -> Option<Perbill> {
		None
	}
}
