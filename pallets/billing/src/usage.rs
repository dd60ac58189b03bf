//! Usage statistics per (payer, day, service) and per (day, service). Counters saturate.

use crate::{pallet::*, Balance, EscrowPart, ServiceKind};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// The current statistics day: `block / BlocksPerDay`.
	pub fn day() -> BlockNumberFor<T> {
		let per_day = T::BlocksPerDay::get();
		if per_day.is_zero() {
			return Zero::zero();
		}
		frame_system::Pallet::<T>::block_number() / per_day
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
			UsageOf::<T>::mutate((payer, day, service), |u| {
				u.spent = u.spent.saturating_add(amount)
			});
		}
		NetworkUsageOf::<T>::mutate(day, service, |n| n.volume = n.volume.saturating_add(amount));
	}

	/// Record a closed job of `payer` that used `tokens`.
	pub(crate) fn record_close(payer: &T::AccountId, service: ServiceKind, tokens: u64) {
		let day = Self::day();
		UsageOf::<T>::mutate((payer, day, service), |u| {
			u.jobs = u.jobs.saturating_add(1);
			u.tokens = u.tokens.saturating_add(tokens);
		});
		NetworkUsageOf::<T>::mutate(day, service, |n| {
			n.jobs = n.jobs.saturating_add(1);
			n.tokens = n.tokens.saturating_add(tokens);
		});
	}
}
