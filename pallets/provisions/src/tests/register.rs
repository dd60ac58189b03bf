//! `register_provision` and `deregister_provision`, ids and DIDs.

use crate::{mock::*, Error, Event, NonceOf, ProvisionState, ProvisionsOf, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok};

fn register_call(
	who: AccountId,
	spec: crate::HardwareInput,
	services: Vec<crate::ServiceInput>,
	endpoint: Vec<u8>,
	until: Option<u64>,
	capacity: u32,
) -> frame_support::dispatch::DispatchResult {
	Provisions::register_provision(
		RuntimeOrigin::signed(who),
		spec,
		services,
		endpoint,
		until,
		capacity,
	)
}

#[test]
fn register_provision_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		System::assert_last_event(
			Event::ProvisionRegistered { id, provider: 1, tier: Tier::BlueSurge }.into(),
		);
		let p = crate::Provisions::<Test>::get(id).unwrap();
		assert_eq!(p.state, ProvisionState::Draft);
		assert_eq!(p.provider, 1);
		assert_eq!(p.capacity, 2);
		assert_eq!(p.price_of(ServiceKind::Inference), Some(100));
		assert_eq!(ProvisionsOf::<Test>::get(1).to_vec(), vec![id]);
		assert_eq!(NonceOf::<Test>::get(1), 1);
	});
}

#[test]
fn tier_follows_vram() {
	ExtBuilder::default().build_and_execute(|| {
		for (vram, tier) in [
			(0, Tier::TidePool),
			(4_096, Tier::TidePool),
			(4_097, Tier::BlueSurge),
			(22_528, Tier::OpenOcean),
			(24_576, Tier::MarianaDepth),
		] {
			let id = register_with(2, vram, vec![service(ServiceKind::Embeddings, 5)]);
			assert_eq!(crate::Provisions::<Test>::get(id).unwrap().tier, tier);
			assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(2), id));
		}
	});
}

#[test]
fn same_spec_twice_gets_distinct_ids_and_dids() {
	ExtBuilder::default().build_and_execute(|| {
		let a = register(1);
		let b = register(1);
		let c = register(2);
		assert_ne!(a, b);
		assert_ne!(a, c);
		assert_eq!(a, sp_io::hashing::blake2_256(&codec::Encode::encode(&(1u64, 0u64))));
		let did = Provisions::did(&a);
		assert!(did.starts_with("did:cxmpute:"));
		assert_eq!(did.len(), 12 + 64);
		assert_ne!(did, Provisions::did(&b));
		// Deregistering does not reuse the nonce.
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(1), b));
		let d = register(1);
		assert_ne!(d, b);
		assert_eq!(NonceOf::<Test>::get(1), 3);
	});
}

#[test]
fn register_fails_on_bad_spec() {
	ExtBuilder::default().build_and_execute(|| {
		let svc = || vec![service(ServiceKind::Inference, 1)];
		let bad = [
			crate::HardwareInput { cpu_cores: 0, ..spec(0) },
			crate::HardwareInput { cpu_cores: crate::MAX_CPU_CORES + 1, ..spec(0) },
			crate::HardwareInput { ram_mb: 0, ..spec(0) },
			crate::HardwareInput { disk_gb: 0, ..spec(0) },
			crate::HardwareInput { vram_mb: crate::MAX_VRAM_MB + 1, ..spec(0) },
			crate::HardwareInput { region: vec![], ..spec(0) },
			crate::HardwareInput { region: vec![b'a'; 33], ..spec(0) },
			crate::HardwareInput { gpu_model: vec![b'a'; 33], ..spec(0) },
		];
		for s in bad {
			assert_noop!(
				register_call(1, s, svc(), endpoint(), None, 1),
				Error::<Test>::SpecOutOfBounds
			);
		}
	});
}

