//! Weights for `pallet_cxmpute_staking`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_staking --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/provider-staking/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).
//!
//! Worst cases counted: a ledger with `MaxUnlockingChunks` chunks; `slash` pays both the harmed
//! account and the treasury. `unbond` does not count the reads of
//! `ProvisionsInspect::highest_active_tier`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_staking`.
pub trait WeightInfo {
	fn bond() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn rebond() -> Weight;
	fn set_min_stake() -> Weight;
	fn set_harmed_share() -> Weight;
	fn slash() -> Weight;
}

/// Weights for `pallet_cxmpute_staking` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `ProviderStaking::LedgerOf` (r:1 w:1), `ProviderStaking::TotalStaked` (r:1 w:1),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn bond() -> Weight {
		T::DbWeight::get().reads_writes(4, 4)
	}
	/// Storage: `ProviderStaking::LedgerOf` (r:1 w:1), `ProviderStaking::MinStakeOf` (r:1 w:0)
	fn unbond() -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}
	/// Storage: `ProviderStaking::LedgerOf` (r:1 w:1), `ProviderStaking::TotalStaked` (r:1 w:1),
	/// `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		T::DbWeight::get().reads_writes(4, 4)
	}
	/// Storage: `ProviderStaking::LedgerOf` (r:1 w:1)
	fn rebond() -> Weight {
		T::DbWeight::get().reads_writes(1, 1)
	}
	/// Storage: `ProviderStaking::MinStakeOf` (r:0 w:1)
	fn set_min_stake() -> Weight {
		T::DbWeight::get().reads_writes(0, 1)
	}
	/// Storage: `ProviderStaking::HarmedShare` (r:0 w:1)
	fn set_harmed_share() -> Weight {
		T::DbWeight::get().reads_writes(0, 1)
	}
	/// Storage: `ProviderStaking::LedgerOf` (r:1 w:1), `ProviderStaking::HarmedShare` (r:1 w:0),
	/// `ProviderStaking::TotalStaked` (r:1 w:1), `Balances::Holds` (r:1 w:1),
	/// `System::Account` (r:3 w:3)
	fn slash() -> Weight {
		T::DbWeight::get().reads_writes(7, 6)
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn bond() -> Weight {
		RocksDbWeight::get().reads_writes(4, 4)
	}
	fn unbond() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn withdraw_unbonded() -> Weight {
		RocksDbWeight::get().reads_writes(4, 4)
	}
	fn rebond() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn set_min_stake() -> Weight {
		RocksDbWeight::get().reads_writes(0, 1)
	}
	fn set_harmed_share() -> Weight {
		RocksDbWeight::get().reads_writes(0, 1)
	}
	fn slash() -> Weight {
		RocksDbWeight::get().reads_writes(7, 6)
	}
}
