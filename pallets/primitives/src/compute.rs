//! Compute types: hardware tiers, service kinds, provision ids, and the glue traits between the
//! provisions pallet and its consumers (matching, staking).

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Identifier of a provision: the 32-byte `blake2_256` hash of `(provider, provider's nonce)`,
/// SCALE-encoded, derived on chain when the provision is registered.
///
/// A plain byte array (not a counter) so the id is stable across chains and forks and can be
/// written as a DID with [`provision_did`]. Uniqueness comes from the provider's nonce, which
/// only ever increases.
pub type ProvisionId = [u8; 32];

/// Identifier of a model loaded by an inference provision: the 32-byte hash of the model's
/// canonical name (hashing keeps the on-chain list bounded regardless of name length).
pub type ModelId = [u8; 32];

/// A price per unit of a service, in the stable asset's smallest unit.
pub type UnitPrice = u128;

/// The DID prefix of provisions.
pub const DID_PREFIX: &str = "did:cxmpute:";

/// The DID of a provision: `did:cxmpute:<lower-case hex of the 32-byte id>` (76 characters).
pub fn provision_did(id: &ProvisionId) -> String {
	const HEX: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::with_capacity(DID_PREFIX.len() + 64);
	out.push_str(DID_PREFIX);
	for byte in id.iter() {
		out.push(HEX[(byte >> 4) as usize] as char);
		out.push(HEX[(byte & 0x0f) as usize] as char);
	}
	out
}

/// Hardware tier of a provision, following from its GPU memory (VRAM).
///
/// Boundary rule (`vram_mb` in MiB, upper bounds inclusive):
/// - `vram_mb <= 4096` (4 GB): [`Tier::TidePool`];
/// - `4096 < vram_mb <= 8192` (8 GB): [`Tier::BlueSurge`];
/// - `8192 < vram_mb <= 22528` (22 GB): [`Tier::OpenOcean`];
/// - `vram_mb > 22528`: [`Tier::MarianaDepth`].
///
/// A machine without a GPU (`vram_mb == 0`) is [`Tier::TidePool`].
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
pub enum Tier {
	/// Up to 4 GB of VRAM.
	TidePool,
	/// More than 4 GB and up to 8 GB of VRAM.
	BlueSurge,
	/// More than 8 GB and up to 22 GB of VRAM.
	OpenOcean,
	/// More than 22 GB of VRAM.
	MarianaDepth,
}

impl Tier {
	/// Upper bound (inclusive, MiB) of [`Tier::TidePool`].
	pub const TIDE_POOL_MAX_MB: u32 = 4096;
	/// Upper bound (inclusive, MiB) of [`Tier::BlueSurge`].
	pub const BLUE_SURGE_MAX_MB: u32 = 8192;
	/// Upper bound (inclusive, MiB) of [`Tier::OpenOcean`].
	pub const OPEN_OCEAN_MAX_MB: u32 = 22528;

	/// All tiers, smallest first.
	pub const ALL: [Tier; 4] =
		[Tier::TidePool, Tier::BlueSurge, Tier::OpenOcean, Tier::MarianaDepth];

	/// The tier of a machine with `vram_mb` MiB of VRAM (see the type's boundary rule).
	pub fn from_vram_mb(vram_mb: u32) -> Self {
		if vram_mb <= Self::TIDE_POOL_MAX_MB {
			Tier::TidePool
		} else if vram_mb <= Self::BLUE_SURGE_MAX_MB {
			Tier::BlueSurge
		} else if vram_mb <= Self::OPEN_OCEAN_MAX_MB {
			Tier::OpenOcean
		} else {
			Tier::MarianaDepth
		}
	}
}

/// A kind of service a provision offers; each has its own pool per [`Tier`].
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
pub enum ServiceKind {
	/// LLM inference on the models the provision has loaded.
	Inference,
	/// Embedding generation.
	Embeddings,
	/// Running user containers.
	Container,
	/// Serverless function execution.
	Serverless,
	/// Renting the whole machine.
	Rental,
	/// Text-to-speech.
	TextToSpeech,
	/// Web scraping.
	WebScraping,
}

impl ServiceKind {
	/// All service kinds; a provision offers each at most once, so it offers at most
	/// `ServiceKind::ALL.len()` services.
	pub const ALL: [ServiceKind; 7] = [
		ServiceKind::Inference,
		ServiceKind::Embeddings,
		ServiceKind::Container,
		ServiceKind::Serverless,
		ServiceKind::Rental,
		ServiceKind::TextToSpeech,
		ServiceKind::WebScraping,
	];
}

/// Decides whether a provider may start a provision of a given tier (e.g. a minimum stake per
/// tier, enforced by the staking pallet).
pub trait StakeGate<AccountId> {
	/// Whether `provider` may run a provision of `tier`.
	fn can_run(provider: &AccountId, tier: Tier) -> bool;
}

