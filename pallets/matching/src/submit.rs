//! Job submission: validation, escrow through billing, queueing.

use crate::{
	pallet::*, ClassRequest, DataInput, Job, JobBilling, JobClass, JobId, JobRequest, JobService,
	Payload, ProvisionsInspect, Run, RunState, Timeout, UnitPrice, MAX_CPU_MILLIS,
	MAX_JOB_LIFETIME, MAX_MEMORY_MB, MAX_PIDS, MAX_TIMEOUT_S, MIN_MAX_WAIT,
};
use alloc::vec::Vec;
use codec::Encode;
use cxmpute_primitives::jobs::{job_cost, EscrowPart};
use frame_support::pallet_prelude::*;
use sp_arithmetic::{traits::Saturating, PerThing};
use sp_runtime::traits::SaturatedConversion;

impl<T: Config> Pallet<T> {
	/// Validate a job, escrow its worst-case cost (admission first), store and queue it.
	///
	/// Escrow: `run_budget × (1 + redundancy)` where `run_budget =
	/// job_cost(service, max_unit_price, max_usage)` (rentals: the price per block at
	/// `max_unit_price` × blocks). Spot jobs escrow the undiscounted worst case too (the class
	/// is only known after admission); they are paid at the discounted price and the
	/// difference is refunded.
	///
	/// A job is refused, with nothing escrowed, when it could never be served: no registered
	/// provision (in any state but deregistered) offers its service kind or, for inference,
	/// its model.
	///
	/// # Errors
	/// `PriceZero`, `DeadlineInPast`, `DeadlineTooFar`, `MaxWaitTooShort`,
	/// `TooMuchRedundancy`, `InvalidLimits`, `WrongService` (a Spot rental), `Unservable`,
	/// `EmptyInput`, `DataTooLong`, `BadUri`, `Overflow`, `NothingToPay`, `JobIdsExhausted`,
	/// billing's admission errors, `QueueFull`, `TimeoutQueueFull`.
	pub(crate) fn do_submit(
		who: T::AccountId,
		request: JobRequest<frame_system::pallet_prelude::BlockNumberFor<T>>,
	) -> Result<JobId, DispatchError> {
		let JobRequest {
			spec,
			input,
			max_unit_price,
			deadline,
			redundancy,
			class_request,
			max_wait,
		} = request;
		ensure!(max_unit_price > 0, Error::<T>::PriceZero);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(deadline > now, Error::<T>::DeadlineInPast);
		ensure!(
			deadline <= now.saturating_add(MAX_JOB_LIFETIME.into()),
			Error::<T>::DeadlineTooFar
		);
		let max_wait = max_wait.unwrap_or_else(T::DefaultMaxWait::get);
		ensure!(max_wait >= MIN_MAX_WAIT.into(), Error::<T>::MaxWaitTooShort);
		ensure!(redundancy <= T::MaxRedundancy::get(), Error::<T>::TooMuchRedundancy);
		Self::validate_service(&spec.service)?;
		if spec.service.is_rental() {
			ensure!(redundancy == 0, Error::<T>::TooMuchRedundancy);
			ensure!(class_request == ClassRequest::Standard, Error::<T>::WrongService);
		}
		let kind = spec.service.kind();
		ensure!(T::Provisions::is_offered(kind, spec.service.model()), Error::<T>::Unservable);
		ensure!(!Self::is_empty(&input), Error::<T>::EmptyInput);
		let input = Self::bound_data(input)?;
		let run_budget = match spec.service {
			JobService::Rental { blocks } => Self::price_per_block(max_unit_price)
				.checked_mul(u128::from(blocks))
				.ok_or(Error::<T>::Overflow)?,
			_ => job_cost(kind, max_unit_price, &spec.max_usage).ok_or(Error::<T>::Overflow)?,
		};
		ensure!(run_budget > 0, Error::<T>::NothingToPay);
		let escrow = run_budget
			.checked_mul(u128::from(redundancy).saturating_add(1))
			.ok_or(Error::<T>::Overflow)?;
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::JobIdsExhausted)?;
		let max_tokens = spec.max_usage.input_tokens.saturating_add(spec.max_usage.output_tokens);

