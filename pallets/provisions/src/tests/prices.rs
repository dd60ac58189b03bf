//! `update_prices`: validation and re-sorting of pools.

use crate::{mock::*, Error, Event, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok};

#[test]
fn update_prices_resorts_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let a = running(1, 11, 8_192, vec![service(ServiceKind::Inference, 100)]);
		let b = running(2, 12, 8_192, vec![service(ServiceKind::Inference, 200)]);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(a, 100), (b, 200)]
		);
		assert_ok!(Provisions::update_prices(
			RuntimeOrigin::signed(2),
			b,
			vec![(ServiceKind::Inference, 50)]
		));
		System::assert_last_event(Event::PricesUpdated { id: b }.into());
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(b, 50), (a, 100)]
		);
	});
}

#[test]
fn update_prices_of_a_draft_does_not_touch_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register_with(
			1,
			0,
			vec![service(ServiceKind::Rental, 5), service(ServiceKind::Container, 6)],
		);
		assert_ok!(Provisions::update_prices(
			RuntimeOrigin::signed(1),
			id,
			vec![(ServiceKind::Container, 9), (ServiceKind::Rental, 8)]
		));
		let p = crate::Provisions::<Test>::get(id).unwrap();
		assert_eq!(p.price_of(ServiceKind::Rental), Some(8));
		assert_eq!(p.price_of(ServiceKind::Container), Some(9));
		assert_eq!(crate::PoolOf::<Test>::iter().count(), 0);
	});
}

#[test]
fn update_prices_fails_on_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		let go = |who, prices| Provisions::update_prices(RuntimeOrigin::signed(who), id, prices);
		assert_noop!(
			Provisions::update_prices(RuntimeOrigin::signed(1), [9; 32], vec![]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(go(2, vec![(ServiceKind::Inference, 1)]), Error::<Test>::NotProvider);
		assert_noop!(go(1, vec![]), Error::<Test>::NoServices);
		assert_noop!(go(1, vec![(ServiceKind::Inference, 1); 8]), Error::<Test>::TooManyServices);
		assert_noop!(go(1, vec![(ServiceKind::Inference, 0)]), Error::<Test>::PriceZero);
		assert_noop!(go(1, vec![(ServiceKind::Rental, 1)]), Error::<Test>::ServiceNotOffered);
		// A bad entry after a good one reverts both.
		assert_noop!(
			go(1, vec![(ServiceKind::Inference, 7), (ServiceKind::Rental, 1)]),
			Error::<Test>::ServiceNotOffered
		);
	});
}

#[test]
fn prices_above_the_ceiling_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let over = vec![service(ServiceKind::WebScraping, SCRAPING_CEILING + 1)];
		assert_noop!(
			Provisions::register_provision(
				RuntimeOrigin::signed(1),
				spec(0),
				over,
				endpoint(),
				None,
				1
			),
			Error::<Test>::PriceAboveCeiling
		);
		// At the ceiling is fine, and the ceiling is per tier: a Blue Surge machine has none.
		let id = register_with(1, 0, vec![service(ServiceKind::WebScraping, SCRAPING_CEILING)]);
		let big = register_with(1, 8_192, vec![service(ServiceKind::WebScraping, 10_000)]);
		assert_noop!(
			Provisions::update_prices(
				RuntimeOrigin::signed(1),
				id,
				vec![(ServiceKind::WebScraping, SCRAPING_CEILING + 1)]
			),
			Error::<Test>::PriceAboveCeiling
		);
		assert_ok!(Provisions::update_prices(
			RuntimeOrigin::signed(1),
			big,
			vec![(ServiceKind::WebScraping, 20_000)]
		));
	});
}