/// No gate: every provider may run every tier. For tests and for runtimes without staking.
impl<AccountId> StakeGate<AccountId> for () {
	fn can_run(_provider: &AccountId, _tier: Tier) -> bool {
		true
	}
}

/// Read access to provisions, for the matching pallet. Every method is `O(1)` storage reads
/// except [`ProvisionsInspect::cheapest`], which reads one bounded pool.
pub trait ProvisionsInspect<AccountId> {
	/// Whether the provision is running (has heartbeated after being started and has not gone
	/// off). Unknown provisions are not running.
	fn is_running(id: &ProvisionId) -> bool;
	/// The provider (owner) of the provision.
	fn provider_of(id: &ProvisionId) -> Option<AccountId>;
	/// The worker key currently authorized for the provision.
	fn worker_of(id: &ProvisionId) -> Option<AccountId>;
	/// The tier of the provision.
	fn tier_of(id: &ProvisionId) -> Option<Tier>;
	/// The provision's price per unit of `service`, if it offers that service.
	fn price_of(id: &ProvisionId, service: ServiceKind) -> Option<UnitPrice>;
	/// How many jobs the provision runs concurrently.
	fn capacity(id: &ProvisionId) -> Option<u32>;
	/// Up to `n` running provisions offering `service` in `tier`, cheapest first (ties by id).
	fn cheapest(service: ServiceKind, tier: Tier, n: u32) -> Vec<(ProvisionId, UnitPrice)>;
	/// The highest tier among `provider`'s active (`Started`/`Running`) provisions, if any; the
	/// staking pallet keeps at least that tier's minimum bonded. Reads at most
	/// `MaxProvisionsPerProvider` provisions.
	fn highest_active_tier(provider: &AccountId) -> Option<Tier>;
	/// The provision's health endpoint URL (bytes as registered).
	fn health_endpoint(id: &ProvisionId) -> Option<Vec<u8>>;
	/// Up to `n` running provisions in storage order, starting after `cursor` (`None`: from
	/// the start), with the cursor to continue from (`None`: wrapped past the end). For
	/// offchain workers that rotate through all provisions; scans a bounded number of entries.
	fn running_page(cursor: Option<ProvisionId>, n: u32)
		-> (Vec<ProvisionId>, Option<ProvisionId>);
	/// Whether the provision offers inference on `model`.
	fn offers_model(id: &ProvisionId, model: &ModelId) -> bool;
	/// The provision's hardware, for matching a job's requirements.
	fn hardware_of(id: &ProvisionId) -> Option<HardwareSummary>;
	/// The summed capacity (concurrent jobs) of all running provisions, kept as a counter.
	fn running_capacity() -> u64;
	/// Whether a registered provision, in any state but deregistered, offers `service` and,
	/// when `model` is given, inference on that model: whether a job for it can ever be served.
	/// Kept as counters, so one read.
	fn is_offered(service: ServiceKind, model: Option<&ModelId>) -> bool;
}

/// The parts of a provision's hardware spec that jobs can require.
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
pub struct HardwareSummary {
	/// GPU memory, MiB.
	pub vram_mb: u32,
	/// CPU cores.
	pub cpu_cores: u32,
	/// RAM, MiB.
	pub ram_mb: u32,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tier_boundaries_follow_the_rule() {
		let cases: [(u32, Tier, &str); 10] = [
			(0, Tier::TidePool, "no GPU"),
			(1, Tier::TidePool, "tiny"),
			(4096, Tier::TidePool, "exactly 4 GB"),
			(4097, Tier::BlueSurge, "just over 4 GB"),
			(8192, Tier::BlueSurge, "exactly 8 GB"),
			(8193, Tier::OpenOcean, "just over 8 GB"),
			(22528, Tier::OpenOcean, "exactly 22 GB"),
			(22529, Tier::MarianaDepth, "just over 22 GB"),
			(81920, Tier::MarianaDepth, "80 GB"),
			(u32::MAX, Tier::MarianaDepth, "absurd"),
		];
		for (vram, tier, desc) in cases {
			assert_eq!(Tier::from_vram_mb(vram), tier, "{desc}");
		}
	}

	#[test]
	fn tiers_are_ordered_smallest_first() {
		let mut sorted = Tier::ALL;
		sorted.sort();
		assert_eq!(sorted, Tier::ALL);
	}

	#[test]
	fn did_is_prefix_and_lower_hex() {
		let mut id = [0u8; 32];
		id[0] = 0xab;
		id[31] = 0x0f;
		let did = provision_did(&id);
		assert_eq!(did.len(), DID_PREFIX.len() + 64);
		assert!(did.starts_with("did:cxmpute:ab00"));
		assert!(did.ends_with("0f"));
	}

	#[test]
	fn unit_gate_allows_everything() {
		for tier in Tier::ALL {
			assert!(<() as StakeGate<u64>>::can_run(&1, tier));
		}
	}
}
