//! Weights for `pallet_cxmpute_lend`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_lend --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/lend/src/weights.rs` (node built with
//! `--features runtime-benchmarks`).
//!
//! Worst cases counted: the account takes part in `MaxMarketsPerAccount` (8) markets, each with
//! debt and collateral, so a health check reads every one of them; `liquidate` also writes off
//! the debts of all 8 markets. Reads of `Config::Oracle` are not counted. `flash_loan` excludes
//! the weights of the dispatched calls, which the call adds itself.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_lend`.
pub trait WeightInfo {
	fn create_market() -> Weight;
	fn update_market() -> Weight;
	fn supply() -> Weight;
	fn redeem() -> Weight;
	fn enable_collateral() -> Weight;
	fn disable_collateral() -> Weight;
	fn borrow() -> Weight;
	fn repay() -> Weight;
	fn liquidate() -> Weight;
	fn flash_loan(c: u32) -> Weight;
	fn accrue() -> Weight;
	fn transfer_utokens() -> Weight;
}

/// Weights for `pallet_cxmpute_lend` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Lend::Markets` (r:1 w:1), `Assets::Asset` (r:1 w:0)
	fn create_market() -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}
	/// Storage: `Lend::Markets` (r:1 w:1)
	fn update_market() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}
	/// Storage: `Lend::Markets` (r:1 w:1), `Lend::UTokens` (r:1 w:1), `Lend::MarketsOf` (r:1 w:1),
	/// `Assets::Asset` (r:1 w:1), `Assets::Account` (r:2 w:2), `System::Account` (r:1 w:0)
	fn supply() -> Weight {
		T::DbWeight::get().reads_writes(7, 6)
	}
	/// Storage: `Lend::Markets` (r:9 w:1), `Lend::UTokens` (r:9 w:1), `Lend::MarketsOf` (r:2 w:1),
	/// `Lend::Borrows` (r:8 w:0), `Lend::ActiveFlashLoan` (r:1 w:0), `Assets::Asset` (r:1 w:1),
	/// `Assets::Account` (r:2 w:2)
	fn redeem() -> Weight {
		T::DbWeight::get().reads_writes(32, 6)
	}
	/// Storage: `Lend::Markets` (r:1 w:0), `Lend::MarketsOf` (r:1 w:1)
	fn enable_collateral() -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}
	/// Storage: `Lend::Markets` (r:9 w:0), `Lend::MarketsOf` (r:2 w:1), `Lend::UTokens` (r:8 w:0),
	/// `Lend::Borrows` (r:8 w:0)
	fn disable_collateral() -> Weight {
		T::DbWeight::get().reads_writes(27, 1)
	}
	/// Storage: `Lend::Markets` (r:9 w:1), `Lend::UTokens` (r:8 w:0), `Lend::MarketsOf` (r:2 w:1),
	/// `Lend::Borrows` (r:9 w:1), `Lend::ActiveFlashLoan` (r:1 w:0), `Assets::Asset` (r:1 w:1),
	/// `Assets::Account` (r:2 w:2), `System::Account` (r:1 w:1)
	fn borrow() -> Weight {
		T::DbWeight::get().reads_writes(33, 7)
	}
	/// Storage: `Lend::Markets` (r:1 w:1), `Lend::Borrows` (r:2 w:1), `Lend::UTokens` (r:1 w:0),
	/// `Lend::MarketsOf` (r:1 w:1), `Assets::Asset` (r:1 w:1), `Assets::Account` (r:2 w:2)
	fn repay() -> Weight {
		T::DbWeight::get().reads_writes(8, 6)
	}
	/// Storage: `Lend::Markets` (r:18 w:9), `Lend::UTokens` (r:12 w:2), `Lend::MarketsOf` (r:6 w:2),
	/// `Lend::Borrows` (r:18 w:8), `Assets::Asset` (r:1 w:1), `Assets::Account` (r:2 w:2),
	/// per-market writes of the bad-debt write-off included
	fn liquidate() -> Weight {
		T::DbWeight::get().reads_writes(64, 30)
	}
	/// Storage: `Lend::ActiveFlashLoan` (r:2 w:2), `Lend::Markets` (r:2 w:2),
	/// `Assets::Asset` (r:2 w:1), `Assets::Account` (r:3 w:2)
	/// The range of component `c` is `[0, MaxFlashLoanCalls]`.
	fn flash_loan(c: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(9, 7)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
	}
	/// Storage: `Lend::Markets` (r:1 w:1)
	fn accrue() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}
	/// Storage: `Lend::Markets` (r:9 w:1), `Lend::UTokens` (r:10 w:2), `Lend::MarketsOf` (r:3 w:2),
	/// `Lend::Borrows` (r:8 w:0)
	fn transfer_utokens() -> Weight {
		T::DbWeight::get().reads_writes(31, 4)
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn create_market() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn update_market() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn supply() -> Weight {
		RocksDbWeight::get().reads_writes(7, 6)
	}
	fn redeem() -> Weight {
		RocksDbWeight::get().reads_writes(32, 6)
	}
	fn enable_collateral() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn disable_collateral() -> Weight {
		RocksDbWeight::get().reads_writes(27, 1)
	}
	fn borrow() -> Weight {
		RocksDbWeight::get().reads_writes(33, 7)
	}
	fn repay() -> Weight {
		RocksDbWeight::get().reads_writes(8, 6)
	}
	fn liquidate() -> Weight {
		RocksDbWeight::get().reads_writes(64, 30)
	}
	fn flash_loan(c: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(9, 7)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
	}
	fn accrue() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn transfer_utokens() -> Weight {
		RocksDbWeight::get().reads_writes(31, 4)
	}
}
