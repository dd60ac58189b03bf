//! Weights for `pallet_cxmpute_billing`.
//!
//! PROVISIONAL: storage reads and writes are counted from the code and the execution part is a
//! rough estimate, not a measurement. Replace this file with the output of
//! `cxmpute-node benchmark pallet --pallet pallet_cxmpute_billing --extrinsic '*' --template
//! scripts/frame-weight-template.hbs --output pallets/billing/src/weights.rs` (node built
//! with `--features runtime-benchmarks`).
//!
//! Worst cases counted: `admit` renews a subscription and charges an API key; `close` returns a
//! subscription-funded escrow through a key; `deposit`/`withdraw` create the receiving asset
//! account.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_cxmpute_billing`.
pub trait WeightInfo {
	fn deposit() -> Weight;
	fn withdraw() -> Weight;
	fn subscribe() -> Weight;
	fn cancel_subscription() -> Weight;
	fn register_api_key() -> Weight;
	fn revoke_api_key() -> Weight;
	fn set_api_key_cap() -> Weight;
	fn set_platform_fee() -> Weight;
	fn set_spot_discount() -> Weight;
	fn set_reference_price() -> Weight;
	fn reset_reference_price() -> Weight;
	fn set_plan_terms() -> Weight;
	fn set_enterprise_terms() -> Weight;
	fn admit() -> Weight;
	fn top_up() -> Weight;
	fn fund_from_treasury() -> Weight;
	fn pay() -> Weight;
	fn close() -> Weight;
}

