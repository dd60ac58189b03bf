//! Benchmarks for the matching pallet (worst cases: `MaxRedundancy` runs, full batches,
//! `MaxCandidates` eligible offers in every tier).
//!
//! `Config::BenchmarkHelper` creates running provisions (each of a distinct provider, with a
//! capacity of at least `MaxBatch`) and funds users and the treasury.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_support::weights::Weight;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::Saturating;
use timeouts::Handled;

/// The most jobs the `match_jobs` benchmark matches in one hook.
const MATCH_BENCHMARK_JOBS: u32 = 256;

/// The price of benchmark provisions and the jobs' maximum price.
const PRICE: UnitPrice = 1_000;
/// The model of benchmark inference jobs.
const MODEL: ModelId = [9u8; 32];

/// The worst-case usage of benchmark jobs.
fn max_usage() -> JobUsage {
	JobUsage { input_tokens: 1_000, output_tokens: 1_000, ..Default::default() }
}

/// An inference spec any benchmark provision meets.
fn spec() -> JobSpec {
	spec_for(JobService::Inference { model: MODEL })
}

fn spec_for(service: JobService) -> JobSpec {
	JobSpec {
		service,
		requirements: Requirements {
			min_tier: Tier::TidePool,
			min_vram_mb: 0,
			min_cpu_cores: 0,
			min_ram_mb: 0,
		},
		max_usage: max_usage(),
	}
}

/// A deadline far enough for every benchmark.
fn deadline<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(1_000u32.into())
}

/// A user with plenty of credits.
fn funded_user<T: Config>(i: u32) -> T::AccountId {
	let who: T::AccountId = account("user", i, 0);
	T::BenchmarkHelper::fund_user(&who, u128::from(u64::MAX));
	T::BenchmarkHelper::fund_treasury(u128::from(u64::MAX));
	who
}

/// A Standard job of `spec` at `PRICE` with a one-byte input and the default wait.
fn request<T: Config>(spec: JobSpec, redundancy: u32) -> JobRequest<BlockNumberFor<T>> {
	JobRequest {
		spec,
		input: DataInput::Inline(vec![1]),
		max_unit_price: PRICE,
		deadline: deadline::<T>(),
		redundancy,
		class_request: ClassRequest::Standard,
		max_wait: None,
	}
}

/// A single-run job of `service` at `PRICE`, submitted by funded user `i`.
fn submit_single<T: Config>(i: u32, service: JobService) -> JobId {
	Pallet::<T>::do_submit(funded_user::<T>(i), request::<T>(spec_for(service), 0))
		.expect("valid job; qed")
}

/// A job of `service` with `redundancy`, all runs assigned to fresh provisions; returns the
/// job, its owner and the workers in run order.
fn matched_job<T: Config>(
	redundancy: u32,
	service: JobService,
) -> (JobId, T::AccountId, Vec<T::AccountId>) {
	for _ in 0..=redundancy {
		T::BenchmarkHelper::running_provision(service.kind(), Tier::TidePool, MODEL, PRICE);
	}
	let owner = funded_user::<T>(0);
	let id = Pallet::<T>::do_submit(owner.clone(), request::<T>(spec_for(service), redundancy))
		.expect("valid job; qed");
	let now = frame_system::Pallet::<T>::block_number();
	Pallet::<T>::do_match_queued(now, Weight::MAX);
	let job = Jobs::<T>::get(id).expect("live; qed");
	let workers = job
		.runs
		.iter()
		.filter_map(|r| r.state.provision())
		.filter_map(T::Provisions::worker_of)
		.collect();
	(id, owner, workers)
}

/// `n` jobs assigned to one provision (and accepted if `accept`); returns them and its worker.
fn jobs_on_one_provision<T: Config>(n: u32, accept: bool) -> (Vec<JobId>, T::AccountId) {
	let (ids, workers) = jobs_on_provisions::<T>(n, 0, accept);
	let worker = workers.into_iter().next().expect("one provision; qed");
	(ids, worker)
}

