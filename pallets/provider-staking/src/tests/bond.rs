//! `bond`: first bond, bonding more, and its errors.

use super::mock::*;
use crate::{Error, Event, LedgerOf, TotalStaked};
use frame_support::{assert_noop, assert_ok};

#[test]
fn bond_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 1_000));
		System::assert_last_event(Event::Bonded { provider: 1, amount: 1_000 }.into());
		assert_eq!(active(1), 1_000);
		assert!(chunks(1).is_empty());
		assert_eq!(held(1), 1_000);
		assert_eq!(free(1), ENDOWMENT - 1_000);
		assert_eq!(TotalStaked::<Test>::get(), 1_000);
	});
}

#[test]
fn bond_more_works() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		bond(2, 300);
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 1));
		System::assert_last_event(Event::Bonded { provider: 1, amount: 1 }.into());
		assert_eq!(active(1), 1_001);
		assert_eq!(held(1), 1_001);
		assert_eq!(TotalStaked::<Test>::get(), 1_301);
	});
}

#[test]
fn bond_all_but_existential_deposit_works() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, ENDOWMENT - ED);
		assert_eq!(free(1), ED);
		assert_eq!(held(1), ENDOWMENT - ED);
	});
}

#[test]
fn bond_fails_when_zero() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::bond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		bond(1, 100);
		assert_noop!(Staking::bond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn bond_fails_when_first_bond_below_existential_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(1), ED - 1),
			Error::<Test>::BelowMinimumBond
		);
		assert!(LedgerOf::<Test>::get(1).is_none());
		bond(1, ED);
		assert_eq!(active(1), ED);
	});
}

#[test]
fn bond_fails_when_balance_insufficient() {
	ExtBuilder::default().build_and_execute(|| {
		// The existential deposit stays free.
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(1), ENDOWMENT - ED + 1),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(7), 100),
			Error::<Test>::InsufficientBalance
		);
		bond(1, 5_000);
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(1), 5_000),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn bond_fails_when_unsigned() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::bond(RuntimeOrigin::root(), 100),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