/// Weights for `pallet_cxmpute_billing` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Billing::StableTotals` (r:1 w:1), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Assets::Asset` (r:1 w:1), `Assets::Account` (r:2 w:2)
	fn deposit() -> Weight {
		Weight::from_parts(40_000_000, 3600).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	/// Storage: `Billing::StableTotals` (r:1 w:1), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Assets::Asset` (r:1 w:1), `Assets::Account` (r:2 w:2)
	fn withdraw() -> Weight {
		Weight::from_parts(40_000_000, 3600).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	/// Storage: `Billing::SubscriptionOf` (r:1 w:1), `Billing::PlanTermsOf` (r:1 w:0),
	/// `Billing::EnterpriseTermsOf` (r:1 w:0), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Billing::SubscriptionPool` (r:1 w:1)
	fn subscribe() -> Weight {
		Weight::from_parts(30_000_000, 3700).saturating_add(T::DbWeight::get().reads_writes(6, 4))
	}
	/// Storage: `Billing::SubscriptionOf` (r:1 w:1)
	fn cancel_subscription() -> Weight {
		Weight::from_parts(15_000_000, 3700).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	/// Storage: `Billing::ApiKeys` (r:2 w:1), `Billing::KeysOf` (r:2 w:1)
	fn register_api_key() -> Weight {
		Weight::from_parts(30_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(4, 2))
	}
	/// Storage: `Billing::ApiKeys` (r:1 w:1), `Billing::KeysOf` (r:1 w:1)
	fn revoke_api_key() -> Weight {
		Weight::from_parts(25_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
	/// Storage: `Billing::ApiKeys` (r:1 w:1)
	fn set_api_key_cap() -> Weight {
		Weight::from_parts(20_000_000, 3600).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	/// Storage: `Billing::PlatformFee` (r:0 w:1)
	fn set_platform_fee() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::SpotDiscount` (r:0 w:1)
	fn set_spot_discount() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::ReferencePriceOf` (r:0 w:1)
	fn set_reference_price() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::ReferencePriceOf` (r:0 w:1)
	fn reset_reference_price() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::PlanTermsOf` (r:0 w:1)
	fn set_plan_terms() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::EnterpriseTermsOf` (r:0 w:1)
	fn set_enterprise_terms() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(0, 1))
	}
	/// Storage: `Billing::Escrows` (r:1 w:1), `Billing::ApiKeys` (r:1 w:1),
	/// `Billing::OpenJobsOf` (r:1 w:1), `Billing::SubscriptionOf` (r:1 w:1),
	/// `Billing::PlanTermsOf` (r:1 w:0), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Billing::SubscriptionPool` (r:1 w:1),
	/// `Billing::ReservedTokensOf` (r:1 w:1), `Billing::TotalEscrowed` (r:1 w:1)
	fn admit() -> Weight {
		Weight::from_parts(60_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(10, 9))
	}
	/// Storage: `Billing::Escrows` (r:1 w:1), `Billing::ApiKeys` (r:1 w:1),
	/// `Billing::CreditsOf` (r:1 w:1), `Billing::TotalCredits` (r:1 w:1),
	/// `Billing::TotalEscrowed` (r:1 w:1)
	fn top_up() -> Weight {
		Weight::from_parts(35_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	/// Storage: `Billing::Escrows` (r:1 w:1), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Billing::TotalEscrowed` (r:1 w:1)
	fn fund_from_treasury() -> Weight {
		Weight::from_parts(30_000_000, 3700).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
	/// Storage: `Billing::Escrows` (r:1 w:1), `Billing::PlatformFee` (r:1 w:0),
	/// `Billing::TotalEscrowed` (r:1 w:1), `Billing::CreditsOf` (r:2 w:2),
	/// `Billing::TotalCredits` (r:1 w:1), `Billing::UsageOf` (r:1 w:1),
	/// `Billing::NetworkUsageOf` (r:1 w:1)
	fn pay() -> Weight {
		Weight::from_parts(45_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(8, 7))
	}
	/// Storage: `Billing::Escrows` (r:1 w:1), `Billing::TotalEscrowed` (r:1 w:1),
	/// `Billing::SubscriptionPool` (r:1 w:1), `Billing::ReservedTokensOf` (r:1 w:1),
	/// `Billing::SubscriptionOf` (r:1 w:1), `Billing::CreditsOf` (r:1 w:1),
	/// `Billing::TotalCredits` (r:1 w:1), `Billing::OpenJobsOf` (r:1 w:1),
	/// `Billing::ApiKeys` (r:1 w:1), `Billing::UsageOf` (r:1 w:1),
	/// `Billing::NetworkUsageOf` (r:1 w:1)
	fn close() -> Weight {
		Weight::from_parts(55_000_000, 3800).saturating_add(T::DbWeight::get().reads_writes(11, 11))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn deposit() -> Weight {
		Weight::from_parts(40_000_000, 3600).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(40_000_000, 3600).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn subscribe() -> Weight {
		Weight::from_parts(30_000_000, 3700).saturating_add(RocksDbWeight::get().reads_writes(6, 4))
	}
	fn cancel_subscription() -> Weight {
		Weight::from_parts(15_000_000, 3700).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn register_api_key() -> Weight {
		Weight::from_parts(30_000_000, 3800).saturating_add(RocksDbWeight::get().reads_writes(4, 2))
	}
	fn revoke_api_key() -> Weight {
		Weight::from_parts(25_000_000, 3800).saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn set_api_key_cap() -> Weight {
		Weight::from_parts(20_000_000, 3600).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn set_platform_fee() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn set_spot_discount() -> Weight {
		Weight::from_parts(8_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn set_reference_price() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn reset_reference_price() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn set_plan_terms() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn set_enterprise_terms() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().reads_writes(0, 1))
	}
	fn admit() -> Weight {
		Weight::from_parts(60_000_000, 3800)
			.saturating_add(RocksDbWeight::get().reads_writes(10, 9))
	}
	fn top_up() -> Weight {
		Weight::from_parts(35_000_000, 3800).saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn fund_from_treasury() -> Weight {
		Weight::from_parts(30_000_000, 3700).saturating_add(RocksDbWeight::get().reads_writes(4, 4))
	}
	fn pay() -> Weight {
		Weight::from_parts(45_000_000, 3800).saturating_add(RocksDbWeight::get().reads_writes(8, 7))
	}
	fn close() -> Weight {
		Weight::from_parts(55_000_000, 3800)
			.saturating_add(RocksDbWeight::get().reads_writes(11, 11))
	}
}
