//! `set_services`: replacing the offer, moving a running provision between pools.

use crate::{mock::*, Error, Event, ServiceInput, ServiceKind, Tier};
use cxmpute_primitives::ProvisionsInspect;
use frame_support::{assert_noop, assert_ok};

fn inference(price: u128, models: Vec<[u8; 32]>) -> ServiceInput {
	ServiceInput { kind: ServiceKind::Inference, price, models }
}

#[test]
fn set_services_moves_a_running_provision_between_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let other = running(2, 12, 8_192, vec![service(ServiceKind::Inference, 95)]);
		let id = running(1, 11, 8_192, vec![inference(100, vec![[1; 32]])]);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(other, 95), (id, 100)]
		);
		// New model and a cheaper price for Inference, Embeddings added.
		assert_ok!(Provisions::set_services(
			RuntimeOrigin::signed(1),
			id,
			vec![service(ServiceKind::Embeddings, 20), inference(90, vec![[2; 32], [3; 32]])]
		));
		System::assert_last_event(Event::ServicesUpdated { id }.into());
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(id, 90), (other, 95)]
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Embeddings, Tier::BlueSurge, 5),
			vec![(id, 20)]
		);
		assert!(!<Provisions as ProvisionsInspect<AccountId>>::offers_model(&id, &[1; 32]));
		assert!(<Provisions as ProvisionsInspect<AccountId>>::offers_model(&id, &[3; 32]));
		// Inference dropped: the provision leaves that pool and keeps Embeddings.
		assert_ok!(Provisions::set_services(
			RuntimeOrigin::signed(1),
			id,
			vec![service(ServiceKind::Embeddings, 25)]
		));
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(other, 95)]
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Embeddings, Tier::BlueSurge, 5),
			vec![(id, 25)]
		);
		assert_eq!(
			<Provisions as ProvisionsInspect<AccountId>>::price_of(&id, ServiceKind::Inference),
			None
		);
	});
}

#[test]
fn set_services_of_a_draft_does_not_touch_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register_with(1, 0, vec![service(ServiceKind::Rental, 5)]);
		assert_ok!(Provisions::set_services(
			RuntimeOrigin::signed(1),
			id,
			vec![service(ServiceKind::Container, 6)]
		));
		let p = crate::Provisions::<Test>::get(id).unwrap();
		assert_eq!(p.price_of(ServiceKind::Container), Some(6));
		assert_eq!(p.price_of(ServiceKind::Rental), None);
		assert_eq!(crate::PoolOf::<Test>::iter().count(), 0);
	});
}

#[test]
fn set_services_fails_on_bad_input_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 0, vec![service(ServiceKind::Inference, 100)]);
		let go = |who, services| Provisions::set_services(RuntimeOrigin::signed(who), id, services);
		assert_noop!(
			Provisions::set_services(RuntimeOrigin::signed(1), [9; 32], vec![]),
			Error::<Test>::UnknownProvision
		);
		assert_noop!(go(2, vec![service(ServiceKind::Rental, 1)]), Error::<Test>::NotProvider);
		assert_noop!(go(1, vec![]), Error::<Test>::NoServices);
		assert_noop!(
			go(1, vec![service(ServiceKind::Rental, 1), service(ServiceKind::Rental, 2)]),
			Error::<Test>::DuplicateService
		);
		assert_noop!(go(1, vec![service(ServiceKind::Rental, 0)]), Error::<Test>::PriceZero);
		assert_noop!(
			go(
				1,
				vec![ServiceInput { kind: ServiceKind::Rental, price: 1, models: vec![[1; 32]] }]
			),
			Error::<Test>::BadModels
		);
		assert_noop!(go(1, vec![inference(1, vec![[1; 32]; 5])]), Error::<Test>::BadModels);
		assert_noop!(
			go(1, vec![service(ServiceKind::WebScraping, SCRAPING_CEILING + 1)]),
			Error::<Test>::PriceAboveCeiling
		);
	});
}

#[test]
fn a_full_pool_reverts_the_whole_change() {
	ExtBuilder::default().build_and_execute(|| {
		// Four (MaxPoolSize) running Container provisions fill that pool.
		for p in 0..4u64 {
			running(20 + p, 30 + p, 8_192, vec![service(ServiceKind::Container, 10 + p as u128)]);
		}
		let id = running(1, 11, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_noop!(
			Provisions::set_services(
				RuntimeOrigin::signed(1),
				id,
				vec![service(ServiceKind::Inference, 50), service(ServiceKind::Container, 1)]
			),
			Error::<Test>::PoolFull
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5),
			vec![(id, 100)]
		);
	});
}
