//! The median of fresh feeds, its errors, and the explicit TWAP fallback policy.

use crate::{lower_median, mock::*, Event, Price, PriceError, PriceProvider, PriceSource};
use frame_support::assert_ok;

/// `operator` reports `p` for `asset` in the current block.
fn report(operator: AccountId, asset: u32, p: u32) {
	assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(operator), asset, price(p)));
}

#[test]
fn lower_median_table() {
	let cases: Vec<(Vec<u32>, Option<u32>, &str)> = vec![
		(vec![], None, "no values"),
		(vec![7], Some(7), "one value"),
		(vec![1, 2], Some(1), "even: lower of the two middles"),
		(vec![3, 1, 2], Some(2), "odd, unsorted"),
		(vec![40, 10, 30, 20], Some(20), "even, unsorted"),
		(vec![5, 5, 5, 1], Some(5), "ties"),
		(vec![1, 1_000_000, 2, 3, 4], Some(3), "an outlier does not move the median"),
	];
	for (values, expected, description) in cases {
		let mut prices: Vec<Price> = values.into_iter().map(price).collect();
		assert_eq!(lower_median(&mut prices), expected.map(price), "{description}");
	}
}

#[test]
fn median_of_an_odd_count() {
	ExtBuilder::default().with_min_feeds(3).build_and_execute(|| {
		report(alice(), BTC, 10);
		report(bob(), BTC, 30);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::TooFewFeeds));
		report(charlie(), BTC, 20);
		assert_eq!(Oracle::current_price(BTC), Ok(price(20)));
	});
}

#[test]
fn median_of_an_even_count_is_the_lower_middle() {
	ExtBuilder::default()
		.with_operators(vec![alice(), bob(), charlie(), dave()])
		.with_min_feeds(2)
		.build_and_execute(|| {
			report(alice(), BTC, 40);
			report(bob(), BTC, 10);
			report(charlie(), BTC, 30);
			report(dave(), BTC, 20);
			// Not 25 (the mean of 20 and 30): an actually reported value.
			assert_eq!(Oracle::current_price(BTC), Ok(price(20)));
		});
}

#[test]
fn stale_feeds_are_left_out() {
	// MaxAge = 10: a feed from block b counts up to block b + 10.
	ExtBuilder::default().build_and_execute(|| {
		report(alice(), BTC, 100);
		run_to_block(5);
		report(bob(), BTC, 300);
		run_to_block(11);
		// Both fresh (ages 10 and 6): lower median of {100, 300}.
		assert_eq!(Oracle::current_price(BTC), Ok(price(100)));
		run_to_block(12);
		// Alice's feed is 11 blocks old: only Bob's counts.
		assert_eq!(Oracle::current_price(BTC), Ok(price(300)));
	});
}

#[test]
fn max_age_zero_counts_only_feeds_of_the_current_block() {
	ExtBuilder::default().with_max_age(0).build_and_execute(|| {
		report(alice(), BTC, 100);
		assert_eq!(Oracle::current_price(BTC), Ok(price(100)));
		run_to_block(2);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::Stale));
	});
}

#[test]
fn price_is_stale_when_enough_feeds_exist_but_too_few_are_fresh() {
	ExtBuilder::default().with_min_feeds(2).build_and_execute(|| {
		report(alice(), BTC, 100);
		report(bob(), BTC, 101);
		assert_eq!(Oracle::current_price(BTC), Ok(price(100)));
		run_to_block(12);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::Stale));
		// One fresh feed is still too few; the old one is not reused.
		report(alice(), BTC, 200);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::Stale));
		report(bob(), BTC, 201);
		assert_eq!(Oracle::current_price(BTC), Ok(price(200)));
	});
}

#[test]
fn price_has_too_few_feeds_when_fewer_than_min_feeds_exist() {
	ExtBuilder::default().with_min_feeds(2).build_and_execute(|| {
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::TooFewFeeds));
		report(alice(), BTC, 100);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::TooFewFeeds));
		run_to_block(100);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::TooFewFeeds));
	});
}

#[test]
fn price_of_an_unlisted_asset_is_unknown() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Oracle::current_price(DOT), Err(PriceError::Unknown));
		assert_eq!(<Oracle as PriceProvider<u32>>::price(DOT), Err(PriceError::Unknown));
	});
}

