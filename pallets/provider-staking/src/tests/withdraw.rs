//! `withdraw_unbonded`: timing, partial release and ledger removal.

use super::mock::*;
use crate::{Error, Event, LedgerOf, TotalStaked};
use frame_support::{assert_noop, assert_ok};

#[test]
fn withdraw_unbonded_works_after_delay() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 300);
		run_to_block(10);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(11);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::Withdrawn { provider: 1, amount: 300 }.into());
		assert_eq!(active(1), 700);
		assert!(chunks(1).is_empty());
		assert_eq!(held(1), 700);
		assert_eq!(free(1), ENDOWMENT - 700);
		assert_eq!(TotalStaked::<Test>::get(), 700);
	});
}

#[test]
fn withdraw_unbonded_releases_only_unlocked_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 100);
		run_to_block(3);
		unbond(1, 200);
		run_to_block(5);
		unbond(1, 300);
		run_to_block(13);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::Withdrawn { provider: 1, amount: 300 }.into());
		assert_eq!(chunks(1), vec![(300, 15)]);
		assert_eq!(held(1), 700);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
	});
}

#[test]
fn withdraw_unbonded_removes_empty_ledger() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 1_000);
		run_to_block(100);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(LedgerOf::<Test>::get(1).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(free(1), ENDOWMENT);
		assert_eq!(TotalStaked::<Test>::get(), 0);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotBonded
		);
	});
}

#[test]
fn withdraw_unbonded_fails_when_not_bonded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotBonded
		);
	});
}

#[test]
fn withdraw_unbonded_fails_without_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		run_to_block(100);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
	});
}
