//! Benchmarks for the rewards pallet (worst cases: settling the epoch, minting to new
//! accounts, full pages, measured health).
//!
//! Self-contained: budgets and points are written to storage directly and rewards are minted,
//! so nothing is funded at genesis. `on_job_completed` needs a provision known to
//! `Config::Provisions`, created by `Config::BenchmarkHelper`.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Inspect, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{One, Saturating, Zero};

/// A budget well above the existential deposit for every share.
fn big_budget<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_add(One::one()).saturating_mul(1_000_000u32.into())
}

/// Close epoch 0 with `n` providers of equal points (and the given budget); returns them.
fn closed_epoch<T: Config>(n: u32) -> Vec<T::AccountId> {
	let providers: Vec<T::AccountId> = (0..n).map(|i| account("provider", i, 0)).collect();
	for p in &providers {
		Pallet::<T>::credit(0, p, 1_000).expect("small points; qed");
	}
	CurrentEpoch::<T>::put(1);
	EpochBudget::<T>::insert(0, big_budget::<T>());
	providers
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim_rewards() {
		// The last share: settles the epoch.
		let providers = closed_epoch::<T>(1);
		let who = providers[0].clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 0);
		assert!(EpochBudget::<T>::get(0).is_none());
		assert!(!T::Currency::balance(&who).is_zero());
	}

	#[benchmark]
	fn payout_page(n: Linear<1, { T::MaxPayoutsPerPage::get() }>) {
		// The last page: settles the epoch.
		let providers = closed_epoch::<T>(n);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0);
		assert!(EpochBudget::<T>::get(0).is_none());
		for p in providers {
			assert!(!T::Currency::balance(&p).is_zero());
		}
	}

	#[benchmark]
	fn set_params() {
		let params = RewardParams {
			emission_per_epoch: T::MaxEmissionPerEpoch::get().min(1_000_000),
			..Default::default()
		};
		#[extrinsic_call]
		_(RawOrigin::Root, alloc::boxed::Box::new(params.clone()));
		assert_eq!(Params::<T>::get(), params);
	}

	#[benchmark]
	fn on_job_completed() {
		let provider: T::AccountId = account("provider", 0, 0);
		let id = T::BenchmarkHelper::provision_of(&provider);
		// An existing entry and total: read-modify-write.
		Pallet::<T>::credit(0, &provider, 1_000).expect("small points; qed");
		let usage = JobUsage { input_tokens: 1_000, output_tokens: 1_000, ..Default::default() };
		#[block]
		{
			<Pallet<T> as OnJobCompleted>::on_job_completed(&id, ServiceKind::Embeddings, &usage);
		}
		assert!(PointsOf::<T>::get(0, &provider).unwrap_or(0) > 1_000);
	}

	#[benchmark]
	fn on_initialize_idle() {
		let now: BlockNumberFor<T> = 2u32.into();
		EpochEndsAt::<T>::put(now.saturating_add(10u32.into()));
		NextDemandAt::<T>::put(now.saturating_add(10u32.into()));
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(CurrentEpoch::<T>::get(), 0);
	}

	#[benchmark]
	fn on_initialize_epoch() {
		let now: BlockNumberFor<T> = 2u32.into();
		EpochPoints::<T>::insert(0, 1_000);
		#[block]
		{
			Pallet::<T>::close_epoch(now);
		}
		assert_eq!(CurrentEpoch::<T>::get(), 1);
		assert!(EpochBudget::<T>::contains_key(0));
	}

	#[benchmark]
	fn on_initialize_demand() {
		let now: BlockNumberFor<T> = 2u32.into();
		#[block]
		{
			Pallet::<T>::recompute_demand(now);
		}
		assert_eq!(NextDemandAt::<T>::get(), now.saturating_add(T::DemandPeriod::get()));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
