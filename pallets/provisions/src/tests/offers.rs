//! Offer counters: which service kinds and inference models some registered provision offers,
//! whatever its state, so matching can refuse jobs nothing could serve.

use crate::{mock::*, ModelOffers, ServiceInput, ServiceKind, ServiceOffers};
use cxmpute_primitives::ProvisionsInspect;
use frame_support::assert_ok;

fn inference(models: Vec<[u8; 32]>) -> ServiceInput {
	ServiceInput { kind: ServiceKind::Inference, price: 100, models }
}

fn offered(kind: ServiceKind, model: Option<[u8; 32]>) -> bool {
	<Provisions as ProvisionsInspect<AccountId>>::is_offered(kind, model.as_ref())
}

#[test]
fn every_registered_provision_counts_in_any_state_until_deregistered() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!offered(ServiceKind::Embeddings, None));
		// A draft offers what it lists.
		let draft = register_with(1, 0, vec![service(ServiceKind::Embeddings, 20)]);
		assert!(offered(ServiceKind::Embeddings, None));
		assert!(!offered(ServiceKind::Inference, None));
		assert_eq!(ServiceOffers::<Test>::get(ServiceKind::Embeddings), Some(1));
		// A running one too, and each provision counts once.
		let running = running(2, 12, 8_192, vec![inference(vec![[7; 32]])]);
		assert_eq!(ServiceOffers::<Test>::get(ServiceKind::Inference), Some(1));
		assert!(offered(ServiceKind::Inference, Some([7; 32])));
		assert!(!offered(ServiceKind::Inference, Some([8; 32])), "another model is not offered");
		// Stopped (Off) it may come back: it still counts.
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(2), running));
		assert_eq!(state(running), crate::ProvisionState::Off);
		assert!(offered(ServiceKind::Inference, Some([7; 32])));
		// Deregistered it is gone, and so are the counts that were only its own.
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(2), running));
		assert!(!offered(ServiceKind::Inference, None));
		assert!(!offered(ServiceKind::Inference, Some([7; 32])));
		assert_eq!(ModelOffers::<Test>::iter().count(), 0, "no zero entries are left behind");
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(1), draft));
		assert_eq!(ServiceOffers::<Test>::iter().count(), 0);
	});
}

#[test]
fn set_services_moves_the_counts_and_a_model_listed_twice_counts_once() {
	ExtBuilder::default().build_and_execute(|| {
		let a = register_with(1, 8_192, vec![inference(vec![[1; 32], [1; 32], [2; 32]])]);
		let b = register_with(2, 8_192, vec![inference(vec![[2; 32]])]);
		assert_eq!(ModelOffers::<Test>::get([1; 32]), Some(1));
		assert_eq!(ModelOffers::<Test>::get([2; 32]), Some(2));
		assert_eq!(ServiceOffers::<Test>::get(ServiceKind::Inference), Some(2));
		// `a` drops inference for containers: model 1 is no longer offered, model 2 by `b` only.
		assert_ok!(Provisions::set_services(
			RuntimeOrigin::signed(1),
			a,
			vec![service(ServiceKind::Container, 6)]
		));
		assert!(!offered(ServiceKind::Inference, Some([1; 32])));
		assert_eq!(ModelOffers::<Test>::get([2; 32]), Some(1));
		assert_eq!(ServiceOffers::<Test>::get(ServiceKind::Inference), Some(1));
		assert!(offered(ServiceKind::Container, None));
		// A failed edit changes no count (the call's storage is rolled back).
		assert!(Provisions::set_services(RuntimeOrigin::signed(2), b, vec![]).is_err());
		assert_eq!(ModelOffers::<Test>::get([2; 32]), Some(1));
	});
}
