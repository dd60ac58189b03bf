//! # Rewards pallet
//!
//! Rewards the best compute providers, not the biggest whales: every successful job earns its
//! provider *points* by tier and service, scaled by the provision's measured uptime and latency
//! and by the network's demand; each epoch's emission is then split between providers in
//! proportion to their points and minted to them when they (or anyone, page by page) claim.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::claim_rewards`]: a provider claims its share of a closed epoch.
//! - [`Pallet::payout_page`]: anyone pays up to [`Config::MaxPayoutsPerPage`] providers of a
//!   closed epoch.
//! - [`Pallet::set_params`]: [`Config::ParamsOrigin`] sets the [`RewardParams`].
//! - [`OnJobCompleted`] for [`Pallet`]: the job market reports each successful job; weigh it
//!   with [`WeightInfo::on_job_completed`].
//! - View functions `pending_rewards`, `current_epoch`, `params`, `points_of`.
//!
//! ## Overview
//!
//! ### Points
//!
//! Points are integer **milli-points** ([`MilliPoints`], `1_000` = one point), every step
//! rounded down. With the default [`RewardParams`]:
//!
//! | service | base points |
//! |---|---|
//! | Inference, Container, Serverless, Rental | per request: TidePool 1, BlueSurge 3, OpenOcean 7, MarianaDepth 15 |
//! | TextToSpeech | 2 per minute of audio, pro rata: `2000 * audio_seconds / 60` milli-points |
//! | WebScraping | 0.5 per page: `500 * pages` milli-points |
//! | Embeddings | 1 per 1K tokens, pro rata: `1000 * (input + output tokens) / 1000` milli-points |
//!
//! `points = floor(base * floor(uptime_m * latency_m * demand_m))` (the product rounded down
//! to `10^-18`), see [`cxmpute_math::rewards::combined_multiplier`] and
//! [`cxmpute_math::rewards::apply_multiplier`]:
//!
//! - **uptime** 0.80–1.30 and **p50 latency** 1.15–0.85 from [`Config::Health`]; a provision
//!   not yet measured (`None`, or zero reporters) gets the neutral 1.0 for both, so new
//!   providers are neither punished nor boosted;
//! - **demand** 0.5–2.0 from [`Config::Utilisation`], recomputed every [`Config::DemandPeriod`]
//!   blocks in `on_initialize` and stored in [`DemandMultiplier`]; unknown utilisation gives
//!   the neutral 1.0.
//!
//! ### Epochs and payouts
//!
//! An epoch lasts [`Config::EpochLength`] blocks. When it ends (`on_initialize`, `O(1)`) its
//! budget is frozen at the current `emission_per_epoch` ([`EpochBudget`]) if it has points.
//! A provider's payout is `floor(budget * points / epoch points)`
//! ([`cxmpute_math::rewards::pro_rata_share`]), minted with `fungible::Mutate::mint_into`;
//! the provider's [`PointsOf`] entry is removed, so it is paid once. [`Pallet::payout_page`]
//! drains a bounded page of the epoch's [`PointsOf`] prefix, so no block ever iterates over
//! all providers. When every share is paid the epoch is *settled*: its records are removed and
//! the remainder (rounding dust, forfeited shares) stays unminted and is added to
//! [`TotalUnminted`] ([`Event::EpochSettled`]).
//!
//! ### Expiry
//!
//! With [`Config::ClaimWindow`] `= w > 0`, epoch `e` can be claimed while the current epoch is
//! at most `e + w`. After that, claims fail with [`Error::EpochExpired`] and `payout_page`
//! removes the epoch's entries page by page *without paying*; the unpaid budget is recorded
//! as unminted. `w = 0`: epochs never expire.
//!
//! ## Low Level / Implementation Details
//!
//! - All hooks and calls are `O(1)` or `O(MaxPayoutsPerPage)`.
//! - A page payout that cannot be minted (e.g. a share below the existential deposit to an
//!   account that does not exist) is forfeited ([`Event::RewardForfeited`]) rather than
//!   blocking the page; [`Pallet::claim_rewards`] fails instead, leaving the entry.
//! - Arithmetic is checked (`cxmpute-math`); overflowing awards are ignored with
//!   [`Event::JobIgnored`] rather than panicking.
//! - `try_state` checks points, budgets and payouts per epoch (see `do_try_state`).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{ProvisionId, ProvisionsInspect, ServiceKind, Tier},
	provider::{HealthInspect, HealthStats, JobUsage, NetworkUtilisation, OnJobCompleted},
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod epochs;
mod impl_on_job_completed;
mod params;
mod payout;
mod points;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use points::{base_points, health_multipliers};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::rewards";

