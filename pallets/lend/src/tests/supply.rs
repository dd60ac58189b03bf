//! Supplying, redeeming, u-token transfers, collateral flags and the donation attack.

use super::mock::*;
use crate::{Error, Event, RedeemAmount};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Mutate};
use sp_arithmetic::{FixedU128, Permill};

#[test]
fn supply_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000));
		System::assert_last_event(
			Event::<Test>::Supplied {
				who: ALICE,
				asset: USD,
				amount: 10_000,
				utokens: 9_000,
				locked: 1_000,
			}
			.into(),
		);
		assert_ok!(Lend::supply(RuntimeOrigin::signed(BOB), USD, 500));
		assert_eq!((utokens(USD, ALICE), utokens(USD, BOB)), (9_000, 500));
		let m = market(USD);
		assert_eq!((m.cash, m.total_supply, m.locked), (10_500, 10_500, 1_000));
		assert_eq!(balance(USD, pallet_account()), 10_500);
		assert_eq!(balance(USD, ALICE), INITIAL - 10_000);
	});
}

#[test]
fn supply_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Lend::supply(RuntimeOrigin::signed(ALICE), DOT, 10),
			Error::<Test>::UnknownMarket
		);
		// The first deposit must cover the 1,000 locked u-tokens.
		assert_noop!(
			Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000),
			Error::<Test>::AmountTooSmall
		);
		assert_noop!(
			Lend::supply(RuntimeOrigin::signed(ALICE), USD, INITIAL + 1),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Lend::supply(RuntimeOrigin::signed(ALICE), USD, u128::MAX),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn supply_fails_beyond_max_markets() {
	ExtBuilder::default().build_and_execute(|| {
		create_asset(5);
		assert_ok!(Lend::create_market(RuntimeOrigin::root(), DOT, params()));
		assert_ok!(Lend::create_market(RuntimeOrigin::root(), 5, params()));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), 5, ALICE, INITIAL));
		for asset in [USD, BTC, ETH, DOT] {
			assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), asset, 10_000));
		}
		assert_noop!(
			Lend::supply(RuntimeOrigin::signed(ALICE), 5, 10_000),
			Error::<Test>::TooManyMarkets
		);
	});
}

#[test]
fn redeem_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000));
		assert_ok!(Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::UTokens(4_000)));
		System::assert_last_event(
			Event::<Test>::Redeemed { who: ALICE, asset: USD, amount: 4_000, utokens: 4_000 }
				.into(),
		);
		assert_ok!(Lend::redeem(
			RuntimeOrigin::signed(ALICE),
			USD,
			RedeemAmount::Underlying(5_000)
		));
		assert_eq!(utokens(USD, ALICE), 0);
		assert_eq!(balance(USD, ALICE), INITIAL - 1_000);
		// Emptied: the market leaves the account's list.
		assert!(crate::MarketsOf::<Test>::get(ALICE).is_empty());
		assert_eq!(market(USD).total_supply, 1_000);
	});
}

#[test]
fn redeem_rounds_against_the_redeemer() {
	ExtBuilder::default().build_and_execute(|| {
		// Exchange rate 1.5: 1 u-token redeems 1 (rounded down), 1 underlying burns 1
		// u-token (rounded up) and 2 underlying burn 2.
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 3_000));
		let mut m = market(USD);
		m.cash = 4_500;
		m.total_reserves = 0;
		crate::Markets::<Test>::insert(USD, m);
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(USD, &pallet_account(), 1_500));
		assert_ok!(Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::UTokens(1)));
		assert_eq!(balance(USD, ALICE), INITIAL - 3_000 + 1);
		assert_ok!(Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::Underlying(2)));
		assert_eq!(utokens(USD, ALICE), 2_000 - 1 - 2);
	});
}

#[test]
fn redeem_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000));
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::UTokens(0)),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::Underlying(0)),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), DOT, RedeemAmount::UTokens(1)),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::UTokens(9_001)),
			Error::<Test>::InsufficientUTokens
		);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::Underlying(9_001)),
			Error::<Test>::InsufficientUTokens
		);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(BOB), USD, RedeemAmount::Underlying(1)),
			Error::<Test>::InsufficientUTokens
		);
		// Lent out: not enough cash.
		supply_collateral(BOB, BTC, 1_000_000);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 5_000));
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(ALICE), USD, RedeemAmount::UTokens(9_000)),
			Error::<Test>::InsufficientCash
		);
	});
}

#[test]
fn redeem_fails_when_it_would_leave_the_account_unhealthy() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		supply_collateral(BOB, BTC, 11_000);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		// 10,000 BTC u-tokens * 75% = 7,500 >= 7,000; after redeeming 1,000: 6,750 < 7,000.
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(BOB), BTC, RedeemAmount::UTokens(1_000)),
			Error::<Test>::InsufficientCollateral
		);
		assert_ok!(Lend::redeem(RuntimeOrigin::signed(BOB), BTC, RedeemAmount::UTokens(600)));
		MockOracle::set_stale(BTC, None);
		assert_noop!(
			Lend::redeem(RuntimeOrigin::signed(BOB), BTC, RedeemAmount::UTokens(1)),
			Error::<Test>::PriceStale
		);
	});
}

