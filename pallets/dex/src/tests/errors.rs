//! Every error of the pallet, checked with `assert_noop!`.

use super::mock::*;
use crate::{Error, Side, MAX_EXPIRY_SPILL};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Permill};

#[allow(clippy::too_many_arguments)]
fn place(
	who: AccountId,
	base: u32,
	quote: u32,
	side: Side,
	p: crate::Price,
	amount: u128,
	expiry: Option<u64>,
	hint: Option<crate::Price>,
	max_fills: u32,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Dex::place_limit_order(
		RuntimeOrigin::signed(who),
		base,
		quote,
		side,
		p,
		amount,
		expiry,
		hint,
		max_fills,
	)
}

#[test]
fn place_limit_order_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let p = price(2);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, p, 0, None, None, 1),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			place(ALICE, BTC, BTC, Side::Bid, p, 1, None, None, 1),
			Error::<Test>::SameAsset
		);
		assert_noop!(
			place(ALICE, NOPE, USD, Side::Bid, p, 1, None, None, 1),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			place(ALICE, BTC, NOPE, Side::Bid, p, 1, None, None, 1),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, crate::Price::from_inner(1), 1, None, None, 1),
			Error::<Test>::PriceOutOfBounds
		);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, price(1_000_000_000_001), 1, None, None, 1),
			Error::<Test>::PriceOutOfBounds
		);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, ratio(1, 3), 2, None, None, 1),
			Error::<Test>::ZeroQuote
		);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, p, 1, None, None, 17),
			Error::<Test>::InvalidMaxFills
		);
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, p, 1, Some(1), None, 1),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			place(
				ALICE,
				BTC,
				USD,
				Side::Bid,
				price(1_000_000_000_000),
				u128::MAX / 2,
				None,
				None,
				1
			),
			Error::<Test>::Overflow
		);
		// Not enough funds: the asset's error.
		assert!(place(ALICE, BTC, USD, Side::Bid, p, START, None, None, 1).is_err());
	});
}

#[test]
fn place_limit_order_fails_with_bad_hint() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 1..=10u128 {
			limit(ALICE, Side::Bid, price(10 * i), 1).unwrap();
		}
		// Not a level.
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, price(55), 1, None, Some(price(7)), 1),
			Error::<Test>::InvalidHint
		);
		// Too far: the right position is after 10, ten levels below the best.
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, price(5), 1, None, None, 1),
			Error::<Test>::InvalidHint
		);
	});
}

#[test]
fn place_limit_order_fails_when_self_trading() {
	ExtBuilder::default().build_and_execute(|| {
		limit(ALICE, Side::Ask, price(2), 10).unwrap();
		assert_noop!(
			place(ALICE, BTC, USD, Side::Bid, price(2), 5, None, None, 1),
			Error::<Test>::SelfTrade
		);
		assert_noop!(
			Dex::place_market_order(RuntimeOrigin::signed(ALICE), BTC, USD, Side::Bid, 5, 100, 1),
			Error::<Test>::SelfTrade
		);
	});
}

#[test]
fn place_limit_order_fails_when_still_crossing() {
	ExtBuilder::default().build_and_execute(|| {
		limit(ALICE, Side::Ask, price(1), 10).unwrap();
		limit(ALICE, Side::Ask, price(2), 10).unwrap();
		assert_noop!(
			place(BOB, BTC, USD, Side::Bid, price(3), 30, None, None, 1),
			Error::<Test>::StillCrossing
		);
		assert_noop!(
			place(BOB, BTC, USD, Side::Bid, price(3), 30, None, None, 0),
			Error::<Test>::StillCrossing
		);
	});
}

#[test]
fn place_limit_order_fails_when_expiry_queues_full() {
	ExtBuilder::default().build_and_execute(|| {
		// MaxExpiriesPerBlock = 4, 17 queues.
		for i in 0..(4 * (MAX_EXPIRY_SPILL + 1)) {
			limit_on(BTC_USD, ALICE, Side::Bid, price(1 + i as u128), 1, Some(10)).unwrap();
		}
		assert_noop!(
			place(BOB, BTC, USD, Side::Bid, price(1), 1, Some(10), None, 1),
			Error::<Test>::ExpiryQueueFull
		);
		assert_ok!(place(BOB, BTC, USD, Side::Bid, price(1), 1, Some(11), None, 1));
	});
}

#[test]
fn place_market_order_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let origin = || RuntimeOrigin::signed(BOB);
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Bid, 0, 1, 1),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Dex::place_market_order(origin(), USD, USD, Side::Bid, 1, 1, 1),
			Error::<Test>::SameAsset
		);
		assert_noop!(
			Dex::place_market_order(origin(), NOPE, USD, Side::Bid, 1, 1, 1),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Bid, 1, 1, 0),
			Error::<Test>::InvalidMaxFills
		);
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Bid, 1, 1, 17),
			Error::<Test>::InvalidMaxFills
		);
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Bid, 1, 1, 1),
			Error::<Test>::NoLiquidity
		);
		limit(ALICE, Side::Ask, price(2), 10).unwrap();
		limit(ALICE, Side::Bid, price(1), 10).unwrap();
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Bid, 5, 9, 1),
			Error::<Test>::SlippageExceeded
		);
		assert_noop!(
			Dex::place_market_order(origin(), BTC, USD, Side::Ask, 5, 6, 1),
			Error::<Test>::SlippageExceeded
		);
	});
}

#[test]
fn cancel_and_transfer_fail_for_unknown_order_or_non_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Ask, price(2), 10).unwrap();
		assert_noop!(
			Dex::cancel_order(RuntimeOrigin::signed(ALICE), id + 1),
			Error::<Test>::UnknownOrder
		);
		assert_noop!(Dex::cancel_order(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotOwner);
		assert_noop!(
			Dex::transfer_order(RuntimeOrigin::signed(ALICE), id + 1, BOB),
			Error::<Test>::UnknownOrder
		);
		assert_noop!(
			Dex::transfer_order(RuntimeOrigin::signed(BOB), id, BOB),
			Error::<Test>::NotOwner
		);
	});
}

#[test]
fn set_taker_fee_fails_for_non_admin_or_too_high() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dex::set_taker_fee(RuntimeOrigin::signed(ALICE), Permill::from_percent(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Dex::set_taker_fee(RuntimeOrigin::root(), Permill::from_percent(6)),
			Error::<Test>::FeeTooHigh
		);
	});
}

#[test]
fn corruption_is_reported_not_panicked() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Ask, price(2), 10).unwrap();
		let order = crate::Orders::<Test>::take(id).unwrap();
		assert_noop!(
			Dex::place_market_order(RuntimeOrigin::signed(BOB), BTC, USD, Side::Bid, 1, 10, 1),
			Error::<Test>::Corruption
		);
		crate::Orders::<Test>::insert(id, order);
	});
}
