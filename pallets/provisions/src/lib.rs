//! # Provisions pallet
//!
//! The provider side of Cxmpute: providers register *provisions* (one machine, VM or container
//! slot each) with a hardware spec, the services they offer and their own prices, authorize a
//! worker key per provision, start it, and keep it alive with heartbeats. Running provisions sit
//! in service pools keyed by `(ServiceKind, Tier)`, cheapest first, which the matching pallet
//! reads through [`ProvisionsInspect`].
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::register_provision`] / [`Pallet::deregister_provision`]: add or remove a provision.
//! - [`Pallet::update_prices`] / [`Pallet::set_services`] / [`Pallet::set_availability`]:
//!   change an offer (prices only; the whole service list with models; the time window).
//! - [`Pallet::authorize_worker`] / [`Pallet::revoke_worker`]: manage the worker key.
//! - [`Pallet::start_provision`] / [`Pallet::stop_provision`]: the provider's lifecycle switches.
//! - [`Pallet::heartbeat`]: the worker key's liveness signal.
//! - [`ProvisionsInspect`] for [`Pallet`]: read access for matching; [`Pallet::cheapest`].
//! - View functions `cheapest_provisions`, `provision`, `provisions_of`, `provision_of_worker`,
//!   `did_of`: the same reads for RPC clients.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Provider**: the account that registers and controls provisions (and, later, stakes).
//! - **Provision**: one slot, identified by a [`ProvisionId`] = `blake2_256((provider,
//!   nonce).encode())` where `nonce` is the provider's counter ([`NonceOf`]), incremented on
//!   every registration and never reused, so registering the same spec twice gives two ids. Its
//!   DID is `did:cxmpute:<hex id>` ([`cxmpute_primitives::compute::provision_did`]).
//! - **Worker key**: a separate account (the machine's key) that may heartbeat for one provision
//!   and nothing else. It holds no power over the provider's account or funds: every
//!   provider-only call checks the origin is the provider. A worker key serves at most one
//!   provision ([`ProvisionOfWorker`]); authorizing a new key replaces (rotates) the old one.
//! - **Tier**: from the spec's VRAM, see [`Tier::from_vram_mb`].
//!
//! ### Lifecycle
//!
//! ```text
//! register -> Draft --start--> Started --first heartbeat--> Running
//!                                 |                            |
//!                                 +-- stop / revoke / timeout -+--> Off --start--> Started
//! ```
//! Every transition emits [`Event::ProvisionStateChanged`]. Starting needs a worker key and
//! [`Config::StakeGate`] to allow the provider to run the provision's tier. Only `Draft` and
//! `Off` provisions can be deregistered.
//!
//! ### Heartbeats and bounded auto-off
//!
//! An active (`Started`/`Running`) provision has a deadline `heartbeat block +
//! HeartbeatTimeout` and sits in the queue [`DeadlinesAt`] of that block. Each queue holds at
//! most [`Config::MaxOffPerBlock`] ids; when it is full the provision goes into the next block's
//! queue (up to [`MAX_DEADLINE_SPILL`] blocks later, else [`Error::HeartbeatQueueFull`]). A
//! heartbeat moves the provision to a later queue. `on_initialize(n)` takes the queue of block
//! `n` only and turns its provisions `Off`, so it touches at most `MaxOffPerBlock` provisions per
//! block. A provision whose deadline passed is reported as not running by
//! [`ProvisionsInspect::is_running`] and filtered out of [`Pallet::cheapest`] even before the
//! hook handles it; so is a provision whose availability window has ended (it can no longer
//! heartbeat, so it goes `Off` at its deadline).
//!
//! ### Pools
//!
//! For each `(service, tier)` [`PoolOf`] keeps `(price, id)` of the `Running` provisions
//! offering that service in that tier, sorted by price then id, at most [`Config::MaxPoolSize`]
//! entries ([`Error::PoolFull`] on the first heartbeat otherwise). Entries are added on
//! `Started -> Running`, re-sorted by `update_prices`, and removed when the provision leaves
//! `Running`.
//!
//! ## Low Level / Implementation Details
//!
//! A provision offers each [`ServiceKind`] at most once, so it touches at most
//! [`MAX_SERVICES`] (7) pools. All storage is bounded; `try_state` checks pools, the worker
//! index, provider lists and deadline queues against the provisions.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{
		provision_did, HardwareSummary, ModelId, ProvisionId, ProvisionsInspect, ServiceKind,
		StakeGate, Tier, UnitPrice,
	},
	jobs::PriceCeiling,
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod heartbeat;
mod impl_provisions_inspect;
mod lifecycle;
#[cfg(test)]
mod mock;
mod offers;
mod pools;
mod registry;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;
mod workers;

/// Benchmark set-up the runtime provides.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `StakeGate::can_run(provider, tier)` true (fund and bond the tier's minimum).
	fn allow_to_run(provider: &AccountId, tier: Tier);
}

