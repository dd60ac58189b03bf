//! Types of the health pallet: reports, windows and their aliases.

use crate::{Config, ProvisionId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// The outcome of one probe: the latency in milliseconds of a `2xx` answer before the deadline,
/// or `None` for a failed probe (other status, I/O error or deadline reached).
pub type ProbeOutcome = Option<u32>;

/// What an authority measured at one block, signed over `(SIGNING_CONTEXT, report).encode()`.
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
#[scale_info(skip_type_params(MaxResults))]
#[codec(mel_bound(AuthorityId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct ProbeReport<AuthorityId, BlockNumber, MaxResults>
where
	AuthorityId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxResults: Get<u32>,
{
	/// The authority that probed (and signed).
	pub authority: AuthorityId,
	/// The block the probes were made at (the offchain worker's block).
	pub block_number: BlockNumber,
	/// One outcome per probed provision; each provision at most once, at least one entry.
	pub results: BoundedVec<(ProvisionId, ProbeOutcome), MaxResults>,
}

/// The report type of a runtime.
pub type ProbeReportFor<T> =
	ProbeReport<<T as Config>::AuthorityId, BlockNumberFor<T>, <T as Config>::ProbesPerRound>;

/// The probe outcomes of one (provision, authority), oldest first.
pub type WindowFor<T> = BoundedVec<ProbeOutcome, <T as Config>::Window>;

/// The last accepted report block per authority.
pub type LastReportsFor<T> =
	BoundedVec<(<T as Config>::AuthorityId, BlockNumberFor<T>), <T as Config>::MaxAuthorities>;

/// Fixtures the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AuthorityId> {
	/// Make a provision that is running (with a health endpoint) and return its id; distinct
	/// ids for distinct `i` (called with `i < ProbesPerRound`).
	fn running_provision(i: u32) -> ProvisionId;
	/// Make `authorities` the current authority set (at most `MaxAuthorities` keys).
	fn set_authorities(authorities: alloc::vec::Vec<AuthorityId>);
}
