//! Market creation, parameter validation and the rate-model vectors.

use super::mock::*;
use crate::{Error, Event, MarketRates, RateModel};
use cxmpute_math::lending::InterestRateModel;
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{FixedU128, Perbill, Permill};
use sp_runtime::DispatchError;

#[test]
fn create_market_works() {
	ExtBuilder::default().with_markets(vec![]).build_and_execute(|| {
		assert_ok!(Lend::create_market(RuntimeOrigin::root(), USD, params()));
		System::assert_last_event(
			Event::<Test>::MarketCreated { asset: USD, params: params() }.into(),
		);
		let m = market(USD);
		assert_eq!(m.borrow_index, FixedU128::from_u32(1));
		assert_eq!((m.cash, m.total_supply, m.locked), (0, 0, 0));
	});
}

#[test]
fn create_market_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Lend::create_market(RuntimeOrigin::signed(ALICE), DOT, params()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Lend::create_market(RuntimeOrigin::root(), USD, params()),
			Error::<Test>::MarketExists
		);
		assert_noop!(
			Lend::create_market(RuntimeOrigin::root(), 99, params()),
			Error::<Test>::UnknownAsset
		);
	});
}

#[test]
fn params_are_validated() {
	ExtBuilder::default().build_and_execute(|| {
		let check = |p: crate::MarketParams, e: Error<Test>| {
			let e: DispatchError = e.into();
			assert_noop!(Lend::create_market(RuntimeOrigin::root(), DOT, p), e);
			assert_noop!(Lend::update_market(RuntimeOrigin::root(), USD, p), e);
		};
		let mut p = params();
		p.rate_model.kink = Perbill::zero();
		check(p, Error::<Test>::InvalidRateModel);
		p.rate_model.kink = Perbill::one();
		check(p, Error::<Test>::InvalidRateModel);
		let mut p = params();
		p.rate_model.jump_multiplier = FixedU128::from_u32(1_000);
		check(p, Error::<Test>::InvalidRateModel);
		let mut p = params();
		p.reserve_factor = Permill::one();
		check(p, Error::<Test>::InvalidReserveFactor);
		let mut p = params();
		p.collateral_factor = Permill::from_percent(85);
		check(p, Error::<Test>::InvalidCollateralFactor);
		let mut p = params();
		p.liquidation_threshold = Permill::one();
		check(p, Error::<Test>::InvalidCollateralFactor);
		let mut p = params();
		p.liquidation_bonus = Permill::from_percent(51);
		check(p, Error::<Test>::InvalidLiquidationBonus);
		let mut p = params();
		p.liquidation_threshold = Permill::from_percent(96);
		p.liquidation_bonus = Permill::from_percent(5);
		check(p, Error::<Test>::InvalidLiquidationBonus);
		let mut p = params();
		p.initial_exchange_rate = FixedU128::from_u32(0);
		check(p, Error::<Test>::InvalidExchangeRate);
	});
}

#[test]
fn update_market_works() {
	ExtBuilder::default().build_and_execute(|| {
		let mut p = params();
		p.reserve_factor = Permill::from_percent(20);
		assert_noop!(
			Lend::update_market(RuntimeOrigin::root(), DOT, p),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::update_market(RuntimeOrigin::signed(ALICE), USD, p),
			DispatchError::BadOrigin
		);
		assert_ok!(Lend::update_market(RuntimeOrigin::root(), USD, p));
		System::assert_last_event(Event::<Test>::MarketUpdated { asset: USD, params: p }.into());
		assert_eq!(market(USD).params, p);
	});
}

#[test]
fn rate_model_matches_the_issue_vectors() {
	let model: InterestRateModel = rate_model().into();
	assert_eq!(
		rate_model(),
		RateModel {
			base_rate: pct(2),
			multiplier: FixedU128::from_rational(1, 10),
			jump_multiplier: FixedU128::from_rational(11, 10),
			kink: Perbill::from_percent(80),
		}
	);
	let at = |p: u128| model.borrow_rate(pct(p)).unwrap();
	assert_eq!(at(0), pct(2));
	assert_eq!(at(50), pct(7));
	assert_eq!(at(80), pct(10));
	assert_eq!(at(90), pct(21));
	assert_eq!(at(100), pct(32));
}

/// Alice supplies 2,000,000 USD; Bob borrows `borrow` against BTC collateral.
fn market_at(borrow: u128) -> MarketRates {
	supply_collateral(BOB, BTC, 100_000_000);
	assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 2_000_000));
	assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, borrow));
	Lend::rates(USD).expect("market exists")
}

#[test]
fn rates_at_50_percent_utilisation_match_the_vectors() {
	ExtBuilder::default().build_and_execute(|| {
		let r = market_at(1_000_000);
		assert_eq!(r.utilisation, pct(50));
		assert_eq!(r.borrow_rate, pct(7));
		// 7% * 50% * (1 - 15%) = 2.975%.
		assert_eq!(r.supply_rate, FixedU128::from_rational(2_975, 100_000));
		assert_eq!(r.exchange_rate, FixedU128::from_u32(1));
	});
}

#[test]
fn rates_at_90_percent_utilisation_match_the_vectors() {
	ExtBuilder::default().build_and_execute(|| {
		let r = market_at(1_800_000);
		assert_eq!(r.utilisation, pct(90));
		assert_eq!(r.borrow_rate, pct(21));
	});
}

#[test]
fn view_functions_work() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(Lend::market(DOT).is_none());
		assert!(Lend::rates(DOT).is_none());
		assert_eq!(Lend::health_factor(ALICE), Ok(None));
		market_at(1_000_000);
		assert_eq!(Lend::market(USD).unwrap().total_borrows, 1_000_000);
		// 99,999,000 u-tokens (1,000 locked) * 80% / 1,000,000.
		assert_eq!(Lend::health_factor(BOB), Ok(Some(FixedU128::from_rational(799_992, 10_000))));
		let snap = Lend::account_snapshot(BOB);
		assert_eq!(snap.len(), 2);
		assert!(snap.iter().any(|p| p.asset == USD && p.debt == 1_000_000 && !p.collateral));
		assert!(snap
			.iter()
			.any(|p| p.asset == BTC && p.supplied == 100_000_000 - 1_000 && p.collateral));
	});
}
