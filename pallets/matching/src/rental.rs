//! Rentals: leases billed per block from the escrow, lazily (no hook iterates leases).

use crate::{
	pallet::*, EscrowPart, Job, JobBilling, JobId, JobService, JobUsage, Lease, OnJobCompleted,
	Outcome, RunState, Timeout, UnitPrice,
};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{SaturatedConversion, Saturating};

impl<T: Config> Pallet<T> {
	/// Start the lease of rental `id` accepted at `price` per hour: it ends after the blocks
	/// asked for (submitted plus extended), or earlier where the escrow runs dry,
	/// `now + min(blocks, floor(escrow / price_per_block))`; the end is queued in `TimeoutsAt`.
	///
	/// # Errors
	/// `TimeoutQueueFull`.
	pub(crate) fn start_lease(
		id: JobId,
		job: &mut Job<T>,
		price: UnitPrice,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		let price_per_block = Self::price_per_block(Self::effective_price(job.class, price)).max(1);
		let funded = T::Billing::escrowed(id, EscrowPart::Payer) / price_per_block;
		let asked = match job.spec.service {
			JobService::Rental { blocks } => u128::from(blocks),
			_ => 0,
		};
		let ends_at = now.saturating_add(Self::blocks_of(funded.min(asked)));
		let entry_at = Self::schedule_timeout(ends_at, id, Timeout::LeaseEnd)?;
		job.lease = Some(Lease { started_at: now, ends_at, entry_at, price_per_block });
		Ok(())
	}

	/// Top a rental up by `blocks` at its price per block (agreed, or before acceptance the
	/// maximum) and move its end.
	///
	/// # Errors
	/// `UnknownJob`, `NotOwner`, `WrongService`, `ZeroBlocks`, `Overflow`, billing's `top_up`
	/// errors, `TimeoutQueueFull`.
	pub(crate) fn do_extend_rental(who: T::AccountId, id: JobId, blocks: u32) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.owner == who, Error::<T>::NotOwner);
		ensure!(job.spec.service.is_rental(), Error::<T>::WrongService);
		ensure!(blocks > 0, Error::<T>::ZeroBlocks);
		let price_per_block = job
			.lease
			.map(|l| l.price_per_block)
			.unwrap_or_else(|| Self::price_per_block(job.max_unit_price));
		let amount = price_per_block.checked_mul(u128::from(blocks)).ok_or(Error::<T>::Overflow)?;
		T::Billing::top_up(id, amount)?;
		job.run_budget = job.run_budget.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		if let JobService::Rental { blocks: asked } = &mut job.spec.service {
			*asked = asked.saturating_add(blocks);
		}
		let mut ends = None;
		if let Some(lease) = job.lease.as_mut() {
			lease.ends_at = lease.ends_at.saturating_add(blocks.into());
			// The old entry becomes stale: the lease names the new block.
			lease.entry_at = Self::schedule_timeout(lease.ends_at, id, Timeout::LeaseEnd)?;
			ends = Some(lease.ends_at);
		}
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::RentalExtended { job: id, blocks, ends_at: ends });
		Ok(())
	}

	/// End a rental now: a started lease is paid for its elapsed blocks, an unstarted rental
	/// is cancelled.
	///
	/// # Errors
	/// `UnknownJob`, `NotOwner`, `WrongService`.
	pub(crate) fn do_end_rental(who: T::AccountId, id: JobId) -> DispatchResult {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.owner == who, Error::<T>::NotOwner);
		ensure!(job.spec.service.is_rental(), Error::<T>::WrongService);
		if job.lease.is_some() {
			Self::end_lease(id, job, frame_system::Pallet::<T>::block_number());
		} else {
			Self::close_job(id, job, Outcome::Cancelled, None, 0);
		}
		Ok(())
	}

	/// Pay the provider of the lease `(min(now, ends_at) - started_at) × price_per_block`
	/// (capped at the escrow), report the usage to rewards, and close the job.
	pub(crate) fn end_lease(id: JobId, job: Job<T>, now: BlockNumberFor<T>) {
		let Some(lease) = job.lease else {
			return Self::close_job(id, job, Outcome::LeaseEnded, None, 0);
		};
		let elapsed: u128 =
			now.min(lease.ends_at).saturating_sub(lease.started_at).saturated_into();
		let amount = elapsed
			.saturating_mul(lease.price_per_block)
			.min(T::Billing::escrowed(id, EscrowPart::Payer));
		let mut paid = 0;
		let run = job.runs.iter().find_map(|r| match &r.state {
			RunState::Accepted { provision, provider, .. } => Some((*provision, provider.clone())),
			_ => None,
		});
		if let Some((provision, provider)) = run {
			if amount > 0 && T::Billing::pay(id, EscrowPart::Payer, &provider, amount).is_ok() {
				paid = amount;
				Self::deposit_event(Event::ProviderPaid { job: id, provision, provider, amount });
			}
			let per_block_ms = 3_600_000u128 / u128::from(T::BlocksPerHour::get().max(1));
			let usage = JobUsage {
				compute_ms: elapsed.saturating_mul(per_block_ms).saturated_into(),
				..Default::default()
			};
			T::Rewards::on_job_completed(&provision, job.spec.service.kind(), &usage);
		}
		Self::close_job(id, job, Outcome::LeaseEnded, None, paid);
	}
}
