//! Borrowing and repaying, collateral shared across markets, prices.

use super::mock::*;
use crate::{Error, Event};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::FixedU128;

fn setup() {
	assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
	supply_collateral(BOB, BTC, 11_000);
}

#[test]
fn borrow_works() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		System::assert_last_event(
			Event::<Test>::Borrowed { who: BOB, asset: USD, amount: 7_000, debt: 7_000 }.into(),
		);
		assert_eq!(balance(USD, BOB), INITIAL + 7_000);
		let m = market(USD);
		assert_eq!((m.cash, m.total_borrows), (993_000, 7_000));
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 500));
		assert_eq!(debt(USD, BOB), 7_500);
	});
}

#[test]
fn borrow_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_noop!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), DOT, 1),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1_000_001),
			Error::<Test>::InsufficientCash
		);
		// 10,000 u-tokens * 75% = 7,500.
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_501),
			Error::<Test>::InsufficientCollateral
		);
		// No collateral at all.
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(CHARLIE), USD, 1),
			Error::<Test>::InsufficientCollateral
		);
	});
}

#[test]
fn borrow_needs_fresh_prices_for_every_asset() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		MockOracle::set_stale(BTC, Some(FixedU128::from_u32(1)));
		assert_noop!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1), Error::<Test>::PriceStale);
		MockOracle::set(BTC, FixedU128::from_u32(1));
		MockOracle::set_stale(USD, None);
		assert_noop!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1), Error::<Test>::PriceStale);
		MockOracle::remove(USD);
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1),
			Error::<Test>::PriceUnavailable
		);
		MockOracle::set(USD, FixedU128::from_u32(0));
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1),
			Error::<Test>::PriceOutOfBounds
		);
	});
}

#[test]
fn collateral_is_shared_across_markets() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), ETH, 1_000_000));
		// Bob: 10,000 BTC u-tokens at price 2 and 10,000 ETH u-tokens at price 1.
		MockOracle::set(BTC, FixedU128::from_u32(2));
		supply_collateral(BOB, BTC, 11_000);
		assert_ok!(Lend::supply(RuntimeOrigin::signed(BOB), ETH, 10_000));
		// ETH not enabled: capacity 20,000 * 75% = 15,000 (in USD).
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 10_000));
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 5_001),
			Error::<Test>::InsufficientCollateral
		);
		assert_ok!(Lend::enable_collateral(RuntimeOrigin::signed(BOB), ETH));
		// Capacity 30,000 * 75% = 22,500: 10,000 USD + 12,500 ETH (price 1).
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), ETH, 12_500));
		assert_noop!(
			Lend::borrow(RuntimeOrigin::signed(BOB), USD, 1),
			Error::<Test>::InsufficientCollateral
		);
		// A BTC price rise gives room again.
		MockOracle::set(BTC, FixedU128::from_u32(3));
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_500));
	});
}

#[test]
fn repay_works() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		assert_ok!(Lend::repay(RuntimeOrigin::signed(BOB), USD, None, 2_000));
		System::assert_last_event(
			Event::<Test>::Repaid {
				payer: BOB,
				borrower: BOB,
				asset: USD,
				amount: 2_000,
				debt: 5_000,
			}
			.into(),
		);
		// Charlie repays the rest on Bob's behalf; the excess is not taken.
		run_to_block(10);
		let owed = debt(USD, BOB);
		assert!(owed > 5_000);
		assert_ok!(Lend::repay(RuntimeOrigin::signed(CHARLIE), USD, Some(BOB), u128::MAX));
		assert_eq!(balance(USD, CHARLIE), INITIAL - owed);
		assert_eq!(debt(USD, BOB), 0);
		assert!(crate::Borrows::<Test>::get(USD, BOB).is_none());
		assert_eq!(market(USD).total_borrows, 0);
		assert!(!crate::MarketsOf::<Test>::get(BOB).iter().any(|m| m.asset == USD));
	});
}

#[test]
fn repay_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_noop!(
			Lend::repay(RuntimeOrigin::signed(BOB), USD, None, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Lend::repay(RuntimeOrigin::signed(BOB), DOT, None, 1),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(Lend::repay(RuntimeOrigin::signed(BOB), USD, None, 1), Error::<Test>::NoDebt);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		// Dave gives away all his USD, then cannot pay.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(DAVE), USD, ALICE, INITIAL));
		assert_noop!(
			Lend::repay(RuntimeOrigin::signed(DAVE), USD, Some(BOB), 1),
			Error::<Test>::InsufficientBalance
		);
	});
}
