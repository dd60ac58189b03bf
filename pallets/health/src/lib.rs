//! # Health pallet
//!
//! Measured health of running provisions: validators' offchain workers probe the providers'
//! health endpoints over HTTP, and the chain keeps, per provision, the median of what the
//! validators measured: uptime and p50 latency. Other pallets read it through [`HealthInspect`].
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::submit_probes`]: an authority's signed probe report, submitted as an *unsigned*
//!   transaction by its offchain worker and admitted by `ValidateUnsigned`.
//! - [`Pallet::prune`]: anyone removes the health data of a provision that no longer exists.
//! - [`HealthInspect`] for [`Pallet`]: how other pallets read health.
//! - View functions `health_of` and `probes_of`: the same data for RPC clients.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Authority**: a key in [`Config::Authorities`] (the runtime uses Aura's authorities, so
//!   validators sign with the `aura` sr25519 key they already hold).
//! - **Probe**: one HTTP `GET` of a provision's health endpoint. It succeeds when the endpoint
//!   answers with a `2xx` status before the deadline ([`Config::HttpTimeoutMs`]); its outcome is
//!   the latency in milliseconds (`Some`) or a failure (`None`).
//! - **Report**: a [`ProbeReport`]: the outcomes of up to [`Config::ProbesPerRound`] probes made
//!   by one authority at one block, signed by that authority over
//!   `(SIGNING_CONTEXT, report).encode()` ([`SIGNING_CONTEXT`] = `b"cxmpute/health/v1"`, so the
//!   signature cannot be replayed as anything else signed by the Aura key).
//! - **Window**: per (provision, authority), the last [`Config::Window`] probe outcomes
//!   ([`ProbesOf`]), oldest first; a new outcome pushes out the oldest.
//!
//! ### Offchain probing
//!
//! In blocks that are multiples of [`Config::ProbeInterval`], the offchain worker of a node
//! whose keystore holds a key of a current authority takes, per such key, the next page of
//! running provisions ([`ProvisionsInspect::running_page`], cursor kept in offchain persistent
//! storage, wrapping around), starts all `GET`s at once, waits for them with one deadline, and
//! submits the signed report as an unsigned `submit_probes`. A storage lock keeps two workers
//! of the same node from probing at the same time.
//!
//! ### Aggregation
//!
//! After a report, each probed provision's [`HealthStats`] ([`HealthOf`]) is recomputed from
//! its windows:
//! - per authority: `uptime = ok / total` of its window and `p50 = lower median` of the
//!   latencies of its successful probes (none when it has no successful probe);
//! - per provision: `uptime = lower median` of the authorities' uptimes, `p50_latency_ms = lower
//!   median` of the authorities' p50s (0 when no authority has one), `reporters` = number of
//!   authorities with a window.
//!
//! The **lower median** of `n` sorted values is the value at index `(n - 1) / 2`; for even `n`
//! it is the lower of the two middle values (no averaging, so the result is always a value
//! some authority measured). Hence fewer than half of the authorities, and never the provider,
//! can move a provision's figures.
//!
//! ## Low Level / Implementation Details
//!
//! Windows of authorities that left the authority set are deleted when their provision is next
//! recomputed, so a provision never has more than [`Config::MaxAuthorities`] windows and a
//! recomputation reads at most `MaxAuthorities + 1` of them. The last accepted report block of
//! each authority ([`LastReports`]) rejects replays and reports older than the newest one.
//! Reports naming provisions that are not running skip those entries only.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{ProvisionId, ProvisionsInspect},
	provider::{HealthInspect, HealthStats},
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

pub mod aggregate;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impl_health_inspect;
mod offchain;
mod prune;
mod report;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use aggregate::lower_median;
pub use offchain::{CURSOR_KEY, LOCK_KEY, POLL_STEP_MS};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::health";

/// Domain separator prefixed to every signed report.
pub const SIGNING_CONTEXT: &[u8] = b"cxmpute/health/v1";