/// `n` jobs with `redundancy`, all runs assigned to the same `redundancy + 1` provisions (one
/// per run), accepted if `accept`; returns the jobs and the provisions' workers.
fn jobs_on_provisions<T: Config>(
	n: u32,
	redundancy: u32,
	accept: bool,
) -> (Vec<JobId>, Vec<T::AccountId>) {
	let workers: Vec<T::AccountId> = (0..=redundancy)
		.map(|_| {
			T::BenchmarkHelper::running_provision(
				ServiceKind::Inference,
				Tier::TidePool,
				MODEL,
				PRICE,
			)
			.1
		})
		.collect();
	let mut ids = Vec::new();
	for i in 0..n {
		let owner = funded_user::<T>(i);
		let id = Pallet::<T>::do_submit(owner, request::<T>(spec(), redundancy))
			.expect("valid job; qed");
		ids.push(id);
	}
	let now = frame_system::Pallet::<T>::block_number();
	// `MaxMatchesPerBlock` may be below `n`.
	for _ in 0..n {
		Pallet::<T>::do_match_queued(now, Weight::MAX);
	}
	for id in ids.iter().filter(|_| accept) {
		for w in workers.iter() {
			Pallet::<T>::do_accept(w, *id).expect("assigned; qed");
		}
	}
	(ids, workers)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_job(p: Linear<0, BENCHMARK_PROVISIONS>) {
		T::BenchmarkHelper::register_provisions(ServiceKind::Inference, Tier::TidePool, p);
		// The model must be offered, or the job is refused as unservable.
		T::BenchmarkHelper::running_provision(ServiceKind::Inference, Tier::TidePool, MODEL, PRICE);
		let caller = funded_user::<T>(0);
		let redundancy = T::MaxRedundancy::get();
		let input = DataInput::Inline(vec![1u8; T::MaxInputLen::get() as usize]);
		let deadline = deadline::<T>();
		// A block starts without events; the set-up's thousands would make every event the
		// call deposits copy them (an overlay artefact that grows with `p`).
		frame_system::Pallet::<T>::reset_events();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			spec(),
			input,
			PRICE,
			deadline,
			redundancy,
			ClassRequest::Standard,
			// A wait shorter than the deadline: both timeout entries are queued.
			Some(MIN_MAX_WAIT.into()),
		);

		assert_eq!(NextJobId::<T>::get(), 1);
	}

	/// `n` jobs in one call from one user, each with the most redundancy and the longest
	/// inline input, while `p` more provisions are registered.
	#[benchmark]
	fn submit_jobs(n: Linear<1, { T::MaxBatch::get() }>, p: Linear<0, BENCHMARK_PROVISIONS>) {
		T::BenchmarkHelper::register_provisions(ServiceKind::Inference, Tier::TidePool, p);
		// Each item asks for its own model (each offered by one provision), so each reads its
		// own offer count.
		let jobs: Vec<_> = (0..n)
			.map(|i| {
				let mut model = MODEL;
				model[..4].copy_from_slice(&i.to_le_bytes());
				T::BenchmarkHelper::running_provision(
					ServiceKind::Inference,
					Tier::TidePool,
					model,
					PRICE,
				);
				JobRequest {
					spec: spec_for(JobService::Inference { model }),
					input: DataInput::Inline(vec![1u8; T::MaxInputLen::get() as usize]),
					max_unit_price: PRICE,
					deadline: deadline::<T>(),
					redundancy: T::MaxRedundancy::get(),
					class_request: ClassRequest::Standard,
					max_wait: Some(MIN_MAX_WAIT.into()),
				}
			})
			.collect();
		let caller = funded_user::<T>(0);
		frame_system::Pallet::<T>::reset_events();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), jobs);

		assert_eq!(NextJobId::<T>::get(), u64::from(n));
	}

	#[benchmark]
	fn cancel_job() {
		let (id, owner, _) =
			matched_job::<T>(T::MaxRedundancy::get(), JobService::Inference { model: MODEL });

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Jobs::<T>::contains_key(id));
	}

	/// Worst case per item: a rental, whose acceptance also reads its escrow and queues the
	/// lease's end (in a block of its own).
	#[benchmark]
	fn accept_jobs(n: Linear<1, { T::MaxBatch::get().min(T::MaxJobsPerProvision::get()) }>) {
		let (_, worker) = T::BenchmarkHelper::running_provision(
			ServiceKind::Rental,
			Tier::TidePool,
			MODEL,
			PRICE,
		);
		let ids: Vec<JobId> =
			(0..n).map(|i| submit_single::<T>(i, JobService::Rental { blocks: 100 + i })).collect();
		let now = frame_system::Pallet::<T>::block_number();
		// `MaxMatchesPerBlock` may be below `n`.
		for _ in 0..n {
			Pallet::<T>::do_match_queued(now, Weight::MAX);
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(worker), ids.clone());

		for id in ids {
			assert!(Jobs::<T>::get(id).is_some_and(|j| j.started()));
		}
	}

	#[benchmark]
	fn submit_results(n: Linear<1, { T::MaxBatch::get().min(T::MaxJobsPerProvision::get()) }>) {
		// Worst case per item: the last result of a job with `MaxRedundancy` extra runs, which
		// settles it (every other run paid, one outvoted run slashed when there are three).
		let (ids, workers) = jobs_on_provisions::<T>(n, T::MaxRedundancy::get(), true);
		let result = |id: JobId, h: u8| ResultInput {
			job: id,
			output: DataInput::Inline(vec![h; T::MaxOutputLen::get() as usize]),
			output_hash: [h; 32],
			usage: max_usage(),
		};
		for id in ids.iter() {
			for (i, w) in workers.iter().enumerate().skip(1) {
				Pallet::<T>::do_submit_result(w, result(*id, i as u8)).expect("accepted; qed");
			}
		}
		// Every job settles (no spot-check draw adds a run).
		Params::<T>::mutate(|p| p.spot_check_rate = sp_arithmetic::Permill::zero());
		let worker = workers[0].clone();
		let results: Vec<ResultInput> = ids.iter().map(|id| result(*id, 1)).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(worker), results);
		for id in ids {
			assert!(!Jobs::<T>::contains_key(id));
		}
	}

	#[benchmark]
	fn report_failures(n: Linear<1, { T::MaxBatch::get().min(T::MaxJobsPerProvision::get()) }>) {
		let (ids, worker) = jobs_on_one_provision::<T>(n, true);
		let failures: Vec<(JobId, FailureCode)> = ids.iter().map(|id| (*id, 1)).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(worker), failures);

		for id in ids {
			assert!(Jobs::<T>::get(id).is_some_and(|j| j.has_pending()));
		}
	}

	#[benchmark]
	fn extend_rental() {
		let (id, owner, workers) = matched_job::<T>(0, JobService::Rental { blocks: 100 });
		Pallet::<T>::do_accept(&workers[0], id).expect("assigned; qed");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, 100);

		assert!(Jobs::<T>::get(id).and_then(|j| j.lease).is_some());
	}

	#[benchmark]
	fn end_rental() {
		let (id, owner, workers) = matched_job::<T>(0, JobService::Rental { blocks: 100 });
		Pallet::<T>::do_accept(&workers[0], id).expect("assigned; qed");
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(10u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Jobs::<T>::contains_key(id));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let params = MatchingParams::default();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// One queued job with `MaxRedundancy` extra runs matched against `MaxCandidates`
	/// eligible offers in every tier, with `p` more provisions registered in the pool.
	/// The hook matching `n` single-run jobs of one service and model against `MaxCandidates`
	/// equal offers in every tier (read once for all of them) while `p` more provisions are
	/// registered: the intercept is the cost of reading a candidate set, the slope per job.
	#[benchmark]
	fn match_jobs(
		n: Linear<1, { T::MaxQueueLen::get().min(MATCH_BENCHMARK_JOBS) }>,
		p: Linear<0, BENCHMARK_PROVISIONS>,
	) {
		T::BenchmarkHelper::register_provisions(ServiceKind::Inference, Tier::TidePool, p);
		for tier in Tier::ALL {
			for _ in 0..T::MaxCandidates::get() {
				T::BenchmarkHelper::running_provision(ServiceKind::Inference, tier, MODEL, PRICE);
			}
		}
		let ids: Vec<JobId> =
			(0..n).map(|i| submit_single::<T>(i, JobService::Inference { model: MODEL })).collect();
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::reset_events();

		#[block]
		{
			Pallet::<T>::do_match_queued(now, Weight::MAX);
		}

		let matched = n.min(T::MaxMatchesPerBlock::get()) as usize;
		for id in ids.iter().take(matched) {
			assert!(Jobs::<T>::get(id).is_some_and(|j| !j.has_pending()));
		}
	}

	/// A timeout entry the job no longer names (its run was accepted): one read of a job
	/// with the most runs.
	#[benchmark]
	fn timeout_stale() {
		let (id, _, workers) =
			matched_job::<T>(T::MaxRedundancy::get(), JobService::Inference { model: MODEL });
		for w in workers.iter() {
			Pallet::<T>::do_accept(w, id).expect("assigned; qed");
		}
		let at = frame_system::Pallet::<T>::block_number().saturating_add(T::AcceptWindow::get());
		let handled;

		#[block]
		{
			handled = Pallet::<T>::handle_timeout(at, at, id, Timeout::Accept(0));
		}

		assert!(matches!(handled, Handled::Stale));
	}

	/// The spot-check draws of `n` finished single-run jobs of distinct users on distinct
	/// provisions, due in one block: no check drawn, so each settles (paying a provider costs
	/// more than scheduling a check). The intercept is what the draws of a block share.
	#[benchmark]
	fn timeout_draws(n: Linear<1, { T::MaxTimeoutsPerBlock::get().min(MATCH_BENCHMARK_JOBS) }>) {
		// A non-zero rate makes each result wait for its draw.
		Params::<T>::mutate(|p| p.spot_check_rate = sp_arithmetic::Permill::from_percent(5));
		let mut ids = Vec::new();
		for i in 0..n {
			let (_, worker) = T::BenchmarkHelper::running_provision(
				ServiceKind::Inference,
				Tier::TidePool,
				MODEL,
				PRICE,
			);
			let id = submit_single::<T>(i, JobService::Inference { model: MODEL });
			let now = frame_system::Pallet::<T>::block_number();
			Pallet::<T>::do_match_queued(now, Weight::MAX);
			// The fresh provision is the only one with a free slot for this job's price band
			// only if earlier ones are full; accept with whichever worker got it.
			let assigned = Jobs::<T>::get(id)
				.and_then(|j| j.runs[0].state.provision().copied())
				.and_then(|p| T::Provisions::worker_of(&p))
				.unwrap_or(worker);
			Pallet::<T>::do_accept(&assigned, id).expect("assigned; qed");
			let result = ResultInput {
				job: id,
				output: DataInput::Inline(vec![1; T::MaxOutputLen::get() as usize]),
				output_hash: [1; 32],
				usage: max_usage(),
			};
			Pallet::<T>::do_submit_result(&assigned, result).expect("accepted; qed");
			ids.push(id);
		}
		let at = Jobs::<T>::get(ids[0]).and_then(|j| j.draw_at).expect("a draw is due; qed");
		assert!(ids.iter().all(|id| Jobs::<T>::get(id).and_then(|j| j.draw_at) == Some(at)));
		Params::<T>::mutate(|p| p.spot_check_rate = sp_arithmetic::Permill::zero());

		#[block]
		{
			Pallet::<T>::do_timeouts(at, Weight::MAX);
		}

		assert!(ids.iter().all(|id| !Jobs::<T>::contains_key(id)));
	}

	/// The deadline of a job with `MaxRedundancy + 1` accepted runs: every provider slashed,
	/// every slot freed, the escrow closed.
	#[benchmark]
	fn process_timeout() {
		let (id, _, workers) =
			matched_job::<T>(T::MaxRedundancy::get(), JobService::Inference { model: MODEL });
		for w in workers.iter() {
			Pallet::<T>::do_accept(w, id).expect("assigned; qed");
		}
		let at = Jobs::<T>::get(id).expect("live; qed").deadline_at;

		#[block]
		{
			Pallet::<T>::do_timeouts(at, Weight::MAX);
		}

		assert!(!Jobs::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
