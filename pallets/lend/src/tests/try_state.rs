//! `try_state` detects broken invariants.

use super::mock::*;
use crate::{Borrows, Markets, MarketsOf, UTokens};
use frame_support::assert_ok;

fn broken(corrupt: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		supply_collateral(BOB, BTC, 11_000);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		assert!(Lend::do_try_state().is_ok());
		corrupt();
		let err = Lend::do_try_state().expect_err("invariant must be broken");
		assert_eq!(err, sp_runtime::TryRuntimeError::Other(expected), "{expected}");
	});
}

#[test]
fn try_state_detects_minted_utokens() {
	broken(
		|| UTokens::<Test>::insert(USD, ALICE, 2_000_000),
		"total supply differs from the u-token ledger",
	);
}

#[test]
fn try_state_detects_zero_balance() {
	broken(|| UTokens::<Test>::insert(USD, CHARLIE, 0), "zero u-token balance stored");
}

#[test]
fn try_state_detects_phantom_cash() {
	// Cash the pallet account does not hold.
	broken(
		|| Markets::<Test>::mutate(USD, |m| m.as_mut().unwrap().cash += 10),
		"pallet account holds less than the cash",
	);
}

#[test]
fn try_state_detects_reserves_above_assets() {
	broken(
		|| Markets::<Test>::mutate(USD, |m| m.as_mut().unwrap().total_reserves = u128::MAX),
		"reserves exceed the market's assets",
	);
}

#[test]
fn try_state_detects_overstated_borrows() {
	broken(|| Borrows::<Test>::remove(USD, BOB), "total borrows exceed the debts");
}

#[test]
fn try_state_detects_unlisted_positions() {
	broken(|| MarketsOf::<Test>::remove(BOB), "u-tokens of an unlisted market");
}

#[test]
fn try_state_detects_missing_cash_in_the_account() {
	broken(
		|| {
			use frame_support::traits::fungibles::Mutate;
			let _ = <Assets as Mutate<AccountId>>::burn_from(
				USD,
				&pallet_account(),
				1,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Precision::Exact,
				frame_support::traits::tokens::Fortitude::Force,
			);
		},
		"pallet account holds less than the cash",
	);
}
