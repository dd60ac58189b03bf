//! Verification (spot checks, comparison, tie-breaks) and settlement of finished jobs.

use crate::Timeout;
use crate::{
	pallet::*, EscrowPart, Hash32, Job, JobBilling, JobId, OnJobCompleted, Outcome,
	ProviderSlashing, Run, RunState, SlashReason,
};
use alloc::vec::Vec;
use cxmpute_primitives::jobs::job_cost;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// After a result: store the job while runs are outstanding; else, for a job without
	/// redundancy whose check was not drawn yet, schedule the spot-check draw in the next
	/// block (so the randomness is the hash of the block holding the result, which the worker
	/// did not know when it submitted); otherwise compare and settle.
	pub(crate) fn after_result(id: JobId, mut job: Job<T>) {
		let outstanding = job.runs.iter().any(|r| !matches!(r.state, RunState::Done { .. }));
		if outstanding {
			Jobs::<T>::insert(id, job);
			return;
		}
		if job.redundancy == 0 && !job.check_drawn {
			job.check_drawn = true;
			if Params::<T>::get().spot_check_rate.deconstruct() != 0 {
				let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
				if let Ok(at) = Self::schedule_timeout(next, id, Timeout::Draw) {
					job.draw_at = Some(at);
					Jobs::<T>::insert(id, job);
					return;
				}
				// No room to wait for the next block: draw now.
				if Self::draw_spot_check(id, &mut job) {
					Jobs::<T>::insert(id, job);
					return;
				}
			}
		}
		Self::compare_and_settle(id, job);
	}

	/// The spot-check draw of a job waiting for it (its `Draw` entry is due).
	pub(crate) fn do_draw(id: JobId, mut job: Job<T>) {
		job.draw_at = None;
		if Self::draw_spot_check(id, &mut job) {
			Jobs::<T>::insert(id, job);
		} else {
			Self::compare_and_settle(id, job);
		}
	}

	/// Draw with probability `spot_check_rate` whether to verify `job`; on success add a
	/// treasury-funded run (`false` when not drawn or not funded).
	fn draw_spot_check(id: JobId, job: &mut Job<T>) -> bool {
		let rate = Params::<T>::get().spot_check_rate;
		let draw = Self::random(id, 0, b"spot") % 1_000_000;
		if draw < u64::from(rate.deconstruct()) && Self::add_verification_run(id, job) {
			Self::deposit_event(Event::VerificationScheduled { job: id, tie_break: false });
			return true;
		}
		false
	}

	/// Every run is done: all equal, settle; a strict majority of three or more, settle with
	/// it; otherwise add a tie-break once, or close unresolved.
	fn compare_and_settle(id: JobId, mut job: Job<T>) {
		let hashes = done_hashes(&job);
		let first = hashes.first().copied();
		if hashes.iter().all(|h| Some(*h) == first) {
			return Self::close_job(id, job, Outcome::Settled, first, 0);
		}
		if hashes.len() >= 3 {
			if let Some(winner) = strict_majority(&hashes) {
				return Self::close_job(id, job, Outcome::Settled, Some(winner), 0);
			}
		}
		if !job.tie_break && Self::add_verification_run(id, &mut job) {
			job.tie_break = true;
			Self::deposit_event(Event::VerificationScheduled { job: id, tie_break: true });
			Jobs::<T>::insert(id, job);
			return;
		}
		// No majority and no (more) tie-break: nobody is paid or slashed.
		Self::close_job(id, job, Outcome::Unresolved, None, 0);
	}

	/// Add a treasury-funded pending run and queue the job; `false` (nothing changed) when
	/// the job has no room for a run or the treasury cannot fund it.
	fn add_verification_run(id: JobId, job: &mut Job<T>) -> bool {
		if job.runs.is_full() || T::Billing::fund_from_treasury(id, job.run_budget).is_err() {
			return false;
		}
		if job
			.runs
			.try_push(Run { funding: EscrowPart::Treasury, state: RunState::Pending })
			.is_err()
		{
			return false;
		}
		Self::enqueue(id, job);
		true
	}

	/// The strict-majority output among the finished runs of an unfinished job (expiry,
	/// failure); a single result wins alone.
	pub(crate) fn partial_winner(job: &Job<T>) -> Option<Hash32> {
		let hashes = done_hashes(job);
		match hashes.len() {
			0 => None,
			1 => hashes.first().copied(),
			_ => strict_majority(&hashes),
		}
	}

	/// End a job: pay the finished runs whose output is `winner` (reward them), slash the other
	/// finished runs when there is a winner, slash accepted but unfinished runs on expiry,
	/// free every slot, close the escrow (refunding the rest), remove the job and emit
	/// `JobClosed`. `paid` is what was already paid (a lease).
	pub(crate) fn close_job(
		id: JobId,
		mut job: Job<T>,
		outcome: Outcome,
		winner: Option<Hash32>,
		mut paid: u128,
	) {
		let kind = job.spec.service.kind();
		let mut tokens_used = 0u64;
		let mut counted = false;
		for run in job.runs.iter() {
			match &run.state {
				RunState::Done { provision, provider, price, output_hash, usage } => {
					if Some(*output_hash) == winner {
						paid = paid.saturating_add(Self::pay_run(
							id,
							&job,
							run.funding,
							provision,
							provider,
							*price,
							usage,
						));
						if !counted {
							tokens_used = usage.input_tokens.saturating_add(usage.output_tokens);
							counted = true;
						}
					} else if winner.is_some() {
						Self::slash(
							id,
							&job,
							provision,
							provider,
							T::WrongResultSlash::get(),
							SlashReason::WrongResult,
						);
					}
				},
				RunState::Assigned { provision, .. } => Self::free_slot(provision, id),
				RunState::Accepted { provision, provider, .. } => {
					Self::free_slot(provision, id);
					if outcome == Outcome::Expired {
						Self::slash(
							id,
							&job,
							provision,
							provider,
							T::ExpirySlash::get(),
							SlashReason::JobTimedOut,
						);
					}
				},
				RunState::Pending => {},
			}
		}
		Self::dequeue(&mut job);
		LiveJobs::<T>::mutate(job.class, |n| *n = n.saturating_sub(1));
		let refunded = T::Billing::close(id, kind, tokens_used).unwrap_or_else(|e| {
			log::error!(target: crate::LOG_TARGET, "closing the escrow of job {id} failed: {e:?}");
			0
		});
		Jobs::<T>::remove(id);
		Self::deposit_event(Event::JobClosed {
			job: id,
			outcome,
			output_hash: winner,
			paid,
			refunded,
		});
	}

	/// Pay one winning run: `job_cost(service, effective price, usage)` capped at the run's
	/// escrow share and at what is left of its part; report it to rewards. Returns the amount.
	#[allow(clippy::too_many_arguments)]
	fn pay_run(
		id: JobId,
		job: &Job<T>,
		funding: EscrowPart,
		provision: &crate::ProvisionId,
		provider: &T::AccountId,
		price: crate::UnitPrice,
		usage: &crate::JobUsage,
	) -> u128 {
		let kind = job.spec.service.kind();
		let price = Self::effective_price(job.class, price);
		let amount = job_cost(kind, price, usage)
			.unwrap_or(u128::MAX)
			.min(job.run_budget)
			.min(T::Billing::escrowed(id, funding));
		let paid = if amount > 0 {
			match T::Billing::pay(id, funding, provider, amount) {
				Ok(()) => {
					Self::deposit_event(Event::ProviderPaid {
						job: id,
						provision: *provision,
						provider: provider.clone(),
						amount,
					});
					amount
				},
				Err(e) => {
					log::error!(target: crate::LOG_TARGET, "paying job {id} failed: {e:?}");
					0
				},
			}
		} else {
			0
		};
		T::Rewards::on_job_completed(provision, kind, usage);
		paid
	}

	/// Slash `provider` up to `amount` (harmed: the job's owner) and emit `ProviderSlashed`.
	pub(crate) fn slash(
		id: JobId,
		job: &Job<T>,
		provision: &crate::ProvisionId,
		provider: &T::AccountId,
		amount: u128,
		reason: SlashReason,
	) {
		let amount = T::Slashing::slash(provider, amount, Some(&job.owner), reason);
		Self::deposit_event(Event::ProviderSlashed {
			job: id,
			provision: *provision,
			provider: provider.clone(),
			amount,
			reason,
		});
	}
}

/// The output hashes of the finished runs, in run order.
fn done_hashes<T: Config>(job: &Job<T>) -> Vec<Hash32> {
	job.runs
		.iter()
		.filter_map(|r| match &r.state {
			RunState::Done { output_hash, .. } => Some(*output_hash),
			_ => None,
		})
		.collect()
}

/// The hash held by more than half of `hashes`, if any.
fn strict_majority(hashes: &[Hash32]) -> Option<Hash32> {
	hashes
		.iter()
		.find(|h| hashes.iter().filter(|x| x == h).count().saturating_mul(2) > hashes.len())
		.copied()
}