/// For runtimes whose stake gate allows everything.
#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn allow_to_run(_provider: &AccountId, _tier: Tier) {}
}

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::provisions";

/// How many blocks past its deadline a provision may be queued when the deadline's queue is
/// full.
pub const MAX_DEADLINE_SPILL: u32 = 16;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, traits::ConstU32};

		/// Defaults for a mock runtime: small bounds, no stake gate, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MaxProvisionsPerProvider = ConstU32<4>;
			type MaxStringLen = ConstU32<32>;
			type MaxModels = ConstU32<4>;
			type MaxEndpointLen = ConstU32<64>;
			type MaxPoolSize = ConstU32<4>;
			type MaxOffPerBlock = ConstU32<2>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// Whether a provider may start a provision of a tier (minimum stake per tier). `()`
		/// allows everything.
		#[pallet::no_default]
		type StakeGate: StakeGate<Self::AccountId>;

		/// The most a provider may quote per unit of a service in a tier (billing's
		/// pay-as-you-go reference prices). `()` sets no ceiling.
		#[pallet::no_default]
		type PriceCeiling: PriceCeiling;

		/// The most provisions one provider may have registered at once.
		#[pallet::constant]
		type MaxProvisionsPerProvider: Get<u32>;

		/// The longest GPU model name and region, in bytes.
		#[pallet::constant]
		type MaxStringLen: Get<u32>;

		/// The most model ids an inference offer may list.
		#[pallet::constant]
		type MaxModels: Get<u32>;

		/// The longest health endpoint URL, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// The most running provisions in one `(service, tier)` pool.
		#[pallet::constant]
		type MaxPoolSize: Get<u32>;

		/// The most provisions `on_initialize` turns off in one block (the size of each
		/// deadline queue).
		#[pallet::constant]
		type MaxOffPerBlock: Get<u32>;

		/// Blocks after its last heartbeat (or start) after which an active provision goes off.
		#[pallet::constant]
		#[pallet::no_default]
		type HeartbeatTimeout: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Lets benchmark accounts pass [`Config::StakeGate`] (e.g. by bonding stake).
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// Every registered provision.
	// Blake2_128Concat: ids are hashes chosen by the chain, but keep the safe default.
	#[pallet::storage]
	pub type Provisions<T: Config> =
		StorageMap<_, Blake2_128Concat, ProvisionId, Provision<T>, OptionQuery>;

	/// The provisions of each provider, in registration order.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type ProvisionsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ProvisionId, T::MaxProvisionsPerProvider>,
		ValueQuery,
	>;

	/// Each provider's registration counter; the next id is derived from its current value.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type NonceOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u64, ValueQuery>;

	/// Reverse index: the provision each worker key serves.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type ProvisionOfWorker<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProvisionId, OptionQuery>;

	/// Running provisions per `(service, tier)`, as `(price, id)` sorted ascending.
	// Twox64Concat: 28 possible keys, none user-chosen.
	#[pallet::storage]
	pub type PoolOf<T: Config> =
		StorageMap<_, Twox64Concat, (ServiceKind, Tier), crate::types::PoolFor<T>, ValueQuery>;

	/// The summed capacity of all `Running` provisions (matching's utilisation denominator).
	#[pallet::storage]
	pub type RunningCapacity<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// How many registered provisions (in any state) offer each service kind; no entry: none.
	/// Matching refuses jobs for a kind no provision offers.
	// Twox64Concat: seven possible keys, none user-chosen.
	#[pallet::storage]
	pub type ServiceOffers<T: Config> = StorageMap<_, Twox64Concat, ServiceKind, u32, OptionQuery>;

	/// How many registered provisions (in any state) offer inference on each model; no entry:
	/// none. Matching refuses inference jobs for a model no provision offers.
	// Blake2_128Concat: model ids are chosen by providers.
	#[pallet::storage]
	pub type ModelOffers<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, u32, OptionQuery>;

	/// Active provisions whose heartbeat deadline is this block; drained by `on_initialize`.
	// Twox64Concat: block numbers are not user-chosen.
	#[pallet::storage]
	pub type DeadlinesAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<ProvisionId, T::MaxOffPerBlock>,
		ValueQuery,
	>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::do_expire(now)
		}

		fn integrity_test() {
			assert!(T::MaxProvisionsPerProvider::get() >= 1, "a provider needs one provision");
			assert!(T::MaxPoolSize::get() >= 1, "a pool must hold one provision");
			assert!(T::MaxOffPerBlock::get() >= 1, "a deadline queue must hold one provision");
			assert!(!T::HeartbeatTimeout::get().is_zero(), "HeartbeatTimeout must be >= 1");
			assert!(T::MaxEndpointLen::get() >= 8, "MaxEndpointLen must fit a URL");
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
		/// A provision was registered (in `Draft`).
		ProvisionRegistered {
			/// Its id (see [`provision_did`]).
			id: ProvisionId,
			/// Its provider.
			provider: T::AccountId,
			/// Its tier.
			tier: Tier,
		},
		/// A provision changed lifecycle state.
		ProvisionStateChanged {
			/// The provision.
			id: ProvisionId,
			/// The state before.
			from: ProvisionState,
			/// The state after.
			to: ProvisionState,
		},
		/// A provision's prices changed.
		PricesUpdated {
			/// The provision.
			id: ProvisionId,
		},
		/// A provision's availability window changed.
		AvailabilitySet {
			/// The provision.
			id: ProvisionId,
			/// Last available block; `None`: indefinite.
			until: Option<BlockNumberFor<T>>,
		},
		/// A worker key was authorized for a provision.
		WorkerAuthorized {
			/// The provision.
			id: ProvisionId,
			/// The new worker key.
			worker: T::AccountId,
			/// The key it replaced, if any.
			previous: Option<T::AccountId>,
		},
		/// A provision's worker key was revoked.
		WorkerRevoked {
			/// The provision.
			id: ProvisionId,
			/// The revoked key.
			worker: T::AccountId,
		},
		/// A provision was removed with everything it owned.
		ProvisionDeregistered {
			/// The provision.
			id: ProvisionId,
		},
		/// A provision's offered services (kinds, prices, models) were replaced.
		ServicesUpdated {
			/// The provision.
			id: ProvisionId,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No provision has this id; check the id (see `ProvisionRegistered`).
		UnknownProvision,
		/// Only the provision's provider may do this.
		NotProvider,
		/// The origin is not the provision's authorized worker key.
		NotWorker,
		/// A spec value is out of bounds: zero or absurd cores/RAM/disk/VRAM, an empty region,
		/// or a GPU model/region longer than `MaxStringLen`.
		SpecOutOfBounds,
		/// A service price is zero.
		PriceZero,
		/// A service price is above the pay-as-you-go reference price of its tier.
		PriceAboveCeiling,
		/// The health endpoint is empty or longer than `MaxEndpointLen`.
		EndpointTooLong,
		/// No services were given; a provision must offer at least one.
		NoServices,
		/// More services than service kinds were given.
		TooManyServices,
		/// A service kind was given twice.
		DuplicateService,
		/// Models were given for a non-inference service, or more than `MaxModels`.
		BadModels,
		/// A price was given for a service the provision does not offer.
		ServiceNotOffered,
		/// Capacity must be at least 1.
		CapacityZero,
		/// The provider already has `MaxProvisionsPerProvider` provisions; deregister one.
		TooManyProvisions,
		/// The provider's nonce is exhausted (or, practically never, the id derived from it
		/// already exists).
		NonceOverflow,
		/// This worker key already serves a provision; revoke it there first or use another key.
		WorkerAlreadyAssigned,
		/// The provider's own account cannot be a worker key.
		WorkerIsProvider,
		/// The provision has no worker key; authorize one first.
		NoWorker,
		/// The call is not allowed in the provision's current state.
		InvalidTransition,
		/// The stake gate does not allow the provider to run this tier; stake more.
		NotEnoughStake,
		/// A pool of this provision's services is full (`MaxPoolSize`).
		PoolFull,
		/// The availability window ends in the past (or the provision's window has ended).
		AvailabilityInPast,
		/// All deadline queues up to `MAX_DEADLINE_SPILL` blocks after the deadline are full;
		/// retry in the next block.
		HeartbeatQueueFull,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a provision (in `Draft`) with a fresh id.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `spec`: the hardware; its VRAM decides the tier.
		/// - `services`: one to seven distinct services with non-zero prices.
		/// - `endpoint`: health endpoint URL, at most `MaxEndpointLen` bytes.
		/// - `available_until`: last available block (in the future), or `None`.
		/// - `capacity`: concurrent jobs, at least 1.
		///
		/// Emits `ProvisionRegistered`.
		#[pallet::call_index(0)]
		pub fn register_provision(
			origin: OriginFor<T>,
			spec: HardwareInput,
			services: Vec<ServiceInput>,
			endpoint: Vec<u8>,
			available_until: Option<BlockNumberFor<T>>,
			capacity: u32,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_register(provider, spec, services, endpoint, available_until, capacity)
				.map(|_| ())
		}

		/// Change the prices of offered services; a running provision's pools are re-sorted.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		/// - `prices`: `(service, new price)` for offered services, non-zero.
		///
		/// Emits `PricesUpdated`.
		#[pallet::call_index(1)]
		pub fn update_prices(
			origin: OriginFor<T>,
			id: ProvisionId,
			prices: Vec<(ServiceKind, UnitPrice)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_prices(who, id, prices)
		}

		/// Set the availability window.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		/// - `until`: last available block (not in the past), or `None` for indefinite.
		///
		/// Emits `AvailabilitySet`.
		#[pallet::call_index(2)]
		pub fn set_availability(
			origin: OriginFor<T>,
			id: ProvisionId,
			until: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_availability(who, id, until)
		}

		/// Start a `Draft` or `Off` provision: it waits for its worker's first heartbeat.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision; needs a worker key and the stake gate's approval.
		///
		/// Emits `ProvisionStateChanged`.
		#[pallet::call_index(3)]
		pub fn start_provision(origin: OriginFor<T>, id: ProvisionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start(who, id)
		}

		/// Stop a `Started` or `Running` provision; it leaves its pools.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		///
		/// Emits `ProvisionStateChanged`.
		#[pallet::call_index(4)]
		pub fn stop_provision(origin: OriginFor<T>, id: ProvisionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stop(who, id)
		}

		/// Remove a `Draft` or `Off` provision and its worker key.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		///
		/// Emits `ProvisionDeregistered` (and `WorkerRevoked` if it had a worker key).
		#[pallet::call_index(5)]
		pub fn deregister_provision(origin: OriginFor<T>, id: ProvisionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who, id)
		}

		/// Authorize `worker` as the provision's worker key, replacing the current one.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		/// - `worker`: a key serving no other provision, not the provider itself.
		///
		/// Emits `WorkerAuthorized`.
		#[pallet::call_index(6)]
		pub fn authorize_worker(
			origin: OriginFor<T>,
			id: ProvisionId,
			worker: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_authorize_worker(who, id, worker)
		}

		/// Revoke the provision's worker key; an active provision goes `Off`.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		///
		/// Emits `WorkerRevoked` (and `ProvisionStateChanged` if it was active).
		#[pallet::call_index(7)]
		pub fn revoke_worker(origin: OriginFor<T>, id: ProvisionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_worker(who, id)
		}

		/// Heartbeat of an active provision; the first after `start` makes it `Running`.
		///
		/// ## Dispatch Origin
		/// Signed by the provision's worker key.
		///
		/// ## Parameters
		/// - `id`: the provision.
		///
		/// Emits `ProvisionStateChanged` on `Started -> Running`, nothing otherwise.
		#[pallet::call_index(8)]
		pub fn heartbeat(origin: OriginFor<T>, id: ProvisionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_heartbeat(who, id)
		}

		/// Replace the offered services (kinds, prices, inference models); a running
		/// provision leaves the pools of services it drops and joins those of services it adds.
		/// Runs already assigned are not affected.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `id`: the provision.
		/// - `services`: one to seven distinct services with non-zero prices, as at registration.
		///
		/// Emits `ServicesUpdated`.
		#[pallet::call_index(9)]
		pub fn set_services(
			origin: OriginFor<T>,
			id: ProvisionId,
			services: Vec<ServiceInput>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_services(who, id, services)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Up to `n` running provisions offering `service` in `tier`, cheapest first; see
		/// [`Pallet::cheapest`].
		pub fn cheapest_provisions(
			service: ServiceKind,
			tier: Tier,
			n: u32,
		) -> Vec<(ProvisionId, UnitPrice)> {
			Self::cheapest(service, tier, n)
		}

		/// The provision `id`, if registered.
		pub fn provision(id: ProvisionId) -> Option<Provision<T>> {
			Provisions::<T>::get(id)
		}

		/// The provisions of `provider`, in registration order.
		pub fn provisions_of(provider: T::AccountId) -> Vec<ProvisionId> {
			ProvisionsOf::<T>::get(provider).into_inner()
		}

		/// The provision the worker key `worker` serves, if any.
		pub fn provision_of_worker(worker: T::AccountId) -> Option<ProvisionId> {
			ProvisionOfWorker::<T>::get(worker)
		}

		/// The DID of provision `id` (`did:cxmpute:<hex>`), as UTF-8 bytes.
		pub fn did_of(id: ProvisionId) -> Vec<u8> {
			crate::provision_did(&id).into_bytes()
		}
	}
}
