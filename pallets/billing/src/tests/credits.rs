//! `deposit` and `withdraw`.

use super::mock::*;
use crate::{Error, Event, StableTotals, TotalCredits, USD};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungibles::Mutate, tokens::Preservation},
};
use sp_runtime::{DispatchError, TokenError};

#[test]
fn deposit_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(ALICE), 100 * USD));
		System::assert_last_event(Event::Deposited { who: ALICE, amount: 100 * USD }.into());
		assert_eq!(credits(ALICE), 100 * USD);
		assert_eq!(Billing::credits_of(ALICE), 100 * USD);
		assert_eq!(bal(ALICE), START - 100 * USD);
		assert_eq!(bal(pallet_account()), 100 * USD);
		assert_eq!(TotalCredits::<Test>::get(), 100 * USD);
		assert_ok!(Billing::deposit(RuntimeOrigin::signed(BOB), 1));
		assert_eq!(credits(BOB), 1);
		assert_eq!(StableTotals::<Test>::get().deposited, 100 * USD + 1);
	});
}

#[test]
fn deposit_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Billing::deposit(RuntimeOrigin::signed(ALICE), 0), Error::<Test>::ZeroAmount);
		// The pallet account does not exist yet: a first deposit below the minimum balance.
		assert_noop!(
			Billing::deposit(RuntimeOrigin::signed(ALICE), MIN_BALANCE - 1),
			DispatchError::Token(TokenError::BelowMinimum)
		);
		assert_noop!(
			Billing::deposit(RuntimeOrigin::signed(ALICE), START + 1),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		assert_noop!(Billing::deposit(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
		assert_noop!(Billing::withdraw(RuntimeOrigin::root(), 1), DispatchError::BadOrigin);
	});
}

#[test]
fn withdraw_works() {
	ExtBuilder::default().with_credits(ALICE, 100 * USD).build_and_execute(|| {
		assert_ok!(Billing::withdraw(RuntimeOrigin::signed(ALICE), 40 * USD));
		System::assert_last_event(Event::Withdrawn { who: ALICE, amount: 40 * USD }.into());
		assert_eq!(credits(ALICE), 60 * USD);
		assert_eq!(bal(ALICE), START - 60 * USD);
		assert_eq!(bal(pallet_account()), 60 * USD);
		assert_ok!(Billing::withdraw(RuntimeOrigin::signed(ALICE), 60 * USD));
		assert_eq!(credits(ALICE), 0);
		assert!(!crate::CreditsOf::<Test>::contains_key(ALICE), "no zero entries");
		assert_eq!(bal(ALICE), START);
		assert_eq!(StableTotals::<Test>::get().withdrawn, 100 * USD);
	});
}

#[test]
fn withdraw_fails_on_bad_input() {
	ExtBuilder::default()
		.with_credits(ALICE, 100 * USD)
		.with_credits(BOB, START)
		.build_and_execute(|| {
			assert_noop!(
				Billing::withdraw(RuntimeOrigin::signed(ALICE), 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				Billing::withdraw(RuntimeOrigin::signed(ALICE), 100 * USD + 1),
				Error::<Test>::InsufficientCredits
			);
			assert_noop!(
				Billing::withdraw(RuntimeOrigin::signed(CHARLIE), 1),
				Error::<Test>::InsufficientCredits
			);
			// BOB deposited everything: his asset account is gone, and a withdrawal below the
			// minimum balance cannot recreate it.
			assert_eq!(bal(BOB), 0);
			assert_noop!(
				Billing::withdraw(RuntimeOrigin::signed(BOB), MIN_BALANCE - 1),
				DispatchError::Token(TokenError::BelowMinimum)
			);
			assert_ok!(Billing::withdraw(RuntimeOrigin::signed(BOB), MIN_BALANCE));
		});
}

#[test]
fn donations_to_the_pallet_account_are_never_spent() {
	ExtBuilder::default().with_credits(ALICE, 100 * USD).build_and_execute(|| {
		assert_ok!(<Assets as Mutate<AccountId>>::transfer(
			STABLE,
			&BOB,
			&pallet_account(),
			50 * USD,
			Preservation::Expendable
		));
		Billing::do_try_state().expect("a donation breaks nothing");
		assert_noop!(
			Billing::withdraw(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::InsufficientCredits
		);
		assert_ok!(Billing::withdraw(RuntimeOrigin::signed(ALICE), 100 * USD));
		assert_eq!(bal(pallet_account()), 50 * USD);
	});
}

#[test]
fn admin_spends_treasury_credits_as_stable_asset() {
	ExtBuilder::default().with_credits(TREASURY, 30 * USD).build_and_execute(|| {
		assert_noop!(
			Billing::spend_treasury(RuntimeOrigin::signed(ALICE), ALICE, USD),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Billing::spend_treasury(RuntimeOrigin::root(), CHARLIE, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Billing::spend_treasury(RuntimeOrigin::root(), CHARLIE, 30 * USD + 1),
			Error::<Test>::InsufficientCredits
		);
		let before = bal(CHARLIE);
		assert_ok!(Billing::spend_treasury(RuntimeOrigin::root(), CHARLIE, 20 * USD));
		System::assert_last_event(Event::TreasurySpent { to: CHARLIE, amount: 20 * USD }.into());
		assert_eq!(credits(TREASURY), 10 * USD);
		assert_eq!(bal(CHARLIE), before + 20 * USD);
		assert_eq!(StableTotals::<Test>::get().withdrawn, 20 * USD);
	});
}
