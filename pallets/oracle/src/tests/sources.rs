//! `set_feed_source` and `remove_feed_source`.

use crate::{mock::*, Error, Event, FeedSource, FeedSourceOf, FeedsOf, PriceError};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::DispatchError;

const DOT_URL: &[u8] = b"https://prices.example/dot?vs=usd";

fn set(asset: u32, url: &[u8], path: &[u8], scale: i8) -> sp_runtime::DispatchResult {
	Oracle::set_feed_source(RuntimeOrigin::root(), asset, url.to_vec(), path.to_vec(), scale)
}

#[test]
fn set_feed_source_lists_an_asset() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(DOT, DOT_URL, b"polkadot.usd", -4));
		let source = FeedSource {
			url: BoundedVec::truncate_from(DOT_URL.to_vec()),
			path: BoundedVec::truncate_from(b"polkadot.usd".to_vec()),
			scale: -4,
		};
		System::assert_last_event(
			Event::FeedSourceSet { asset: DOT, source: source.clone() }.into(),
		);
		assert_eq!(FeedSourceOf::<Test>::get(DOT), Some(source));
		assert_eq!(FeedSourceOf::<Test>::count(), 3);
		// Listed, no feeds yet.
		assert_eq!(Oracle::current_price(DOT), Err(PriceError::TooFewFeeds));
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), DOT, price(7)));
	});
}

#[test]
fn set_feed_source_replaces_a_source_and_keeps_feeds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(DOT, DOT_URL, b"", 0));
		// The set is now full (MaxAssets = 3), but changing a listed asset's source is allowed.
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)));
		assert_ok!(set(BTC, b"http://other.example/btc", b"last", 0));
		assert_eq!(
			FeedSourceOf::<Test>::get(BTC).unwrap().url.into_inner(),
			b"http://other.example/btc".to_vec()
		);
		assert_eq!(FeedSourceOf::<Test>::count(), 3);
		assert_eq!(FeedsOf::<Test>::get(BTC).len(), 1);
	});
}

#[test]
fn set_feed_source_accepts_the_extreme_scales_and_an_empty_path() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(BTC, DOT_URL, b"", 18));
		assert_ok!(set(BTC, DOT_URL, b"", -18));
	});
}

#[test]
fn set_feed_source_fails_when_not_update_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::set_feed_source(
				RuntimeOrigin::signed(alice()),
				DOT,
				DOT_URL.to_vec(),
				vec![],
				0
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_feed_source_fails_when_url_too_long() {
	ExtBuilder::default().build_and_execute(|| {
		let mut url = b"https://".to_vec();
		url.resize(129, b'a'); // MaxUrlLen = 128
		assert_noop!(set(DOT, &url, b"", 0), Error::<Test>::UrlTooLong);
		url.truncate(128);
		assert_ok!(set(DOT, &url, b"", 0));
	});
}

#[test]
fn set_feed_source_fails_when_url_invalid() {
	ExtBuilder::default().build_and_execute(|| {
		for url in [
			&b"ftp://prices.example/dot"[..],
			b"prices.example/dot",
			b"https://",
			b"http://",
			b"https://prices.example/ dot",
			b"https://prices.example/\ndot",
			b"https://prices.example/\xff",
			b"",
		] {
			assert_noop!(set(DOT, url, b"", 0), Error::<Test>::InvalidUrl);
		}
	});
}

#[test]
fn set_feed_source_fails_when_path_too_long() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(set(DOT, DOT_URL, &[b'a'; 33], 0), Error::<Test>::PathTooLong);
	});
}

#[test]
fn set_feed_source_fails_when_scale_out_of_range() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(set(DOT, DOT_URL, b"", 19), Error::<Test>::ScaleOutOfRange);
		assert_noop!(set(DOT, DOT_URL, b"", -19), Error::<Test>::ScaleOutOfRange);
	});
}

#[test]
fn set_feed_source_fails_when_too_many_assets() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set(DOT, DOT_URL, b"", 0));
		assert_noop!(set(4, DOT_URL, b"", 0), Error::<Test>::TooManyAssets);
	});
}

#[test]
fn remove_feed_source_delists_and_deletes_feeds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)));
		assert_ok!(Oracle::remove_feed_source(RuntimeOrigin::root(), BTC));
		System::assert_last_event(Event::FeedSourceRemoved { asset: BTC }.into());
		assert!(!FeedSourceOf::<Test>::contains_key(BTC));
		assert!(!FeedsOf::<Test>::contains_key(BTC));
		assert_eq!(FeedSourceOf::<Test>::count(), 1);
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::Unknown));
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)),
			Error::<Test>::UnknownAsset
		);
	});
}

#[test]
fn remove_feed_source_fails_when_not_update_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::remove_feed_source(RuntimeOrigin::signed(alice()), BTC),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn remove_feed_source_fails_when_asset_not_listed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::remove_feed_source(RuntimeOrigin::root(), DOT),
			Error::<Test>::UnknownAsset
		);
	});
}
