//! Matching: price-time priority, exact partial fills, market orders, fees, donations.

use super::mock::*;
use crate::{Event, Reserves, Side, TakerFee};
use frame_support::{assert_ok, traits::fungibles::Mutate};
use sp_runtime::Permill;

#[test]
fn price_time_priority_works() {
	ExtBuilder::default().build_and_execute(|| {
		let a = limit(ALICE, Side::Ask, price(3), 10).unwrap();
		let b = limit(BOB, Side::Ask, price(2), 10).unwrap();
		let c = limit(CHARLIE, Side::Ask, price(2), 10).unwrap();
		events_since_last_call();
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(DAVE),
			BTC,
			USD,
			Side::Bid,
			25,
			100,
			3
		));
		let fills: Vec<_> = events_since_last_call()
			.into_iter()
			.filter_map(|e| match e {
				Event::OrderFilled { id, base, .. } => Some((id, base)),
				_ => None,
			})
			.collect();
		// Best price first (2 before 3), oldest first at a price (b before c).
		assert_eq!(fills, vec![(b, 10), (c, 10), (a, 5)]);
		assert_eq!(bal(USD, DAVE), START - 55);
		assert_eq!(Dex::order(a).unwrap().remaining, 5);
	});
}

#[test]
fn limit_order_matches_then_rests_works() {
	ExtBuilder::default().build_and_execute(|| {
		limit(ALICE, Side::Ask, price(2), 10).unwrap();
		limit(ALICE, Side::Ask, price(4), 10).unwrap();
		// Buys 10 at 2, the 4s do not cross a limit of 3: rests 5 at 3.
		let id = limit(BOB, Side::Bid, price(3), 15).unwrap();
		let order = Dex::order(id).unwrap();
		assert_eq!((order.amount, order.remaining, order.price), (5, 5, price(3)));
		assert_eq!(bal(BTC, BOB), START + 10);
		assert_eq!(bal(USD, BOB), START - 20 - 15);
		assert_eq!(Dex::best_price(BTC_USD, Side::Bid), Some(price(3)));
		assert_eq!(Dex::best_price(BTC_USD, Side::Ask), Some(price(4)));
	});
}

#[test]
fn partial_fills_keep_exact_price_and_favour_maker_works() {
	ExtBuilder::default().build_and_execute(|| {
		// An ask of 10 at 1/3: a full fill pays ceil(10/3) = 4.
		let id = limit(ALICE, Side::Ask, ratio(1, 3), 10).unwrap();
		for _ in 0..10 {
			assert_ok!(Dex::place_market_order(
				RuntimeOrigin::signed(BOB),
				BTC,
				USD,
				Side::Bid,
				1,
				1,
				1
			));
		}
		assert!(Dex::order(id).is_none());
		// The maker gets exactly the full-fill amount, the taker paid ceil(1/3) = 1 each time.
		assert_eq!(bal(USD, ALICE), START + 4);
		assert_eq!(bal(USD, BOB), START - 10);
		assert_eq!(bal(USD, FEES), 6);
		assert_eq!(bal(BTC, BOB), START + 10);
	});
}

#[test]
fn partial_fills_of_bid_use_up_lock_exactly_works() {
	ExtBuilder::default().build_and_execute(|| {
		// A bid of 10 at 0.4 locks floor(10 * 0.4) = 4.
		let id = limit(ALICE, Side::Bid, ratio(2, 5), 10).unwrap();
		assert_eq!(Reserves::<Test>::get(USD), 4);
		for step in 1..=10u128 {
			assert_ok!(Dex::place_market_order(
				RuntimeOrigin::signed(BOB),
				BTC,
				USD,
				Side::Ask,
				1,
				0,
				1
			));
			// Cumulative settlement: floor(0.4 * step) paid so far, out of the lock.
			assert_eq!(bal(USD, ALICE), START - 4);
			assert_eq!(Reserves::<Test>::get(USD), 4 - 2 * step / 5);
		}
		assert!(Dex::order(id).is_none());
		// The taker got floor(0.4) = 0 per unit; the 4 went to the protocol as surplus.
		assert_eq!(bal(USD, BOB), START);
		assert_eq!(bal(USD, FEES), 4);
		assert_eq!(bal(BTC, ALICE), START + 10);
	});
}

#[test]
fn market_order_across_k_levels_works() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 1..=5u128 {
			limit(ALICE, Side::Bid, price(10 + i), 10).unwrap();
		}
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Ask,
			35,
			0,
			4
		));
		// 10 @ 15, 10 @ 14, 10 @ 13, 5 @ 12.
		System::assert_last_event(
			Event::Traded {
				taker: BOB,
				pair: BTC_USD,
				side: Side::Ask,
				base: 35,
				quote: 150 + 140 + 130 + 60,
				fee: 0,
				fills: 4,
			}
			.into(),
		);
		assert_eq!(bal(USD, BOB), START + 480);
		assert_eq!(Dex::book_depth(BTC_USD, Side::Bid, 10).len(), 2);
		assert_eq!(Dex::best_price(BTC_USD, Side::Bid), Some(price(12)));
	});
}

#[test]
fn market_order_stops_at_max_fills_works() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 1..=3u128 {
			limit(ALICE, Side::Ask, price(i), 10).unwrap();
		}
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			30,
			100,
			2
		));
		assert_eq!(bal(BTC, BOB), START + 20);
	});
}

#[test]
fn taker_fee_goes_to_fee_account_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dex::set_taker_fee(RuntimeOrigin::root(), Permill::from_percent(1)));
		System::assert_last_event(Event::TakerFeeSet { fee: Permill::from_percent(1) }.into());
		assert_eq!(TakerFee::<Test>::get(), Permill::from_percent(1));
		limit(ALICE, Side::Ask, price(2), 1_000).unwrap();
		limit(CHARLIE, Side::Bid, price(1), 1_000).unwrap();
		// Buy 1000 base: fee 10 base.
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			1_000,
			2_000,
			1
		));
		assert_eq!(bal(BTC, BOB), START + 990);
		assert_eq!(bal(BTC, FEES), 10);
		// Sell 101 base for 101 quote: fee ceil(1.01) = 2 quote.
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(DAVE),
			BTC,
			USD,
			Side::Ask,
			101,
			99,
			1
		));
		System::assert_last_event(
			Event::Traded {
				taker: DAVE,
				pair: BTC_USD,
				side: Side::Ask,
				base: 101,
				quote: 101,
				fee: 2,
				fills: 1,
			}
			.into(),
		);
		assert_eq!(bal(USD, DAVE), START + 99);
		assert_eq!(bal(USD, FEES), 2);
	});
}

#[test]
fn donation_to_pallet_account_changes_nothing_works() {
	ExtBuilder::default().build_and_execute(|| {
		limit(ALICE, Side::Ask, price(2), 10).unwrap();
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(BTC, &dex_account(), 1_000_000));
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(USD, &dex_account(), 1_000_000));
		assert_eq!(Reserves::<Test>::get(BTC), 10);
		assert_eq!(Dex::best_price(BTC_USD, Side::Ask), Some(price(2)));
		assert_ok!(Dex::place_market_order(
			RuntimeOrigin::signed(BOB),
			BTC,
			USD,
			Side::Bid,
			100,
			1_000,
			5
		));
		// Only the 10 on the book traded, at its price; the donation stays untouched.
		assert_eq!(bal(BTC, BOB), START + 10);
		assert_eq!(bal(USD, BOB), START - 20);
		assert_eq!(bal(BTC, dex_account()), 1_000_000);
		assert_eq!(Reserves::<Test>::get(BTC), 0);
	});
}
