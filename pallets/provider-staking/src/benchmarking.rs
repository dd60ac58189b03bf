//! Benchmarks for the provider staking pallet (worst cases: ledgers with `MaxUnlockingChunks`
//! chunks; slashes paying both the harmed account and the treasury).
//!
//! Self-contained: accounts are funded here, nothing relies on genesis. The benchmark
//! providers run no provisions, so `ProvisionsInspect::highest_active_tier` is as cheap as the
//! runtime's implementation is for a provider without provisions; `unbond`'s call weight adds
//! one read per possible provision (`MaxProvisionsPerProvider`) on top of the measured figure.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

/// The existential deposit.
fn ed<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance()
}

/// The first bond of the benchmark providers: `1_000 * ED`.
fn stake<T: Config>() -> BalanceOf<T> {
	ed::<T>().saturating_mul(1_000u32.into())
}

/// An account with `1_000_000 * ED` free.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, ed::<T>().saturating_mul(1_000_000u32.into()));
	who
}

/// Set the current block.
fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(BlockNumberFor::<T>::from(n));
}

/// A funded provider with `stake()` bonded and `chunks` unlocking chunks of `ED` each, at
/// distinct blocks (the last one unbonded at block `chunks`).
fn bonded_with_chunks<T: Config>(chunks: u32) -> T::AccountId {
	let who = funded::<T>("provider", 0);
	set_block::<T>(1);
	Pallet::<T>::do_bond(who.clone(), stake::<T>()).expect("funded above ED; qed");
	for i in 0..chunks {
		set_block::<T>(i.saturating_add(1));
		Pallet::<T>::do_unbond(who.clone(), ed::<T>())
			.expect("active far above ED and no active provision; qed");
	}
	who
}

fn active<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	LedgerOf::<T>::get(who).map(|l| l.active).unwrap_or_else(Zero::zero)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn bond() {
		let who = bonded_with_chunks::<T>(T::MaxUnlockingChunks::get());
		let before = active::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), ed::<T>());
		assert_eq!(active::<T>(&who), before.saturating_add(ed::<T>()));
	}

	#[benchmark]
	fn unbond() {
		let max = T::MaxUnlockingChunks::get();
		let who = bonded_with_chunks::<T>(max.saturating_sub(1));
		set_block::<T>(max);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), ed::<T>());
		let ledger = LedgerOf::<T>::get(&who).expect("bonded; qed");
		assert_eq!(ledger.unlocking.len() as u32, max);
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let max = T::MaxUnlockingChunks::get();
		let who = bonded_with_chunks::<T>(max);
		let after = BlockNumberFor::<T>::from(max).saturating_add(T::UnbondingDelay::get());
		frame_system::Pallet::<T>::set_block_number(after);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		let ledger = LedgerOf::<T>::get(&who).expect("active stake left; qed");
		assert!(ledger.unlocking.is_empty());
	}

	#[benchmark]
	fn rebond() {
		let max = T::MaxUnlockingChunks::get();
		let who = bonded_with_chunks::<T>(max);
		let unlocking = ed::<T>().saturating_mul(max.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), unlocking);
		assert_eq!(active::<T>(&who), stake::<T>());
	}

	#[benchmark]
	fn set_min_stake() {
		let amount = stake::<T>();
		#[extrinsic_call]
		_(RawOrigin::Root, Tier::MarianaDepth, amount);
		assert_eq!(MinStakeOf::<T>::get(Tier::MarianaDepth), amount);
	}

	#[benchmark]
	fn set_harmed_share() {
		let share = Perbill::from_percent(70);
		#[extrinsic_call]
		_(RawOrigin::Root, share);
		assert_eq!(HarmedShare::<T>::get(), share);
	}

	#[benchmark]
	fn slash() {
		let max = T::MaxUnlockingChunks::get();
		let who = bonded_with_chunks::<T>(max);
		let harmed = funded::<T>("harmed", 0);
		let treasury = T::TreasuryAccount::get();
		if T::Currency::balance(&treasury) < ed::<T>() {
			T::Currency::set_balance(&treasury, ed::<T>());
		}
		HarmedShare::<T>::put(Perbill::from_percent(50));
		// All active stake and half of the chunks.
		let amount =
			active::<T>(&who).saturating_add(ed::<T>().saturating_mul((max / 2).max(1).into()));
		let slashed;
		#[block]
		{
			slashed = Pallet::<T>::do_slash(&who, amount, Some(&harmed), SlashReason::WrongResult);
		}
		assert_eq!(slashed, amount);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
