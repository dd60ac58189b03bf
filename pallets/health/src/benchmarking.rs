//! Benchmarks for the health pallet (worst cases: `ProbesPerRound` running provisions, each
//! with full windows of `a` authorities, so every recomputation reads `a` windows).
//!
//! The runtime's [`crate::BenchmarkHelper`] makes running provisions and sets the authority
//! set; the reporting key is generated in the benchmark's keystore.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, RuntimeAppPublic};

/// `n` authority keys generated in the keystore.
fn keys<T: Config>(n: u32) -> Vec<T::AuthorityId> {
	(0..n).map(|_| T::AuthorityId::generate_pair(None)).collect()
}

/// A full window of successful probes.
fn full_window<T: Config>() -> WindowFor<T> {
	BoundedVec::truncate_from(vec![Some(100u32); T::Window::get() as usize])
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `n` results, `a` authorities (the reporter included) with full windows on every probed
	/// provision.
	#[benchmark]
	fn submit_probes(
		n: Linear<1, { T::ProbesPerRound::get() }>,
		a: Linear<1, { T::MaxAuthorities::get() }>,
	) {
		frame_system::Pallet::<T>::set_block_number(BlockNumberFor::<T>::one());
		let authorities = keys::<T>(a);
		T::BenchmarkHelper::set_authorities(authorities.clone());
		let reporter = authorities[0].clone();
		let provisions: Vec<ProvisionId> =
			(0..n).map(T::BenchmarkHelper::running_provision).collect();
		for provision in &provisions {
			for authority in &authorities {
				ProbesOf::<T>::insert(provision, authority, full_window::<T>());
			}
		}
		let report: ProbeReportFor<T> = ProbeReport {
			authority: reporter.clone(),
			block_number: frame_system::Pallet::<T>::block_number(),
			results: BoundedVec::truncate_from(
				provisions.iter().map(|id| (*id, Some(50u32))).collect::<Vec<_>>(),
			),
		};
		let signature = reporter
			.sign(&Pallet::<T>::signing_payload(&report))
			.expect("the key was generated in the keystore; qed");

		#[extrinsic_call]
		_(RawOrigin::None, report, signature);

		for provision in provisions {
			assert_eq!(HealthOf::<T>::get(provision).map(|s| s.reporters), Some(a));
		}
		assert_eq!(Pallet::<T>::last_report_of(&reporter), Some(BlockNumberFor::<T>::one()));
	}

	/// A provision that does not exist with `a` windows.
	#[benchmark]
	fn prune(a: Linear<0, { T::MaxAuthorities::get() }>) {
		let provision: ProvisionId = [0xfe; 32];
		for authority in keys::<T>(a) {
			ProbesOf::<T>::insert(provision, authority, full_window::<T>());
		}
		HealthOf::<T>::insert(provision, HealthStats::default());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), provision);

		assert!(HealthOf::<T>::get(provision).is_none());
		assert_eq!(ProbesOf::<T>::iter_prefix(provision).count(), 0);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().with_running(vec![]).build(),
		crate::tests::mock::Test
	);
}
