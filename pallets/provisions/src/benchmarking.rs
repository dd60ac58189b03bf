//! Benchmarks for the provisions pallet (worst cases: all 7 services, longest strings, nearly
//! full pools and deadline queues).
//!
//! `Config::BenchmarkHelper` lets benchmark accounts pass the runtime's `StakeGate`.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{One, Saturating};

/// A spec with the longest strings and the largest VRAM (top tier).
fn max_spec<T: Config>() -> HardwareInput {
	let len = T::MaxStringLen::get() as usize;
	HardwareInput {
		gpu_model: vec![b'g'; len],
		vram_mb: MAX_VRAM_MB,
		cpu_cores: MAX_CPU_CORES,
		ram_mb: MAX_RAM_MB,
		disk_gb: MAX_DISK_GB,
		region: vec![b'r'; len.max(1)],
	}
}

/// A price for `kind` in the top tier: `fallback` unless the runtime's ceiling is lower, then
/// `below` under the ceiling (at least 1). Checking the ceiling is part of the measured work.
fn price_for<T: Config>(kind: ServiceKind, fallback: UnitPrice, below: UnitPrice) -> UnitPrice {
	match T::PriceCeiling::ceiling(kind, Tier::from_vram_mb(MAX_VRAM_MB)) {
		Some(ceiling) if ceiling < fallback => ceiling.saturating_sub(below).max(1),
		_ => fallback,
	}
}

/// All seven services, inference with `MaxModels` models; prices in the middle of the pools
/// (within the runtime's price ceilings).
fn all_services<T: Config>() -> Vec<ServiceInput> {
	ServiceKind::ALL
		.iter()
		.map(|kind| ServiceInput {
			kind: *kind,
			price: price_for::<T>(*kind, u128::MAX / 2, 0),
			models: if *kind == ServiceKind::Inference {
				vec![[3u8; 32]; T::MaxModels::get() as usize]
			} else {
				vec![]
			},
		})
		.collect()
}

/// Register a worst-case provision of `provider` (allowed by the stake gate to run it).
fn register_max<T: Config>(provider: &T::AccountId) -> ProvisionId {
	T::BenchmarkHelper::allow_to_run(provider, Tier::from_vram_mb(MAX_VRAM_MB));
	let endpoint = vec![b'e'; T::MaxEndpointLen::get() as usize];
	Pallet::<T>::do_register(
		provider.clone(),
		max_spec::<T>(),
		all_services::<T>(),
		endpoint,
		None,
		u32::MAX,
	)
	.expect("benchmark spec is valid; qed")
}

/// A fake pool id number `i`.
fn fake_id(i: u32) -> ProvisionId {
	let mut id = [0xffu8; 32];
	id[..4].copy_from_slice(&i.to_be_bytes());
	id
}

/// Fill the pools of all services in the top tier with `MaxPoolSize - 1` entries, half cheaper
/// and half dearer than the benchmark provision.
fn fill_pools<T: Config>() {
	let n = T::MaxPoolSize::get().saturating_sub(1);
	for kind in ServiceKind::ALL {
		let mut entries: Vec<PoolEntry> = (0..n)
			.map(|i| (if i % 2 == 0 { i as u128 + 1 } else { u128::MAX - i as u128 }, fake_id(i)))
			.collect();
		entries.sort();
		PoolOf::<T>::insert((kind, Tier::MarianaDepth), BoundedVec::truncate_from(entries));
	}
}

/// Fill the deadline queues from the next deadline on, so a new deadline spills to the last
/// allowed block.
fn fill_deadlines<T: Config>() {
	let mut at =
		frame_system::Pallet::<T>::block_number().saturating_add(T::HeartbeatTimeout::get());
	let n = T::MaxOffPerBlock::get();
	for b in 0..MAX_DEADLINE_SPILL {
		let ids: Vec<ProvisionId> = (0..n).map(|i| fake_id(b * n + i)).collect();
		DeadlinesAt::<T>::insert(at, BoundedVec::truncate_from(ids));
		at = at.saturating_add(One::one());
	}
}

/// A provider with `MaxProvisionsPerProvider - 1` other provisions and one worst-case provision
/// with a worker key; returns `(provider, worker, id)`.
fn setup<T: Config>(seed: u32) -> (T::AccountId, T::AccountId, ProvisionId) {
	frame_system::Pallet::<T>::set_block_number(One::one());
	let provider: T::AccountId = account("provider", seed, 0);
	let worker: T::AccountId = account("worker", seed, 0);
	for _ in 1..T::MaxProvisionsPerProvider::get() {
		register_max::<T>(&provider);
	}
	let id = register_max::<T>(&provider);
	Pallet::<T>::do_authorize_worker(provider.clone(), id, worker.clone())
		.expect("fresh worker; qed");
	(provider, worker, id)
}

