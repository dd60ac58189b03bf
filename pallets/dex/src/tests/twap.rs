//! The TWAP per pair and the `TwapProvider` implementation.

use super::mock::*;
use crate::{Pair, Side, TwapProvider};
use frame_support::assert_ok;

fn trade_at(p: crate::Price) {
	limit(ALICE, Side::Ask, p, 1).unwrap();
	assert_ok!(Dex::place_market_order(
		RuntimeOrigin::signed(BOB),
		BTC,
		USD,
		Side::Bid,
		1,
		u128::MAX,
		1
	));
}

#[test]
fn twap_averages_traded_prices_over_blocks_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 1), None);
		trade_at(price(10));
		run_to_block(5);
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 4), Some(price(10)));
		trade_at(price(20));
		run_to_block(7);
		// Blocks 1..5 at 10, 5..7 at 20; over the last 4 (3..7): (2 * 10 + 2 * 20) / 4.
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 4), Some(price(15)));
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 2), Some(price(20)));
		// Not enough history, zero window.
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 7), None);
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 0), None);
		// The quote asset itself, and an asset without a book.
		assert_eq!(<Dex as TwapProvider<u32>>::twap(USD, 3), Some(price(1)));
		assert_eq!(<Dex as TwapProvider<u32>>::twap(ETH, 3), None);
		assert_eq!(Dex::twap_of(Pair::new(BTC, USD), 6), Some(ratio(80, 6)));
	});
}

#[test]
fn twap_ring_is_bounded_works() {
	ExtBuilder::default().build_and_execute(|| {
		for b in 1..=20u64 {
			run_to_block(b);
			trade_at(price(10));
		}
		assert_eq!(crate::ObservationsOf::<Test>::get(BTC_USD).len(), 8);
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 7), Some(price(10)));
		assert_eq!(<Dex as TwapProvider<u32>>::twap(BTC, 8), None);
	});
}
