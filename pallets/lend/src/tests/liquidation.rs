//! Liquidations: close factor, bonus, fallback prices and bad-debt write-off.

use super::mock::*;
use crate::{Error, Event};
use frame_support::{assert_noop, assert_ok};

/// Alice supplies 1,000,000 USD; Bob has 10,000 BTC u-tokens as collateral and owes 7,000 USD.
fn setup() {
	assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
	supply_collateral(BOB, BTC, 11_000);
	assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
}

#[test]
fn liquidation_repays_half_above_095() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Health = 10,000 * 0.85 * 80% / 7,000 = 0.971.
		MockOracle::set(BTC, pct(85));
		assert_ok!(Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 10_000));
		// 50% of 7,000; seized 3,500 * 1.05 / 0.85 = 4,323.5, rounded down.
		System::assert_last_event(
			Event::<Test>::Liquidated {
				liquidator: CHARLIE,
				borrower: BOB,
				debt_asset: USD,
				collateral_asset: BTC,
				repaid: 3_500,
				seized_utokens: 4_323,
			}
			.into(),
		);
		assert_eq!(debt(USD, BOB), 3_500);
		assert_eq!(utokens(BTC, BOB), 10_000 - 4_323);
		assert_eq!(utokens(BTC, CHARLIE), 4_323);
		assert_eq!(balance(USD, CHARLIE), INITIAL - 3_500);
		// The liquidator's u-tokens are not collateral until it enables them.
		assert!(!Lend::is_collateral(&CHARLIE, BTC));
	});
}

#[test]
fn liquidation_repays_all_below_095() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Health = 10,000 * 0.8 * 80% / 7,000 = 0.914.
		MockOracle::set(BTC, pct(80));
		assert_ok!(Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, u128::MAX));
		// 7,000 * 1.05 / 0.8 = 9,187.5.
		assert_eq!(utokens(BTC, CHARLIE), 9_187);
		assert_eq!(utokens(BTC, BOB), 813);
		assert_eq!(debt(USD, BOB), 0);
		assert_eq!(market(USD).total_borrows, 0);
		// Healthy now (no debt): nothing more to liquidate.
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 1),
			Error::<Test>::NoDebt
		);
	});
}

#[test]
fn liquidation_uses_the_fallback_price_or_waits() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		MockOracle::set_stale(BTC, None);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 1_000),
			Error::<Test>::PriceStale
		);
		MockOracle::set_stale(BTC, Some(pct(85)));
		assert_ok!(Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 1_000));
		assert_eq!(debt(USD, BOB), 6_000);
	});
}

#[test]
fn liquidation_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(BOB), BOB, USD, BTC, 1),
			Error::<Test>::SelfLiquidation
		);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, DOT, BTC, 1),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, ETH, 1),
			Error::<Test>::CollateralNotEnabled
		);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, BTC, BTC, 1),
			Error::<Test>::NoDebt
		);
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, 1),
			Error::<Test>::NotLiquidatable
		);
		MockOracle::set(BTC, pct(85));
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(DAVE), USD, ALICE, INITIAL));
		assert_noop!(
			Lend::liquidate(RuntimeOrigin::signed(DAVE), BOB, USD, BTC, 1_000),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn bad_debt_is_written_off_against_reserves() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// 900 of reserves from a flash-loan fee (0.09% of 1,000,000... of the 993,000 cash: 894).
		assert_ok!(Lend::flash_loan(RuntimeOrigin::signed(DAVE), USD, 993_000, vec![]));
		let reserves = market(USD).total_reserves;
		assert_eq!(reserves, 894);
		// Collateral worth 5,000 against 7,000 of debt.
		MockOracle::set(BTC, pct(50));
		events();
		assert_ok!(Lend::liquidate(RuntimeOrigin::signed(CHARLIE), BOB, USD, BTC, u128::MAX));
		// All 10,000 u-tokens seized for ceil(10,000 * 0.5 / 1.05) = 4,762 repaid.
		assert_eq!(utokens(BTC, CHARLIE), 10_000);
		assert_eq!(utokens(BTC, BOB), 0);
		let rest = 7_000 - 4_762;
		assert_eq!(
			events(),
			vec![
				Event::Liquidated {
					liquidator: CHARLIE,
					borrower: BOB,
					debt_asset: USD,
					collateral_asset: BTC,
					repaid: 4_762,
					seized_utokens: 10_000,
				},
				Event::BadDebtWrittenOff {
					borrower: BOB,
					asset: USD,
					amount: rest,
					from_reserves: reserves,
					socialised: rest - reserves,
				},
			]
		);
		let m = market(USD);
		assert_eq!((m.total_borrows, m.total_reserves), (0, 0));
		assert_eq!(debt(USD, BOB), 0);
		assert!(crate::MarketsOf::<Test>::get(BOB).iter().all(|m| m.asset == BTC));
		// Suppliers bear the rest: 1,000,000 + 894 - 2,238 underlying for 1,000,000 u-tokens.
		assert_eq!(m.cash, 1_000_000 + reserves - rest);
	});
}
