//! Benchmarks for the oracle pallet (worst case: a full operator set, full feed lists, the
//! longest URL and path).

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{One, Zero};

/// The longest valid URL: `https://` followed by `a`s up to `MaxUrlLen` bytes.
fn longest_url<T: Config>() -> Vec<u8> {
	let mut url = b"https://".to_vec();
	url.resize(T::MaxUrlLen::get() as usize, b'a');
	url
}

/// The longest path: `a.a.a…` up to `MaxPathLen` bytes.
fn longest_path<T: Config>() -> Vec<u8> {
	(0..T::MaxPathLen::get()).map(|i| if i % 2 == 0 { b'a' } else { b'.' }).collect()
}

/// A feed source of the largest size.
fn largest_source<T: Config>() -> FeedSourceFor<T> {
	FeedSource {
		url: BoundedVec::truncate_from(longest_url::<T>()),
		path: BoundedVec::truncate_from(longest_path::<T>()),
		scale: 0,
	}
}

/// Fill the operator set with `n` benchmark accounts.
fn fill_operators<T: Config>(n: u32) -> Vec<T::AccountId> {
	let operators: Vec<T::AccountId> = (0..n).map(|i| account("operator", i, 0)).collect();
	Operators::<T>::put(BoundedVec::truncate_from(operators.clone()));
	operators
}

/// List `asset` and give it one feed per operator in `operators`, reported at block `at`.
fn list_with_feeds<T: Config>(asset: AssetId, operators: &[T::AccountId], at: BlockNumberFor<T>) {
	FeedSourceOf::<T>::insert(asset, largest_source::<T>());
	let feeds: Vec<FeedFor<T>> = operators
		.iter()
		.map(|operator| Feed { operator: operator.clone(), price: Price::from_u32(1), at })
		.collect();
	if !feeds.is_empty() {
		FeedsOf::<T>::insert(asset, BoundedVec::truncate_from(feeds));
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_operator() -> Result<(), BenchmarkError> {
		// One slot left: `contains` scans the whole set.
		fill_operators::<T>(T::MaxOperators::get() - 1);
		let origin =
			T::UpdateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Operators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_operator(a: Linear<0, { T::MaxAssets::get() }>) -> Result<(), BenchmarkError> {
		// A full set, `a` listed assets each with a full feed list: every list is rewritten.
		let operators = fill_operators::<T>(T::MaxOperators::get());
		for asset in 0..a {
			list_with_feeds::<T>(asset, &operators, Zero::zero());
		}
		let who = operators.last().cloned().expect("MaxOperators >= 1; qed");
		let origin =
			T::UpdateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Operators::<T>::get().contains(&who));
		assert!(FeedsOf::<T>::iter().all(|(_, feeds)| feeds.iter().all(|f| f.operator != who)));
		Ok(())
	}

	#[benchmark]
	fn submit_price() {
		// A full set and a full feed list; the caller's old feed is the last one scanned.
		let operators = fill_operators::<T>(T::MaxOperators::get());
		list_with_feeds::<T>(0, &operators, Zero::zero());
		frame_system::Pallet::<T>::set_block_number(One::one());
		let who = operators.last().cloned().expect("MaxOperators >= 1; qed");
		let price = Price::from_u32(2);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 0, price);
		let feeds = FeedsOf::<T>::get(0);
		assert!(feeds.iter().any(|f| f.operator == who && f.price == price));
	}

	#[benchmark]
	fn set_feed_source() -> Result<(), BenchmarkError> {
		// One slot left, a new asset with the longest URL and path.
		for asset in 1..T::MaxAssets::get() {
			FeedSourceOf::<T>::insert(asset, largest_source::<T>());
		}
		let origin =
			T::UpdateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, longest_url::<T>(), longest_path::<T>(), 0);
		assert!(FeedSourceOf::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn remove_feed_source() -> Result<(), BenchmarkError> {
		// A listed asset with a full feed list.
		let operators = fill_operators::<T>(T::MaxOperators::get());
		list_with_feeds::<T>(0, &operators, Zero::zero());
		let origin =
			T::UpdateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0);
		assert!(!FeedSourceOf::<T>::contains_key(0));
		assert!(!FeedsOf::<T>::contains_key(0));
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
