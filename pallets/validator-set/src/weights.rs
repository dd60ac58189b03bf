//! Weights for `pallet_validator_set`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_validator_set --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/validator-set/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_validator_set`.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
}

/// Weights for `pallet_validator_set` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Session::NextKeys` (r:1 w:0), `ValidatorSet::Validators` (r:1 w:1),
	/// `ValidatorSet::SetChanged` (r:0 w:1)
	fn add_validator() -> Weight {
		T::DbWeight::get().reads_writes(2, 2)
	}
	/// Storage: `ValidatorSet::Validators` (r:1 w:1), `ValidatorSet::SetChanged` (r:0 w:1)
	fn remove_validator() -> Weight {
		T::DbWeight::get().reads_writes(1, 2)
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn add_validator() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
	fn remove_validator() -> Weight {
		RocksDbWeight::get().reads_writes(1, 2)
	}
}
