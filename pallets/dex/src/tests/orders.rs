//! Placing, cancelling and transferring resting orders.

use super::mock::*;
use crate::{Books, Event, Orders, Reserves, Side};
use frame_support::assert_ok;

#[test]
fn place_limit_order_rests_and_locks_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Bid, price(2), 100).unwrap();
		System::assert_last_event(
			Event::OrderPlaced {
				id,
				owner: ALICE,
				pair: BTC_USD,
				side: Side::Bid,
				price: price(2),
				amount: 100,
				expiry: None,
			}
			.into(),
		);
		assert_eq!(bal(USD, ALICE), START - 200);
		assert_eq!(Reserves::<Test>::get(USD), 200);
		let ask = limit(BOB, Side::Ask, price(3), 50).unwrap();
		assert_eq!(bal(BTC, BOB), START - 50);
		assert_eq!(Reserves::<Test>::get(BTC), 50);
		assert_eq!(Dex::best_price(BTC_USD, Side::Bid), Some(price(2)));
		assert_eq!(Dex::best_price(BTC_USD, Side::Ask), Some(price(3)));
		let order = Dex::order(ask).unwrap();
		assert_eq!((order.amount, order.remaining, order.owner), (50, 50, BOB));
	});
}

#[test]
fn cancel_order_refunds_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Bid, ratio(1, 3), 100).unwrap();
		// floor(100 / 3) = 33 locked.
		assert_eq!(Reserves::<Test>::get(USD), 33);
		assert_ok!(Dex::cancel_order(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::OrderCancelled { id, owner: ALICE, refunded: 33 }.into());
		assert_eq!(bal(USD, ALICE), START);
		assert_eq!(Reserves::<Test>::get(USD), 0);
		assert!(Orders::<Test>::get(id).is_none());
		assert_eq!(Books::<Test>::get((BTC_USD, Side::Bid)), Default::default());
	});
}

#[test]
fn cancel_partially_filled_bid_refunds_exact_rest_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Bid, ratio(1, 3), 100).unwrap();
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			1,
			0,
			1
		));
		// The maker paid floor(1/3) - floor(0) = 0; 33 still locked.
		assert_ok!(Dex::cancel_order(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::OrderCancelled { id, owner: ALICE, refunded: 33 }.into());
		assert_eq!(bal(BTC, ALICE), START + 1);
	});
}

#[test]
fn transfer_order_moves_fills_and_cancel_rights_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit(ALICE, Side::Ask, price(2), 10).unwrap();
		assert_ok!(Dex::transfer_order(RuntimeOrigin::signed(ALICE), id, CHARLIE));
		System::assert_last_event(Event::OrderTransferred { id, from: ALICE, to: CHARLIE }.into());
		assert_eq!(Dex::order(id).unwrap().owner, CHARLIE);
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			4,
			8,
			1
		));
		assert_eq!(bal(USD, CHARLIE), START + 8);
		assert_eq!(bal(USD, ALICE), START);
		assert_ok!(Dex::cancel_order(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(bal(BTC, CHARLIE), START + 6);
	});
}

#[test]
fn any_pair_works_without_listing() {
	ExtBuilder::default().build_and_execute(|| {
		let pair = crate::Pair::new(ETH, BTC);
		limit_on(pair, ALICE, Side::Ask, ratio(1, 20), 1_000, None).unwrap();
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			ETH,
			BTC,
			Side::Bid,
			200,
			10,
			1
		));
		assert_eq!(bal(ETH, BOB), START + 200);
		assert_eq!(bal(BTC, BOB), START - 10);
	});
}
