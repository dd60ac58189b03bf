//! Benchmarks for the validator-set pallet (worst case: a nearly full set).

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;

/// Fill the set with `n` benchmark accounts.
fn fill<T: Config>(n: u32) -> Vec<T::AccountId> {
	let accounts: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, 0)).collect();
	Validators::<T>::put(BoundedVec::truncate_from(accounts.clone()));
	accounts
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() {
		// One slot left: `contains` scans the whole list.
		fill::<T>(T::MaxValidators::get() - 1);
		let who: T::AccountId = account("new", 0, 0);
		<T::BenchmarkHelper as crate::BenchmarkHelper<_>>::register_session_keys(&who);
		#[extrinsic_call]
		_(RawOrigin::Root, who.clone());
		assert!(Validators::<T>::get().contains(&who));
	}

	#[benchmark]
	fn remove_validator() {
		// Remove the last of a full list: the whole list is scanned.
		let accounts = fill::<T>(T::MaxValidators::get());
		let who = accounts.last().cloned().expect("MaxValidators >= 1; qed");
		#[extrinsic_call]
		_(RawOrigin::Root, who.clone());
		assert!(!Validators::<T>::get().contains(&who));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
