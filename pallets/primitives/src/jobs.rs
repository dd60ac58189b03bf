//! Job-market glue: job ids and classes, metering (how a job's usage becomes billable units),
//! and the traits between the matching pallet (jobs), billing (money) and provisions (price
//! ceilings).
//!
//! ## Units and metering
//!
//! A provision quotes one [`UnitPrice`] per service (in the stable asset's smallest units). What
//! one *unit* is depends on the service; [`metered_units`] turns a job's [`JobUsage`] into a
//! fraction `numerator / denominator` of units, and [`job_cost`] multiplies by the price,
//! **rounding up** (the provider is never paid less than the usage is worth; the difference is
//! below one smallest unit of the stable asset):
//!
//! | service | unit | metered |
//! |---|---|---|
//! | inference | 1K output tokens; input tokens cost half | `(2 * output + input) / 2000` |
//! | embeddings | 1K input tokens | `input / 1000` |
//! | container, serverless | one second of compute | `compute_ms / 1000` |
//! | rental | one hour | `compute_ms / 3_600_000` (rentals are billed per block by matching) |
//! | text-to-speech | one minute of audio | `audio_seconds / 60` |
//! | web scraping | one page | `pages / 1` |
//!
//! The input-at-half rule reproduces the pay-as-you-go reference table, where every tier's input
//! price is half its output price.

use crate::{
	compute::{ServiceKind, Tier, UnitPrice},
	provider::JobUsage,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, DispatchResult};

/// Identifier of a job: a counter assigned by the matching pallet, never reused.
pub type JobId = u64;

/// How a job competes for capacity.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub enum JobClass {
	/// Subscribers' jobs: matched first, and may pre-empt spot jobs when capacity is short.
	Priority,
	/// Pay-as-you-go at the provider's price.
	Standard,
	/// Discounted pay-as-you-go ([`JobBilling::spot_discount`]): matched last and may be
	/// pre-empted (put back in the queue) by priority jobs.
	Spot,
}

/// Where money for a payment out of a job's escrow comes from.
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
pub enum EscrowPart {
	/// What the job's payer (or their subscription) escrowed at submission.
	Payer,
	/// What the treasury added for protocol-funded verification runs (spot checks, disputes).
	Treasury,
}

/// The outcome of admitting a job: who pays and whether a subscription covers it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Admission<AccountId> {
	/// The account whose credits (or subscription) fund the job: the signer, or the owner of
	/// the API key that signed.
	pub payer: AccountId,
	/// Whether an active subscription covers the job (it is then [`JobClass::Priority`]).
	pub subscribed: bool,
}

/// Money side of the job market, implemented by the billing pallet and called by matching.
///
/// Every amount is in the stable asset's smallest units. An escrow is opened once per job by
/// [`JobBilling::admit`], paid out from any number of times, and closed once by
/// [`JobBilling::close`], which refunds what is left; the implementation must account for every
/// unit (escrowed = paid + fees + refunded).
pub trait JobBilling<AccountId> {
	/// Admission control and escrow: resolve the payer (`signer` itself, or the owner of the API
	/// key `signer`), enforce their subscription's or key's limits (scope, spending cap,
	/// concurrency, requests per minute, token allowance, with `max_tokens` the job's worst
	/// case), and move `escrow` into the job's escrow: from the payer's credits, or from the
	/// subscription pool when a subscription covers the job.
	fn admit(
		job: JobId,
		signer: &AccountId,
		service: ServiceKind,
		escrow: u128,
		max_tokens: u64,
	) -> Result<Admission<AccountId>, DispatchError>;

	/// Add `amount` from the payer's credits to an open escrow (a rental extended).
	fn top_up(job: JobId, amount: u128) -> DispatchResult;

	/// Add `amount` from the treasury to an open escrow, for a protocol-funded verification run.
	/// Fails (and the caller skips the verification) when the treasury cannot pay.
	fn fund_from_treasury(job: JobId, amount: u128) -> DispatchResult;

	/// Pay `provider` `amount` out of the `part` of the job's escrow, minus the platform fee
	/// (which goes to the treasury). Fails without paying anything if that part holds less.
	fn pay(job: JobId, part: EscrowPart, provider: &AccountId, amount: u128) -> DispatchResult;

