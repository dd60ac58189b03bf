//! # Billing pallet
//!
//! The money side of the job market: users deposit the stable asset and get *credits*; every
//! job's cost is escrowed out of those credits (or out of the subscription pool when a
//! subscription covers the job), paid to providers minus a platform fee, and the rest refunded
//! when the job closes. The pallet also keeps the pay-as-you-go reference prices (the ceilings
//! provisions may quote), subscription plans, API keys and usage statistics.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::deposit`] / [`Pallet::withdraw`]: move the stable asset in and out of credits.
//! - [`Pallet::subscribe`] / [`Pallet::cancel_subscription`]: subscription plans.
//! - [`Pallet::register_api_key`], [`Pallet::revoke_api_key`], [`Pallet::set_api_key_cap`]:
//!   keys gateways sign jobs with on behalf of their owner.
//! - [`Config::AdminOrigin`]: [`Pallet::set_platform_fee`], [`Pallet::set_spot_discount`],
//!   [`Pallet::set_reference_price`], [`Pallet::reset_reference_price`],
//!   [`Pallet::set_plan_terms`], [`Pallet::set_enterprise_terms`], [`Pallet::spend_treasury`]
//!   (pays the treasury's credits out as stable asset).
//! - [`JobBilling`] for [`Pallet`]: admission and escrow for the matching pallet; weigh its
//!   functions with [`WeightInfo::admit`], [`WeightInfo::top_up`],
//!   [`WeightInfo::fund_from_treasury`], [`WeightInfo::pay`] and [`WeightInfo::close`].
//! - [`PriceCeiling`] for [`Pallet`]: the reference prices, for the provisions pallet.
//! - View functions `credits_of`, `escrow_of`, `subscription_of`, `token_allowance`,
//!   `plan_terms`, `api_key`, `reference_prices`, `usage_of`, `network_usage`, `current_day`.
//!
//! ## Overview
//!
//! ### Credits and escrow
//!
//! All amounts are in the stable asset's smallest units (6 decimals, [`USD`] `= 1_000_000`).
//! [`Pallet::deposit`] transfers the stable asset to the pallet account ([`Config::PalletId`])
//! and adds the same amount to the signer's [`CreditsOf`]; [`Pallet::withdraw`] is the reverse.
//! Every other movement is internal bookkeeping between [`CreditsOf`], the per-job
//! [`Escrows`] and the [`SubscriptionPool`], so tiny per-job payouts never meet the asset's
//! minimum balance. Providers and the treasury ([`Config::Treasury`]) are paid in credits and
//! withdraw like anyone.
//!
//! A job's escrow has two parts: the **payer part** (from the payer's credits, or from the
//! subscription pool for subscription-covered jobs; top-ups come from the same source) and the
//! **treasury part** (protocol-funded verification runs, from the treasury's credits). A
//! payment of `amount` out of a part gives `amount - fee` to the provider's credits and
//! `fee = ceil(amount * PlatformFee)` to the treasury's credits (the platform rounds up).
//! Closing refunds each part to where it came from.
//!
//! ### Reference prices
//!
//! [`default_reference_price`] gives the pay-as-you-go table (e.g. inference 300 / 700 /
//! 2,400 / 7,000 per 1K output tokens by tier, embeddings 20 per 1K tokens, text-to-speech
//! 8,000 per minute, web scraping 600 per page; container, serverless and rental have no
//! ceiling). The admin may override any entry ([`ReferencePriceOf`]), including removing a
//! ceiling, and reset it to the default.
//!
//! ### Subscriptions
//!
//! Plans Starter, Pro and Scale have public terms ([`default_plan_terms`], overridable by the
//! admin in [`PlanTermsOf`]); Enterprise terms are set per account ([`EnterpriseTermsOf`]).
//! [`Pallet::subscribe`] moves the plan's price from the signer's credits into the
//! [`SubscriptionPool`] and starts a period of [`Config::SubscriptionPeriod`] blocks with a
//! grant of the plan's tokens. Unused tokens of a grant stay usable for
//! [`Config::RolloverPeriod`] blocks after the grant (at most [`MAX_GRANTS`] grants, oldest used
//! first). Admission allows committing up to the grants plus an [`OVERAGE_BUFFER`] of the
//! plan's tokens; tokens used beyond the grants are deducted from the next grant.
//!
//! Renewal is lazy: when a subscription-covered job of a subscriber is admitted after its
//! period ended, the subscription renews (if `auto_renew` and the credits pay the price) or
//! lapses ([`Event::SubscriptionLapsed`]), and the job is then pay-as-you-go.
//!
//! Subscriptions cover [`ServiceKind::Inference`] and [`ServiceKind::Embeddings`]. Covered
//! jobs are escrowed from the pool ([`Error::SubscriptionPoolExhausted`] when it is short),
//! admitted as `subscribed` (priority) and limited by the plan's concurrency (open covered jobs
//! of the payer; pay-as-you-go jobs do not count), requests per [`Config::BlocksPerMinute`] window and tokens (`max_tokens`
//! reserved at admission, `tokens_used` consumed at close).
//!
//! ### API keys
//!
//! A key is an account (only its public key is on chain). Its owner registers it with scopes
//! (services) and a spending cap. When a key signs a job, the owner pays; the job's service
//! must be in scope and the key's spending (escrows count as spent, the unspent part is given
//! back at close) must stay within the cap.
//!
//! ### Usage statistics
//!
//! Per (payer, day, service) [`UsageOf`] and per (day, service) [`NetworkUsageOf`] counters,
//! with `day = block / BlocksPerDay`, are updated by `pay` (amounts) and `close` (jobs,
//! tokens).
//!
//! ## Low Level / Implementation Details
//!
//! - Conservation: `sum(CreditsOf) + sum(escrow parts) + SubscriptionPool = deposited -
//!   withdrawn <= the pallet account's balance` (a donation to the account is never spent).
//!   [`TotalCredits`] and [`TotalEscrowed`] are kept as running totals and checked against the
//!   sums by `try_state`.
//! - All [`JobBilling`] functions are atomic (a failing call changes nothing) and `O(1)` except
//!   for the bounded grant list.
//! - Arithmetic on funds is checked ([`Error::Overflow`]); statistics saturate.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{ServiceKind, Tier, UnitPrice},
	jobs::{Admission, EscrowPart, JobBilling, JobId, PriceCeiling},
	oracle::AssetId,
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod api_keys;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod credits;
mod escrow;
mod impl_job_billing;
mod impl_price_ceiling;
mod params;
mod subscriptions;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
mod usage;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::billing";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungibles::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::Permill;
	use sp_runtime::traits::Zero;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, parameter_types, traits::ConstU32};

		parameter_types! {
			/// The pallet id of the test defaults.
			pub const BillingPalletId: PalletId = PalletId(*b"cx/bill_");
		}

		/// Defaults for a mock runtime: three keys per owner, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type PalletId = BillingPalletId;
			type MaxApiKeys = ConstU32<3>;
			type UsageRetentionDays = ConstU32<3>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The assets; only [`Config::StableAsset`] is used.
		#[pallet::no_default]
		type Assets: Inspect<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ Mutate<Self::AccountId>;

		/// The stable asset credits are denominated in (6 decimals).
		#[pallet::constant]
		#[pallet::no_default]
		type StableAsset: Get<AssetId>;

		/// The pallet id; its account holds all deposited stable asset.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The treasury: receives platform fees (as credits) and funds verification runs.
		#[pallet::no_default]
		type Treasury: Get<Self::AccountId>;

		/// Who may set fees, prices and plan terms (root, later governance).
		#[pallet::no_default]
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per rate-limit window ("minute").
		#[pallet::constant]
		#[pallet::no_default]
		type BlocksPerMinute: Get<BlockNumberFor<Self>>;

		/// Blocks per usage-statistics day.
		#[pallet::constant]
		#[pallet::no_default]
		type BlocksPerDay: Get<BlockNumberFor<Self>>;

		/// Blocks per subscription period.
		#[pallet::constant]
		#[pallet::no_default]
		type SubscriptionPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks a token grant stays usable after it was granted (at least one period).
		#[pallet::constant]
		#[pallet::no_default]
		type RolloverPeriod: Get<BlockNumberFor<Self>>;

		/// The most API keys an owner has registered (revoked keys do not count).
		#[pallet::constant]
		type MaxApiKeys: Get<u32>;

		/// Days a payer's usage counters are kept; older days are removed in `on_idle`
		/// (network counters are kept).
		#[pallet::constant]
		type UsageRetentionDays: Get<u32>;

		/// Weights of this pallet's calls and of its [`JobBilling`] functions.
		type WeightInfo: WeightInfo;

		/// Creates and mints the stable asset for the benchmarks (e.g. [`CreateAndMint`]).
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Credits of each account (internal balances of the stable asset).
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type CreditsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// The sum of all [`CreditsOf`].
	#[pallet::storage]
	pub type TotalCredits<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// The escrow of each open job.
	// Twox64Concat: job ids are assigned by the matching pallet, not user-chosen.
	#[pallet::storage]
	pub type Escrows<T: Config> =
		StorageMap<_, Twox64Concat, JobId, Escrow<T::AccountId>, OptionQuery>;

	/// The sum of both parts of all [`Escrows`].
	#[pallet::storage]
	pub type TotalEscrowed<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Subscription fees not yet spent; funds subscription-covered jobs' escrows.
	#[pallet::storage]
	pub type SubscriptionPool<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Stable asset deposited and withdrawn in total.
	#[pallet::storage]
	pub type StableTotals<T: Config> = StorageValue<_, Totals, ValueQuery>;

	/// Open subscription-funded escrows per payer (the concurrency counter; pay-as-you-go jobs
	/// do not count).
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type OpenJobsOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Tokens reserved by a payer's open subscription-covered jobs.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type ReservedTokensOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u64, ValueQuery>;

	/// The platform fee before any `set_platform_fee`: 5%.
	#[pallet::type_value]
	pub fn DefaultPlatformFee() -> Permill {
		Permill::from_percent(5)
	}

	/// The share of each payment that goes to the treasury.
	#[pallet::storage]
	pub type PlatformFee<T: Config> = StorageValue<_, Permill, ValueQuery, DefaultPlatformFee>;

	/// The spot discount before any `set_spot_discount`: 70%.
	#[pallet::type_value]
	pub fn DefaultSpotDiscount() -> Permill {
		Permill::from_percent(70)
	}

	/// The share taken off spot jobs' prices (read by matching).
	#[pallet::storage]
	pub type SpotDiscount<T: Config> = StorageValue<_, Permill, ValueQuery, DefaultSpotDiscount>;

	/// Admin overrides of the reference prices: `Some(price)` sets a ceiling, `None` removes
	/// it; no entry means [`default_reference_price`].
	// Twox64Concat: small enums, not user-chosen values.
	#[pallet::storage]
	pub type ReferencePriceOf<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ServiceKind,
		Twox64Concat,
		Tier,
		Option<UnitPrice>,
		OptionQuery,
	>;

	/// Admin overrides of the public plans' terms; no entry means [`default_plan_terms`].
	// Twox64Concat: small enum.
	#[pallet::storage]
	pub type PlanTermsOf<T: Config> = StorageMap<_, Twox64Concat, Plan, PlanTerms, OptionQuery>;

	/// Enterprise terms per account.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type EnterpriseTermsOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PlanTerms, OptionQuery>;

	/// Each account's subscription (removed when it lapses).
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type SubscriptionOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Subscription<BlockNumberFor<T>>, OptionQuery>;

	/// Every API key ever registered (revoked ones stay, so they cannot be registered again).
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type ApiKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ApiKey<T::AccountId>, OptionQuery>;

	/// The unrevoked keys of each owner.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type KeysOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxApiKeys>,
		ValueQuery,
	>;

	/// Usage counters per (day, payer, service); days older than `UsageRetentionDays` are
	/// removed in `on_idle` (the day comes first so a whole day is one prefix).
	// Blake2_128Concat: account ids are user-chosen; Twox64Concat: days and services are not.
	#[pallet::storage]
	pub type UsageOf<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, BlockNumberFor<T>>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, ServiceKind>,
		),
		UsageCounters,
		ValueQuery,
	>;

	/// Payers' usage counters of days before this one have been removed.
	#[pallet::storage]
	pub type UsagePrunedBefore<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Network counters per (day, service).
	// Twox64Concat: days and services are not user-chosen.
	#[pallet::storage]
	pub type NetworkUsageOf<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		ServiceKind,
		NetworkCounters,
		ValueQuery,
	>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_usage(remaining)
		}

		fn integrity_test() {
			assert!(!T::BlocksPerMinute::get().is_zero(), "BlocksPerMinute must be >= 1");
			assert!(!T::BlocksPerDay::get().is_zero(), "BlocksPerDay must be >= 1");
			assert!(!T::SubscriptionPeriod::get().is_zero(), "SubscriptionPeriod must be >= 1");
			assert!(
				T::RolloverPeriod::get() >= T::SubscriptionPeriod::get(),
				"RolloverPeriod must be at least one SubscriptionPeriod"
			);
			assert!(T::MaxApiKeys::get() >= 1, "an owner must be able to register a key");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Stable asset was deposited and credited.
		Deposited {
			/// The depositor.
			who: T::AccountId,
			/// The amount.
			amount: Balance,
		},
		/// Credits were withdrawn as stable asset.
		Withdrawn {
			/// The account.
			who: T::AccountId,
			/// The amount.
			amount: Balance,
		},
		/// The admin paid out treasury credits as stable asset.
		TreasurySpent {
			/// The recipient.
			to: T::AccountId,
			/// The amount.
			amount: Balance,
		},
		/// A job's escrow was opened.
		EscrowOpened {
			/// The job.
			job: JobId,
			/// Who pays.
			payer: T::AccountId,
			/// The API key that signed, if any.
			api_key: Option<T::AccountId>,
			/// The job's service.
			service: ServiceKind,
			/// The amount escrowed.
			amount: Balance,
			/// Whether a subscription covers the job (escrowed from the pool).
			subscribed: bool,
		},
		/// The payer part of an escrow was topped up.
		EscrowToppedUp {
			/// The job.
			job: JobId,
			/// The amount added.
			amount: Balance,
		},
		/// The treasury funded a job's treasury part.
		TreasuryFunded {
			/// The job.
			job: JobId,
			/// The amount added.
			amount: Balance,
		},
		/// A provider was paid out of an escrow.
		Paid {
			/// The job.
			job: JobId,
			/// The part paid from.
			part: EscrowPart,
			/// The provider.
			provider: T::AccountId,
			/// The amount taken out of the escrow (fee included).
			amount: Balance,
			/// The platform fee credited to the treasury.
			fee: Balance,
		},
		/// A job's escrow was closed and its leftovers refunded.
		EscrowClosed {
			/// The job.
			job: JobId,
			/// Refunded to the payer (or the subscription pool).
			refunded: Balance,
			/// Refunded to the treasury.
			treasury_refunded: Balance,
		},
		/// An account subscribed.
		Subscribed {
			/// The subscriber.
			who: T::AccountId,
			/// The plan.
			plan: Plan,
			/// The price paid.
			price: Balance,
			/// The first block after the period.
			period_end: BlockNumberFor<T>,
		},
		/// A subscription renewed for a new period.
		SubscriptionRenewed {
			/// The subscriber.
			who: T::AccountId,
			/// The plan.
			plan: Plan,
			/// The price paid.
			price: Balance,
			/// The first block after the new period.
			period_end: BlockNumberFor<T>,
		},
		/// A subscription ended (not renewed, not enough credits or no terms any more).
		SubscriptionLapsed {
			/// The former subscriber.
			who: T::AccountId,
			/// The plan.
			plan: Plan,
		},
		/// A subscription will not renew.
		SubscriptionCancelled {
			/// The subscriber.
			who: T::AccountId,
		},
		/// An API key was registered.
		ApiKeyRegistered {
			/// The owner.
			owner: T::AccountId,
			/// The key.
			key: T::AccountId,
			/// Its spending cap.
			spending_cap: Balance,
		},
		/// An API key was revoked.
		ApiKeyRevoked {
			/// The owner.
			owner: T::AccountId,
			/// The key.
			key: T::AccountId,
		},
		/// An API key's spending cap changed.
		ApiKeyCapSet {
			/// The key.
			key: T::AccountId,
			/// The new cap.
			spending_cap: Balance,
		},
		/// The platform fee changed.
		PlatformFeeSet {
			/// The new fee.
			fee: Permill,
		},
		/// The spot discount changed.
		SpotDiscountSet {
			/// The new discount.
			discount: Permill,
		},
		/// A reference price was overridden.
		ReferencePriceSet {
			/// The service.
			service: ServiceKind,
			/// The tier.
			tier: Tier,
			/// The new ceiling (`None`: no ceiling).
			price: Option<UnitPrice>,
		},
		/// A reference price went back to its default.
		ReferencePriceReset {
			/// The service.
			service: ServiceKind,
			/// The tier.
			tier: Tier,
		},
		/// A public plan's terms changed (from the next period of each subscriber).
		PlanTermsSet {
			/// The plan.
			plan: Plan,
			/// The new terms.
			terms: PlanTerms,
		},
		/// An account's enterprise terms were set or removed.
		EnterpriseTermsSet {
			/// The account.
			who: T::AccountId,
			/// The terms (`None`: removed).
			terms: Option<PlanTerms>,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero; move at least one unit.
		ZeroAmount,
		/// The account has fewer credits than needed; deposit more.
		InsufficientCredits,
		/// An amount does not fit in 128 bits (or the totals are inconsistent).
		Overflow,
		/// The job already has an escrow; job ids are never reused.
		EscrowExists,
		/// The job has no open escrow (never admitted, or closed).
		UnknownEscrow,
		/// The escrow part holds less than the payment; nothing was paid.
		InsufficientEscrow,
		/// The treasury's credits cannot fund the verification run.
		InsufficientTreasuryCredits,
		/// The subscription pool cannot cover the subscribed job's escrow.
		SubscriptionPoolExhausted,
		/// The payer already has as many open jobs as the plan's concurrency; wait for one to
		/// close.
		ConcurrencyLimitReached,
		/// The plan's requests per minute are used up; retry in the next window.
		RateLimited,
		/// The job's `max_tokens` does not fit in the subscription's remaining tokens plus the
		/// overage buffer.
		TokenAllowanceExceeded,
		/// The account already has a running subscription; cancel it and wait for its end.
		AlreadySubscribed,
		/// The account has no subscription.
		NotSubscribed,
		/// No enterprise terms are set for this account; ask the admin.
		NoEnterpriseTerms,
		/// Enterprise terms are per account: use `set_enterprise_terms`.
		EnterpriseTermsPerAccount,
		/// Terms need `concurrency >= 1` and `requests_per_minute >= 1`.
		InvalidTerms,
		/// The key is already registered (or was, and was revoked).
		ApiKeyExists,
		/// An account cannot be its own key.
		KeyIsOwner,
		/// The key account owns keys itself; it cannot be a key.
		KeyOwnsKeys,
		/// The signer is an API key; keys cannot own keys.
		KeyCannotOwnKeys,
		/// The owner already has `MaxApiKeys` keys; revoke one first.
		TooManyApiKeys,
		/// Scopes must be non-empty and without duplicates.
		InvalidScopes,
		/// No such API key.
		UnknownApiKey,
		/// Only the key's owner may do this.
		NotKeyOwner,
		/// The API key was revoked.
		ApiKeyRevoked,
		/// The job's service is not in the key's scopes.
		OutOfScope,
		/// The job would take the key's spending above its cap.
		SpendingCapExceeded,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Deposit stable asset and get as many credits.
		///
		/// ## Dispatch Origin
		/// Signed by the depositor.
		///
		/// ## Parameters
		/// - `amount`: non-zero, in the stable asset's smallest units.
		///
		/// ## Errors
		/// `ZeroAmount`, `Overflow`, and the asset's transfer error (e.g. not enough balance,
		/// or the pallet account would stay below the minimum balance).
		///
		/// Emits `Deposited`.
		#[pallet::call_index(0)]
		pub fn deposit(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deposit(who, amount)
		}

		/// Withdraw credits as stable asset.
		///
		/// ## Dispatch Origin
		/// Signed by the credit holder.
		///
		/// ## Parameters
		/// - `amount`: non-zero, at most the signer's credits.
		///
		/// ## Errors
		/// `ZeroAmount`, `InsufficientCredits`, and the asset's transfer error (e.g. a first
		/// transfer below the minimum balance).
		///
		/// Emits `Withdrawn`.
		#[pallet::call_index(1)]
		pub fn withdraw(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, amount)
		}

		/// Subscribe to a plan, paying its price from credits into the subscription pool.
		///
		/// ## Dispatch Origin
		/// Signed by the subscriber.
		///
		/// ## Parameters
		/// - `plan`: a public plan, or `Enterprise` when the admin set terms for the signer.
		/// - `auto_renew`: whether to renew (lazily) at the end of each period.
		///
		/// ## Errors
		/// `AlreadySubscribed`, `NoEnterpriseTerms`, `InsufficientCredits`, `Overflow`.
		///
		/// Emits `Subscribed` (and `SubscriptionLapsed` for an ended previous subscription).
		#[pallet::call_index(2)]
		pub fn subscribe(origin: OriginFor<T>, plan: Plan, auto_renew: bool) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_subscribe(who, plan, auto_renew)
		}

		/// Stop renewing the signer's subscription; it runs to the end of its period (no
		/// refund).
		///
		/// ## Dispatch Origin
		/// Signed by the subscriber.
		///
		/// ## Errors
		/// `NotSubscribed`.
		///
		/// Emits `SubscriptionCancelled`.
		#[pallet::call_index(3)]
		pub fn cancel_subscription(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_subscription(who)
		}

		/// Register an API key that signs jobs paid by the signer.
		///
		/// ## Dispatch Origin
		/// Signed by the key's owner.
		///
		/// ## Parameters
		/// - `key`: the key's account (public key); never registered before, not the owner,
		///   owning no keys.
		/// - `scopes`: the services the key may buy (non-empty, no duplicates).
		/// - `spending_cap`: the most the key may have spent.
		///
		/// ## Errors
		/// `KeyIsOwner`, `KeyCannotOwnKeys`, `ApiKeyExists`, `KeyOwnsKeys`, `InvalidScopes`,
		/// `TooManyApiKeys`.
		///
		/// Emits `ApiKeyRegistered`.
		#[pallet::call_index(4)]
		pub fn register_api_key(
			origin: OriginFor<T>,
			key: T::AccountId,
			scopes: Vec<ServiceKind>,
			spending_cap: Balance,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_api_key(owner, key, scopes, spending_cap)
		}

		/// Revoke an API key for good; its open jobs still close normally.
		///
		/// ## Dispatch Origin
		/// Signed by the key's owner.
		///
		/// ## Errors
		/// `UnknownApiKey`, `NotKeyOwner`, `ApiKeyRevoked`.
		///
		/// Emits `ApiKeyRevoked`.
		#[pallet::call_index(5)]
		pub fn revoke_api_key(origin: OriginFor<T>, key: T::AccountId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_revoke_api_key(owner, key)
		}

		/// Change an API key's spending cap (it may go below what was already spent: the key
		/// then admits nothing until refunds bring it back under).
		///
		/// ## Dispatch Origin
		/// Signed by the key's owner.
		///
		/// ## Errors
		/// `UnknownApiKey`, `NotKeyOwner`, `ApiKeyRevoked`.
		///
		/// Emits `ApiKeyCapSet`.
		#[pallet::call_index(6)]
		pub fn set_api_key_cap(
			origin: OriginFor<T>,
			key: T::AccountId,
			spending_cap: Balance,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_set_api_key_cap(owner, key, spending_cap)
		}

		/// Set the platform fee taken off every payment.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// Emits `PlatformFeeSet`.
		#[pallet::call_index(7)]
		pub fn set_platform_fee(origin: OriginFor<T>, fee: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			PlatformFee::<T>::put(fee);
			Self::deposit_event(Event::PlatformFeeSet { fee });
			Ok(())
		}

		/// Set the spot discount.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// Emits `SpotDiscountSet`.
		#[pallet::call_index(8)]
		pub fn set_spot_discount(origin: OriginFor<T>, discount: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			SpotDiscount::<T>::put(discount);
			Self::deposit_event(Event::SpotDiscountSet { discount });
			Ok(())
		}

		/// Override the reference price (ceiling) of a service in a tier.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Parameters
		/// - `price`: `Some(p)` sets the ceiling to `p` per unit, `None` removes the ceiling.
		///
		/// Emits `ReferencePriceSet`.
		#[pallet::call_index(9)]
		pub fn set_reference_price(
			origin: OriginFor<T>,
			service: ServiceKind,
			tier: Tier,
			price: Option<UnitPrice>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ReferencePriceOf::<T>::insert(service, tier, price);
			Self::deposit_event(Event::ReferencePriceSet { service, tier, price });
			Ok(())
		}

		/// Drop the override of a reference price: the default applies again.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// Emits `ReferencePriceReset`.
		#[pallet::call_index(10)]
		pub fn reset_reference_price(
			origin: OriginFor<T>,
			service: ServiceKind,
			tier: Tier,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ReferencePriceOf::<T>::remove(service, tier);
			Self::deposit_event(Event::ReferencePriceReset { service, tier });
			Ok(())
		}

		/// Set a public plan's terms; subscribers get them from their next period.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Errors
		/// `EnterpriseTermsPerAccount`, `InvalidTerms`.
		///
		/// Emits `PlanTermsSet`.
		#[pallet::call_index(11)]
		pub fn set_plan_terms(
			origin: OriginFor<T>,
			plan: Plan,
			terms: PlanTerms,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_plan_terms(plan, terms)
		}

		/// Set (or with `None` remove) an account's enterprise terms; a running enterprise
		/// subscription gets them from its next period.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Errors
		/// `InvalidTerms`.
		///
		/// Emits `EnterpriseTermsSet`.
		#[pallet::call_index(12)]
		pub fn set_enterprise_terms(
			origin: OriginFor<T>,
			who: T::AccountId,
			terms: Option<PlanTerms>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_enterprise_terms(who, terms)
		}

		/// Pay out the treasury's credits (platform fees) as stable asset.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Parameters
		/// - `to`: the recipient.
		/// - `amount`: non-zero, at most the treasury's credits.
		///
		/// ## Errors
		/// `ZeroAmount`, `InsufficientCredits`, and the asset's transfer error.
		///
		/// Emits `TreasurySpent`.
		#[pallet::call_index(13)]
		pub fn spend_treasury(
			origin: OriginFor<T>,
			to: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_spend_treasury(to, amount)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The credits of `who`.
		pub fn credits_of(who: T::AccountId) -> Balance {
			CreditsOf::<T>::get(who)
		}

		/// The escrow of an open job.
		pub fn escrow_of(job: JobId) -> Option<Escrow<T::AccountId>> {
			Escrows::<T>::get(job)
		}

		/// The subscription of `who`, if any (it may have ended and await lazy renewal).
		pub fn subscription_of(who: T::AccountId) -> Option<Subscription<BlockNumberFor<T>>> {
			SubscriptionOf::<T>::get(who)
		}

		/// The tokens `who` can still commit now: live grants plus the overage buffer, minus
		/// overage and reserved tokens (zero without a running subscription).
		pub fn token_allowance(who: T::AccountId) -> u64 {
			Self::allowance_of(&who)
		}

		/// The effective terms of a plan (`None` for `Enterprise`: see `enterprise_terms`).
		pub fn plan_terms(plan: Plan) -> Option<PlanTerms> {
			Self::public_terms(plan)
		}

		/// The enterprise terms of `who`.
		pub fn enterprise_terms(who: T::AccountId) -> Option<PlanTerms> {
			EnterpriseTermsOf::<T>::get(who)
		}

		/// An API key.
		pub fn api_key(key: T::AccountId) -> Option<ApiKey<T::AccountId>> {
			ApiKeys::<T>::get(key)
		}

		/// The whole reference price table (every service in every tier).
		pub fn reference_prices() -> Vec<ReferencePrice> {
			Self::reference_table()
		}

		/// The usage counters of `who` for `service` on `day`.
		pub fn usage_of(
			who: T::AccountId,
			day: BlockNumberFor<T>,
			service: ServiceKind,
		) -> UsageCounters {
			UsageOf::<T>::get((day, who, service))
		}

		/// The network counters for `service` on `day`.
		pub fn network_usage(day: BlockNumberFor<T>, service: ServiceKind) -> NetworkCounters {
			NetworkUsageOf::<T>::get(day, service)
		}

		/// The current usage-statistics day.
		pub fn current_day() -> BlockNumberFor<T> {
			Self::day()
		}

		/// The platform fee and the spot discount.
		pub fn fees() -> (Permill, Permill) {
			(PlatformFee::<T>::get(), SpotDiscount::<T>::get())
		}
	}
}
