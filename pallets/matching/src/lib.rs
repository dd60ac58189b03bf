//! # Matching pallet
//!
//! The job market of Cxmpute: users submit jobs with an escrow, `on_initialize` matches queued
//! jobs to running provisions, the provisions' worker keys accept and return results, and the
//! pallet settles through billing, pays rewards, verifies by redundancy and random spot checks,
//! and slashes providers who time out or return wrong results.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::submit_job`]: a user submits a job; its worst-case cost is escrowed through
//!   [`Config::Billing`].
//! - [`Pallet::cancel_job`]: the owner cancels a job no worker has accepted yet.
//! - [`Pallet::accept_jobs`], [`Pallet::submit_results`], [`Pallet::report_failures`]: batch
//!   calls of a provision's current worker key.
//! - [`Pallet::extend_rental`], [`Pallet::end_rental`]: the owner of a rental tops it up or
//!   ends it.
//! - [`Pallet::set_params`]: [`Config::AdminOrigin`] sets the spot-check rate and the
//!   near-equal band.
//! - [`NetworkUtilisation`] for [`Pallet`]: in-flight runs over running capacity.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Job**: what a user asks for ([`JobSpec`]): a service, hardware requirements, a
//!   worst-case usage, a maximum unit price, a deadline and a redundancy.
//! - **Run**: one execution of a job on one provision. A job has `1 + redundancy` user-paid
//!   runs on distinct providers, plus at most a treasury-paid spot check and a tie-break
//!   ([`MaxRunsOf`]).
//! - **Class**: [`JobClass::Priority`] (the payer is subscribed), `Standard` or `Spot`
//!   (discounted by [`JobBilling::spot_discount`], pre-emptible).
//! - **In flight**: an assigned or accepted run; it holds one slot of its provision's capacity
//!   ([`InFlight`]).
//!
//! ### Lifecycle
//!
//! ```text
//! submit -> queued --match--> Assigned --accept--> Accepted --result--> Done --all done--> Settled
//!             ^                  |  timeout / failure   |  failure
//!             +------------------+----------------------+   (re-queued; refund after MaxAttempts)
//! cancel (owner, nothing accepted) -> Cancelled     deadline -> Expired
//! max_wait over, nothing accepted -> Unmatched      no provision offers it any more -> Unservable
//! ```
//!
//! - `submit_job` validates the spec, computes the escrow `max_unit_price × job_cost(max_usage)
//!   × (1 + redundancy)` and calls [`JobBilling::admit`] before it stores anything. The job is
//!   queued in its class queue; submitting does not match. A job nothing could serve is
//!   refused before any escrow: a service kind, or an inference model, that no registered
//!   provision offers ([`ProvisionsInspect::is_offered`], counters kept by provisions: drafts,
//!   stopped and running provisions count, deregistered ones do not; [`Error::Unservable`]),
//!   and an empty input ([`Error::EmptyInput`]).
//! - A job waits at most `max_wait` blocks ([`Config::DefaultMaxWait`] unless its owner sets
//!   it) for a worker to accept it: a [`Timeout::MatchBy`] entry closes it then as
//!   [`Outcome::Unmatched`] with a full refund unless a run was accepted. A job that waits
//!   when the last provision offering its service or model is deregistered is closed by the
//!   hook the next time it reaches it ([`Outcome::Unservable`]).
//! - A result with empty output bytes or an all-zero output hash is refused
//!   ([`Error::EmptyOutput`]) and the run stays accepted: an empty answer is no answer.
//! - `submit_jobs` submits up to `MaxBatch` jobs in one extrinsic (a gateway's queue); each
//!   item is escrowed and queued on its own, and a failed item is reported by its position.
//! - `on_initialize` works within [`Config::MaxHookWeight`]: it first handles due
//!   [`TimeoutsAt`] entries, then pops up to [`Config::MaxMatchesPerBlock`] jobs, Priority
//!   first, then Standard, then Spot, each job at most once per block. A job with pending runs
//!   that found no provision goes back to the tail of its queue until its deadline. Work the
//!   budget leaves over waits for the next block (timeouts under a [`TimeoutCursor`]).
//! - Matching reads each `(service, tier)` pool and each candidate provision once per block
//!   and shares them among all jobs of the block: a job pays the cost of reading a candidate
//!   set (its service and model) only if it is the first of the block to use it, and otherwise
//!   only its own matching (the `match_jobs` benchmark gives both).
//! - An assigned worker must accept within [`Config::AcceptWindow`]; otherwise the provider is
//!   slashed [`Config::AcceptTimeoutSlash`] ([`SlashReason::JobTimedOut`]) and the run is
//!   re-queued. A reported failure re-queues the run without a slash (honest reports should
//!   not cost stake; repeated failures cost the provider the job). After more than
//!   [`Config::MaxAttempts`] dropped runs, the job ends (`Failed`): finished runs that agree
//!   are paid, the rest is refunded.
//! - At the deadline an unfinished job expires: finished runs that agree are paid, the
//!   providers of accepted but unfinished runs are slashed [`Config::ExpirySlash`], the rest
//!   is refunded.
//! - Only the assigned provision's **current** worker key
//!   ([`ProvisionsInspect::worker_of`]) may accept, report a failure or submit a result.
//!
//! ### Matching
//!
//! For each tier at or above the job's minimum, the pallet reads
//! [`ProvisionsInspect::cheapest`]`(service, tier, MaxCandidates)` and keeps the provisions
//! that are running, offer the model (inference), meet the hardware requirements, quote at
//! most `max_unit_price`, have a free slot (`InFlight` below `capacity`) and whose provider runs
//! no other run of the job. Among the offers priced within `near_equal_band` of the cheapest,
//! one is drawn with probability proportional to `1 + uptime` (parts per million, unmeasured
//! provisions count as 50%) from [`Config::Health`]. The cost is at most `4 × MaxCandidates`
//! candidates per job, whatever the number of provisions.
//!
//! When a Priority job finds no free slot, it takes the slot of a Spot run on the cheapest
//! eligible full provision: that run goes back to pending, its job back to the Spot queue
//! ([`Event::Preempted`]).
//!
//! ### Settlement
//!
//! A run costs `job_cost(service, price, usage)` with the usage capped at `max_usage` and the
//! price discounted by [`JobBilling::spot_discount`] for Spot jobs, capped at the run's share
//! of the escrow. Each paid run is paid with [`JobBilling::pay`] from its part of the escrow
//! and reported to [`Config::Rewards`]; [`JobBilling::close`] then refunds the rest. Outputs
//! are not stored: they are emitted in [`Event::ResultSubmitted`].
//!
//! ### Verification
//!
//! - **Spot checks.** When a job without redundancy has its first result, the pallet draws
//!   (probability `spot_check_rate`) whether to verify it with one more run on another
//!   provider, funded by [`JobBilling::fund_from_treasury`] (skipped when the treasury cannot
//!   pay). The draw is made in `on_initialize` of the **next** block, from that block's parent
//!   hash, i.e. the hash of the block that holds the result: a worker cannot know when it
//!   submits whether it will be checked (only the author of that block could, see
//!   randomness below). While the draw is pending the job waits ([`Job::draw_at`]).
//! - **Comparison.** When all runs are done their output hashes are compared. All equal: every
//!   run is paid. A strict majority among three or more runs: the majority is paid, the others
//!   are slashed [`Config::WrongResultSlash`] ([`SlashReason::WrongResult`], harmed = the
//!   owner) and not paid. Otherwise a treasury-funded tie-break run on a third provider is
//!   added once; if there is still no strict majority (or the tie-break cannot be funded) no
//!   one is paid or slashed and the owner is refunded ([`Outcome::Unresolved`]).
//! - **Who pays.** User-funded runs are paid from the payer's escrow and treasury-funded runs
//!   from the treasury's part, each only if it is in the majority. A user whose own run was
//!   outvoted pays nothing for the job; the treasury pays the verification runs and recovers
//!   (part of) it through the slash.
//! - **What "equal" means.** The chain compares 32-byte hashes exactly. Floating-point
//!   outputs differ across hardware, so workers must hash a canonical form: embeddings are
//!   quantised to int8 `round(127·v)` before hashing (equal for 99.5–100% of honest fp32
//!   pairs), generated text is hashed as token ids under greedy decoding with pinned model,
//!   tokenizer and runtime settings. Residual risks: fp16/TF32 providers agree far less often
//!   and bf16 providers essentially never, so honest providers of different precision classes
//!   can be slashed (only one precision class should be matched against another, which this
//!   pallet does not enforce yet); an inline first output is public in its event, so a lazy
//!   verifier could copy it (remote outputs only reveal a hash and a URI); colluding providers
//!   who agree on a wrong answer pass. Tolerance-based comparison (int16 cosine, projection
//!   sketches) is future work.
//!
//! ### Rentals
//!
//! A [`JobService::Rental`] job leases one provision for the blocks asked (Standard or
//! Priority only, no redundancy). Its price per block is the unit price (per hour) divided by
//! [`Config::BlocksPerHour`], rounded up; the escrow covers the blocks at `max_unit_price`.
//! When the worker accepts, the lease starts and its end is queued in [`TimeoutsAt`] after the
//! blocks asked, or earlier at the block where the escrow runs dry at the agreed price; a
//! started lease ignores the job's deadline. Billing is lazy (no hook iterates leases):
//! [`Pallet::extend_rental`] tops the escrow up through [`JobBilling::top_up`] and reschedules
//! the end, and the provider is paid for the elapsed blocks when the lease ends (its end
//! block, escrow dry) or the owner calls [`Pallet::end_rental`]; the rest is refunded. A
//! failure reported on a started lease ends it the same way.
//!
//! ## Low Level / Implementation Details
//!
//! - **Randomness** is `blake2_256(parent_hash ‖ job ‖ run ‖ tag)`. The block author can
//!   influence the parent hash (by withholding blocks) and so bias a draw; the stake at risk
//!   keeps this a minor concern for price ties and spot checks, but it is not unbiasable.
//! - **Queues** are `head..tail` counters per class with entries in [`QueuedJobs`] (`O(1)`
//!   push and pop; a cancelled job leaves a hole that the hook skips). [`LiveJobs`] counts
//!   unfinished jobs per class and is bounded by [`Config::MaxQueueLen`], so re-queueing never
//!   fails.
//! - **Timeouts** live in per-block queues of at most [`Config::MaxTimeoutsPerBlock`] entries;
//!   a full block spills to the next (at most [`MAX_TIMEOUT_SPILL`] blocks). Entries are never
//!   removed early; an entry is acted on only if the job still names that block. A stale entry
//!   costs one read of its job (`timeout_stale`); the settling draws of a block share their
//!   fixed costs (`timeout_draws`).
//! - [`InFlight`] stores `(job, class)` per provision (the class lets pre-emption find a Spot
//!   run without reading jobs).
//! - Batch calls process items in their own storage layer: a failing item is reported in
//!   [`Event::ItemFailed`] and the others go through.
//! - `try_state` checks the in-flight index, the queues, the counters and the timeouts (see
//!   `do_try_state`).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{
		HardwareSummary, ModelId, ProvisionId, ProvisionsInspect, ServiceKind, Tier, UnitPrice,
	},
	jobs::{job_cost, Admission, EscrowPart, JobBilling, JobClass, JobId},
	provider::{
		HealthInspect, JobUsage, NetworkUtilisation, OnJobCompleted, ProviderSlashing, SlashReason,
	},
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impl_network_utilisation;
mod lifecycle;
mod matching;
mod queue;
mod rental;
mod settle;
mod submit;
#[cfg(test)]
mod tests;
mod timeouts;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::matching";

