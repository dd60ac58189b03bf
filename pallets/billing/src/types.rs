//! Storage types of the billing pallet, the default price and plan tables, and the benchmark
//! helper.

use crate::{ServiceKind, Tier, UnitPrice};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_arithmetic::Permill;

/// An amount of the stable asset (or of credits), in its smallest unit (6 decimals).
pub type Balance = u128;

/// One US dollar in the stable asset's smallest units.
pub const USD: Balance = 1_000_000;

/// The most token grants a subscription keeps (oldest dropped first).
pub const MAX_GRANTS: u32 = 4;

/// The overage buffer: admission allows using up to the allowance plus this share of the plan's
/// tokens per period; what is used beyond the allowance is deducted from the next grant.
pub const OVERAGE_BUFFER: Permill = Permill::from_percent(10);

/// The most scopes an API key has: one per service.
pub type MaxScopes = ConstU32<7>;

/// Where the payer part of an escrow came from (and where its leftover goes back).
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
pub enum Funding {
	/// The payer's credits.
	Credits,
	/// The subscription pool (the payer's subscription covers the job).
	Subscription,
}

/// The escrow of one job. `payer_part = payer_in - payer_paid` and
/// `treasury_part = treasury_in - treasury_paid` at all times.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Escrow<AccountId> {
	/// Whose credits (or subscription) fund the payer part.
	pub payer: AccountId,
	/// Where the payer part came from.
	pub funding: Funding,
	/// The API key that signed the job, if any (its spending counts against the key's cap).
	pub api_key: Option<AccountId>,
	/// The job's service.
	pub service: ServiceKind,
	/// What is left of the payer part.
	pub payer_part: Balance,
	/// What is left of the treasury part.
	pub treasury_part: Balance,
	/// Everything put into the payer part (admit and top-ups).
	pub payer_in: Balance,
	/// Everything put into the treasury part.
	pub treasury_in: Balance,
	/// Everything paid out of the payer part.
	pub payer_paid: Balance,
	/// Everything paid out of the treasury part.
	pub treasury_paid: Balance,
	/// Tokens reserved against the subscription's allowance (zero unless subscription-funded).
	pub reserved_tokens: u64,
}

/// Running totals of the stable asset that went through the pallet account.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Totals {
	/// All stable asset ever deposited.
	pub deposited: Balance,
	/// All stable asset ever withdrawn.
	pub withdrawn: Balance,
}

/// A subscription plan.
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
pub enum Plan {
	/// $15 per period: 1 concurrent job, 40 requests per minute, 20M tokens.
	Starter,
	/// $69 per period: 4 concurrent jobs, 200 requests per minute, 100M tokens.
	Pro,
	/// $249 per period: 15 concurrent jobs, 1,000 requests per minute, 600M tokens.
	Scale,
	/// Custom terms per account, set by the admin.
	Enterprise,
}

impl Plan {
	/// The plans with public terms.
	pub const PUBLIC: [Plan; 3] = [Plan::Starter, Plan::Pro, Plan::Scale];
}

/// The terms of a plan.
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
pub struct PlanTerms {
	/// Price per period, in the stable asset's smallest units.
	pub price: Balance,
	/// The most subscription-covered jobs open at once (at least 1).
	pub concurrency: u32,
	/// The most subscription-covered jobs admitted per `BlocksPerMinute` window (at least 1).
	pub requests_per_minute: u32,
	/// Tokens granted per period.
	pub tokens_per_period: u64,
}

impl PlanTerms {
	/// Whether the terms can be used: `concurrency >= 1` and `requests_per_minute >= 1`.
	pub fn is_valid(&self) -> bool {
		self.concurrency >= 1 && self.requests_per_minute >= 1
	}

	/// The overage buffer in tokens: [`OVERAGE_BUFFER`] of `tokens_per_period`, rounded down.
	pub fn overage_buffer(&self) -> u64 {
		OVERAGE_BUFFER.mul_floor(self.tokens_per_period)
	}
}

/// The default terms of a public plan (`None` for [`Plan::Enterprise`]).
pub fn default_plan_terms(plan: Plan) -> Option<PlanTerms> {
	let (price, concurrency, requests_per_minute, tokens_per_period) = match plan {
		Plan::Starter => (15 * USD, 1, 40, 20_000_000),
		Plan::Pro => (69 * USD, 4, 200, 100_000_000),
		Plan::Scale => (249 * USD, 15, 1_000, 600_000_000),
		Plan::Enterprise => return None,
	};
	Some(PlanTerms { price, concurrency, requests_per_minute, tokens_per_period })
}

/// A grant of tokens, usable until `granted_at + RolloverPeriod`.
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
pub struct Grant<BlockNumber> {
	/// The block the grant was made.
	pub granted_at: BlockNumber,
	/// Tokens of the grant not yet used.
	pub remaining: u64,
}

