//! `pallet_health`: validators' offchain workers probe running provisions' health endpoints and
//! report, signed with their Aura key, as unsigned transactions; the chain keeps the median.

use crate::{configs::validator_set::MaxValidators, Provisions, Runtime};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Get},
	BoundedVec,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::transaction_validity::TransactionPriority;

/// The current Aura authorities: the validators whose probes count.
pub struct AuraAuthorities;
impl Get<BoundedVec<AuraId, MaxValidators>> for AuraAuthorities {
	fn get() -> BoundedVec<AuraId, MaxValidators> {
		pallet_aura::Authorities::<Runtime>::get()
	}
}

parameter_types! {
	/// Health reports go ahead of ordinary transactions but never crowd out operational ones.
	pub const HealthReportPriority: TransactionPriority = TransactionPriority::MAX / 2;
}

impl pallet_health::Config for Runtime {
	type Provisions = Provisions;
	type AuthorityId = AuraId;
	type MaxAuthorities = MaxValidators;
	type Authorities = AuraAuthorities;
	// Every 30 s each validator probes the next 32 running provisions.
	type ProbeInterval = ConstU32<5>;
	type ProbesPerRound = ConstU32<32>;
	// Uptime and p50 are over each validator's last 30 probes of a provision.
	type Window = ConstU32<30>;
	type MaxReportAge = ConstU32<5>;
	type HttpTimeoutMs = ConstU64<3_000>;
	type UnsignedPriority = HealthReportPriority;
	type WeightInfo = pallet_health::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = HealthBenchmarkHelper;
}

/// Running provisions and authority sets for the health benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct HealthBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_health::BenchmarkHelper<AuraId> for HealthBenchmarkHelper {
	fn running_provision(i: u32) -> pallet_provisions::ProvisionId {
		super::bench_fixtures::running_provision(i)
	}
	fn set_authorities(authorities: alloc::vec::Vec<AuraId>) {
		let bounded = BoundedVec::truncate_from(authorities);
		pallet_aura::Authorities::<Runtime>::put(bounded);
	}
}
