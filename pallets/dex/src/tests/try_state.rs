//! `try_state` detects broken invariants.

use super::mock::*;
use crate::{Books, ExpiriesAt, Levels, Orders, Reserves, Side};

fn broken(setup: impl FnOnce(crate::OrderId), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		limit(BOB, Side::Ask, price(3), 10).unwrap();
		let id = limit_on(BTC_USD, ALICE, Side::Ask, price(2), 10, Some(50)).unwrap();
		limit(CHARLIE, Side::Ask, price(2), 10).unwrap();
		assert!(Dex::do_try_state().is_ok());
		setup(id);
		let err = Dex::do_try_state().expect_err("invariant must be broken");
		assert_eq!(err, sp_runtime::TryRuntimeError::Other(expected), "{expected}");
	});
}

#[test]
fn try_state_detects_reserve_mismatch() {
	broken(
		|_| Reserves::<Test>::insert(BTC, 31),
		"reserves differ from the orders' locked amounts",
	);
}

#[test]
fn try_state_detects_underfunded_pallet_account() {
	broken(
		|_| {
			use frame_support::traits::{fungibles::Mutate, tokens::Preservation};
			<Assets as Mutate<AccountId>>::transfer(
				BTC,
				&dex_account(),
				&ALICE,
				1,
				Preservation::Expendable,
			)
			.unwrap();
		},
		"pallet account holds less than the reserves",
	);
}

#[test]
fn try_state_detects_zero_remaining() {
	broken(
		|id| Orders::<Test>::mutate(id, |o| o.as_mut().unwrap().remaining = 0),
		"order with zero remaining",
	);
}

#[test]
fn try_state_detects_broken_links() {
	broken(
		|id| Orders::<Test>::mutate(id, |o| o.as_mut().unwrap().next = None),
		"level tail wrong",
	);
	broken(
		|_| Books::<Test>::mutate((BTC_USD, Side::Ask), |b| b.best = Some(price(3))),
		"level prev link broken",
	);
	broken(
		|_| Books::<Test>::mutate((BTC_USD, Side::Ask), |b| b.levels = 3),
		"book level count wrong",
	);
	broken(
		|_| {
			Levels::<Test>::mutate((BTC_USD, Side::Ask), price(2), |l| l.as_mut().unwrap().open = 1)
		},
		"level open amount wrong",
	);
}

#[test]
fn try_state_detects_expiry_queue_errors() {
	broken(|_| ExpiriesAt::<Test>::remove(50), "an order with an expiry is not queued");
	broken(
		|_| ExpiriesAt::<Test>::insert(60, frame_support::BoundedVec::truncate_from(vec![99])),
		"expiry queue holds a closed order",
	);
}