/// An account's subscription.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Subscription<BlockNumber> {
	/// The plan.
	pub plan: Plan,
	/// The plan's terms when the period started.
	pub terms: PlanTerms,
	/// Whether the subscription renews at the end of the period.
	pub auto_renew: bool,
	/// The first block after the current period.
	pub period_end: BlockNumber,
	/// Token grants, oldest first.
	pub grants: BoundedVec<Grant<BlockNumber>, ConstU32<MAX_GRANTS>>,
	/// Tokens used beyond the grants, deducted from the next grant.
	pub overage: u64,
	/// The first block of the current rate-limit window.
	pub window_start: BlockNumber,
	/// Jobs admitted in the current rate-limit window.
	pub window_requests: u32,
}

/// An API key: an account a gateway signs jobs with on behalf of its owner.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ApiKey<AccountId> {
	/// The account that pays for the key's jobs.
	pub owner: AccountId,
	/// The services the key may buy.
	pub scopes: BoundedVec<ServiceKind, MaxScopes>,
	/// The most the key may have spent (escrows count as spent until closed).
	pub spending_cap: Balance,
	/// What the key has spent: escrowed by its jobs, minus what was refunded.
	pub spent: Balance,
	/// A revoked key signs nothing any more and cannot be registered again.
	pub revoked: bool,
}

/// Per (payer, day, service) usage counters.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct UsageCounters {
	/// Jobs closed.
	pub jobs: u32,
	/// Tokens used by the closed jobs.
	pub tokens: u64,
	/// Paid out of the payer part of the payer's escrows (fees included).
	pub spent: Balance,
}

/// Per (day, service) network counters.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct NetworkCounters {
	/// Jobs closed.
	pub jobs: u32,
	/// Tokens used by the closed jobs.
	pub tokens: u64,
	/// Paid out of escrows (both parts, fees included).
	pub volume: Balance,
}

/// One row of the reference price table.
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
pub struct ReferencePrice {
	/// The service.
	pub service: ServiceKind,
	/// The tier.
	pub tier: Tier,
	/// The effective ceiling per unit (`None`: no ceiling).
	pub price: Option<UnitPrice>,
	/// Whether the admin overrode the default.
	pub overridden: bool,
}

/// The default pay-as-you-go reference price of `service` in `tier`, per unit as metered by
/// [`cxmpute_primitives::metered_units`]:
///
/// | service | unit | TidePool | BlueSurge | OpenOcean | MarianaDepth |
/// |---|---|---|---|---|---|
/// | Inference | 1K output tokens (input at half) | 300 | 700 | 2,400 | 7,000 |
/// | Embeddings | 1K tokens | 20 | 20 | 20 | 20 |
/// | TextToSpeech | minute | 8,000 | 8,000 | 8,000 | 8,000 |
/// | WebScraping | page | 600 | 600 | 600 | 600 |
/// | Container, Serverless, Rental | | none | none | none | none |
pub fn default_reference_price(service: ServiceKind, tier: Tier) -> Option<UnitPrice> {
	match service {
		ServiceKind::Inference => Some(match tier {
			Tier::TidePool => 300,
			Tier::BlueSurge => 700,
			Tier::OpenOcean => 2_400,
			Tier::MarianaDepth => 7_000,
		}),
		ServiceKind::Embeddings => Some(20),
		ServiceKind::TextToSpeech => Some(8_000),
		ServiceKind::WebScraping => Some(600),
		ServiceKind::Container | ServiceKind::Serverless | ServiceKind::Rental => None,
	}
}

/// Whether subscriptions cover `service` (inference and embeddings only).
pub fn subscription_covers(service: ServiceKind) -> bool {
	matches!(service, ServiceKind::Inference | ServiceKind::Embeddings)
}

/// Provides the stable asset in the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Create `asset` if it does not exist (with a small minimum balance) and mint `amount` of
	/// it to `who`.
	fn create_and_mint(asset: crate::AssetId, who: &AccountId, amount: Balance);
}

/// A [`BenchmarkHelper`] using `fungibles::Create` (a sufficient asset, minimum balance 1) and
/// `fungibles::Mutate`.
#[cfg(feature = "runtime-benchmarks")]
pub struct CreateAndMint<A>(core::marker::PhantomData<A>);

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId: Clone + Eq, A> BenchmarkHelper<AccountId> for CreateAndMint<A>
where
	A: frame_support::traits::fungibles::Create<
			AccountId,
			AssetId = crate::AssetId,
			Balance = Balance,
		> + frame_support::traits::fungibles::Mutate<AccountId>,
{
	fn create_and_mint(asset: crate::AssetId, who: &AccountId, amount: Balance) {
		if !A::asset_exists(asset) {
			let _ = A::create(asset, who.clone(), true, 1);
		}
		let _ = A::mint_into(asset, who, amount);
	}
}
