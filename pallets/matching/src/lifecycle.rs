//! The workers' side of a run (accept, result, failure) and the owner's cancel.

use crate::{
	pallet::*, FailureCode, Job, JobId, JobUsage, Outcome, ProvisionsInspect, ResultInput, RunState,
};
use frame_support::{pallet_prelude::*, storage::with_storage_layer};

impl<T: Config> Pallet<T> {
	/// Run one batch item in its own storage layer; a failure is emitted as `ItemFailed` and
	/// rolled back without affecting the other items.
	pub(crate) fn batch_item(job: JobId, f: impl FnOnce() -> DispatchResult) {
		if let Err(error) = with_storage_layer(f) {
			Self::deposit_event(Event::ItemFailed { job, error });
		}
	}

	/// The index of the in-flight run of `job` whose provision's current worker key is `who`.
	///
	/// # Errors
	/// `NotWorker`.
	fn worker_run(who: &T::AccountId, job: &Job<T>) -> Result<usize, DispatchError> {
		job.runs
			.iter()
			.position(|r| {
				r.state.in_flight()
					&& r.state
						.provision()
						.is_some_and(|p| T::Provisions::worker_of(p).as_ref() == Some(who))
			})
			.ok_or_else(|| Error::<T>::NotWorker.into())
	}

	/// Accept the run of `id` assigned to `who`'s provision; a rental's lease starts.
	///
	/// # Errors
	/// `UnknownJob`, `NotWorker`, `NotAssigned`, `TimeoutQueueFull` (rental lease end).
	pub(crate) fn do_accept(who: &T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let r = Self::worker_run(who, &job)?;
		let state = job.runs.get(r).map(|run| run.state.clone()).ok_or(Error::<T>::NotWorker)?;
		let RunState::Assigned { provision, provider, price, .. } = state else {
			return Err(Error::<T>::NotAssigned.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		if job.spec.service.is_rental() {
			Self::start_lease(id, &mut job, price, now)?;
		}
		if let Some(run) = job.runs.get_mut(r) {
			run.state = RunState::Accepted { provision, provider, price, accepted_at: now };
		}
		// Served in time: from now on only the deadline bounds it (its `MatchBy` entry, if
		// still queued, is stale).
		job.match_by_at = None;
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::Accepted { job: id, run: r as u32, provision });
		Ok(())
	}

	/// Record the result of `who`'s accepted run; settle when every run is done.
	///
	/// An empty result is not a served result: empty output bytes (inline `0x`, remote with an
	/// all-zero content hash) or an all-zero output hash are refused and the run stays as it
	/// was. A service whose answer may be empty (a chat reply that is only a stop token) sends
	/// a non-empty output document that says so, its hash and its usage.
	///
	/// # Errors
	/// `UnknownJob`, `NotWorker`, `NotAccepted`, `WrongService` (rentals have no result),
	/// `EmptyOutput`, `DataTooLong`, `BadUri`.
	pub(crate) fn do_submit_result(who: &T::AccountId, result: ResultInput) -> DispatchResult {
		let id = result.job;
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(!job.spec.service.is_rental(), Error::<T>::WrongService);
		let r = Self::worker_run(who, &job)?;
		let state = job.runs.get(r).map(|run| run.state.clone()).ok_or(Error::<T>::NotWorker)?;
		let RunState::Accepted { provision, provider, price, .. } = state else {
			return Err(Error::<T>::NotAccepted.into());
		};
		ensure!(
			!Self::is_empty(&result.output) && result.output_hash != [0u8; 32],
			Error::<T>::EmptyOutput
		);
		let output = Self::bound_data(result.output)?;
		let usage = cap_usage(&result.usage, &job.spec.max_usage);
		Self::free_slot(&provision, id);
		if let Some(run) = job.runs.get_mut(r) {
			run.state = RunState::Done {
				provision,
				provider,
				price,
				output_hash: result.output_hash,
				usage,
			};
		}
		Self::deposit_event(Event::ResultSubmitted {
			job: id,
			run: r as u32,
			provision,
			output_hash: result.output_hash,
			output,
			usage,
		});
		Self::after_result(id, job);
		Ok(())
	}

	/// Put `who`'s run of `id` back in the queue (or end the job after `MaxAttempts`); a
	/// started lease ends, paid for its elapsed blocks.
	///
	/// # Errors
	/// `UnknownJob`, `NotWorker`.
	pub(crate) fn do_report_failure(
		who: &T::AccountId,
		id: JobId,
		reason: FailureCode,
	) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let r = Self::worker_run(who, &job)?;
		let provision = job
			.runs
			.get(r)
			.and_then(|run| run.state.provision().copied())
			.ok_or(Error::<T>::NotWorker)?;
		Self::deposit_event(Event::RunFailed { job: id, run: r as u32, provision, reason });
		if job.lease.is_some() {
			let now = frame_system::Pallet::<T>::block_number();
			Self::end_lease(id, job, now);
			return Ok(());
		}
		Self::drop_run(id, &mut job, r);
		Self::after_drop(id, job);
		Ok(())
	}

	/// Cancel a job nothing of which was accepted; everything is refunded.
	///
	/// # Errors
	/// `UnknownJob`, `NotOwner`, `AlreadyStarted`.
	pub(crate) fn do_cancel(who: T::AccountId, id: JobId) -> DispatchResult {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.owner == who, Error::<T>::NotOwner);
		ensure!(!job.started(), Error::<T>::AlreadyStarted);
		Self::close_job(id, job, Outcome::Cancelled, None, 0);
		Ok(())
	}

	/// Free run `r`'s slot (if in flight) and make it pending again.
	pub(crate) fn drop_run(id: JobId, job: &mut Job<T>, r: usize) {
		if let Some(run) = job.runs.get_mut(r) {
			if let Some(p) = run.state.provision().copied() {
				if run.state.in_flight() {
					Self::free_slot(&p, id);
				}
			}
			run.state = RunState::Pending;
		}
	}

	/// Count a dropped run: more than `MaxAttempts` ends the job (`Failed`), otherwise it is
	/// re-queued. Stores the job.
	pub(crate) fn after_drop(id: JobId, mut job: Job<T>) {
		job.attempts = job.attempts.saturating_add(1);
		if job.attempts > T::MaxAttempts::get() {
			let winner = Self::partial_winner(&job);
			Self::close_job(id, job, Outcome::Failed, winner, 0);
		} else {
			Self::enqueue(id, &mut job);
			Jobs::<T>::insert(id, job);
		}
	}
}

/// `usage` capped field by field at `max`.
pub(crate) fn cap_usage(usage: &JobUsage, max: &JobUsage) -> JobUsage {
	JobUsage {
		input_tokens: usage.input_tokens.min(max.input_tokens),
		output_tokens: usage.output_tokens.min(max.output_tokens),
		compute_ms: usage.compute_ms.min(max.compute_ms),
		pages: usage.pages.min(max.pages),
		audio_seconds: usage.audio_seconds.min(max.audio_seconds),
	}
}
