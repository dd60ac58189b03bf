//! Weights for `pallet_cxmpute_dex`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_dex --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/dex/src/weights.rs` (node built with
//! `--features runtime-benchmarks`).
//!
//! Worst cases counted: a new price level with an expiry that spills over `MAX_EXPIRY_SPILL`
//! (16) full queues (17 reads), a wrong hint walked for `MAX_HINT_STEPS` (4) levels, and every
//! consumed maker emptying its level (component `k`). The book depth `d` costs nothing: the
//! book is a linked list read in O(1) entries.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_dex`.
pub trait WeightInfo {
	fn place_limit_order(d: u32, k: u32) -> Weight;
	fn place_market_order(d: u32, k: u32) -> Weight;
	fn cancel_order(d: u32) -> Weight;
	fn transfer_order() -> Weight;
	fn set_taker_fee() -> Weight;
	fn on_initialize(n: u32) -> Weight;
}

/// Weights for `pallet_cxmpute_dex` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Assets::Asset` (r:2 w:2), `Assets::Account` (r:6 w:6), `Dex::Books` (r:2 w:1),
	/// `Dex::Levels` (r:7 w:3), `Dex::Orders` (r:1 w:2), `Dex::NextOrderId` (r:1 w:1),
	/// `Dex::Reserves` (r:2 w:2), `Dex::ExpiriesAt` (r:17 w:1), `Dex::TakerFee` (r:1 w:0),
	/// `Dex::TwapOf` (r:1 w:1), `Dex::ObservationsOf` (r:1 w:1); per maker: `Dex::Books`
	/// (r:1 w:1), `Dex::Levels` (r:3 w:3), `Dex::Orders` (r:1 w:1), `Dex::Reserves` (r:1 w:1),
	/// `Dex::ExpiriesAt` (r:1 w:1), `Assets::Account` (r:2 w:2)
	/// The range of component `d` is `[10, 10000]`.
	/// The range of component `k` is `[0, MaxFills]`.
	fn place_limit_order(_d: u32, k: u32) -> Weight {
		Weight::from_parts(60_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads_writes(41, 20))
			.saturating_add(Weight::from_parts(40_000_000, 8_000).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads_writes(9, 9).saturating_mul(k.into()))
	}
	/// Storage: `Assets::Asset` (r:2 w:2), `Assets::Account` (r:4 w:4), `Dex::Books` (r:1 w:0),
	/// `Dex::TakerFee` (r:1 w:0), `Dex::TwapOf` (r:1 w:1), `Dex::ObservationsOf` (r:1 w:1);
	/// per maker: `Dex::Books` (r:1 w:1), `Dex::Levels` (r:3 w:3), `Dex::Orders` (r:1 w:1),
	/// `Dex::Reserves` (r:1 w:1), `Dex::ExpiriesAt` (r:1 w:1), `Assets::Account` (r:2 w:2)
	/// The range of component `d` is `[10, 10000]`.
	/// The range of component `k` is `[1, MaxFills]`.
	fn place_market_order(_d: u32, k: u32) -> Weight {
		Weight::from_parts(40_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads_writes(10, 8))
			.saturating_add(Weight::from_parts(40_000_000, 8_000).saturating_mul(k.into()))
			.saturating_add(T::DbWeight::get().reads_writes(9, 9).saturating_mul(k.into()))
	}
	/// Storage: `Dex::Orders` (r:3 w:3), `Dex::Books` (r:1 w:1), `Dex::Levels` (r:3 w:3),
	/// `Dex::ExpiriesAt` (r:1 w:1), `Dex::Reserves` (r:1 w:1), `Assets::Asset` (r:1 w:1),
	/// `Assets::Account` (r:2 w:2)
	/// The range of component `d` is `[10, 10000]`.
	fn cancel_order(_d: u32) -> Weight {
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(12, 12))
	}
	/// Storage: `Dex::Orders` (r:1 w:1)
	fn transfer_order() -> Weight {
		Weight::from_parts(15_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	/// Storage: `Dex::TakerFee` (r:0 w:1)
	fn set_taker_fee() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: `Dex::ExpiriesAt` (r:1 w:1); per order: `Dex::Orders` (r:3 w:3), `Dex::Books`
	/// (r:1 w:1), `Dex::Levels` (r:3 w:3), `Dex::Reserves` (r:1 w:1), `Assets::Asset` (r:1 w:1),
	/// `Assets::Account` (r:2 w:2)
	/// The range of component `n` is `[0, MaxExpiriesPerBlock]`.
	fn on_initialize(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
			.saturating_add(Weight::from_parts(35_000_000, 10_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(11, 11).saturating_mul(n.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn place_limit_order(_d: u32, k: u32) -> Weight {
		Weight::from_parts(60_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads_writes(41, 20))
			.saturating_add(Weight::from_parts(40_000_000, 8_000).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(9, 9).saturating_mul(k.into()))
	}
	fn place_market_order(_d: u32, k: u32) -> Weight {
		Weight::from_parts(40_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads_writes(10, 8))
			.saturating_add(Weight::from_parts(40_000_000, 8_000).saturating_mul(k.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(9, 9).saturating_mul(k.into()))
	}
	fn cancel_order(_d: u32) -> Weight {
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(12, 12))
	}
	fn transfer_order() -> Weight {
		Weight::from_parts(15_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_taker_fee() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn on_initialize(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
			.saturating_add(Weight::from_parts(35_000_000, 10_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(11, 11).saturating_mul(n.into()))
	}
}
