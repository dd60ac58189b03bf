//! Weights for `pallet_cxmpute_rewards`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code; the execution part is not yet
//! measured. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_rewards --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/rewards/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).
//!
//! Worst cases counted: `claim_rewards` and `payout_page` settle the epoch (4 removals) and
//! mint to new accounts (`System::Account` r:1 w:1 each, plus `Balances::TotalIssuance`);
//! `on_job_completed` counts 2 reads of `Config::Provisions` and 1 of `Config::Health`;
//! `on_initialize_demand` counts 1 read for `Config::Utilisation`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_rewards`.
pub trait WeightInfo {
	fn claim_rewards() -> Weight;
	fn payout_page(n: u32) -> Weight;
	fn set_params() -> Weight;
	fn on_job_completed() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn on_initialize_epoch() -> Weight;
	fn on_initialize_demand() -> Weight;
}

/// Weights for `pallet_cxmpute_rewards` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Rewards::CurrentEpoch` (r:1 w:0), `Rewards::EpochBudget` (r:1 w:1),
	/// `Rewards::PointsOf` (r:1 w:1), `Rewards::EpochPoints` (r:2 w:1),
	/// `Rewards::EpochClaimedPoints` (r:1 w:1), `Rewards::EpochPaid` (r:1 w:1),
	/// `Rewards::TotalUnminted` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `Balances::TotalIssuance` (r:1 w:1)
	fn claim_rewards() -> Weight {
		T::DbWeight::get().reads_writes(10, 8)
	}
	/// Storage: `Rewards::CurrentEpoch` (r:1 w:0), `Rewards::EpochBudget` (r:1 w:1),
	/// `Rewards::EpochPoints` (r:2 w:1), `Rewards::EpochClaimedPoints` (r:1 w:1),
	/// `Rewards::EpochPaid` (r:1 w:1), `Rewards::TotalUnminted` (r:1 w:1), per provider:
	/// `Rewards::PointsOf` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `Balances::TotalIssuance` (r:1 w:1)
	/// The range of component `n` is `[1, MaxPayoutsPerPage]`.
	fn payout_page(n: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(7, 5)
			.saturating_add(T::DbWeight::get().reads_writes(3, 3).saturating_mul(n.into()))
	}
	/// Storage: `Rewards::Params` (r:0 w:1)
	fn set_params() -> Weight {
		T::DbWeight::get().reads_writes(0, 1)
	}
	/// Storage: `Provisions::Provisions` (r:2 w:0), `Health` (r:1 w:0), `Rewards::Params`
	/// (r:1 w:0), `Rewards::DemandMultiplier` (r:1 w:0), `Rewards::CurrentEpoch` (r:1 w:0),
	/// `Rewards::PointsOf` (r:1 w:1), `Rewards::EpochPoints` (r:1 w:1)
	fn on_job_completed() -> Weight {
		T::DbWeight::get().reads_writes(8, 2)
	}
	/// Storage: `Rewards::EpochEndsAt` (r:1 w:0), `Rewards::NextDemandAt` (r:1 w:0)
	fn on_initialize_idle() -> Weight {
		T::DbWeight::get().reads_writes(2, 0)
	}
	/// Storage: `Rewards::CurrentEpoch` (r:1 w:1), `Rewards::EpochPoints` (r:1 w:0),
	/// `Rewards::Params` (r:1 w:0), `Rewards::EpochBudget` (r:0 w:1),
	/// `Rewards::EpochEndsAt` (r:0 w:1)
	fn on_initialize_epoch() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}
	/// Storage: `Utilisation` (r:1 w:0), `Rewards::Params` (r:1 w:0),
	/// `Rewards::DemandMultiplier` (r:0 w:1), `Rewards::NextDemandAt` (r:0 w:1)
	fn on_initialize_demand() -> Weight {
		T::DbWeight::get().reads_writes(2, 2)
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn claim_rewards() -> Weight {
		RocksDbWeight::get().reads_writes(10, 8)
	}
	fn payout_page(n: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(7, 5)
			.saturating_add(RocksDbWeight::get().reads_writes(3, 3).saturating_mul(n.into()))
	}
	fn set_params() -> Weight {
		RocksDbWeight::get().reads_writes(0, 1)
	}
	fn on_job_completed() -> Weight {
		RocksDbWeight::get().reads_writes(8, 2)
	}
	fn on_initialize_idle() -> Weight {
		RocksDbWeight::get().reads_writes(2, 0)
	}
	fn on_initialize_epoch() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn on_initialize_demand() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
}
