//! The `(service, tier)` pools: ordering, membership and `PoolFull`.

use crate::{mock::*, Error, PoolOf, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok};

#[test]
fn pools_are_cheapest_first_with_ties_by_id() {
	ExtBuilder::default().build_and_execute(|| {
		let a = running(1, 11, 8_192, vec![service(ServiceKind::Inference, 300)]);
		let b = running(2, 12, 8_192, vec![service(ServiceKind::Inference, 100)]);
		let c = running(3, 13, 8_192, vec![service(ServiceKind::Inference, 200)]);
		let d = running(4, 14, 8_192, vec![service(ServiceKind::Inference, 100)]);
		let (lo, hi) = if b < d { (b, d) } else { (d, b) };
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 10),
			vec![(lo, 100), (hi, 100), (c, 200), (a, 300)]
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 2),
			vec![(lo, 100), (hi, 100)]
		);
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 0).is_empty());
	});
}

#[test]
fn provisions_join_only_their_services_and_tier() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(
			1,
			10,
			24_576,
			vec![service(ServiceKind::Rental, 50), service(ServiceKind::Inference, 70)],
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Rental, Tier::MarianaDepth, 5),
			vec![(id, 50)]
		);
		assert_eq!(
			Provisions::cheapest(ServiceKind::Inference, Tier::MarianaDepth, 5),
			vec![(id, 70)]
		);
		assert!(Provisions::cheapest(ServiceKind::Rental, Tier::OpenOcean, 5).is_empty());
		assert!(Provisions::cheapest(ServiceKind::Embeddings, Tier::MarianaDepth, 5).is_empty());
		assert_eq!(PoolOf::<Test>::iter().count(), 2);
	});
}

#[test]
fn first_heartbeat_fails_when_pool_full() {
	ExtBuilder::default().build_and_execute(|| {
		// MaxPoolSize = 4.
		for p in 1..=4u64 {
			running(p, 10 + p, 8_192, vec![service(ServiceKind::Inference, 100)]);
		}
		let id = register(5);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(5), id, 15));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(5), id));
		assert_noop!(Provisions::heartbeat(RuntimeOrigin::signed(15), id), Error::<Test>::PoolFull);
		// Another tier has its own pool.
		running(6, 16, 4_096, vec![service(ServiceKind::Inference, 100)]);
		// Once a slot frees up, the provision gets in.
		let first = Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 1)[0].0;
		let owner = crate::Provisions::<Test>::get(first).unwrap().provider;
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(owner), first));
		assert_ok!(Provisions::heartbeat(RuntimeOrigin::signed(15), id));
		assert_eq!(state(id), crate::ProvisionState::Running);
	});
}

#[test]
fn a_failed_join_leaves_no_partial_pool_entries() {
	ExtBuilder::default().build_and_execute(|| {
		for p in 1..=4u64 {
			running(p, 10 + p, 8_192, vec![service(ServiceKind::Rental, 100)]);
		}
		let id = register_with(
			5,
			8_192,
			vec![service(ServiceKind::Inference, 1), service(ServiceKind::Rental, 1)],
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(5), id, 15));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(5), id));
		// Inference joins first, then Rental is full: the whole call reverts.
		assert_noop!(Provisions::heartbeat(RuntimeOrigin::signed(15), id), Error::<Test>::PoolFull);
		assert!(Provisions::cheapest(ServiceKind::Inference, Tier::BlueSurge, 5).is_empty());
	});
}
