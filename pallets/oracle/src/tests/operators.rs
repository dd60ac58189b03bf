//! `add_operator` and `remove_operator`.

use crate::{mock::*, Error, Event, FeedsOf, Operators};
use frame_support::{assert_noop, assert_ok, traits::Get};
use sp_runtime::DispatchError;

fn operators() -> Vec<AccountId> {
	Operators::<Test>::get().into_inner()
}

#[test]
fn add_operator_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::add_operator(RuntimeOrigin::root(), dave()));
		System::assert_last_event(Event::OperatorAdded { who: dave() }.into());
		assert_eq!(operators(), vec![alice(), bob(), charlie(), dave()]);
		assert!(Oracle::is_operator(&dave()));
	});
}

#[test]
fn add_operator_fails_when_not_update_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::add_operator(RuntimeOrigin::signed(alice()), dave()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_operator_fails_when_already_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::add_operator(RuntimeOrigin::root(), bob()),
			Error::<Test>::AlreadyOperator
		);
	});
}

#[test]
fn add_operator_fails_when_set_is_full() {
	ExtBuilder::default().build_and_execute(|| {
		let max = <<Test as crate::Config>::MaxOperators as Get<u32>>::get();
		for n in 4..=max as u8 {
			assert_ok!(Oracle::add_operator(RuntimeOrigin::root(), account(n)));
		}
		assert_eq!(operators().len() as u32, max);
		assert_noop!(
			Oracle::add_operator(RuntimeOrigin::root(), account(100)),
			Error::<Test>::TooManyOperators
		);
	});
}

#[test]
fn remove_operator_works_and_deletes_its_feeds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(100)));
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(bob()), BTC, price(101)));
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(alice()), ETH, price(5)));

		assert_ok!(Oracle::remove_operator(RuntimeOrigin::root(), alice()));
		System::assert_last_event(Event::OperatorRemoved { who: alice(), feeds_removed: 2 }.into());
		assert_eq!(operators(), vec![bob(), charlie()]);
		let btc: Vec<_> = FeedsOf::<Test>::get(BTC).iter().map(|f| f.operator.clone()).collect();
		assert_eq!(btc, vec![bob()]);
		// Alice's was the only ETH feed: the entry is gone, not left empty.
		assert!(!FeedsOf::<Test>::contains_key(ETH));
	});
}

#[test]
fn remove_operator_refunds_weight_to_the_assets_visited() {
	ExtBuilder::default().build_and_execute(|| {
		use crate::WeightInfo;
		assert_ok!(Oracle::submit_price(RuntimeOrigin::signed(bob()), BTC, price(100)));
		let info = Oracle::remove_operator(RuntimeOrigin::root(), alice()).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::remove_operator(1)));
	});
}

#[test]
fn remove_operator_fails_when_not_update_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::remove_operator(RuntimeOrigin::signed(alice()), bob()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn remove_operator_fails_when_not_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Oracle::remove_operator(RuntimeOrigin::root(), dave()),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn removed_operator_can_no_longer_submit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Oracle::remove_operator(RuntimeOrigin::root(), alice()));
		assert_noop!(
			Oracle::submit_price(RuntimeOrigin::signed(alice()), BTC, price(1)),
			Error::<Test>::NotOperator
		);
	});
}
