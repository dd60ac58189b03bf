//! `unbond`: chunks, merging, bounds, tier minimums and its errors.

use super::mock::*;
use crate::{Error, Event, Tier, TotalStaked};
use frame_support::{assert_noop, assert_ok};

#[test]
fn unbond_works() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 300));
		System::assert_last_event(
			Event::Unbonded { provider: 1, amount: 300, unlock_at: 11 }.into(),
		);
		assert_eq!(active(1), 700);
		assert_eq!(chunks(1), vec![(300, 11)]);
		// Still held and counted until withdrawn.
		assert_eq!(held(1), 1_000);
		assert_eq!(TotalStaked::<Test>::get(), 1_000);
	});
}

#[test]
fn unbond_merges_chunks_of_one_block() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 100);
		unbond(1, 200);
		assert_eq!(chunks(1), vec![(300, 11)]);
		assert_eq!(active(1), 700);
	});
}

#[test]
fn unbond_everything_without_active_provisions_works() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 1_000);
		assert_eq!(active(1), 0);
		assert_eq!(chunks(1), vec![(1_000, 11)]);
	});
}

#[test]
fn unbond_fails_when_no_more_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		for block in 1..=4 {
			run_to_block(block);
			unbond(1, 10);
		}
		assert_eq!(chunks(1), vec![(10, 11), (10, 12), (10, 13), (10, 14)]);
		run_to_block(5);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 10), Error::<Test>::NoMoreChunks);
		// Merging into the newest chunk's block still works.
		run_to_block(4);
		unbond(1, 10);
		assert_eq!(chunks(1).last(), Some(&(20, 14)));
	});
}

#[test]
fn unbond_keeps_chunks_sorted_when_delay_shrinks() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 100);
		run_to_block(5);
		UnbondingDelay::set(2);
		unbond(1, 50);
		assert_eq!(chunks(1), vec![(50, 7), (100, 11)]);
	});
}

#[test]
fn unbond_fails_when_zero() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn unbond_fails_when_not_bonded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 10), Error::<Test>::NotBonded);
	});
}

#[test]
fn unbond_fails_when_more_than_active() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 400);
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(1), 601),
			Error::<Test>::InsufficientBond
		);
	});
}

#[test]
fn unbond_fails_when_leaving_dust() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(1), 1_000 - ED + 1),
			Error::<Test>::BelowMinimumBond
		);
		unbond(1, 1_000 - ED);
		assert_eq!(active(1), ED);
	});
}

#[test]
fn unbond_fails_when_stake_in_use() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		set_active_tier(1, Some(Tier::BlueSurge));
		let min = MIN_STAKES[1];
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(1), 1_000 - min + 1),
			Error::<Test>::StakeInUse
		);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 1_000), Error::<Test>::StakeInUse);
		unbond(1, 1_000 - min);
		assert_eq!(active(1), min);
		// Once the provisions are stopped, the rest can go.
		set_active_tier(1, None);
		unbond(1, min);
		assert_eq!(active(1), 0);
	});
}

#[test]
fn unbond_fails_when_stake_in_use_with_zero_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::set_min_stake(RuntimeOrigin::root(), Tier::TidePool, 0));
		bond(1, 1_000);
		set_active_tier(1, Some(Tier::TidePool));
		// A running provider keeps some stake even when the minimum is zero.
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 1_000), Error::<Test>::StakeInUse);
		unbond(1, 1_000 - ED);
	});
}

#[test]
fn unbond_weight_covers_reading_every_provision() {
	use frame_support::{dispatch::GetDispatchInfo, traits::Get};
	let call = crate::Call::<Test>::unbond { amount: 1 };
	let weight = call.get_dispatch_info().call_weight;
	let max: u32 = <Test as crate::Config>::MaxProvisionsPerProvider::get();
	let reads = <Test as frame_system::Config>::DbWeight::get().reads(u64::from(max) + 1);
	assert!(reads.ref_time() > 0, "the mock's DbWeight must price reads for this to mean anything");
	assert!(weight.all_gte(reads), "unbond's weight {weight:?} must include {reads:?}");
}
