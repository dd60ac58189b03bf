//! Storage, event and call-argument types of the matching pallet.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cxmpute_primitives::{
	compute::{ModelId, ProvisionId, ServiceKind, Tier, UnitPrice},
	jobs::{EscrowPart, JobClass},
	provider::JobUsage,
};
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_arithmetic::Permill;

/// A 32-byte hash (content hash, image digest, output hash).
pub type Hash32 = [u8; 32];

/// Resource limits of a container or serverless job, enforced by the worker.
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
pub struct ResourceLimits {
	/// CPU share in thousandths of a core; `1..=MAX_CPU_MILLIS`.
	pub cpu_millis: u32,
	/// Memory, MiB; `1..=MAX_MEMORY_MB`.
	pub memory_mb: u32,
	/// Most processes; `1..=MAX_PIDS`.
	pub pids: u32,
	/// Wall-clock limit, seconds; `1..=MAX_TIMEOUT_S`.
	pub timeout_s: u32,
	/// Whether the job may use the network.
	pub network: bool,
}

/// The most CPU a container job may ask for, in thousandths of a core (1,024 cores).
pub const MAX_CPU_MILLIS: u32 = 1_024_000;
/// The most memory a container job may ask for, MiB (4 TiB).
pub const MAX_MEMORY_MB: u32 = 4_194_304;
/// The most processes a container job may ask for.
pub const MAX_PIDS: u32 = 65_536;
/// The longest a container job may run, seconds (one day).
pub const MAX_TIMEOUT_S: u32 = 86_400;

/// What a job asks for.
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
pub enum JobService {
	/// LLM inference on `model` (the provision must offer it).
	Inference {
		/// The model's id (hash of its canonical name).
		model: ModelId,
	},
	/// Embedding generation.
	Embeddings,
	/// A user container.
	Container {
		/// The image digest.
		image: Hash32,
		/// Its resource limits.
		limits: ResourceLimits,
	},
	/// A serverless function.
	Serverless {
		/// The function image digest.
		image: Hash32,
		/// Its resource limits.
		limits: ResourceLimits,
	},
	/// Renting a whole provision for `blocks` blocks (extendable).
	Rental {
		/// Blocks of the lease funded at submission; at least 1.
		blocks: u32,
	},
	/// Text-to-speech.
	TextToSpeech,
	/// Web scraping.
	WebScraping,
}

impl JobService {
	/// The pool service kind of this job.
	pub fn kind(&self) -> ServiceKind {
		match self {
			JobService::Inference { .. } => ServiceKind::Inference,
			JobService::Embeddings => ServiceKind::Embeddings,
			JobService::Container { .. } => ServiceKind::Container,
			JobService::Serverless { .. } => ServiceKind::Serverless,
			JobService::Rental { .. } => ServiceKind::Rental,
			JobService::TextToSpeech => ServiceKind::TextToSpeech,
			JobService::WebScraping => ServiceKind::WebScraping,
		}
	}

	/// The model of an inference job.
	pub fn model(&self) -> Option<&ModelId> {
		match self {
			JobService::Inference { model } => Some(model),
			_ => None,
		}
	}

	/// Whether this is a rental.
	pub fn is_rental(&self) -> bool {
		matches!(self, JobService::Rental { .. })
	}
}

/// Hardware a job needs; provisions below any figure are not matched.
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
pub struct Requirements {
	/// The lowest tier searched (higher tiers are searched too).
	pub min_tier: Tier,
	/// Minimum GPU memory, MiB.
	pub min_vram_mb: u32,
	/// Minimum CPU cores.
	pub min_cpu_cores: u32,
	/// Minimum RAM, MiB.
	pub min_ram_mb: u32,
}

/// A job's service, requirements and the user's worst-case usage.
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
pub struct JobSpec {
	/// What to run.
	pub service: JobService,
	/// Hardware needed.
	pub requirements: Requirements,
	/// The most the job may use (per run); the escrow covers it at `max_unit_price`, and the
	/// usage a worker reports is capped at it field by field. Ignored for rentals.
	pub max_usage: JobUsage,
}

/// The class a user asks for; a subscription makes any job [`JobClass::Priority`].
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
pub enum ClassRequest {
	/// Pay-as-you-go at the provider's price.
	Standard,
	/// Discounted, matched last, may be pre-empted.
	Spot,
}

/// Bytes given to a call: inline, or a content hash and a URI to fetch them from.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum DataInput {
	/// The bytes themselves.
	Inline(Vec<u8>),
	/// Stored elsewhere.
	Remote {
		/// Hash of the content.
		hash: Hash32,
		/// Where to fetch it.
		uri: Vec<u8>,
	},
}

