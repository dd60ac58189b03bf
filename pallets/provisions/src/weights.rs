//! Weights for `pallet_cxmpute_provisions`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_provisions --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/provisions/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).
//!
//! Worst cases counted: a provision offers all 7 service kinds (7 pools), and a deadline queue
//! search spills over `MAX_DEADLINE_SPILL` (16) full queues (17 reads). `start_provision` does
//! not count the reads of `Config::StakeGate`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_provisions`.
pub trait WeightInfo {
	fn register_provision() -> Weight;
	fn update_prices() -> Weight;
	fn set_availability() -> Weight;
	fn start_provision() -> Weight;
	fn stop_provision() -> Weight;
	fn deregister_provision() -> Weight;
	fn authorize_worker() -> Weight;
	fn revoke_worker() -> Weight;
	fn heartbeat() -> Weight;
	fn on_initialize(n: u32) -> Weight;
}

/// Weights for `pallet_cxmpute_provisions` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Provisions::NonceOf` (r:1 w:1), `Provisions::ProvisionsOf` (r:1 w:1),
	/// `Provisions::Provisions` (r:1 w:1)
	fn register_provision() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::PoolOf` (r:7 w:7)
	fn update_prices() -> Weight {
		T::DbWeight::get().reads_writes(8, 8)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1)
	fn set_availability() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::DeadlinesAt` (r:17 w:1)
	fn start_provision() -> Weight {
		T::DbWeight::get().reads_writes(18, 2)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::PoolOf` (r:7 w:7),
	/// `Provisions::DeadlinesAt` (r:1 w:1)
	fn stop_provision() -> Weight {
		T::DbWeight::get().reads_writes(9, 9)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::ProvisionsOf` (r:1 w:1),
	/// `Provisions::ProvisionOfWorker` (r:0 w:1)
	fn deregister_provision() -> Weight {
		T::DbWeight::get().reads_writes(2, 3)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::ProvisionOfWorker` (r:1 w:2)
	fn authorize_worker() -> Weight {
		T::DbWeight::get().reads_writes(2, 3)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::ProvisionOfWorker` (r:0 w:1),
	/// `Provisions::PoolOf` (r:7 w:7), `Provisions::DeadlinesAt` (r:1 w:1)
	fn revoke_worker() -> Weight {
		T::DbWeight::get().reads_writes(9, 10)
	}
	/// Storage: `Provisions::Provisions` (r:1 w:1), `Provisions::DeadlinesAt` (r:18 w:2),
	/// `Provisions::PoolOf` (r:7 w:7)
	fn heartbeat() -> Weight {
		T::DbWeight::get().reads_writes(26, 10)
	}
	/// Storage: `Provisions::DeadlinesAt` (r:1 w:1), per provision: `Provisions::Provisions`
	/// (r:1 w:1), `Provisions::PoolOf` (r:7 w:7)
	/// The range of component `n` is `[0, MaxOffPerBlock]`.
	fn on_initialize(n: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(T::DbWeight::get().reads_writes(8, 8).saturating_mul(n.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn register_provision() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn update_prices() -> Weight {
		RocksDbWeight::get().reads_writes(8, 8)
	}
	fn set_availability() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn start_provision() -> Weight {
		RocksDbWeight::get().reads_writes(18, 2)
	}
	fn stop_provision() -> Weight {
		RocksDbWeight::get().reads_writes(9, 9)
	}
	fn deregister_provision() -> Weight {
		RocksDbWeight::get().reads_writes(2, 3)
	}
	fn authorize_worker() -> Weight {
		RocksDbWeight::get().reads_writes(2, 3)
	}
	fn revoke_worker() -> Weight {
		RocksDbWeight::get().reads_writes(9, 10)
	}
	fn heartbeat() -> Weight {
		RocksDbWeight::get().reads_writes(26, 10)
	}
	fn on_initialize(n: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(RocksDbWeight::get().reads_writes(8, 8).saturating_mul(n.into()))
	}
}