		// Admission and escrow come before anything is stored.
		let admission = T::Billing::admit(id, &who, kind, escrow, max_tokens)?;
		let class = if admission.subscribed {
			JobClass::Priority
		} else {
			match class_request {
				ClassRequest::Standard => JobClass::Standard,
				ClassRequest::Spot => JobClass::Spot,
			}
		};
		LiveJobs::<T>::try_mutate(class, |n| -> DispatchResult {
			ensure!(*n < T::MaxQueueLen::get(), Error::<T>::QueueFull);
			*n = n.saturating_add(1);
			Ok(())
		})?;
		NextJobId::<T>::put(next);
		let deadline_at = Self::schedule_timeout(deadline, id, Timeout::Deadline)?;
		// A wait that ends at or after the deadline is the deadline's business.
		let match_by = now.saturating_add(max_wait);
		let match_by_at = if match_by < deadline {
			Some(Self::schedule_timeout(match_by, id, Timeout::MatchBy)?)
		} else {
			None
		};
		let runs: Vec<Run<T>> = (0..=redundancy)
			.map(|_| Run { funding: EscrowPart::Payer, state: RunState::Pending })
			.collect();
		let runs = BoundedVec::try_from(runs).map_err(|_| Error::<T>::TooMuchRedundancy)?;
		let mut job = Job::<T> {
			owner: admission.payer.clone(),
			spec,
			input,
			max_unit_price,
			class,
			deadline,
			deadline_at,
			redundancy,
			run_budget,
			attempts: 0,
			check_drawn: false,
			draw_at: None,
			tie_break: false,
			queued: None,
			runs,
			lease: None,
			match_by_at,
		};
		Self::enqueue(id, &mut job);
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::Submitted {
			job: id,
			owner: admission.payer,
			class,
			service: kind,
			escrow,
		});
		Ok(id)
	}

	/// Check container/serverless limits and rental blocks.
	///
	/// # Errors
	/// `InvalidLimits`.
	fn validate_service(service: &JobService) -> DispatchResult {
		match service {
			JobService::Container { limits, .. } | JobService::Serverless { limits, .. } => {
				let ok = (1..=MAX_CPU_MILLIS).contains(&limits.cpu_millis)
					&& (1..=MAX_MEMORY_MB).contains(&limits.memory_mb)
					&& (1..=MAX_PIDS).contains(&limits.pids)
					&& (1..=MAX_TIMEOUT_S).contains(&limits.timeout_s);
				ensure!(ok, Error::<T>::InvalidLimits);
			},
			JobService::Rental { blocks } => ensure!(*blocks > 0, Error::<T>::InvalidLimits),
			_ => {},
		}
		Ok(())
	}

	/// Whether input or output bytes are empty: inline `0x`, or remote with an all-zero
	/// content hash (nothing can have that hash).
	pub(crate) fn is_empty(data: &DataInput) -> bool {
		match data {
			DataInput::Inline(bytes) => bytes.is_empty(),
			DataInput::Remote { hash, .. } => *hash == [0u8; 32],
		}
	}

	/// Bound call bytes: inline at most `L` bytes, a URI of 1 to `U` bytes.
	///
	/// # Errors
	/// `DataTooLong`, `BadUri`.
	pub(crate) fn bound_data<L: Get<u32>, U: Get<u32>>(
		data: DataInput,
	) -> Result<Payload<L, U>, DispatchError> {
		Ok(match data {
			DataInput::Inline(bytes) => {
				Payload::Inline(BoundedVec::try_from(bytes).map_err(|_| Error::<T>::DataTooLong)?)
			},
			DataInput::Remote { hash, uri } => {
				ensure!(!uri.is_empty(), Error::<T>::BadUri);
				Payload::Remote {
					hash,
					uri: BoundedVec::try_from(uri).map_err(|_| Error::<T>::BadUri)?,
				}
			},
		})
	}

	/// The price a provider is paid per unit: discounted by `spot_discount` (rounded up) for
	/// Spot jobs.
	pub(crate) fn effective_price(class: JobClass, price: UnitPrice) -> UnitPrice {
		if class == JobClass::Spot {
			T::Billing::spot_discount().left_from_one().mul_ceil(price)
		} else {
			price
		}
	}

	/// A rental's price per block: `ceil(price per hour / BlocksPerHour)`.
	pub(crate) fn price_per_block(price: UnitPrice) -> u128 {
		price.div_ceil(u128::from(T::BlocksPerHour::get().max(1)))
	}

	/// A pseudo-random `u64` from `blake2_256(parent_hash ‖ job ‖ run ‖ tag)`. The block author
	/// can bias it (see the crate docs).
	pub(crate) fn random(job: JobId, run: u32, tag: &[u8; 4]) -> u64 {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let hash = sp_io::hashing::blake2_256(&(parent, job, run, tag).encode());
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(&hash[..8]);
		u64::from_le_bytes(bytes)
	}

	/// `blocks` as a block number (saturating).
	pub(crate) fn blocks_of(blocks: u128) -> frame_system::pallet_prelude::BlockNumberFor<T> {
		blocks.saturated_into()
	}
}