/// Stored (bounded) bytes: inline up to `L` bytes, or a hash and a URI up to `U` bytes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(L, U))]
pub enum Payload<L: Get<u32>, U: Get<u32>> {
	/// The bytes themselves.
	Inline(BoundedVec<u8, L>),
	/// Stored elsewhere.
	Remote {
		/// Hash of the content.
		hash: Hash32,
		/// Where to fetch it.
		uri: BoundedVec<u8, U>,
	},
}

/// A job's stored input.
pub type InputPayload<T> = Payload<<T as Config>::MaxInputLen, <T as Config>::MaxUriLen>;
/// A result's output, as emitted.
pub type OutputPayload<T> = Payload<<T as Config>::MaxOutputLen, <T as Config>::MaxUriLen>;

/// One result of a `submit_results` batch.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ResultInput {
	/// The job.
	pub job: cxmpute_primitives::jobs::JobId,
	/// The output: inline (at most `MaxOutputLen` bytes) or hash + URI.
	pub output: DataInput,
	/// The 32-byte hash of the output's canonical form, compared between runs (see the crate
	/// docs on verification).
	pub output_hash: Hash32,
	/// What the run used (capped at the job's `max_usage`).
	pub usage: JobUsage,
}

/// One job of a `submit_jobs` batch: the arguments of `submit_job`.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct JobRequest<BlockNumber> {
	/// What to run and on what hardware.
	pub spec: JobSpec,
	/// The input: inline or hash + URI.
	pub input: DataInput,
	/// The most the user pays per unit.
	pub max_unit_price: UnitPrice,
	/// The block by which the job must be settled.
	pub deadline: BlockNumber,
	/// Extra runs on distinct providers.
	pub redundancy: u32,
	/// Standard or Spot.
	pub class_request: ClassRequest,
	/// The most blocks the job may wait for a worker to accept it before it closes as
	/// [`Outcome::Unmatched`] with a full refund; `None`: [`crate::Config::DefaultMaxWait`].
	pub max_wait: Option<BlockNumber>,
}

/// A failure reason code reported by a worker (worker-defined; only recorded in the event).
pub type FailureCode = u8;

/// Where a run of a job stands.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum RunState<AccountId, BlockNumber> {
	/// Waiting for a provision (its job is queued).
	Pending,
	/// Matched to a provision; its worker has until `timeout_at` to accept.
	Assigned {
		/// The provision.
		provision: ProvisionId,
		/// Its provider (paid or slashed).
		provider: AccountId,
		/// The provision's price per unit when matched.
		price: UnitPrice,
		/// The block of its accept timeout entry in `TimeoutsAt`.
		timeout_at: BlockNumber,
	},
	/// The worker accepted and is running it.
	Accepted {
		/// The provision.
		provision: ProvisionId,
		/// Its provider.
		provider: AccountId,
		/// The agreed price per unit.
		price: UnitPrice,
		/// The block it was accepted.
		accepted_at: BlockNumber,
	},
	/// The worker submitted a result; it waits for the other runs before settlement.
	Done {
		/// The provision.
		provision: ProvisionId,
		/// Its provider.
		provider: AccountId,
		/// The agreed price per unit.
		price: UnitPrice,
		/// The hash compared between runs.
		output_hash: Hash32,
		/// The reported usage, capped at the job's `max_usage`.
		usage: JobUsage,
	},
}

impl<AccountId, BlockNumber> RunState<AccountId, BlockNumber> {
	/// The provision of an assigned, accepted or done run.
	pub fn provision(&self) -> Option<&ProvisionId> {
		match self {
			RunState::Pending => None,
			RunState::Assigned { provision, .. }
			| RunState::Accepted { provision, .. }
			| RunState::Done { provision, .. } => Some(provision),
		}
	}

	/// The provider of an assigned, accepted or done run.
	pub fn provider(&self) -> Option<&AccountId> {
		match self {
			RunState::Pending => None,
			RunState::Assigned { provider, .. }
			| RunState::Accepted { provider, .. }
			| RunState::Done { provider, .. } => Some(provider),
		}
	}

	/// Whether the run holds a slot of its provision (assigned or accepted).
	pub fn in_flight(&self) -> bool {
		matches!(self, RunState::Assigned { .. } | RunState::Accepted { .. })
	}
}

/// One run of a job on one provision.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Run<T: Config> {
	/// Who pays it: the user (the main run and redundant runs) or the treasury (spot checks
	/// and tie-breaks).
	pub funding: EscrowPart,
	/// Where it stands.
	pub state: RunState<T::AccountId, BlockNumberFor<T>>,
}

/// The most runs of one job: the main run, `MaxRedundancy` redundant runs, a spot check and a
/// tie-break.
pub struct MaxRunsOf<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<u32> for MaxRunsOf<T> {
	fn get() -> u32 {
		T::MaxRedundancy::get().saturating_add(3)
	}
}

