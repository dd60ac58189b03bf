//! Storage and call-argument types of the provisions pallet.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cxmpute_primitives::compute::{ModelId, ProvisionId, ServiceKind, Tier, UnitPrice};
use frame_support::{
	pallet_prelude::{BoundedVec, ConstU32},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// The most CPU cores a provision may declare.
pub const MAX_CPU_CORES: u32 = 4_096;
/// The most VRAM a provision may declare, in MiB (1 TiB).
pub const MAX_VRAM_MB: u32 = 1_048_576;
/// The most RAM a provision may declare, in MiB (16 TiB).
pub const MAX_RAM_MB: u32 = 16_777_216;
/// The most disk a provision may declare, in GB (1 PB).
pub const MAX_DISK_GB: u32 = 1_000_000;
/// The most services one provision can offer: one per [`ServiceKind`].
pub const MAX_SERVICES: u32 = ServiceKind::ALL.len() as u32;

/// The most services of a provision, as a `Get` for bounded vectors.
pub type MaxServices = ConstU32<MAX_SERVICES>;

/// Lifecycle state of a provision.
///
/// `Draft -> Started -> Running -> Off`, and `Off -> Started` again. `Started` and `Running` are
/// the *active* states: they have a heartbeat deadline and go `Off` when it passes.
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
pub enum ProvisionState {
	/// Registered, never started.
	Draft,
	/// Started by the provider, waiting for the first heartbeat of its worker key.
	Started,
	/// Heartbeating; in the pools of its services.
	Running,
	/// Stopped by the provider, its worker revoked, or missed heartbeats.
	Off,
}

impl ProvisionState {
	/// Whether the provision has a heartbeat deadline (`Started` or `Running`).
	pub fn is_active(&self) -> bool {
		matches!(self, ProvisionState::Started | ProvisionState::Running)
	}
}

/// The hardware of a provision, as given to `register_provision` (unbounded strings, checked by
/// the pallet).
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct HardwareInput {
	/// GPU model name, e.g. `b"RTX 4090"`; empty for CPU-only machines.
	pub gpu_model: Vec<u8>,
	/// GPU memory in MiB (0 without a GPU); decides the [`Tier`].
	pub vram_mb: u32,
	/// CPU cores, at least 1.
	pub cpu_cores: u32,
	/// RAM in MiB, at least 1.
	pub ram_mb: u32,
	/// Disk in GB, at least 1.
	pub disk_gb: u32,
	/// Region, e.g. `b"eu-west"`; not empty.
	pub region: Vec<u8>,
}

/// One service a provision offers, as given to `register_provision`.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ServiceInput {
	/// The kind of service.
	pub kind: ServiceKind,
	/// Price per unit, in the stable asset's smallest unit; not zero.
	pub price: UnitPrice,
	/// Hashes of the models loaded (only for [`ServiceKind::Inference`]; must be empty
	/// otherwise).
	pub models: Vec<ModelId>,
}

/// The stored hardware spec of a provision.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct HardwareSpec<T: Config> {
	/// GPU model name.
	pub gpu_model: BoundedVec<u8, T::MaxStringLen>,
	/// GPU memory in MiB.
	pub vram_mb: u32,
	/// CPU cores.
	pub cpu_cores: u32,
	/// RAM in MiB.
	pub ram_mb: u32,
	/// Disk in GB.
	pub disk_gb: u32,
	/// Region.
	pub region: BoundedVec<u8, T::MaxStringLen>,
}

/// A stored service offer of a provision.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct ServiceOffer<T: Config> {
	/// The kind of service.
	pub kind: ServiceKind,
	/// Price per unit, in the stable asset's smallest unit; never zero.
	pub price: UnitPrice,
	/// Hashes of the loaded models (inference only).
	pub models: BoundedVec<ModelId, T::MaxModels>,
}

/// A provision: one machine, VM or container slot of a provider.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Provision<T: Config> {
	/// The account that registered it and controls it.
	pub provider: T::AccountId,
	/// The provider's nonce its id was derived from.
	pub nonce: u64,
	/// Hardware spec.
	pub spec: HardwareSpec<T>,
	/// Tier, from `spec.vram_mb`.
	pub tier: Tier,
	/// Offered services, at most one per kind, sorted by kind.
	pub services: BoundedVec<ServiceOffer<T>, MaxServices>,
	/// Health endpoint URL.
	pub endpoint: BoundedVec<u8, T::MaxEndpointLen>,
	/// Last block of availability (inclusive); `None`: indefinite.
	pub available_until: Option<BlockNumberFor<T>>,
	/// Concurrent jobs it runs; at least 1.
	pub capacity: u32,
	/// Lifecycle state.
	pub state: ProvisionState,
	/// The authorized worker (machine) key, if any.
	pub worker: Option<T::AccountId>,
	/// Block of the last heartbeat (0 before the first).
	pub last_heartbeat: BlockNumberFor<T>,
	/// While active: the block whose [`crate::DeadlinesAt`] queue holds this provision.
	pub deadline: Option<BlockNumberFor<T>>,
}

impl<T: Config> Provision<T> {
	/// The price of `kind`, if offered.
	pub fn price_of(&self, kind: ServiceKind) -> Option<UnitPrice> {
		self.services.iter().find(|s| s.kind == kind).map(|s| s.price)
	}
}

/// A pool entry: `(price, provision)`, ordered by price then id.
pub type PoolEntry = (UnitPrice, ProvisionId);

/// The pool of one `(service, tier)`: running provisions, cheapest first ([`crate::PoolOf`]).
pub type PoolFor<T> = BoundedVec<PoolEntry, <T as Config>::MaxPoolSize>;
