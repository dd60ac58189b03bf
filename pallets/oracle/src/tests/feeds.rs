//! `submit_price`.

use crate::{mock::*, Error, Event, Feed, FeedsOf};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_runtime::DispatchError;

#[test]
fn submit_price_works_and_is_free() {
	ExtBuilder::default().build_and_execute(|| {
		let info = Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(
			Event::PriceSubmitted { asset: BTC, operator: alice(), price: price(600) }.into(),
		);
		assert_eq!(
			FeedsOf::<Test>::get(BTC).into_inner(),
			vec![Feed { operator: alice(), price: price(600), at: 1 }]
		);
	});
}

#[test]
fn submit_price_replaces_the_previous_feed_in_a_later_block() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)));
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(bob()), BTC, price(601)));
		run_to_block(2);
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(610)));
		assert_eq!(
			FeedsOf::<Test>::get(BTC).into_inner(),
			vec![
				Feed { operator: alice(), price: price(610), at: 2 },
				Feed { operator: bob(), price: price(601), at: 1 },
			]
		);
	});
}

#[test]
fn submit_price_keeps_assets_apart() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)));
		// Same operator, same block, other asset: not a duplicate.
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), ETH, price(3)));
		assert_eq!(FeedsOf::<Test>::get(ETH).len(), 1);
	});
}

#[test]
fn submit_price_fails_when_not_signed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::root(), BTC, price(1)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn submit_price_fails_when_not_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(dave()), BTC, price(1)),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn submit_price_fails_when_asset_is_not_listed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(alice()), DOT, price(1)),
			Error::<Test>::UnknownAsset
		);
	});
}

#[test]
fn submit_price_fails_when_price_is_zero() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(0)),
			Error::<Test>::ZeroPrice
		);
	});
}

#[test]
fn submit_price_fails_when_already_reported_in_this_block() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(600)));
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(601)),
			Error::<Test>::DuplicateFeed
		);
		// Failed reports pay the fee.
		let error =
			Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(601)).unwrap_err();
		assert_eq!(error.post_info.pays_fee, Pays::Yes);
	});
}