/// A running lease of a rental job.
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
pub struct Lease<BlockNumber> {
	/// The block it was accepted (billing starts).
	pub started_at: BlockNumber,
	/// The block the escrow runs dry, where its `LeaseEnd` timeout is queued.
	pub ends_at: BlockNumber,
	/// The block of its `LeaseEnd` entry in `TimeoutsAt` (`ends_at` or a later one when that
	/// block's queue was full).
	pub entry_at: BlockNumber,
	/// The agreed price per block.
	pub price_per_block: u128,
}

/// A live job.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Job<T: Config> {
	/// The payer ([`cxmpute_primitives::jobs::Admission::payer`]): cancels, is refunded.
	pub owner: T::AccountId,
	/// Service, requirements, worst-case usage.
	pub spec: JobSpec,
	/// The input.
	pub input: InputPayload<T>,
	/// The most the owner pays per unit.
	pub max_unit_price: UnitPrice,
	/// How it competes for capacity.
	pub class: JobClass,
	/// The last block it may run in; it expires in `on_initialize` of this block.
	pub deadline: BlockNumberFor<T>,
	/// The block of its deadline entry in `TimeoutsAt` (`deadline`, or later if full).
	pub deadline_at: BlockNumberFor<T>,
	/// Extra user-paid runs on distinct providers.
	pub redundancy: u32,
	/// The escrow share of each run (the worst case at `max_unit_price`).
	pub run_budget: u128,
	/// Runs dropped (timeouts, reported failures) so far.
	pub attempts: u32,
	/// Whether the spot-check draw was made (or scheduled).
	pub check_drawn: bool,
	/// While the spot-check draw waits for the next block's randomness: the block of its
	/// `Draw` entry in `TimeoutsAt`.
	pub draw_at: Option<BlockNumberFor<T>>,
	/// Whether a tie-break run was added.
	pub tie_break: bool,
	/// Its position in its class queue, while queued.
	pub queued: Option<u64>,
	/// The runs.
	pub runs: BoundedVec<Run<T>, MaxRunsOf<T>>,
	/// The lease of a rental, once accepted.
	pub lease: Option<Lease<BlockNumberFor<T>>>,
	/// The block of its `MatchBy` entry in `TimeoutsAt`, while it waits for a worker to accept
	/// it and that wait ends before the deadline; cleared when a run is accepted.
	pub match_by_at: Option<BlockNumberFor<T>>,
}

impl<T: Config> Job<T> {
	/// Whether a run is pending.
	pub fn has_pending(&self) -> bool {
		self.runs.iter().any(|r| r.state == RunState::Pending)
	}

	/// Whether a run was accepted or finished (the job can no longer be cancelled).
	pub fn started(&self) -> bool {
		self.runs
			.iter()
			.any(|r| matches!(r.state, RunState::Accepted { .. } | RunState::Done { .. }))
	}
}

/// Head and tail of a class queue: entries live at `head..tail` in `QueuedJobs`.
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
pub struct QueueBounds {
	/// The next position to pop.
	pub head: u64,
	/// The next position to push.
	pub tail: u64,
}

/// What a `TimeoutsAt` entry is for. Entries are never removed early: an entry is acted on
/// only when the job's state still names this block for it.
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
pub enum Timeout {
	/// Run `n`'s worker must have accepted by now.
	Accept(u32),
	/// The job's deadline.
	Deadline,
	/// A rental's lease ends.
	LeaseEnd,
	/// The spot-check draw of a job whose first result arrived in the previous block.
	Draw,
	/// The job's `max_wait` is over: unless a worker accepted it, it closes as
	/// [`Outcome::Unmatched`].
	MatchBy,
}

/// Parameters root can change.
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
pub struct MatchingParams {
	/// Probability that a job without redundancy gets a treasury-funded spot check.
	pub spot_check_rate: Permill,
	/// Offers priced at most this share above the cheapest eligible one are drawn among.
	pub near_equal_band: Permill,
}

impl Default for MatchingParams {
	fn default() -> Self {
		Self {
			spot_check_rate: Permill::from_percent(5),
			near_equal_band: Permill::from_percent(5),
		}
	}
}

/// How a job ended.
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
pub enum Outcome {
	/// All runs finished and were settled.
	Settled,
	/// All runs finished without a strict majority (even after a tie-break, or when none
	/// could be funded): nobody was paid or slashed, everything was refunded.
	Unresolved,
	/// The owner cancelled it before any run was accepted.
	Cancelled,
	/// Its deadline passed.
	Expired,
	/// Runs failed or timed out more than `MaxAttempts` times.
	Failed,
	/// A rental lease ended.
	LeaseEnded,
	/// No registered provision offers its service (for inference: its model) any more, so it
	/// could never be served: closed at once, finished runs that agree paid, the rest refunded.
	Unservable,
	/// No worker accepted it within its `max_wait` blocks (it waited unmatched, or matched but
	/// not accepted): nothing ran, everything was refunded.
	Unmatched,
}