#[test]
fn provider_price_is_the_median_and_emits_its_source() {
	ExtBuilder::default().build_and_execute(|| {
		report(alice(), BTC, 600);
		events_since_last_call();
		assert_eq!(<Oracle as PriceProvider<u32>>::price(BTC), Ok(price(600)));
		assert_eq!(
			events_since_last_call(),
			vec![Event::PriceResolved {
				asset: BTC,
				price: price(600),
				source: PriceSource::Median
			}]
		);
	});
}

#[test]
fn view_function_reads_without_events() {
	ExtBuilder::default().build_and_execute(|| {
		report(alice(), BTC, 600);
		events_since_last_call();
		assert_eq!(Oracle::current_price(BTC), Ok(price(600)));
		assert_eq!(Oracle::feeds_of(BTC).len(), 1);
		assert_eq!(Oracle::operators(), vec![alice(), bob(), charlie()]);
		assert!(events_since_last_call().is_empty());
	});
}

#[test]
fn provider_price_never_falls_back() {
	ExtBuilder::default().build_and_execute(|| {
		TwapPrice::set(Some(price(555)));
		report(alice(), BTC, 600);
		run_to_block(20);
		events_since_last_call();
		assert_eq!(<Oracle as PriceProvider<u32>>::price(BTC), Err(PriceError::Stale));
		assert!(TwapCalls::get().is_empty(), "price() must not even ask for a TWAP");
		assert!(events_since_last_call().is_empty());
	});
}

#[test]
fn price_or_twap_prefers_the_median() {
	ExtBuilder::default().build_and_execute(|| {
		TwapPrice::set(Some(price(555)));
		report(alice(), BTC, 600);
		events_since_last_call();
		assert_eq!(
			<Oracle as PriceProvider<u32>>::price_or_twap(BTC),
			Ok((price(600), PriceSource::Median))
		);
		assert!(TwapCalls::get().is_empty());
		assert_eq!(
			events_since_last_call(),
			vec![Event::PriceResolved {
				asset: BTC,
				price: price(600),
				source: PriceSource::Median
			}]
		);
	});
}

#[test]
fn price_or_twap_falls_back_when_feeds_are_stale() {
	ExtBuilder::default().build_and_execute(|| {
		TwapPrice::set(Some(price(555)));
		report(alice(), BTC, 600);
		run_to_block(20);
		events_since_last_call();
		assert_eq!(
			<Oracle as PriceProvider<u32>>::price_or_twap(BTC),
			Ok((price(555), PriceSource::Twap))
		);
		assert_eq!(TwapCalls::get(), vec![(BTC, TWAP_WINDOW)]);
		assert_eq!(
			events_since_last_call(),
			vec![Event::PriceResolved { asset: BTC, price: price(555), source: PriceSource::Twap }]
		);
	});
}

#[test]
fn price_or_twap_falls_back_when_too_few_feeds() {
	ExtBuilder::default().with_min_feeds(2).build_and_execute(|| {
		TwapPrice::set(Some(price(555)));
		report(alice(), BTC, 600);
		assert_eq!(
			<Oracle as PriceProvider<u32>>::price_or_twap(BTC),
			Ok((price(555), PriceSource::Twap))
		);
	});
}

#[test]
fn price_or_twap_returns_the_median_error_without_a_twap() {
	ExtBuilder::default().with_min_feeds(2).build_and_execute(|| {
		report(alice(), BTC, 600);
		assert_eq!(
			<Oracle as PriceProvider<u32>>::price_or_twap(BTC),
			Err(PriceError::TooFewFeeds)
		);
		report(bob(), BTC, 600);
		run_to_block(20);
		assert_eq!(<Oracle as PriceProvider<u32>>::price_or_twap(BTC), Err(PriceError::Stale));
		// A zero TWAP is no price either.
		TwapPrice::set(Some(price(0)));
		assert_eq!(<Oracle as PriceProvider<u32>>::price_or_twap(BTC), Err(PriceError::Stale));
		assert!(events_since_last_call().iter().all(|e| !matches!(e, Event::PriceResolved { .. })));
	});
}

#[test]
fn price_or_twap_has_no_fallback_for_unlisted_assets() {
	ExtBuilder::default().build_and_execute(|| {
		TwapPrice::set(Some(price(555)));
		assert_eq!(<Oracle as PriceProvider<u32>>::price_or_twap(DOT), Err(PriceError::Unknown));
		assert!(TwapCalls::get().is_empty());
	});
}
