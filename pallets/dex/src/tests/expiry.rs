//! Expiry: bounded per-block queues and expired makers met by takers.

use super::mock::*;
use crate::{Event, ExpiriesAt, Reserves, Side};
use frame_support::assert_ok;

#[test]
fn expired_orders_are_refunded_by_hook_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = limit_on(BTC_USD, ALICE, Side::Bid, price(2), 10, Some(5)).unwrap();
		assert_eq!(ExpiriesAt::<Test>::get(5).into_inner(), vec![id]);
		run_to_block(4);
		assert!(Dex::order(id).is_some());
		run_to_block(5);
		System::assert_last_event(Event::OrderExpired { id, owner: ALICE, refunded: 20 }.into());
		assert!(Dex::order(id).is_none());
		assert_eq!(bal(USD, ALICE), START);
		assert_eq!(Reserves::<Test>::get(USD), 0);
		assert!(!ExpiriesAt::<Test>::contains_key(5));
	});
}

#[test]
fn expired_maker_is_removed_by_taker_not_filled_works() {
	ExtBuilder::default().build_and_execute(|| {
		let old = limit_on(BTC_USD, ALICE, Side::Ask, price(1), 10, Some(3)).unwrap();
		let live = limit(CHARLIE, Side::Ask, price(2), 10).unwrap();
		// At block 3 the hook has not run (we only set the block number).
		System::set_block_number(3);
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			5,
			100,
			2
		));
		assert!(Dex::order(old).is_none());
		assert_eq!(bal(BTC, ALICE), START);
		assert_eq!(Dex::order(live).unwrap().remaining, 5);
		assert_eq!(bal(USD, BOB), START - 10);
		assert!(!ExpiriesAt::<Test>::contains_key(3));
	});
}

#[test]
fn cancelled_and_filled_orders_leave_expiry_queue_works() {
	ExtBuilder::default().build_and_execute(|| {
		let a = limit_on(BTC_USD, ALICE, Side::Ask, price(1), 10, Some(9)).unwrap();
		let b = limit_on(BTC_USD, ALICE, Side::Ask, price(2), 10, Some(9)).unwrap();
		assert_ok!(Dex::cancel_order(RuntimeOrigin::signed(ALICE), b));
		assert_eq!(ExpiriesAt::<Test>::get(9).into_inner(), vec![a]);
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			10,
			10,
			1
		));
		assert!(!ExpiriesAt::<Test>::contains_key(9));
	});
}

#[test]
fn full_expiry_queue_spills_to_next_block_works() {
	ExtBuilder::default().build_and_execute(|| {
		let ids: Vec<_> = (0..5u128)
			.map(|i| limit_on(BTC_USD, ALICE, Side::Bid, price(1 + i), 1, Some(4)).unwrap())
			.collect();
		assert_eq!(ExpiriesAt::<Test>::get(4).len(), 4);
		assert_eq!(ExpiriesAt::<Test>::get(5).into_inner(), vec![ids[4]]);
		// The spilled order still cannot be filled from its expiry on.
		System::set_block_number(4);
		assert_eq!(
			Dex::place_market_order(RuntimeOrigin::signed(BOB), BTC, USD, Side::Ask, 1, 0, 1),
			Err(crate::Error::<Test>::NoLiquidity.into())
		);
		System::set_block_number(3);
		run_to_block(5);
		assert_eq!(crate::Orders::<Test>::iter().count(), 0);
		assert_eq!(bal(USD, ALICE), START);
	});
}