/// Prefix of the `ValidateUnsigned` tags of reports.
pub const TAG_PREFIX: &str = "CxmputeHealth";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
	};
	use frame_system::{offchain::CreateBare, pallet_prelude::*};
	use sp_runtime::{
		traits::{MaybeSerializeDeserialize, Member, Zero},
		RuntimeAppPublic,
	};

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
			traits::{ConstU32, ConstU64},
		};

		/// Defaults for a mock runtime: small bounds, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MaxAuthorities = ConstU32<8>;
			type ProbesPerRound = ConstU32<4>;
			type Window = ConstU32<5>;
			type HttpTimeoutMs = ConstU64<1_000>;
			type UnsignedPriority = ConstU64<{ TransactionPriority::MAX / 2 }>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: CreateBare<Call<Self>> + frame_system::Config {
		/// Read access to provisions: which are running, their health endpoints, and pages of
		/// running provisions for the offchain worker.
		#[pallet::no_default]
		type Provisions: ProvisionsInspect<Self::AccountId>;

		/// The authorities' signing key (the runtime uses Aura's sr25519 `AuraId`).
		#[pallet::no_default]
		type AuthorityId: Member
			+ Parameter
			+ RuntimeAppPublic
			+ Ord
			+ MaybeSerializeDeserialize
			+ MaxEncodedLen;

		/// The most authorities the set holds (Aura's `MaxAuthorities`).
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// The current authorities (the runtime reads `pallet_aura::Authorities`).
		#[pallet::no_default]
		type Authorities: Get<BoundedVec<Self::AuthorityId, Self::MaxAuthorities>>;

		/// Offchain workers probe in blocks that are multiples of this.
		#[pallet::constant]
		#[pallet::no_default]
		type ProbeInterval: Get<BlockNumberFor<Self>>;

		/// The most probes (provisions) one report holds.
		#[pallet::constant]
		type ProbesPerRound: Get<u32>;

		/// How many probe outcomes are kept per (provision, authority).
		#[pallet::constant]
		type Window: Get<u32>;

		/// How many blocks a report stays valid: a report made at block `b` is accepted at block
		/// `n` iff `b <= n <= b + MaxReportAge`.
		#[pallet::constant]
		#[pallet::no_default]
		type MaxReportAge: Get<BlockNumberFor<Self>>;

		/// Deadline of one probing round (all probes of a report), in milliseconds.
		#[pallet::constant]
		type HttpTimeoutMs: Get<u64>;

		/// Priority of report transactions in the pool.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Fixtures the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: BenchmarkHelper<Self::AuthorityId>;
	}

	/// The probe outcomes of each (provision, authority), oldest first, at most `Window`; never
	/// empty. A provision has at most `MaxAuthorities` windows.
	// Blake2_128Concat: provision ids come from providers' registrations.
	// Twox64Concat: authorities are the validator set.
	#[pallet::storage]
	pub type ProbesOf<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ProvisionId,
		Twox64Concat,
		T::AuthorityId,
		WindowFor<T>,
		OptionQuery,
	>;

	/// The health of each provision, recomputed from its windows after every report; present
	/// iff the provision has at least one window.
	// Blake2_128Concat: provision ids come from providers' registrations.
	#[pallet::storage]
	pub type HealthOf<T: Config> =
		StorageMap<_, Blake2_128Concat, ProvisionId, HealthStats, OptionQuery>;

	/// The block of the last accepted report of each authority that reported since it last
	/// entered the set; reports at or before it are rejected.
	#[pallet::storage]
	pub type LastReports<T: Config> = StorageValue<_, LastReportsFor<T>, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::do_offchain_worker(now);
		}

		fn integrity_test() {
			assert!(T::MaxAuthorities::get() >= 1, "at least one authority must fit");
			assert!(T::ProbesPerRound::get() >= 1, "a report must hold at least one probe");
			assert!(T::Window::get() >= 1, "a window must hold at least one probe");
			assert!(!T::ProbeInterval::get().is_zero(), "ProbeInterval must be at least 1");
			assert!(!T::MaxReportAge::get().is_zero(), "MaxReportAge must be at least 1");
			assert!(T::HttpTimeoutMs::get() >= 1, "HttpTimeoutMs must be at least 1");
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
		/// An authority's probe report was recorded.
		ProbesRecorded {
			/// The reporting authority.
			authority: T::AuthorityId,
			/// The block the probes were made at.
			at: BlockNumberFor<T>,
			/// How many outcomes were recorded.
			count: u32,
			/// The provisions of the report that were skipped because they are not running.
			skipped: BoundedVec<ProvisionId, T::ProbesPerRound>,
		},
		/// A provision's health was recomputed (one per recorded outcome, so at most
		/// `ProbesPerRound` per report).
		HealthUpdated {
			/// The provision.
			provision: ProvisionId,
			/// Its new health.
			stats: HealthStats,
		},
		/// The health data of a provision that no longer exists was removed.
		Pruned {
			/// The provision.
			provision: ProvisionId,
			/// How many windows were removed.
			windows: u32,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The report holds no probe; a report must hold at least one.
		EmptyReport,
		/// The report names a provision twice; probe each provision once per report.
		DuplicateProvision,
		/// The report is from a block after the current one.
		ReportFromFuture,
		/// The report is more than `MaxReportAge` blocks old; probe again.
		ReportTooOld,
		/// The key is not in the current authority set; only authorities may report.
		NotAuthority,
		/// The authority already had a report accepted at this block or a later one.
		StaleReport,
		/// The signature is not the authority's over `(SIGNING_CONTEXT, report)`.
		InvalidSignature,
		/// The provision still exists; only data of deregistered provisions can be pruned.
		ProvisionStillExists,
		/// There is no health data of this provision.
		NothingToPrune,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Record an authority's probe report and recompute the health of the probed
		/// provisions.
		///
		/// - `report`: the outcomes, the authority and the block of the probes.
		/// - `signature`: the authority's signature over `(SIGNING_CONTEXT, report).encode()`.
		///
		/// Entries of provisions that are not running are skipped and listed in the event.
		///
		/// ## Dispatch Origin
		/// None (an unsigned transaction admitted by `ValidateUnsigned`, which checks the same
		/// conditions).
		///
		/// ## Errors
		/// `EmptyReport`, `DuplicateProvision`, `ReportFromFuture`, `ReportTooOld`,
		/// `NotAuthority`, `StaleReport`, `InvalidSignature`.
		///
		/// ## Events
		/// Emits `HealthUpdated` per recorded outcome, then `ProbesRecorded`.
		///
		/// Weight: `O(results * MaxAuthorities)`, charged for `MaxAuthorities` windows per
		/// provision and refunded to the most windows actually read.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_probes(
			report.results.len() as u32,
			T::MaxAuthorities::get(),
		))]
		pub fn submit_probes(
			origin: OriginFor<T>,
			report: ProbeReportFor<T>,
			signature: <T::AuthorityId as RuntimeAppPublic>::Signature,
		) -> DispatchResultWithPostInfo {
			ensure_none(origin)?;
			let windows = Self::do_submit_probes(report, &signature)?;
			Ok((Some(T::WeightInfo::submit_probes(windows.0, windows.1)), Pays::No).into())
		}

		/// Remove all health data (windows and stats) of `provision`, which must no longer
		/// exist.
		///
		/// ## Dispatch Origin
		/// Signed (anyone).
		///
		/// ## Errors
		/// `ProvisionStillExists`, `NothingToPrune`.
		///
		/// ## Events
		/// Emits `Pruned`.
		///
		/// Weight: `O(MaxAuthorities)`, refunded to the windows removed.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::prune(T::MaxAuthorities::get()))]
		pub fn prune(origin: OriginFor<T>, provision: ProvisionId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let removed = Self::do_prune(provision)?;
			Ok(Some(T::WeightInfo::prune(removed)).into())
		}
	}

	// `ValidateUnsigned` is deprecated in favour of `#[pallet::authorize]`; kept on purpose, as
	// the transaction pool of the node still relies on it for unsigned reports.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			match call {
				Call::submit_probes { report, signature } => {
					Self::validate_report(report, signature)
				},
				_ => InvalidTransaction::Call.into(),
			}
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The measured health of `provision`, `None` before any authority probed it.
		pub fn health_of(provision: ProvisionId) -> Option<HealthStats> {
			HealthOf::<T>::get(provision)
		}

		/// The probe windows of `provision`: per authority, its outcomes oldest first (latency
		/// in ms, `None` for a failed probe).
		pub fn probes_of(provision: ProvisionId) -> Vec<(T::AuthorityId, Vec<Option<u32>>)> {
			ProbesOf::<T>::iter_prefix(provision)
				.map(|(authority, window)| (authority, window.into_inner()))
				.collect()
		}
	}
}
