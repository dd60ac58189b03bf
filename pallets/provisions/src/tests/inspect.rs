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