#[test]
fn register_fails_on_bad_services() {
	ExtBuilder::default().build_and_execute(|| {
		let go = |services| register_call(1, spec(0), services, endpoint(), None, 1);
		assert_noop!(go(vec![]), Error::<Test>::NoServices);
		let mut eight: Vec<_> = ServiceKind::ALL
			.iter()
			.map(|k| crate::ServiceInput { kind: *k, price: 1, models: vec![] })
			.collect();
		eight.push(service(ServiceKind::Rental, 1));
		assert_noop!(go(eight), Error::<Test>::TooManyServices);
		assert_noop!(
			go(vec![service(ServiceKind::Rental, 1), service(ServiceKind::Rental, 2)]),
			Error::<Test>::DuplicateService
		);
		assert_noop!(go(vec![service(ServiceKind::Rental, 0)]), Error::<Test>::PriceZero);
		assert_noop!(
			go(vec![crate::ServiceInput {
				kind: ServiceKind::Rental,
				price: 1,
				models: vec![[1; 32]]
			}]),
			Error::<Test>::BadModels
		);
		assert_noop!(
			go(vec![crate::ServiceInput {
				kind: ServiceKind::Inference,
				price: 1,
				models: vec![[1; 32]; 5]
			}]),
			Error::<Test>::BadModels
		);
	});
}

#[test]
fn register_fails_on_bad_endpoint_availability_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		let svc = || vec![service(ServiceKind::Inference, 1)];
		assert_noop!(
			register_call(1, spec(0), svc(), vec![b'a'; 65], None, 1),
			Error::<Test>::EndpointTooLong
		);
		assert_noop!(
			register_call(1, spec(0), svc(), vec![], None, 1),
			Error::<Test>::EndpointTooLong
		);
		run_to_block(3);
		assert_noop!(
			register_call(1, spec(0), svc(), endpoint(), Some(2), 1),
			Error::<Test>::AvailabilityInPast
		);
		assert_noop!(
			register_call(1, spec(0), svc(), endpoint(), None, 0),
			Error::<Test>::CapacityZero
		);
		assert_ok!(register_call(1, spec(0), svc(), endpoint(), Some(3), 1));
	});
}

#[test]
fn register_fails_when_too_many_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..4 {
			register(1);
		}
		assert_noop!(
			register_call(1, spec(0), vec![service(ServiceKind::Rental, 1)], endpoint(), None, 1),
			Error::<Test>::TooManyProvisions
		);
		// Another provider is not affected.
		register(2);
	});
}

#[test]
fn register_fails_on_nonce_overflow() {
	ExtBuilder::default().build_and_execute(|| {
		NonceOf::<Test>::insert(1, u64::MAX);
		assert_noop!(
			register_call(1, spec(0), vec![service(ServiceKind::Rental, 1)], endpoint(), None, 1),
			Error::<Test>::NonceOverflow
		);
		NonceOf::<Test>::remove(1);
	});
}

#[test]
fn deregister_provision_works() {
	ExtBuilder::default().build_and_execute(|| {
		let id = register(1);
		let keep = register(1);
		assert_ok!(Provisions::authorize_worker(RuntimeOrigin::signed(1), id, 10));
		events();
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(1), id));
		assert_eq!(
			events(),
			vec![Event::WorkerRevoked { id, worker: 10 }, Event::ProvisionDeregistered { id }]
		);
		assert!(crate::Provisions::<Test>::get(id).is_none());
		assert!(crate::ProvisionOfWorker::<Test>::get(10).is_none());
		assert_eq!(ProvisionsOf::<Test>::get(1).to_vec(), vec![keep]);
	});
}

#[test]
fn deregister_fails_when_unknown_not_provider_or_active() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Provisions::deregister_provision(RuntimeOrigin::signed(1), [0; 32]),
			Error::<Test>::UnknownProvision
		);
		let id = running(1, 10, 8_192, vec![service(ServiceKind::Inference, 100)]);
		assert_noop!(
			Provisions::deregister_provision(RuntimeOrigin::signed(2), id),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Provisions::deregister_provision(RuntimeOrigin::signed(1), id),
			Error::<Test>::InvalidTransition
		);
		assert_ok!(Provisions::stop_provision(RuntimeOrigin::signed(1), id));
		assert_ok!(Provisions::deregister_provision(RuntimeOrigin::signed(1), id));
	});
}

#[test]
fn unsigned_origin_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Provisions::register_provision(
				RuntimeOrigin::none(),
				spec(0),
				vec![service(ServiceKind::Rental, 1)],
				endpoint(),
				None,
				1
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
