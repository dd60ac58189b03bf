//! Weights for `pallet_cxmpute_health`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_health --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/health/src/weights.rs` (node built with
//! `--features runtime-benchmarks`).
//!
//! Worst cases counted: `ProvisionsInspect::is_running` and `provider_of` read one provision;
//! `Authorities` is one read (Aura's authorities); the signature check is not counted.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_health`.
pub trait WeightInfo {
	fn submit_probes(n: u32, a: u32) -> Weight;
	fn prune(a: u32) -> Weight;
}

/// Weights for `pallet_cxmpute_health` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Aura::Authorities` (r:1 w:0), `Health::LastReports` (r:1 w:1), per result:
	/// `Provisions::Provisions` (r:1 w:0), `Health::ProbesOf` (r:1 w:1), `Health::HealthOf`
	/// (r:0 w:1), per result and window: `Health::ProbesOf` (r:1 w:0)
	/// The range of component `n` is `[1, ProbesPerRound]`.
	/// The range of component `a` is `[1, MaxAuthorities]`.
	fn submit_probes(n: u32, a: u32) -> Weight {
		Weight::from_parts(50_000_000, 0)
			.saturating_add(T::DbWeight::get().reads_writes(2, 1))
			.saturating_add(T::DbWeight::get().reads_writes(2, 2).saturating_mul(n.into()))
			.saturating_add(
				T::DbWeight::get().reads(1).saturating_mul(n.into()).saturating_mul(a.into()),
			)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:0), `Health::HealthOf` (r:1 w:1),
	/// `Health::ProbesOf` (r:1 w:0), per window: `Health::ProbesOf` (r:1 w:1)
	/// The range of component `a` is `[0, MaxAuthorities]`.
	fn prune(a: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(3, 1)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1).saturating_mul(a.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn submit_probes(n: u32, a: u32) -> Weight {
		Weight::from_parts(50_000_000, 0)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 1))
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2).saturating_mul(n.into()))
			.saturating_add(
				RocksDbWeight::get().reads(1).saturating_mul(n.into()).saturating_mul(a.into()),
			)
	}
	fn prune(a: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(3, 1)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1).saturating_mul(a.into()))
	}
}
