//! Weights for `pallet_cxmpute_oracle`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_oracle --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/oracle/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_oracle`.
pub trait WeightInfo {
	fn add_operator() -> Weight;
	fn remove_operator(a: u32) -> Weight;
	fn submit_price() -> Weight;
	fn set_feed_source() -> Weight;
	fn remove_feed_source() -> Weight;
}

/// Weights for `pallet_cxmpute_oracle` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Oracle::Operators` (r:1 w:1)
	fn add_operator() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}
	/// Storage: `Oracle::Operators` (r:1 w:1), `Oracle::FeedsOf` (r:a w:a)
	/// The range of component `a` is `[0, MaxAssets]`.
	fn remove_operator(a: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(T::DbWeight::get().reads_writes(a.into(), a.into()))
	}
	/// Storage: `Oracle::Operators` (r:1 w:0), `Oracle::FeedSourceOf` (r:1 w:0),
	/// `Oracle::FeedsOf` (r:1 w:1)
	fn submit_price() -> Weight {
		T::DbWeight::get().reads_writes(3, 1)
	}
	/// Storage: `Oracle::FeedSourceOf` (r:1 w:1), `Oracle::CounterForFeedSourceOf` (r:1 w:1)
	fn set_feed_source() -> Weight {
		T::DbWeight::get().reads_writes(2, 2)
	}
	/// Storage: `Oracle::FeedSourceOf` (r:1 w:1), `Oracle::CounterForFeedSourceOf` (r:1 w:1),
	/// `Oracle::FeedsOf` (r:0 w:1)
	fn remove_feed_source() -> Weight {
		T::DbWeight::get().reads_writes(2, 3)
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn add_operator() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn remove_operator(a: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(RocksDbWeight::get().reads_writes(a.into(), a.into()))
	}
	fn submit_price() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
	fn set_feed_source() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
	fn remove_feed_source() -> Weight {
		RocksDbWeight::get().reads_writes(2, 3)
	}
}
