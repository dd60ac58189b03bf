//! Job escrows: admission, top-ups, treasury funding, payments and closing. These back the
//! [`crate::JobBilling`] implementation; each is atomic.

use crate::{
	pallet::*, subscription_covers, Admission, Balance, Escrow, EscrowPart, Funding, JobId,
	ServiceKind, LOG_TARGET,
};
use frame_support::{ensure, storage::with_storage_layer, traits::Get};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Admit job `job` signed by `signer`: resolve the payer (the owner when `signer` is an API
	/// key), check the key's and the subscription's limits, and escrow `escrow` from the
	/// subscription pool (covered jobs) or the payer's credits.
	///
	/// # Errors
	/// - [`Error::EscrowExists`];
	/// - key checks: [`Error::ApiKeyRevoked`], [`Error::OutOfScope`],
	///   [`Error::SpendingCapExceeded`];
	/// - subscription checks: [`Error::ConcurrencyLimitReached`], [`Error::RateLimited`],
	///   [`Error::TokenAllowanceExceeded`], [`Error::SubscriptionPoolExhausted`];
	/// - [`Error::InsufficientCredits`] for pay-as-you-go, [`Error::Overflow`].
	pub(crate) fn do_admit(
		job: JobId,
		signer: &T::AccountId,
		service: ServiceKind,
		escrow: Balance,
		max_tokens: u64,
	) -> Result<Admission<T::AccountId>, DispatchError> {
		with_storage_layer(|| {
			ensure!(!Escrows::<T>::contains_key(job), Error::<T>::EscrowExists);
			let (payer, api_key) = match Self::charge_key(signer, service, escrow)? {
				Some(owner) => (owner, Some(signer.clone())),
				None => (signer.clone(), None),
			};
			let open = OpenJobsOf::<T>::get(&payer).checked_add(1).ok_or(Error::<T>::Overflow)?;
			let subscribed =
				subscription_covers(service) && Self::admit_subscribed(&payer, open, max_tokens)?;
			let (funding, reserved_tokens) = if subscribed {
				Self::pool_take(escrow)?;
				if max_tokens > 0 {
					let reserved = ReservedTokensOf::<T>::get(&payer)
						.checked_add(max_tokens)
						.ok_or(Error::<T>::Overflow)?;
					ReservedTokensOf::<T>::insert(&payer, reserved);
				}
				(Funding::Subscription, max_tokens)
			} else {
				Self::debit(&payer, escrow)?;
				(Funding::Credits, 0)
			};
			Self::add_escrowed(escrow)?;
			if subscribed {
				OpenJobsOf::<T>::insert(&payer, open);
			}
			Escrows::<T>::insert(
				job,
				Escrow {
					payer: payer.clone(),
					funding,
					api_key: api_key.clone(),
					service,
					payer_part: escrow,
					treasury_part: 0,
					payer_in: escrow,
					treasury_in: 0,
					payer_paid: 0,
					treasury_paid: 0,
					reserved_tokens,
				},
			);
			Self::deposit_event(Event::EscrowOpened {
				job,
				payer: payer.clone(),
				api_key,
				service,
				amount: escrow,
				subscribed,
			});
			Ok(Admission { payer, subscribed })
		})
	}

	/// Add `amount` to the payer part of `job`'s escrow, from where the payer part came from
	/// (the payer's credits, or the subscription pool for a covered job). A zero amount does
	/// nothing.
	///
	/// # Errors
	/// [`Error::UnknownEscrow`], [`Error::InsufficientCredits`] or
	/// [`Error::SubscriptionPoolExhausted`], [`Error::SpendingCapExceeded`] (key-signed jobs),
	/// [`Error::Overflow`].
	pub(crate) fn do_top_up(job: JobId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		with_storage_layer(|| {
			let mut e = Escrows::<T>::get(job).ok_or(Error::<T>::UnknownEscrow)?;
			if let Some(key) = &e.api_key {
				Self::charge_key_topup(key, amount)?;
			}
			match e.funding {
				Funding::Credits => Self::debit(&e.payer, amount)?,
				Funding::Subscription => Self::pool_take(amount)?,
			}
			e.payer_part = e.payer_part.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			e.payer_in = e.payer_in.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Self::add_escrowed(amount)?;
			Escrows::<T>::insert(job, e);
			Self::deposit_event(Event::EscrowToppedUp { job, amount });
			Ok(())
		})
	}

	/// Add `amount` of the treasury's credits to the treasury part of `job`'s escrow. A zero
	/// amount does nothing.
	///
	/// # Errors
	/// [`Error::UnknownEscrow`], [`Error::InsufficientTreasuryCredits`], [`Error::Overflow`].
	pub(crate) fn do_fund_from_treasury(job: JobId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		with_storage_layer(|| {
			let mut e = Escrows::<T>::get(job).ok_or(Error::<T>::UnknownEscrow)?;
			Self::debit_or(
				&T::Treasury::get(),
				amount,
				Error::<T>::InsufficientTreasuryCredits.into(),
			)?;
			e.treasury_part = e.treasury_part.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			e.treasury_in = e.treasury_in.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Self::add_escrowed(amount)?;
			Escrows::<T>::insert(job, e);
			Self::deposit_event(Event::TreasuryFunded { job, amount });
			Ok(())
		})
	}

	/// Pay `provider` `amount` out of `part` of `job`'s escrow: `amount - fee` to the
	/// provider's credits and `fee = ceil(amount * PlatformFee)` to the treasury's. A zero
	/// amount does nothing.
	///
	/// # Errors
	/// [`Error::UnknownEscrow`], [`Error::InsufficientEscrow`], [`Error::Overflow`].
	pub(crate) fn do_pay(
		job: JobId,
		part: EscrowPart,
		provider: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		with_storage_layer(|| {
			let mut e = Escrows::<T>::get(job).ok_or(Error::<T>::UnknownEscrow)?;
			let (left, paid) = match part {
				EscrowPart::Payer => (&mut e.payer_part, &mut e.payer_paid),
				EscrowPart::Treasury => (&mut e.treasury_part, &mut e.treasury_paid),
			};
			*left = left.checked_sub(amount).ok_or(Error::<T>::InsufficientEscrow)?;
			*paid = paid.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			let fee = PlatformFee::<T>::get().mul_ceil(amount);
			let net = amount.checked_sub(fee).ok_or(Error::<T>::Overflow)?;
			Self::sub_escrowed(amount)?;
			Self::credit(provider, net)?;
			Self::credit(&T::Treasury::get(), fee)?;
			Self::record_payment(&e.payer, e.service, part, amount);
			Escrows::<T>::insert(job, e);
			Self::deposit_event(Event::Paid { job, part, provider: provider.clone(), amount, fee });
			Ok(())
		})
	}

	/// Close `job`'s escrow: refund the payer part to the payer's credits (or the subscription
	/// pool), the treasury part to the treasury's credits; release the concurrency slot and
	/// the token reservation, consume `tokens_used` from the subscription and give the
	/// refund back to the key's spending. Returns the payer refund.
	///
	/// # Errors
	/// [`Error::UnknownEscrow`], [`Error::Overflow`].
	pub(crate) fn do_close(
		job: JobId,
		service: ServiceKind,
		tokens_used: u64,
	) -> Result<Balance, DispatchError> {
		with_storage_layer(|| {
			let e = Escrows::<T>::take(job).ok_or(Error::<T>::UnknownEscrow)?;
			if e.service != service {
				log::warn!(
					target: LOG_TARGET,
					"job {job} closed as {service:?} but admitted as {:?}; using the latter",
					e.service
				);
			}
			Self::sub_escrowed(
				e.payer_part.checked_add(e.treasury_part).ok_or(Error::<T>::Overflow)?,
			)?;
			match e.funding {
				Funding::Credits => Self::credit(&e.payer, e.payer_part)?,
				Funding::Subscription => {
					Self::pool_add(e.payer_part)?;
					ReservedTokensOf::<T>::mutate_exists(&e.payer, |r| {
						let left = r.unwrap_or(0).saturating_sub(e.reserved_tokens);
						*r = (left > 0).then_some(left);
					});
					OpenJobsOf::<T>::mutate_exists(&e.payer, |n| {
						let left = n.unwrap_or(0).saturating_sub(1);
						*n = (left > 0).then_some(left);
					});
					Self::consume_tokens(&e.payer, tokens_used);
				},
			}
			Self::credit(&T::Treasury::get(), e.treasury_part)?;
			if let Some(key) = &e.api_key {
				ApiKeys::<T>::mutate(key, |k| {
					if let Some(k) = k {
						k.spent = k.spent.saturating_sub(e.payer_part);
					}
				});
			}
			Self::record_close(&e.payer, e.service, tokens_used);
			Self::deposit_event(Event::EscrowClosed {
				job,
				refunded: e.payer_part,
				treasury_refunded: e.treasury_part,
			});
			Ok(e.payer_part)
		})
	}

	/// What is left in `part` of `job`'s escrow (zero for an unknown job).
	pub(crate) fn escrowed_in(job: JobId, part: EscrowPart) -> Balance {
		Escrows::<T>::get(job)
			.map(|e| match part {
				EscrowPart::Payer => e.payer_part,
				EscrowPart::Treasury => e.treasury_part,
			})
			.unwrap_or(0)
	}

	fn add_escrowed(amount: Balance) -> DispatchResult {
		TotalEscrowed::<T>::try_mutate(|t| {
			*t = t.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}

	fn sub_escrowed(amount: Balance) -> DispatchResult {
		TotalEscrowed::<T>::try_mutate(|t| {
			*t = t.checked_sub(amount).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}
}
