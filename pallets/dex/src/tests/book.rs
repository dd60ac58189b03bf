//! Book layout: levels sorted, FIFO per level, hints, depth view.

use super::mock::*;
use crate::{Books, LevelInfo, Levels, Side};
use frame_support::assert_ok;

#[test]
fn levels_are_sorted_best_first_works() {
	ExtBuilder::default().build_and_execute(|| {
		for p in [5u128, 1, 9, 3, 7] {
			limit(ALICE, Side::Bid, price(p), 1).unwrap();
			limit(BOB, Side::Ask, price(100 + p), 1).unwrap();
		}
		limit(CHARLIE, Side::Bid, price(5), 2).unwrap();
		let bids: Vec<_> =
			Dex::book_depth(BTC_USD, Side::Bid, 10).iter().map(|l| l.price).collect();
		assert_eq!(bids, [9, 7, 5, 3, 1].map(price).to_vec());
		let asks: Vec<_> = Dex::book_depth(BTC_USD, Side::Ask, 3).iter().map(|l| l.price).collect();
		assert_eq!(asks, [101, 103, 105].map(price).to_vec());
		assert_eq!(
			Dex::book_depth(BTC_USD, Side::Bid, 3)[2],
			LevelInfo { price: price(5), open: 3, orders: 2 }
		);
		let book = Books::<Test>::get((BTC_USD, Side::Bid));
		assert_eq!((book.best, book.levels, book.orders), (Some(price(9)), 5, 6));
	});
}

#[test]
fn insert_hint_gives_next_better_level_works() {
	ExtBuilder::default().build_and_execute(|| {
		for p in [10u128, 20, 30] {
			limit(ALICE, Side::Ask, price(p), 1).unwrap();
		}
		assert_eq!(Dex::insert_hint(BTC_USD, Side::Ask, price(5)), None);
		assert_eq!(Dex::insert_hint(BTC_USD, Side::Ask, price(25)), Some(price(20)));
		assert_eq!(Dex::insert_hint(BTC_USD, Side::Ask, price(35)), Some(price(30)));
		assert_eq!(Dex::insert_hint(BTC_USD, Side::Bid, price(35)), None);
	});
}

#[test]
fn nearby_wrong_hint_is_walked_works() {
	ExtBuilder::default().build_and_execute(|| {
		for p in [10u128, 20, 30, 40] {
			limit(ALICE, Side::Ask, price(p), 1).unwrap();
		}
		// Right hint for 35 is 30, for 15 it is 10, for 45 it is 40: walked from a few levels off.
		assert_ok!(Dex::place_limit_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			price(35),
			1,
			None,
			Some(price(10)),
			1
		));
		assert_ok!(Dex::place_limit_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			price(15),
			1,
			None,
			Some(price(40)),
			1
		));
		assert_ok!(Dex::place_limit_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			price(45),
			1,
			None,
			Some(price(30)),
			1
		));
		let asks: Vec<_> =
			Dex::book_depth(BTC_USD, Side::Ask, 10).iter().map(|l| l.price).collect();
		assert_eq!(asks, [10, 15, 20, 30, 35, 40, 45].map(price).to_vec());
	});
}

#[test]
fn fifo_within_level_and_unlink_in_middle_works() {
	ExtBuilder::default().build_and_execute(|| {
		let a = limit(ALICE, Side::Ask, price(2), 1).unwrap();
		let b = limit(BOB, Side::Ask, price(2), 1).unwrap();
		let c = limit(CHARLIE, Side::Ask, price(2), 1).unwrap();
		assert_ok!(Dex::cancel_order(RuntimeOrigin::signed(BOB), b));
		let level = Levels::<Test>::get((BTC_USD, Side::Ask), price(2)).unwrap();
		assert_eq!((level.head, level.tail, level.orders, level.open), (a, c, 2, 2));
		assert_eq!(Dex::order(a).unwrap().next, Some(c));
		assert_eq!(Dex::order(c).unwrap().prev, Some(a));
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(DAVE),
			BTC,
			USD,
			Side::Bid,
			1,
			2,
			1
		));
		assert!(Dex::order(a).is_none());
		assert_eq!(Levels::<Test>::get((BTC_USD, Side::Ask), price(2)).unwrap().head, c);
	});
}

#[test]
fn deep_book_costs_constant_reads_works() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 0..200u128 {
			limit(ALICE, Side::Ask, price(1_000 + i), 1).unwrap();
		}
		// Inserting in the middle with the right hint touches a few entries only.
		let hint = Dex::insert_hint(BTC_USD, Side::Ask, ratio(21_001, 20));
		assert_eq!(hint, Some(price(1_050)));
		assert_ok!(Dex::place_limit_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			ratio(21_001, 20),
			1,
			None,
			hint,
			1
		));
		assert_eq!(Books::<Test>::get((BTC_USD, Side::Ask)).levels, 201);
	});
}