/// How many blocks after its due block a timeout entry may be queued when that block's queue
/// is full.
pub const MAX_TIMEOUT_SPILL: u32 = 16;

/// The furthest deadline a job may have, in blocks after submission (bounds how long a job and
/// its escrow can wait in a queue).
pub const MAX_JOB_LIFETIME: u32 = 100_800;

/// The shortest `max_wait`: a job is matched in the next block at the earliest and accepted
/// in a block after that.
pub const MIN_MAX_WAIT: u32 = 2;

/// The most extra provisions the benchmarks of `submit_job`, `submit_jobs` and `match_jobs`
/// register (their component `p`) in a normal benchmark run.
pub const BENCHMARK_PROVISIONS: u32 = 100;

/// The provision count at which `submit_job`, `submit_jobs` and `match_jobs` are weighed. Their
/// storage reads do not depend on the number of provisions, but the measured time grows while
/// the state trie deepens (then levels off), so the linear fit over `0..=BENCHMARK_PROVISIONS`
/// is evaluated where it bounds the time `scripts/benchmark-matching-scale.sh` measured at
/// 100,000 provisions.
pub const WEIGHT_PROVISIONS: u32 = 2_000;

/// Benchmark set-up the runtime provides.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make a running provision of a new provider offering `service` (and `model`, for
	/// inference) at `price` in `tier`, with hardware meeting any requirement and a capacity
	/// of at least `min(MaxBatch, MaxJobsPerProvision)`; return its id and its worker key.
	fn running_provision(
		service: ServiceKind,
		tier: Tier,
		model: ModelId,
		price: UnitPrice,
	) -> (ProvisionId, AccountId);
	/// Let `who` be admitted for jobs escrowing up to `amount` in total (fund its credits).
	fn fund_user(who: &AccountId, amount: u128);
	/// Let the treasury fund verification runs up to `amount` in total.
	fn fund_treasury(amount: u128);
	/// Register `n` more running provisions offering `service` in `tier` (to show the cost of
	/// matching does not depend on it).
	fn register_provisions(service: ServiceKind, tier: Tier, n: u32);
}

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
		use frame_support::{
			derive_impl,
			traits::{ConstU128, ConstU32},
		};

		/// Defaults for a mock runtime: small bounds, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type MaxInputLen = ConstU32<64>;
			type MaxOutputLen = ConstU32<64>;
			type MaxUriLen = ConstU32<32>;
			type MaxCandidates = ConstU32<4>;
			type MaxMatchesPerBlock = ConstU32<8>;
			type MaxQueueLen = ConstU32<16>;
			type MaxJobsPerProvision = ConstU32<4>;
			type MaxAttempts = ConstU32<2>;
			type MaxBatch = ConstU32<8>;
			type MaxTimeoutsPerBlock = ConstU32<8>;
			type MaxRedundancy = ConstU32<2>;
			type AcceptTimeoutSlash = ConstU128<100>;
			type ExpirySlash = ConstU128<200>;
			type WrongResultSlash = ConstU128<1_000>;
			type BlocksPerHour = ConstU32<600>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// Provisions: pools, prices, capacity, worker keys, hardware.
		#[pallet::no_default]
		type Provisions: ProvisionsInspect<Self::AccountId>;

		/// Measured health; matching prefers higher uptime. `()`: unmeasured.
		#[pallet::no_default]
		type Health: HealthInspect;

		/// Escrow, payments and refunds.
		#[pallet::no_default]
		type Billing: JobBilling<Self::AccountId>;

		/// Slashing of providers' native-token stake.
		#[pallet::no_default]
		type Slashing: ProviderSlashing<Self::AccountId, u128>;

		/// Told about every paid run (reward points).
		#[pallet::no_default]
		type Rewards: OnJobCompleted;

		/// Who may set the [`MatchingParams`].
		#[pallet::no_default]
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks a worker has to accept an assignment.
		#[pallet::constant]
		#[pallet::no_default]
		type AcceptWindow: Get<BlockNumberFor<Self>>;

		/// Blocks a job waits for a worker to accept it when its owner sets no `max_wait`;
		/// then it closes as [`Outcome::Unmatched`] with a full refund.
		#[pallet::constant]
		#[pallet::no_default]
		type DefaultMaxWait: Get<BlockNumberFor<Self>>;

		/// The most inline input bytes.
		#[pallet::constant]
		type MaxInputLen: Get<u32>;

		/// The most inline output bytes.
		#[pallet::constant]
		type MaxOutputLen: Get<u32>;

		/// The longest input or output URI, bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;

		/// Pool entries read per tier when matching a job.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;

		/// Queue entries the hook pops (and jobs it matches) per block.
		#[pallet::constant]
		type MaxMatchesPerBlock: Get<u32>;

		/// The most weight `on_initialize` uses: timeouts first, then matching; work left over
		/// waits for the next block.
		#[pallet::constant]
		#[pallet::no_default]
		type MaxHookWeight: Get<Weight>;

		/// The most unfinished (queued or running) jobs per class.
		#[pallet::constant]
		type MaxQueueLen: Get<u32>;

		/// The most in-flight runs per provision; slots beyond it are not used whatever the
		/// provision's capacity.
		#[pallet::constant]
		type MaxJobsPerProvision: Get<u32>;

		/// Dropped runs (timeouts, failures) a job survives; one more and it is refunded.
		#[pallet::constant]
		type MaxAttempts: Get<u32>;

		/// The most items of a batch call.
		#[pallet::constant]
		type MaxBatch: Get<u32>;

		/// The size of each block's timeout queue.
		#[pallet::constant]
		type MaxTimeoutsPerBlock: Get<u32>;

		/// The most extra user-paid runs of a job.
		#[pallet::constant]
		type MaxRedundancy: Get<u32>;

		/// Native stake slashed when a worker does not accept in time.
		#[pallet::constant]
		type AcceptTimeoutSlash: Get<u128>;

		/// Native stake slashed when an accepted run is unfinished at the deadline.
		#[pallet::constant]
		type ExpirySlash: Get<u128>;

		/// Native stake slashed for a result outvoted by the majority.
		#[pallet::constant]
		type WrongResultSlash: Get<u128>;

		/// Blocks per hour: rentals' unit price is per hour.
		#[pallet::constant]
		type BlocksPerHour: Get<u32>;

		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;

		/// Sets up provisions and funds for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// The id of the next job.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// Unfinished jobs; removed when they end.
	// Twox64Concat: job ids are counters chosen by the chain.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, Job<T>, OptionQuery>;

	/// Head and tail of each class queue.
	// Twox64Concat: three keys, none user-chosen.
	#[pallet::storage]
	pub type Queues<T: Config> = StorageMap<_, Twox64Concat, JobClass, QueueBounds, ValueQuery>;

	/// Queue entries: `(class, position) -> job`; a missing position is a hole.
	// Twox64Concat: classes and positions are chosen by the chain.
	#[pallet::storage]
	pub type QueuedJobs<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobClass, Twox64Concat, u64, JobId, OptionQuery>;

	/// Unfinished jobs per class, at most `MaxQueueLen`.
	// Twox64Concat: three keys, none user-chosen.
	#[pallet::storage]
	pub type LiveJobs<T: Config> = StorageMap<_, Twox64Concat, JobClass, u32, ValueQuery>;

	/// The in-flight (assigned or accepted) runs of each provision, as `(job, class)`.
	// Blake2_128Concat: provision ids are hashes, but keep the safe default.
	#[pallet::storage]
	pub type InFlight<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		ProvisionId,
		BoundedVec<(JobId, JobClass), T::MaxJobsPerProvision>,
		ValueQuery,
	>;

	/// The number of in-flight runs over all provisions.
	#[pallet::storage]
	pub type TotalInFlight<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Timeouts due in a block: accept windows, deadlines, lease ends. Drained by
	/// `on_initialize`.
	// Twox64Concat: block numbers are not user-chosen.
	#[pallet::storage]
	pub type TimeoutsAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(JobId, Timeout), T::MaxTimeoutsPerBlock>,
		ValueQuery,
	>;

	/// The earliest block whose timeout queue may still hold unhandled entries (`None`: the
	/// current block). Behind the current block only when a hook ran out of budget.
	#[pallet::storage]
	pub type TimeoutCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// The parameters root can change.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, MatchingParams, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let budget = T::MaxHookWeight::get();
			let timeouts = Self::do_timeouts(now, budget);
			timeouts.saturating_add(Self::do_match_queued(now, budget.saturating_sub(timeouts)))
		}

		fn integrity_test() {
			assert!(!T::AcceptWindow::get().is_zero(), "AcceptWindow must be >= 1");
			assert!(
				T::DefaultMaxWait::get() >= MIN_MAX_WAIT.into(),
				"DefaultMaxWait must be >= MIN_MAX_WAIT"
			);
			assert!(T::MaxCandidates::get() >= 1, "MaxCandidates must be >= 1");
			assert!(T::MaxQueueLen::get() >= 1, "MaxQueueLen must be >= 1");
			assert!(T::MaxJobsPerProvision::get() >= 1, "MaxJobsPerProvision must be >= 1");
			assert!(T::MaxBatch::get() >= 1, "MaxBatch must be >= 1");
			assert!(T::MaxTimeoutsPerBlock::get() >= 1, "MaxTimeoutsPerBlock must be >= 1");
			assert!(T::BlocksPerHour::get() >= 1, "BlocksPerHour must be >= 1");
			// The hook stops at its budget, which must fit a block and leave room for at least
			// one timeout entry and one job.
			let budget = T::MaxHookWeight::get();
			let max_block = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(budget.all_lte(max_block), "MaxHookWeight exceeds a block");
			let one_each = timeouts::worst_timeout::<T>()
				.saturating_add(matching::worst_match::<T>())
				.saturating_add(T::DbWeight::get().reads_writes(5, 3));
			assert!(one_each.all_lte(budget), "MaxHookWeight fits no timeout and job");
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
		/// A job was submitted and queued.
		Submitted {
			/// The job.
			job: JobId,
			/// Its owner (the payer).
			owner: T::AccountId,
			/// Its class.
			class: JobClass,
			/// Its service.
			service: ServiceKind,
			/// The amount escrowed.
			escrow: u128,
		},
		/// A run was matched to a provision.
		Assigned {
			/// The job.
			job: JobId,
			/// The run's index.
			run: u32,
			/// The provision.
			provision: ProvisionId,
			/// Its worker key, which must accept.
			worker: T::AccountId,
			/// The provision's price per unit.
			price: UnitPrice,
		},
		/// A worker accepted a run.
		Accepted {
			/// The job.
			job: JobId,
			/// The run's index.
			run: u32,
			/// The provision.
			provision: ProvisionId,
		},
		/// A worker submitted a run's result.
		ResultSubmitted {
			/// The job.
			job: JobId,
			/// The run's index.
			run: u32,
			/// The provision.
			provision: ProvisionId,
			/// The hash compared between runs.
			output_hash: Hash32,
			/// The output (inline, or hash and URI).
			output: OutputPayload<T>,
			/// The usage, capped at the job's `max_usage`.
			usage: JobUsage,
		},
		/// A worker reported that a run failed; it is re-queued.
		RunFailed {
			/// The job.
			job: JobId,
			/// The run's index.
			run: u32,
			/// The provision.
			provision: ProvisionId,
			/// The worker's reason code.
			reason: FailureCode,
		},
		/// A worker did not accept in time; the run is re-queued.
		AssignmentTimedOut {
			/// The job.
			job: JobId,
			/// The run's index.
			run: u32,
			/// The provision.
			provision: ProvisionId,
		},
		/// A Spot run lost its slot to a Priority job and went back to the queue.
		Preempted {
			/// The Spot job.
			job: JobId,
			/// The provision.
			provision: ProvisionId,
			/// The Priority job that took the slot.
			by: JobId,
		},
		/// A treasury-funded verification run was added.
		VerificationScheduled {
			/// The job.
			job: JobId,
			/// `false`: a spot check; `true`: a tie-break.
			tie_break: bool,
		},
		/// A provider was paid for a run.
		ProviderPaid {
			/// The job.
			job: JobId,
			/// The provision.
			provision: ProvisionId,
			/// The provider.
			provider: T::AccountId,
			/// The amount paid out of the escrow (before billing's fee).
			amount: u128,
		},
		/// A provider was slashed.
		ProviderSlashed {
			/// The job.
			job: JobId,
			/// The provision.
			provision: ProvisionId,
			/// The provider.
			provider: T::AccountId,
			/// The amount actually slashed.
			amount: u128,
			/// Why.
			reason: SlashReason,
		},
		/// A job ended and its escrow was closed.
		JobClosed {
			/// The job.
			job: JobId,
			/// How it ended.
			outcome: Outcome,
			/// The agreed output hash, if a result was accepted.
			output_hash: Option<Hash32>,
			/// Paid to providers in total.
			paid: u128,
			/// Refunded to the owner.
			refunded: u128,
		},
		/// A rental was extended.
		RentalExtended {
			/// The job.
			job: JobId,
			/// Blocks added.
			blocks: u32,
			/// The lease's new end, if it has started.
			ends_at: Option<BlockNumberFor<T>>,
		},
		/// An item of a batch call failed; the other items were processed.
		ItemFailed {
			/// The job of the item.
			job: JobId,
			/// Why it failed.
			error: DispatchError,
		},
		/// An item of a `submit_jobs` batch failed; the other items were not affected.
		SubmissionFailed {
			/// The item's position in the batch.
			index: u32,
			/// Why it failed.
			error: DispatchError,
		},
		/// The parameters were replaced.
		ParamsSet {
			/// The new parameters.
			params: MatchingParams,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No unfinished job has this id; it may have ended (see `JobClosed`).
		UnknownJob,
		/// Only the job's owner may do this.
		NotOwner,
		/// The origin is not the current worker key of a provision running this job.
		NotWorker,
		/// The run is not waiting for acceptance (already accepted, or not assigned).
		NotAssigned,
		/// The run has not been accepted; accept it before submitting a result.
		NotAccepted,
		/// Inline input or output is longer than `MaxInputLen`/`MaxOutputLen`.
		DataTooLong,
		/// The input is empty (inline `0x`, or remote with an all-zero content hash); nothing
		/// was escrowed.
		EmptyInput,
		/// The result is empty (inline `0x`, remote with an all-zero content hash, or an
		/// all-zero output hash): not a served result. Nothing was paid and the run is as it
		/// was; send the real result before the deadline.
		EmptyOutput,
		/// No registered provision offers this service (for inference: this model), so the
		/// job could never be served; nothing was escrowed. Provisions that are stopped or not
		/// started yet count; deregistered ones do not.
		Unservable,
		/// `max_wait` is shorter than `MIN_MAX_WAIT` blocks.
		MaxWaitTooShort,
		/// A URI is empty or longer than `MaxUriLen`.
		BadUri,
		/// The maximum unit price is zero.
		PriceZero,
		/// The deadline is not after the current block.
		DeadlineInPast,
		/// The deadline is more than `MAX_JOB_LIFETIME` blocks away.
		DeadlineTooFar,
		/// Redundancy above `MaxRedundancy`, or redundancy on a rental.
		TooMuchRedundancy,
		/// Resource limits or rental blocks are zero or above their bounds.
		InvalidLimits,
		/// The worst-case usage is worth nothing at the given price; state a usage.
		NothingToPay,
		/// An amount overflowed; use smaller figures.
		Overflow,
		/// `MaxQueueLen` jobs of this class are unfinished; retry later.
		QueueFull,
		/// Every timeout queue up to `MAX_TIMEOUT_SPILL` blocks after the due block is full;
		/// retry in a later block.
		TimeoutQueueFull,
		/// More than `MaxBatch` items.
		BatchTooLarge,
		/// A run was already accepted or finished; the job can no longer be cancelled.
		AlreadyStarted,
		/// This call is for rental jobs only (or, for results, not for rentals).
		WrongService,
		/// The number of blocks is zero.
		ZeroBlocks,
		/// Job ids are exhausted.
		JobIdsExhausted,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Submit a job: validate it, escrow its worst-case cost and queue it.
		///
		/// ## Dispatch Origin
		/// Signed by the user (or an API key billing resolves to its owner).
		///
		/// ## Parameters
		/// - `spec`: service, requirements and the worst-case usage per run.
		/// - `input`: inline bytes (at most `MaxInputLen`) or a content hash and URI.
		/// - `max_unit_price`: the most paid per unit; not zero.
		/// - `deadline`: the block the job expires at; after now, at most `MAX_JOB_LIFETIME`
		///   blocks away.
		/// - `redundancy`: extra runs on distinct providers (at most `MaxRedundancy`; zero for
		///   rentals).
		/// - `class_request`: Standard or Spot (a subscription makes it Priority).
		/// - `max_wait`: the most blocks to wait for a worker to accept the job (at least
		///   `MIN_MAX_WAIT`); then it closes `Unmatched` with a full refund. `None`:
		///   `DefaultMaxWait`. Past the deadline the deadline governs.
		///
		/// Refused with nothing escrowed: a service (or inference model) no registered
		/// provision offers (`Unservable`), an empty input (`EmptyInput`), and the checks
		/// listed under `do_submit`.
		///
		/// Emits `Submitted`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_job(WEIGHT_PROVISIONS))]
		pub fn submit_job(
			origin: OriginFor<T>,
			spec: JobSpec,
			input: DataInput,
			max_unit_price: UnitPrice,
			deadline: BlockNumberFor<T>,
			redundancy: u32,
			class_request: ClassRequest,
			max_wait: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = JobRequest {
				spec,
				input,
				max_unit_price,
				deadline,
				redundancy,
				class_request,
				max_wait,
			};
			Self::do_submit(who, request).map(|_| ())
		}

		/// Submit up to `MaxBatch` jobs at once (a gateway's queue, a user's batch); each is
		/// escrowed and queued as by `submit_job`, and shares the call's fixed costs.
		///
		/// ## Dispatch Origin
		/// Signed by the paying user (or an API key of theirs).
		///
		/// ## Parameters
		/// - `jobs`: at most `MaxBatch` requests; each item fails on its own
		///   (`SubmissionFailed` with its position).
		///
		/// Emits `Submitted` or `SubmissionFailed` per item.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_jobs(jobs.len() as u32, WEIGHT_PROVISIONS))]
		pub fn submit_jobs(
			origin: OriginFor<T>,
			jobs: Vec<JobRequest<BlockNumberFor<T>>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(jobs.len() as u32 <= T::MaxBatch::get(), Error::<T>::BatchTooLarge);
			for (index, job) in jobs.into_iter().enumerate() {
				let submitted = frame_support::storage::with_storage_layer(|| {
					Self::do_submit(who.clone(), job)
				});
				if let Err(error) = submitted {
					Self::deposit_event(Event::SubmissionFailed { index: index as u32, error });
				}
			}
			Ok(())
		}

		/// Cancel a job no worker has accepted; the escrow is refunded.
		///
		/// ## Dispatch Origin
		/// Signed by the job's owner.
		///
		/// ## Parameters
		/// - `job`: the job.
		///
		/// Emits `JobClosed` (`Cancelled`).
		#[pallet::call_index(1)]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, job)
		}

		/// Accept assigned runs.
		///
		/// ## Dispatch Origin
		/// Signed by the current worker key of the provisions the runs are assigned to.
		///
		/// ## Parameters
		/// - `jobs`: at most `MaxBatch` jobs; each item fails on its own (`ItemFailed`).
		///
		/// Emits `Accepted` or `ItemFailed` per item.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_jobs(jobs.len() as u32))]
		pub fn accept_jobs(origin: OriginFor<T>, jobs: Vec<JobId>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(jobs.len() as u32 <= T::MaxBatch::get(), Error::<T>::BatchTooLarge);
			for job in jobs {
				Self::batch_item(job, || Self::do_accept(&who, job));
			}
			Ok(())
		}

		/// Submit results of accepted runs.
		///
		/// ## Dispatch Origin
		/// Signed by the current worker key of the provisions running them.
		///
		/// ## Parameters
		/// - `results`: at most `MaxBatch` results; each item fails on its own.
		///
		/// Emits `ResultSubmitted` or `ItemFailed` per item, and settlement events.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_results(results.len() as u32))]
		pub fn submit_results(origin: OriginFor<T>, results: Vec<ResultInput>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(results.len() as u32 <= T::MaxBatch::get(), Error::<T>::BatchTooLarge);
			for result in results {
				let job = result.job;
				Self::batch_item(job, || Self::do_submit_result(&who, result));
			}
			Ok(())
		}

		/// Report that assigned or accepted runs failed; they are re-queued.
		///
		/// ## Dispatch Origin
		/// Signed by the current worker key of the provisions running them.
		///
		/// ## Parameters
		/// - `failures`: at most `MaxBatch` `(job, reason code)`; each item fails on its own.
		///
		/// Emits `RunFailed` or `ItemFailed` per item.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::report_failures(failures.len() as u32))]
		pub fn report_failures(
			origin: OriginFor<T>,
			failures: Vec<(JobId, FailureCode)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(failures.len() as u32 <= T::MaxBatch::get(), Error::<T>::BatchTooLarge);
			for (job, reason) in failures {
				Self::batch_item(job, || Self::do_report_failure(&who, job, reason));
			}
			Ok(())
		}

		/// Extend a rental by `blocks` at its agreed (or, before acceptance, maximum) price.
		///
		/// ## Dispatch Origin
		/// Signed by the job's owner.
		///
		/// ## Parameters
		/// - `job`: a rental job.
		/// - `blocks`: blocks to add; not zero.
		///
		/// Emits `RentalExtended`.
		#[pallet::call_index(5)]
		pub fn extend_rental(origin: OriginFor<T>, job: JobId, blocks: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_extend_rental(who, job, blocks)
		}

		/// End a rental: the provider is paid for the elapsed blocks, the rest is refunded.
		///
		/// ## Dispatch Origin
		/// Signed by the job's owner.
		///
		/// ## Parameters
		/// - `job`: a rental job.
		///
		/// Emits `ProviderPaid` and `JobClosed` (`LeaseEnded`, or `Cancelled` before acceptance).
		#[pallet::call_index(6)]
		pub fn end_rental(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_rental(who, job)
		}

		/// Set the spot-check rate and the near-equal band.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Parameters
		/// - `params`: the new parameters.
		///
		/// Emits `ParamsSet`.
		#[pallet::call_index(7)]
		pub fn set_params(origin: OriginFor<T>, params: MatchingParams) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The unfinished job `id`, if any.
		pub fn job(id: JobId) -> Option<Job<T>> {
			Jobs::<T>::get(id)
		}

		/// The in-flight jobs of a provision.
		pub fn in_flight(provision: ProvisionId) -> Vec<JobId> {
			InFlight::<T>::get(provision).into_iter().map(|(job, _)| job).collect()
		}
	}
}