	/// Close the escrow: refund what is left of each part to whoever put it in, record
	/// `tokens_used` against the payer's allowance and usage counters, and release the job's
	/// concurrency slot. Returns the amount refunded to the payer.
	fn close(job: JobId, service: ServiceKind, tokens_used: u64) -> Result<u128, DispatchError>;

	/// What is left in the `part` of the job's escrow.
	fn escrowed(job: JobId, part: EscrowPart) -> u128;

	/// The share taken off spot jobs' prices (e.g. 70%).
	fn spot_discount() -> sp_arithmetic::Permill;
}

/// The most a provider may quote per unit of a service in a tier (the pay-as-you-go reference
/// price), implemented by billing and enforced by provisions.
pub trait PriceCeiling {
	/// The ceiling for `service` in `tier`, `None` when there is none.
	fn ceiling(service: ServiceKind, tier: Tier) -> Option<UnitPrice>;
}

/// No ceilings.
impl PriceCeiling for () {
	fn ceiling(_: ServiceKind, _: Tier) -> Option<UnitPrice> {
		None
	}
}

/// The units of `service` that `usage` represents, as `(numerator, denominator)` (see the
/// [module docs](self)). Never fails: the numerator is at most `3 * u64::MAX`.
pub fn metered_units(service: ServiceKind, usage: &JobUsage) -> (u128, u128) {
	let input = usage.input_tokens as u128;
	let output = usage.output_tokens as u128;
	match service {
		ServiceKind::Inference => (2 * output + input, 2_000),
		ServiceKind::Embeddings => (input, 1_000),
		ServiceKind::Container | ServiceKind::Serverless => (usage.compute_ms as u128, 1_000),
		ServiceKind::Rental => (usage.compute_ms as u128, 3_600_000),
		ServiceKind::TextToSpeech => (usage.audio_seconds as u128, 60),
		ServiceKind::WebScraping => (usage.pages as u128, 1),
	}
}

/// The cost of `usage` of `service` at `price` per unit, rounded up; `None` on overflow.
pub fn job_cost(service: ServiceKind, price: UnitPrice, usage: &JobUsage) -> Option<u128> {
	let (num, den) = metered_units(service, usage);
	let product = price.checked_mul(num)?;
	Some(product.div_ceil(den))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn usage(input: u64, output: u64) -> JobUsage {
		JobUsage { input_tokens: input, output_tokens: output, ..Default::default() }
	}

	#[test]
	fn inference_input_costs_half_of_output() {
		// Open Ocean reference: 2,400 per 1K output tokens (0.0024 USD at 6 decimals).
		assert_eq!(job_cost(ServiceKind::Inference, 2_400, &usage(0, 1_000)), Some(2_400));
		assert_eq!(job_cost(ServiceKind::Inference, 2_400, &usage(1_000, 0)), Some(1_200));
		assert_eq!(job_cost(ServiceKind::Inference, 2_400, &usage(1_000, 1_000)), Some(3_600));
	}

	#[test]
	fn cost_rounds_up() {
		// One token at 300 per 1K output tokens is worth 0.3 units: the provider gets 1.
		assert_eq!(job_cost(ServiceKind::Inference, 300, &usage(0, 1)), Some(1));
		assert_eq!(job_cost(ServiceKind::Inference, 300, &usage(0, 0)), Some(0));
		assert_eq!(job_cost(ServiceKind::Embeddings, 20, &usage(1_001, 0)), Some(21));
	}

	#[test]
	fn other_services_meter_their_own_unit() {
		let u = JobUsage { compute_ms: 2_500, pages: 3, audio_seconds: 90, ..Default::default() };
		assert_eq!(job_cost(ServiceKind::Container, 1_000, &u), Some(2_500));
		assert_eq!(job_cost(ServiceKind::Serverless, 1_000, &u), Some(2_500));
		assert_eq!(job_cost(ServiceKind::WebScraping, 600, &u), Some(1_800));
		assert_eq!(job_cost(ServiceKind::TextToSpeech, 8_000, &u), Some(12_000));
		assert_eq!(job_cost(ServiceKind::Rental, 3_600_000, &u), Some(2_500));
	}

	#[test]
	fn overflow_is_none() {
		let u = usage(u64::MAX, u64::MAX);
		assert_eq!(job_cost(ServiceKind::Inference, u128::MAX, &u), None);
	}
}