/// [`setup`], then start the provision and heartbeat it into `Running`.
fn setup_running<T: Config>(seed: u32) -> (T::AccountId, T::AccountId, ProvisionId) {
	let (provider, worker, id) = setup::<T>(seed);
	Pallet::<T>::do_start(provider.clone(), id).expect("has a worker; qed");
	Pallet::<T>::do_heartbeat(worker.clone(), id).expect("started; qed");
	(provider, worker, id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provision() {
		frame_system::Pallet::<T>::set_block_number(One::one());
		let provider: T::AccountId = account("provider", 0, 0);
		for _ in 1..T::MaxProvisionsPerProvider::get() {
			register_max::<T>(&provider);
		}
		let endpoint = vec![b'e'; T::MaxEndpointLen::get() as usize];
		#[extrinsic_call]
		_(
			RawOrigin::Signed(provider.clone()),
			max_spec::<T>(),
			all_services::<T>(),
			endpoint,
			Some(BlockNumberFor::<T>::from(1_000u32)),
			u32::MAX,
		);
		assert_eq!(
			ProvisionsOf::<T>::get(&provider).len() as u32,
			T::MaxProvisionsPerProvider::get()
		);
	}

	#[benchmark]
	fn update_prices() {
		fill_pools::<T>();
		let (provider, _, id) = setup_running::<T>(0);
		let prices: Vec<(ServiceKind, UnitPrice)> =
			ServiceKind::ALL.iter().map(|k| (*k, price_for::<T>(*k, u128::MAX / 3, 1))).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, prices);
		assert_eq!(
			Provisions::<T>::get(id).and_then(|p| p.price_of(ServiceKind::Rental)),
			Some(price_for::<T>(ServiceKind::Rental, u128::MAX / 3, 1))
		);
	}

	#[benchmark]
	fn set_services() {
		// Worst case: a running provision with all seven services in near-full pools, replaced
		// by all seven at new prices (leave seven pools, join seven) with `MaxModels` models.
		fill_pools::<T>();
		let (provider, _, id) = setup_running::<T>(0);
		let services: Vec<ServiceInput> = all_services::<T>()
			.into_iter()
			.map(|s| ServiceInput { price: price_for::<T>(s.kind, u128::MAX / 3, 1), ..s })
			.collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, services);
		assert_eq!(
			Provisions::<T>::get(id).and_then(|p| p.price_of(ServiceKind::Rental)),
			Some(price_for::<T>(ServiceKind::Rental, u128::MAX / 3, 1))
		);
	}

	#[benchmark]
	fn set_availability() {
		let (provider, _, id) = setup::<T>(0);
		let until = Some(BlockNumberFor::<T>::from(1_000u32));
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, until);
		assert_eq!(Provisions::<T>::get(id).and_then(|p| p.available_until), until);
	}

	#[benchmark]
	fn start_provision() {
		let (provider, _, id) = setup::<T>(0);
		fill_deadlines::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert_eq!(Provisions::<T>::get(id).map(|p| p.state), Some(ProvisionState::Started));
	}

	#[benchmark]
	fn stop_provision() {
		fill_pools::<T>();
		let (provider, _, id) = setup_running::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert_eq!(Provisions::<T>::get(id).map(|p| p.state), Some(ProvisionState::Off));
	}

	#[benchmark]
	fn deregister_provision() {
		let (provider, _, id) = setup::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert!(Provisions::<T>::get(id).is_none());
	}

	#[benchmark]
	fn authorize_worker() {
		// Rotation: the old key's index entry is removed too.
		let (provider, _, id) = setup::<T>(0);
		let new: T::AccountId = account("new-worker", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, new.clone());
		assert_eq!(ProvisionOfWorker::<T>::get(&new), Some(id));
	}

	#[benchmark]
	fn revoke_worker() {
		fill_pools::<T>();
		let (provider, worker, id) = setup_running::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert!(ProvisionOfWorker::<T>::get(&worker).is_none());
	}

	#[benchmark]
	fn heartbeat() {
		// First heartbeat: joins 7 nearly full pools; the deadline queue spills.
		fill_pools::<T>();
		let (provider, worker, id) = setup::<T>(0);
		Pallet::<T>::do_start(provider, id).expect("has a worker; qed");
		fill_deadlines::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(worker), id);
		assert_eq!(Provisions::<T>::get(id).map(|p| p.state), Some(ProvisionState::Running));
	}

	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxOffPerBlock::get() }>) {
		frame_system::Pallet::<T>::set_block_number(One::one());
		let ids: Vec<ProvisionId> = (0..n).map(|i| setup_running::<T>(i).2).collect();
		let at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::HeartbeatTimeout::get());
		frame_system::Pallet::<T>::set_block_number(at);
		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}
		for id in ids {
			assert_eq!(Provisions::<T>::get(id).map(|p| p.state), Some(ProvisionState::Off));
		}
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
