//! Usage statistics per (day, payer, service) and per (day, service). Counters saturate;
//! payers' counters older than `UsageRetentionDays` are removed when blocks have room.

use crate::{pallet::*, weights::WeightInfo, Balance, EscrowPart, ServiceKind};
use frame_support::{traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};

/// The weight of removing usage counters: per day looked at, and per counter removed (from
/// the `prune_usage` benchmark, `n` counters of one day).
fn prune_weights<T: Config>() -> (Weight, Weight) {
	let one = T::WeightInfo::prune_usage(1);
	let each = T::WeightInfo::prune_usage(2).saturating_sub(one);
	(one.saturating_sub(each), each)
}

impl<T: Config> Pallet<T> {
	/// The current statistics day: `block / BlocksPerDay`.
	pub fn day() -> BlockNumberFor<T> {
		let per_day = T::BlocksPerDay::get();
		if per_day.is_zero() {
			return Zero::zero();
		}
		frame_system::Pallet::<T>::block_number() / per_day
	}

	/// Remove payers' counters of days past the retention period, oldest first, within
	/// `remaining`; a day left unfinished is continued later. Returns the weight used.
	pub(crate) fn prune_usage(remaining: Weight) -> Weight {
		let (per_day, per_counter) = prune_weights::<T>();
		let mut used = T::DbWeight::get().reads(1);
		let retention: BlockNumberFor<T> = T::UsageRetentionDays::get().into();
		let keep_from = Self::day().saturating_sub(retention);
		let mut day = UsagePrunedBefore::<T>::get();
		if day >= keep_from {
			return used;
		}
		while day < keep_from {
			let Some(room) = remaining.checked_sub(&used.saturating_add(per_day)) else { break };
			let limit = room.ref_time().checked_div(per_counter.ref_time().max(1)).unwrap_or(0);
			let limit = u32::try_from(limit).unwrap_or(u32::MAX);
			if limit == 0 {
				break;
			}
			let removed = UsageOf::<T>::clear_prefix((day,), limit, None);
			used = used
				.saturating_add(per_day)
				.saturating_add(per_counter.saturating_mul(removed.unique.into()));
			if removed.maybe_cursor.is_some() {
				break;
			}
			day = day.saturating_add(One::one());
		}
		UsagePrunedBefore::<T>::put(day);
		used.saturating_add(T::DbWeight::get().writes(1))
	}

	/// Record a payment of `amount` out of `part` of a job of `payer`: the payer's spending
	/// (payer part only) and the network volume.
	pub(crate) fn record_payment(
		payer: &T::AccountId,
		service: ServiceKind,
		part: EscrowPart,
		amount: Balance,
	) {
		let day = Self::day();
		if part == EscrowPart::Payer {
			UsageOf::<T>::mutate((day, payer, service), |u| {
				u.spent = u.spent.saturating_add(amount)
			});
		}
		NetworkUsageOf::<T>::mutate(day, service, |n| n.volume = n.volume.saturating_add(amount));
	}

	/// Record a closed job of `payer` that used `tokens`.
	pub(crate) fn record_close(payer: &T::AccountId, service: ServiceKind, tokens: u64) {
		let day = Self::day();
		UsageOf::<T>::mutate((day, payer, service), |u| {
			u.jobs = u.jobs.saturating_add(1);
			u.tokens = u.tokens.saturating_add(tokens);
		});
		NetworkUsageOf::<T>::mutate(day, service, |n| {
			n.jobs = n.jobs.saturating_add(1);
			n.tokens = n.tokens.saturating_add(tokens);
		});
	}
}
