//! The invariants: they hold after every call, and `try_state` catches them when broken.

use crate::{mock::*, Feed, FeedsOf, Operators};
use frame_support::{assert_ok, traits::Hooks, BoundedVec};

/// Run `break_it`, check that `try_state` fails with `message`, then undo with `fix_it`.
fn assert_caught(break_it: impl FnOnce(), message: &'static str, fix_it: impl FnOnce()) {
	assert_ok!(Oracle::do_try_state());
	break_it();
	assert_eq!(Oracle::do_try_state(), Err(message.into()));
	fix_it();
	assert_ok!(Oracle::do_try_state());
}

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(Oracle::integrity_test);
}

#[test]
fn try_state_catches_a_feed_from_a_non_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				let feed = Feed { operator: dave(), price: price(1), at: 1 };
				FeedsOf::<Test>::insert(BTC, BoundedVec::truncate_from(vec![feed]));
			},
			"feed from an account that is not an operator",
			|| FeedsOf::<Test>::remove(BTC),
		);
	});
}

#[test]
fn try_state_catches_a_feed_left_by_a_removed_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(1)));
		assert_caught(
			// Remove the operator behind the pallet's back, leaving its feed.
			|| Operators::<Test>::put(BoundedVec::truncate_from(vec![bob(), charlie()])),
			"feed from an account that is not an operator",
			|| Operators::<Test>::put(BoundedVec::truncate_from(vec![alice(), bob(), charlie()])),
		);
	});
}

#[test]
fn try_state_catches_a_feed_from_the_future() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				let feed = Feed { operator: alice(), price: price(1), at: 2 };
				FeedsOf::<Test>::insert(BTC, BoundedVec::truncate_from(vec![feed]));
			},
			"feed from a future block",
			|| FeedsOf::<Test>::remove(BTC),
		);
	});
}

#[test]
fn try_state_catches_a_zero_price() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				let feed = Feed { operator: alice(), price: price(0), at: 1 };
				FeedsOf::<Test>::insert(BTC, BoundedVec::truncate_from(vec![feed]));
			},
			"feed with a zero price",
			|| FeedsOf::<Test>::remove(BTC),
		);
	});
}

#[test]
fn try_state_catches_two_feeds_of_one_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				let feed = Feed { operator: alice(), price: price(1), at: 1 };
				FeedsOf::<Test>::insert(BTC, BoundedVec::truncate_from(vec![feed.clone(), feed]));
			},
			"two feeds of one operator for one asset",
			|| FeedsOf::<Test>::remove(BTC),
		);
	});
}

#[test]
fn try_state_catches_a_duplicate_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| Operators::<Test>::put(BoundedVec::truncate_from(vec![alice(), alice()])),
			"duplicate operator",
			|| Operators::<Test>::put(BoundedVec::truncate_from(vec![alice(), bob(), charlie()])),
		);
	});
}

#[test]
fn try_state_catches_feeds_of_an_unlisted_asset() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| {
				let feed = Feed { operator: alice(), price: price(1), at: 1 };
				FeedsOf::<Test>::insert(DOT, BoundedVec::truncate_from(vec![feed]));
			},
			"feeds of an asset that is not listed",
			|| FeedsOf::<Test>::remove(DOT),
		);
	});
}

#[test]
fn try_state_catches_an_empty_feed_list() {
	ExtBuilder::default().build_and_execute(|| {
		assert_caught(
			|| FeedsOf::<Test>::insert(BTC, BoundedVec::truncate_from(vec![])),
			"empty feed list stored",
			|| FeedsOf::<Test>::remove(BTC),
		);
	});
}
