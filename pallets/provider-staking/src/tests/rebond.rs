//! `rebond`: newest chunk first, and its errors.

use super::mock::*;
use crate::{Error, Event, TotalStaked};
use frame_support::{assert_noop, assert_ok};

#[test]
fn rebond_takes_newest_chunk_first() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 100);
		run_to_block(3);
		unbond(1, 200);
		assert_ok!(Staking::rebond(RuntimeOrigin::signed(1), 250));
		System::assert_last_event(Event::Rebonded { provider: 1, amount: 250 }.into());
		assert_eq!(active(1), 950);
		assert_eq!(chunks(1), vec![(50, 11)]);
		assert_eq!(held(1), 1_000);
		assert_eq!(TotalStaked::<Test>::get(), 1_000);
	});
}

#[test]
fn rebond_everything_works() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 1_000);
		assert_ok!(Staking::rebond(RuntimeOrigin::signed(1), 1_000));
		assert_eq!(active(1), 1_000);
		assert!(chunks(1).is_empty());
	});
}

#[test]
fn rebond_fails_when_zero() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 100);
		assert_noop!(Staking::rebond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn rebond_fails_when_not_bonded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::rebond(RuntimeOrigin::signed(1), 10), Error::<Test>::NotBonded);
	});
}

#[test]
fn rebond_fails_when_more_than_unlocking() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_noop!(
			Staking::rebond(RuntimeOrigin::signed(1), 1),
			Error::<Test>::InsufficientUnlocking
		);
		unbond(1, 100);
		assert_noop!(
			Staking::rebond(RuntimeOrigin::signed(1), 101),
			Error::<Test>::InsufficientUnlocking
		);
	});
}
