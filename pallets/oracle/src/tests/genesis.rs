//! Genesis: operators and feed sources from the chain spec.

use crate::{mock::*, FeedSourceOf, Operators};

#[test]
fn genesis_stores_operators_and_feed_sources() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Operators::<Test>::get().into_inner(), vec![alice(), bob(), charlie()]);
		assert_eq!(FeedSourceOf::<Test>::count(), 2);
		let btc = FeedSourceOf::<Test>::get(BTC).unwrap();
		assert_eq!(btc.url.into_inner(), BTC_URL.as_bytes().to_vec());
		assert_eq!(btc.path.into_inner(), b"data.price".to_vec());
		assert_eq!(btc.scale, -2);
		// Genesis emits no events.
		assert!(System::events().is_empty());
	});
}

#[test]
#[should_panic(expected = "invalid genesis operator")]
fn genesis_rejects_a_duplicate_operator() {
	ExtBuilder::default().with_operators(vec![alice(), alice()]).build();
}

#[test]
#[should_panic(expected = "invalid genesis operator")]
fn genesis_rejects_too_many_operators() {
	ExtBuilder::default().with_operators((1..=6).map(account).collect()).build();
}

#[test]
#[should_panic(expected = "invalid genesis feed source for asset 3")]
fn genesis_rejects_an_invalid_feed_source() {
	ExtBuilder::default().with_feed_sources(vec![(DOT, b"ftp://x".to_vec(), vec![], 0)]).build();
}

#[test]
#[should_panic(expected = "duplicate genesis feed source for asset 1")]
fn genesis_rejects_a_duplicate_feed_source() {
	let source = (BTC, BTC_URL.as_bytes().to_vec(), vec![], 0);
	ExtBuilder::default().with_feed_sources(vec![source.clone(), source]).build();
}