#[test]
fn transfer_utokens_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000));
		assert_ok!(Lend::transfer_utokens(RuntimeOrigin::signed(ALICE), USD, BOB, 9_000));
		System::assert_last_event(
			Event::<Test>::UTokensTransferred { asset: USD, from: ALICE, to: BOB, amount: 9_000 }
				.into(),
		);
		assert_eq!((utokens(USD, ALICE), utokens(USD, BOB)), (0, 9_000));
		assert!(crate::MarketsOf::<Test>::get(ALICE).is_empty());
	});
}

#[test]
fn transfer_utokens_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		supply_collateral(BOB, BTC, 11_000);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		assert_noop!(
			Lend::transfer_utokens(RuntimeOrigin::signed(ALICE), USD, BOB, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Lend::transfer_utokens(RuntimeOrigin::signed(ALICE), USD, ALICE, 1),
			Error::<Test>::SelfTransfer
		);
		assert_noop!(
			Lend::transfer_utokens(RuntimeOrigin::signed(ALICE), DOT, BOB, 1),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::transfer_utokens(RuntimeOrigin::signed(ALICE), USD, BOB, 999_001),
			Error::<Test>::InsufficientUTokens
		);
		assert_noop!(
			Lend::transfer_utokens(RuntimeOrigin::signed(BOB), BTC, ALICE, 1_000),
			Error::<Test>::InsufficientCollateral
		);
	});
}

#[test]
fn collateral_flags_work() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000));
		assert_ok!(Lend::enable_collateral(RuntimeOrigin::signed(ALICE), USD));
		System::assert_last_event(
			Event::<Test>::CollateralEnabled { who: ALICE, asset: USD }.into(),
		);
		assert!(Lend::is_collateral(&ALICE, USD));
		assert_ok!(Lend::disable_collateral(RuntimeOrigin::signed(ALICE), USD));
		System::assert_last_event(
			Event::<Test>::CollateralDisabled { who: ALICE, asset: USD }.into(),
		);
		assert!(!Lend::is_collateral(&ALICE, USD));
		// Enabling before supplying is allowed; disabling then drops the empty entry.
		assert_ok!(Lend::enable_collateral(RuntimeOrigin::signed(BOB), ETH));
		assert_ok!(Lend::disable_collateral(RuntimeOrigin::signed(BOB), ETH));
		assert!(crate::MarketsOf::<Test>::get(BOB).is_empty());
	});
}

#[test]
fn collateral_flags_fail_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let mut p = params();
		p.collateral_factor = Permill::zero();
		assert_ok!(Lend::create_market(RuntimeOrigin::root(), DOT, p));
		assert_noop!(
			Lend::enable_collateral(RuntimeOrigin::signed(ALICE), DOT),
			Error::<Test>::NotCollateralAsset
		);
		assert_noop!(
			Lend::enable_collateral(RuntimeOrigin::signed(ALICE), 99),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::disable_collateral(RuntimeOrigin::signed(ALICE), 99),
			Error::<Test>::UnknownMarket
		);
		assert_noop!(
			Lend::disable_collateral(RuntimeOrigin::signed(ALICE), USD),
			Error::<Test>::CollateralNotEnabled
		);
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		supply_collateral(BOB, BTC, 11_000);
		assert_ok!(Lend::borrow(RuntimeOrigin::signed(BOB), USD, 7_000));
		assert_noop!(
			Lend::disable_collateral(RuntimeOrigin::signed(BOB), BTC),
			Error::<Test>::InsufficientCollateral
		);
	});
}

#[test]
fn first_depositor_donation_attack_fails() {
	ExtBuilder::default().build_and_execute(|| {
		// The attacker makes the smallest first deposit: 1 u-token for itself.
		assert_ok!(Lend::supply(RuntimeOrigin::signed(CHARLIE), USD, 1_001));
		assert_eq!(utokens(USD, CHARLIE), 1);
		// ...then donates a fortune straight to the pallet account.
		assert_ok!(<Assets as Mutate<AccountId>>::transfer(
			USD,
			&CHARLIE,
			&pallet_account(),
			100_000_000_000,
			frame_support::traits::tokens::Preservation::Expendable,
		));
		// Cash is tracked: the exchange rate does not move.
		assert_eq!(Lend::rates(USD).unwrap().exchange_rate, FixedU128::from_u32(1));
		// The victim's deposit gets its full share...
		assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
		assert_eq!(utokens(USD, ALICE), 1_000_000);
		// ...and redeems all of it; the attacker only gets back its own 1 unit.
		assert_ok!(Lend::redeem(
			RuntimeOrigin::signed(ALICE),
			USD,
			RedeemAmount::UTokens(1_000_000)
		));
		assert_eq!(balance(USD, ALICE), INITIAL);
		assert_ok!(Lend::redeem(RuntimeOrigin::signed(CHARLIE), USD, RedeemAmount::UTokens(1)));
		assert_eq!(balance(USD, CHARLIE), INITIAL - 100_000_000_000 - 1_000);
	});
}