/// Sets up provisions for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `provider` own a provision known to [`Config::Provisions`] (with a tier, ideally
	/// with measured health in [`Config::Health`]) and return its id.
	fn provision_of(provider: &AccountId) -> ProvisionId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::DispatchResultWithPostInfo,
		pallet_prelude::*,
		traits::{fungible, BuildGenesisConfig},
	};
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::{FixedU128, Perbill};
	use sp_runtime::traits::One;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{
			derive_impl,
			traits::{ConstU128, ConstU32},
		};

		/// Defaults for a mock runtime: small pages, no expiry, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MaxPayoutsPerPage = ConstU32<4>;
			type ClaimWindow = ConstU32<0>;
			type MaxEmissionPerEpoch = ConstU128<{ u64::MAX as u128 }>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The native currency; rewards are minted into it (emission).
		#[pallet::no_default]
		type Currency: fungible::Mutate<Self::AccountId>;

		/// Resolves a provision's provider and tier.
		#[pallet::no_default]
		type Provisions: ProvisionsInspect<Self::AccountId>;

		/// Measured health of provisions (uptime and latency multipliers). `()`: unmeasured,
		/// neutral multipliers.
		#[pallet::no_default]
		type Health: HealthInspect;

		/// The network's utilisation (demand multiplier). `()`: unknown, neutral multiplier.
		#[pallet::no_default]
		type Utilisation: NetworkUtilisation;

		/// Who may set the [`RewardParams`] (root or governance).
		#[pallet::no_default]
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks per epoch.
		#[pallet::constant]
		#[pallet::no_default]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// Blocks between two recomputations of the demand multiplier.
		#[pallet::constant]
		#[pallet::no_default]
		type DemandPeriod: Get<BlockNumberFor<Self>>;

		/// The most providers one `payout_page` pays.
		#[pallet::constant]
		type MaxPayoutsPerPage: Get<u32>;

		/// Epochs after which an unclaimed epoch expires (`0`: never), see the crate docs.
		#[pallet::constant]
		type ClaimWindow: Get<u32>;

		/// The largest `emission_per_epoch` that `set_params` accepts, in the currency's
		/// smallest unit.
		#[pallet::constant]
		type MaxEmissionPerEpoch: Get<u128>;

		/// Weights of this pallet's calls, hook and [`OnJobCompleted`].
		type WeightInfo: WeightInfo;

		/// Creates provisions for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The reward parameters.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, RewardParams, ValueQuery>;

	/// The open epoch, collecting points.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The block whose `on_initialize` closes the open epoch (`0`: the clock has not started;
	/// the next `on_initialize` starts it).
	#[pallet::storage]
	pub type EpochEndsAt<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The block whose `on_initialize` recomputes [`DemandMultiplier`] (`0`: the next one).
	#[pallet::storage]
	pub type NextDemandAt<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The neutral multiplier, 1.0.
	#[pallet::type_value]
	pub fn NeutralMultiplier() -> FixedU128 {
		FixedU128::one()
	}

	/// The demand multiplier applied to points, recomputed every `DemandPeriod` blocks.
	#[pallet::storage]
	pub type DemandMultiplier<T: Config> =
		StorageValue<_, FixedU128, ValueQuery, NeutralMultiplier>;

	/// Unpaid milli-points of each provider per epoch; removed when paid.
	// Twox64Concat: epochs are not user-chosen and must be iterable as a prefix.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type PointsOf<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		MilliPoints,
		OptionQuery,
	>;

	/// Total milli-points awarded in an epoch (paid or not); kept until the epoch settles.
	// Twox64Concat: epochs are not user-chosen.
	#[pallet::storage]
	pub type EpochPoints<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, MilliPoints, ValueQuery>;

	/// Milli-points of an epoch already paid, forfeited or reaped.
	// Twox64Concat: epochs are not user-chosen.
	#[pallet::storage]
	pub type EpochClaimedPoints<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, MilliPoints, ValueQuery>;

	/// The budget of a closed epoch with points, frozen when it closed.
	// Twox64Concat: epochs are not user-chosen.
	#[pallet::storage]
	pub type EpochBudget<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, BalanceOf<T>, OptionQuery>;

	/// What has been minted out of an epoch's budget so far.
	// Twox64Concat: epochs are not user-chosen.
	#[pallet::storage]
	pub type EpochPaid<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, BalanceOf<T>, ValueQuery>;

	/// Budget of settled epochs that was never minted (rounding dust, forfeited and expired
	/// shares).
	#[pallet::storage]
	pub type TotalUnminted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Genesis: the reward parameters; the first epoch ends at block `EpochLength`.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial parameters (validated; invalid ones abort the genesis build).
		pub params: RewardParams,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(e) = Pallet::<T>::validate_params(&self.params) {
				panic!("invalid genesis reward params: {e:?}");
			}
			Params::<T>::put(&self.params);
			EpochEndsAt::<T>::put(T::EpochLength::get());
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_on_initialize(now)
		}

		fn integrity_test() {
			assert!(!T::EpochLength::get().is_zero(), "EpochLength must be >= 1");
			assert!(!T::DemandPeriod::get().is_zero(), "DemandPeriod must be >= 1");
			assert!(T::MaxPayoutsPerPage::get() >= 1, "a payout page must pay one provider");
			assert!(
				Pallet::<T>::validate_params(&RewardParams::default()).is_ok(),
				"the default parameters must be valid"
			);
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
		/// A completed job earned its provider points.
		PointsAwarded {
			/// The epoch the points count in.
			epoch: EpochIndex,
			/// The provider credited.
			provider: T::AccountId,
			/// The provision that ran the job.
			provision: ProvisionId,
			/// The job's service.
			service: ServiceKind,
			/// Milli-points awarded, multipliers applied.
			points: MilliPoints,
		},
		/// A completed job earned no points.
		JobIgnored {
			/// The provision reported.
			provision: ProvisionId,
			/// The job's service.
			service: ServiceKind,
			/// Why.
			reason: IgnoreReason,
		},
		/// The demand multiplier was recomputed.
		DemandUpdated {
			/// The utilisation read, `None` if unknown.
			utilisation: Option<Perbill>,
			/// The new multiplier.
			multiplier: FixedU128,
		},
		/// An epoch ended; its budget is frozen and it can be claimed.
		EpochClosed {
			/// The epoch closed.
			epoch: EpochIndex,
			/// Its total milli-points.
			total_points: MilliPoints,
			/// Its budget (zero when it has no points: nothing is recorded then).
			budget: BalanceOf<T>,
		},
		/// A provider was paid its share of an epoch.
		RewardsPaid {
			/// The epoch.
			epoch: EpochIndex,
			/// The provider paid.
			provider: T::AccountId,
			/// The provider's milli-points.
			points: MilliPoints,
			/// The amount minted.
			amount: BalanceOf<T>,
		},
		/// A provider's share could not be minted by `payout_page` and stays unminted.
		RewardForfeited {
			/// The epoch.
			epoch: EpochIndex,
			/// The provider.
			provider: T::AccountId,
			/// The share that was not minted.
			amount: BalanceOf<T>,
		},
		/// `payout_page` removed entries of an expired epoch without paying them.
		ExpiredPointsReaped {
			/// The expired epoch.
			epoch: EpochIndex,
			/// How many entries were removed.
			providers: u32,
		},
		/// Every share of an epoch was paid, forfeited or reaped; its records are removed.
		EpochSettled {
			/// The epoch.
			epoch: EpochIndex,
			/// The total minted for it.
			paid: BalanceOf<T>,
			/// The part of its budget never minted (rounding dust, forfeited or expired shares).
			unminted: BalanceOf<T>,
		},
		/// The reward parameters were replaced.
		ParamsSet {
			/// The new parameters.
			params: RewardParams,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The epoch is still open (or in the future); wait until it closes.
		EpochNotClosed,
		/// The epoch is past the claim window; its rewards can no longer be claimed.
		EpochExpired,
		/// No rewards are recorded for this epoch: it had no points, or it has already been
		/// settled (every share paid).
		UnknownEpoch,
		/// The caller has no unpaid points in this epoch (never earned any, or already paid).
		NothingToClaim,
		/// A multiplier curve is empty or its `x` are not strictly increasing, or an uptime or
		/// demand breakpoint lies beyond 100% (`Perbill` parts).
		InvalidCurve,
		/// A multiplier curve's `y` is above `MAX_MULTIPLIER` (4.0).
		MultiplierOutOfRange,
		/// A base point or rate is zero or above `MAX_POINTS_PER_UNIT`.
		PointsOutOfRange,
		/// `emission_per_epoch` is above `MaxEmissionPerEpoch` or does not fit the balance
		/// type.
		EmissionTooHigh,
		/// An amount overflowed; the epoch's figures are inconsistent.
		Overflow,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Claim the caller's share of a closed epoch, minted to the caller.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `epoch`: a closed, unexpired epoch in which the caller has unpaid points.
		///
		/// ## Errors
		/// `EpochNotClosed`, `EpochExpired`, `UnknownEpoch`, `NothingToClaim`, and the
		/// currency's error if the share cannot be minted (e.g. below the existential deposit).
		///
		/// Emits `RewardsPaid`, and `EpochSettled` if it was the last share.
		///
		/// Weight: `O(1)`.
		#[pallet::call_index(0)]
		pub fn claim_rewards(origin: OriginFor<T>, epoch: EpochIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, epoch)
		}

		/// Pay up to `MaxPayoutsPerPage` providers of a closed epoch (or, for an expired epoch,
		/// remove their entries without paying).
		///
		/// ## Dispatch Origin
		/// Signed by anyone.
		///
		/// ## Parameters
		/// - `epoch`: a closed epoch with unpaid points.
		///
		/// ## Errors
		/// `EpochNotClosed`, `UnknownEpoch`, `NothingToClaim`.
		///
		/// Emits `RewardsPaid` or `RewardForfeited` per provider (or one
		/// `ExpiredPointsReaped`), and `EpochSettled` after the last one.
		///
		/// Weight: `O(MaxPayoutsPerPage)`, refunded to the providers actually paid.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::payout_page(T::MaxPayoutsPerPage::get()))]
		pub fn payout_page(origin: OriginFor<T>, epoch: EpochIndex) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let n = Self::do_payout_page(epoch)?;
			Ok(Some(T::WeightInfo::payout_page(n)).into())
		}

		/// Replace the reward parameters; they apply to jobs from now on, and the emission to
		/// epochs closing from now on.
		///
		/// ## Dispatch Origin
		/// `ParamsOrigin` (root or governance).
		///
		/// ## Parameters
		/// - `params`: validated, see `Pallet::validate_params` (boxed: it is the largest call
		///   argument).
		///
		/// ## Errors
		/// `InvalidCurve`, `MultiplierOutOfRange`, `PointsOutOfRange`, `EmissionTooHigh`.
		///
		/// Emits `ParamsSet`.
		#[pallet::call_index(2)]
		pub fn set_params(origin: OriginFor<T>, params: Box<RewardParams>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::do_set_params(*params)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// What `provider` would be paid for `epoch` now: its share of a closed epoch's budget,
		/// or, for the open epoch, an estimate at the current `emission_per_epoch` (more points
		/// may still come in). Zero when it has no unpaid points or the epoch expired.
		pub fn pending_rewards(epoch: EpochIndex, provider: T::AccountId) -> BalanceOf<T> {
			Self::pending(epoch, &provider)
		}

		/// The open epoch.
		pub fn current_epoch() -> EpochIndex {
			CurrentEpoch::<T>::get()
		}

		/// The reward parameters.
		pub fn params() -> RewardParams {
			Params::<T>::get()
		}

		/// `provider`'s unpaid milli-points in `epoch`.
		pub fn points_of(epoch: EpochIndex, provider: T::AccountId) -> MilliPoints {
			PointsOf::<T>::get(epoch, provider).unwrap_or_default()
		}
	}
}
