//! Accrual, compounding and rounding of debts.

use super::mock::*;
use crate::{Error, Event};
use cxmpute_math::lending::{compound_factor, per_block_rate, BLOCKS_PER_YEAR_6S};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::FixedU128;

/// Alice supplies 2,000,000 USD; Bob borrows `amount` USD against BTC.
fn borrowed(amount: u128) {
	supply_collateral(BOB, BTC, 100_000_000);
	assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 2_000_000));
	assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, amount));
}

#[test]
fn accrue_works() {
	ExtBuilder::default().build_and_execute(|| {
		borrowed(1_000_000);
		run_to_block(1_001);
		events();
		assert_ok!(Lend::accrue(RuntimeOrigin::signed(CHARLIE), USD));
		let m = market(USD);
		assert_eq!(m.accrued_at, 1_001);
		let rate = per_block_rate(pct(7), BLOCKS_PER_YEAR_6S).unwrap();
		let index = compound_factor(rate, 1_000).unwrap();
		assert_eq!(m.borrow_index, index);
		let interest = m.total_borrows - 1_000_000;
		assert!(interest > 0);
		// 15% of the interest, rounded up.
		let reserves = (interest * 15).div_ceil(100);
		assert_eq!(m.total_reserves, reserves);
		assert_eq!(
			events(),
			vec![Event::InterestAccrued {
				asset: USD,
				interest,
				reserves_added: reserves,
				borrow_index: index,
				borrow_rate: pct(7),
			}]
		);
	});
}

#[test]
fn accrue_fails_for_unknown_market() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Lend::accrue(RuntimeOrigin::signed(ALICE), DOT), Error::<Test>::UnknownMarket);
	});
}

#[test]
fn interest_compounds_over_a_year() {
	ExtBuilder::default().build_and_execute(|| {
		borrowed(1_000_000);
		run_to_block(1 + BLOCKS_PER_YEAR_6S);
		// e^0.07 = 1.072508...: compounded every block, slightly above the 7% APR.
		let d = debt(USD, BOB);
		assert!((1_072_508..=1_072_510).contains(&d), "debt {d}");
		assert_ok!(Lend::accrue(RuntimeOrigin::signed(ALICE), USD));
		assert!(market(USD).total_borrows <= d);
		assert!(market(USD).total_borrows >= d - 1);
	});
}

#[test]
fn accruing_every_block_compounds_like_once() {
	let stepwise = ExtBuilder::default().build().execute_with(|| {
		borrowed(1_000_000);
		for n in 2..=50 {
			run_to_block(n);
			assert_ok!(Lend::accrue(RuntimeOrigin::signed(ALICE), USD));
		}
		market(USD).borrow_index
	});
	let once = ExtBuilder::default().build().execute_with(|| {
		borrowed(1_000_000);
		run_to_block(50);
		assert_ok!(Lend::accrue(RuntimeOrigin::signed(ALICE), USD));
		market(USD).borrow_index
	});
	// The rate moves a little with utilisation when accruing stepwise; the indexes agree to
	// about 1e-12.
	assert!(stepwise >= once);
	assert!(stepwise - once < FixedU128::from_rational(1, 1_000_000_000_000));
}

#[test]
fn small_debts_never_accrue_zero_interest() {
	ExtBuilder::default().build_and_execute(|| {
		borrowed(1);
		assert_eq!(debt(USD, BOB), 1);
		run_to_block(2);
		// 1 * (1 + 0.02 / 5,256,000) rounds up to 2.
		assert_eq!(debt(USD, BOB), 2);
	});
}

#[test]
fn every_change_accrues_first() {
	ExtBuilder::default().build_and_execute(|| {
		borrowed(1_000_000);
		run_to_block(100);
		assert_ok!(Lend::supply(RuntimeOrigin::signed(CHARLIE), USD, 1_000));
		let m = market(USD);
		assert_eq!(m.accrued_at, 100);
		assert!(m.borrow_index > FixedU128::from_u32(1));
		// The view reports the same state the next change would store.
		run_to_block(200);
		let view = Lend::market(USD).unwrap();
		assert_ok!(Lend::accrue(RuntimeOrigin::signed(ALICE), USD));
		assert_eq!(view, market(USD));
	});
}
