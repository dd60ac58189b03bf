//! `ProvisionsInspect` for the pallet.

use crate::{mock::*, ProvisionsInspect, ServiceKind, Tier};
use frame_support::assert_ok;

type Inspect = Provisions;

#[test]
fn inspect_reads_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 22_528, vec![service(ServiceKind::Embeddings, 42)]);
		assert!(<Inspect as ProvisionsInspect<_>>::is_running(&id));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::provider_of(&id), Some(1));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::worker_of(&id), Some(10));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::tier_of(&id), Some(Tier::OpenOcean));
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::price_of(&id, ServiceKind::Embeddings),
			Some(42)
		);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::price_of(&id, ServiceKind::Rental), None);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::capacity(&id), Some(2));
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::cheapest(
				ServiceKind::Embeddings,
				Tier::OpenOcean,
				1
			),
			vec![(id, 42)]
		);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), id));
		assert!(!<Inspect as ProvisionsInspect<_>>::is_running(&id));
		let unknown = [9; 32];
		assert!(!<Inspect as ProvisionsInspect<_>>::is_running(&unknown));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::provider_of(&unknown), None);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::worker_of(&unknown), None);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::tier_of(&unknown), None);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::capacity(&unknown), None);
	});
}

#[test]
fn view_functions_read_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_eq!(
			Provisions::cheapest_provisions(ServiceKind::Inference, Tier::BlueSurge, 3),
			vec![(id, 100)]
		);
		assert_eq!(Provisions::provision(id).map(|p| p.provider), Some(1));
		assert_eq!(Provisions::provisions_of(1), vec![id]);
		assert_eq!(Provisions::provision_of_worker(10), Some(id));
		assert_eq!(Provisions::did_of(id), Provisions::did(&id).into_bytes());
	});
}

#[test]
fn highest_active_tier_reads_only_active_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(<Inspect as ProvisionsInspect<_>>::highest_active_tier(&1), None);
		let small = running(1, 10, 4_096, vec![service(ServiceKind::Embeddings, 5)]);
		let big = register_with(1, 81_920, vec![service(ServiceKind::Inference, 50)]);
		// A registered but not started provision does not count.
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::highest_active_tier(&1),
			Some(Tier::TidePool)
		);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), big, 11));
		assert_ok!(Provisions::start_provision(RuntimeOrigin::signed(1), big));
		// `Started` counts: its stake must stay bonded until it stops.
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::highest_active_tier(&1),
			Some(Tier::MarianaDepth)
		);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), big));
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::highest_active_tier(&1),
			Some(Tier::TidePool)
		);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), small));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::highest_active_tier(&1), None);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::highest_active_tier(&2), None);
	});
}

#[test]
fn health_endpoint_returns_the_registered_url() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::health_endpoint(&id), Some(endpoint()));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::health_endpoint(&[7; 32]), None);
	});
}

#[test]
fn running_page_rotates_through_live_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		let mut live = vec![
			running(1, 10, 0, vec![service(ServiceKind::Embeddings, 1)]),
			running(2, 20, 0, vec![service(ServiceKind::Embeddings, 2)]),
			running(3, 30, 0, vec![service(ServiceKind::Embeddings, 3)]),
		];
		// Not live: never started.
		let _draft = register(4);
		// Walk pages of 2 until the cursor wraps; every live provision is seen exactly once.
		let mut seen = Vec::new();
		let mut cursor = None;
		for _ in 0..10 {
			let (page, next) = <Inspect as ProvisionsInspect<_>>::running_page(cursor, 2);
			assert!(page.len() <= 2);
			seen.extend(page);
			match next {
				Some(c) => cursor = Some(c),
				None => break,
			}
		}
		seen.sort();
		live.sort();
		assert_eq!(seen, live);
		// After the heartbeat deadline passes nothing is live any more.
		run_to_block(100);
		assert_eq!(
			<Inspect as ProvisionsInspect<_>>::running_page(None, 8).0,
			Vec::<[u8; 32]>::new()
		);
	});
}

#[test]
fn inspect_reads_models_hardware_and_running_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		let model = [7u8; 32];
		let inference =
			crate::ServiceInput { kind: ServiceKind::Inference, price: 5, models: vec![model] };
		let a = running(1, 10, 8_192, vec![inference]);
		assert!(<Inspect as ProvisionsInspect<_>>::offers_model(&a, &model));
		assert!(!<Inspect as ProvisionsInspect<_>>::offers_model(&a, &[8u8; 32]));
		assert!(!<Inspect as ProvisionsInspect<_>>::offers_model(&[9; 32], &model));
		let hw = <Inspect as ProvisionsInspect<_>>::hardware_of(&a).unwrap();
		assert_eq!(hw.vram_mb, 8_192);
		assert_eq!(hw, crate::HardwareSummary { vram_mb: 8_192, ..hw });
		assert_eq!(<Inspect as ProvisionsInspect<_>>::hardware_of(&[9; 32]), None);

		// Each running provision adds its capacity (2 in the mock); going off removes it.
		assert_eq!(<Inspect as ProvisionsInspect<_>>::running_capacity(), 2);
		let b = running(2, 11, 0, vec![service(ServiceKind::Embeddings, 3)]);
		assert_eq!(<Inspect as ProvisionsInspect<_>>::running_capacity(), 4);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), a));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::running_capacity(), 2);
		// Missing heartbeats turn `b` off through the hook.
		run_to_block(System::block_number() + 10);
		assert!(!<Inspect as ProvisionsInspect<_>>::is_running(&b));
		assert_eq!(<Inspect as ProvisionsInspect<_>>::running_capacity(), 0);
	});
}
