//! Subscriptions: plans, periods, token grants with rollover and overage, lazy renewal and
//! the limits enforced when a covered job is admitted.

use crate::{pallet::*, Grant, Plan, PlanTerms, Subscription};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// The effective terms of a public plan (`None` for [`Plan::Enterprise`]).
	pub fn public_terms(plan: Plan) -> Option<PlanTerms> {
		PlanTermsOf::<T>::get(plan).or_else(|| crate::default_plan_terms(plan))
	}

	/// The terms `who` gets for `plan`: the public terms, or `who`'s enterprise terms.
	pub fn terms_for(who: &T::AccountId, plan: Plan) -> Option<PlanTerms> {
		match plan {
			Plan::Enterprise => EnterpriseTermsOf::<T>::get(who),
			_ => Self::public_terms(plan),
		}
	}

	/// Subscribe `who` to `plan`, paying its price from credits into the pool. An ended
	/// subscription is replaced, keeping its live grants and overage.
	///
	/// # Errors
	/// [`Error::AlreadySubscribed`], [`Error::NoEnterpriseTerms`],
	/// [`Error::InsufficientCredits`], [`Error::Overflow`].
	pub(crate) fn do_subscribe(who: T::AccountId, plan: Plan, auto_renew: bool) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let previous = SubscriptionOf::<T>::get(&who);
		if let Some(sub) = &previous {
			ensure!(now >= sub.period_end, Error::<T>::AlreadySubscribed);
		}
		let terms = Self::terms_for(&who, plan).ok_or(Error::<T>::NoEnterpriseTerms)?;
		Self::debit(&who, terms.price)?;
		Self::pool_add(terms.price)?;
		let mut sub = previous.unwrap_or(Subscription {
			plan,
			terms,
			auto_renew,
			period_end: now,
			grants: Default::default(),
			overage: 0,
			window_start: now,
			window_requests: 0,
		});
		sub.plan = plan;
		sub.auto_renew = auto_renew;
		Self::start_period(&mut sub, terms, now);
		let period_end = sub.period_end;
		SubscriptionOf::<T>::insert(&who, sub);
		Self::deposit_event(Event::Subscribed { who, plan, price: terms.price, period_end });
		Ok(())
	}

	/// Stop renewing `who`'s subscription.
	///
	/// # Errors
	/// [`Error::NotSubscribed`].
	pub(crate) fn do_cancel_subscription(who: T::AccountId) -> DispatchResult {
		SubscriptionOf::<T>::try_mutate(&who, |sub| {
			let sub = sub.as_mut().ok_or(Error::<T>::NotSubscribed)?;
			sub.auto_renew = false;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::SubscriptionCancelled { who });
		Ok(())
	}

	/// Start a period of `sub` at `now` with `terms`: drop expired grants, grant the period's
	/// tokens minus the overage (the oldest grant goes when [`crate::MAX_GRANTS`] are kept).
	pub(crate) fn start_period(
		sub: &mut Subscription<BlockNumberFor<T>>,
		terms: PlanTerms,
		now: BlockNumberFor<T>,
	) {
		Self::prune_grants(sub, now);
		sub.terms = terms;
		sub.period_end = now.saturating_add(T::SubscriptionPeriod::get());
		let granted = terms.tokens_per_period.saturating_sub(sub.overage);
		sub.overage = sub.overage.saturating_sub(terms.tokens_per_period);
		if sub.grants.is_full() {
			sub.grants.remove(0);
		}
		// Cannot fail: a slot was freed above.
		let _ = sub.grants.try_push(Grant { granted_at: now, remaining: granted });
	}

	/// Drop grants that expired (`now >= granted_at + RolloverPeriod`) or are used up.
	pub(crate) fn prune_grants(sub: &mut Subscription<BlockNumberFor<T>>, now: BlockNumberFor<T>) {
		let rollover = T::RolloverPeriod::get();
		sub.grants.retain(|g| g.remaining > 0 && now < g.granted_at.saturating_add(rollover));
	}

	/// `who`'s subscription after lazy renewal at `now`: an ended one renews if it
	/// auto-renews, has terms and the credits pay the price; otherwise it lapses (`None`).
	///
	/// # Errors
	/// [`Error::Overflow`].
	pub(crate) fn refresh_subscription(
		who: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> Result<Option<Subscription<BlockNumberFor<T>>>, DispatchError> {
		let Some(mut sub) = SubscriptionOf::<T>::get(who) else { return Ok(None) };
		if now < sub.period_end {
			return Ok(Some(sub));
		}
		let terms = if sub.auto_renew { Self::terms_for(who, sub.plan) } else { None };
		match terms {
			Some(terms) if CreditsOf::<T>::get(who) >= terms.price => {
				Self::debit(who, terms.price)?;
				Self::pool_add(terms.price)?;
				Self::start_period(&mut sub, terms, now);
				SubscriptionOf::<T>::insert(who, &sub);
				Self::deposit_event(Event::SubscriptionRenewed {
					who: who.clone(),
					plan: sub.plan,
					price: terms.price,
					period_end: sub.period_end,
				});
				Ok(Some(sub))
			},
			_ => {
				SubscriptionOf::<T>::remove(who);
				Self::deposit_event(Event::SubscriptionLapsed { who: who.clone(), plan: sub.plan });
				Ok(None)
			},
		}
	}

	/// Admission of a covered job of `payer` (renewing lazily): `Ok(false)` when no
	/// subscription runs; otherwise check concurrency (`open` jobs with this one), the
	/// request rate and the token allowance for `max_tokens`, and count the request.
	///
	/// # Errors
	/// [`Error::ConcurrencyLimitReached`], [`Error::RateLimited`],
	/// [`Error::TokenAllowanceExceeded`], [`Error::Overflow`].
	pub(crate) fn admit_subscribed(
		payer: &T::AccountId,
		open: u32,
		max_tokens: u64,
	) -> Result<bool, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let Some(mut sub) = Self::refresh_subscription(payer, now)? else { return Ok(false) };
		ensure!(open <= sub.terms.concurrency, Error::<T>::ConcurrencyLimitReached);
		if now >= sub.window_start.saturating_add(T::BlocksPerMinute::get()) {
			sub.window_start = now;
			sub.window_requests = 0;
		}
		ensure!(sub.window_requests < sub.terms.requests_per_minute, Error::<T>::RateLimited);
		sub.window_requests = sub.window_requests.saturating_add(1);
		Self::prune_grants(&mut sub, now);
		let available = Self::live_tokens(&sub).saturating_add(sub.terms.overage_buffer());
		let committed = sub
			.overage
			.checked_add(ReservedTokensOf::<T>::get(payer))
			.and_then(|c| c.checked_add(max_tokens))
			.ok_or(Error::<T>::TokenAllowanceExceeded)?;
		ensure!(committed <= available, Error::<T>::TokenAllowanceExceeded);
		SubscriptionOf::<T>::insert(payer, sub);
		Ok(true)
	}

	/// Tokens left in the grants of `sub` (call [`Self::prune_grants`] first).
	pub(crate) fn live_tokens(sub: &Subscription<BlockNumberFor<T>>) -> u64 {
		sub.grants.iter().fold(0u64, |acc, g| acc.saturating_add(g.remaining))
	}

	/// Consume `tokens` from `who`'s live grants, oldest first; the rest becomes overage.
	/// Does nothing when `who` has no subscription any more.
	pub(crate) fn consume_tokens(who: &T::AccountId, tokens: u64) {
		let now = frame_system::Pallet::<T>::block_number();
		SubscriptionOf::<T>::mutate(who, |sub| {
			let Some(sub) = sub else { return };
			Self::prune_grants(sub, now);
			let mut left = tokens;
			for g in sub.grants.iter_mut() {
				let used = left.min(g.remaining);
				g.remaining = g.remaining.saturating_sub(used);
				left = left.saturating_sub(used);
			}
			sub.overage = sub.overage.saturating_add(left);
			Self::prune_grants(sub, now);
		});
	}

	/// What `who` can still commit now (see the `token_allowance` view function).
	pub(crate) fn allowance_of(who: &T::AccountId) -> u64 {
		let now = frame_system::Pallet::<T>::block_number();
		let Some(mut sub) = SubscriptionOf::<T>::get(who) else { return 0 };
		if now >= sub.period_end {
			return 0;
		}
		Self::prune_grants(&mut sub, now);
		Self::live_tokens(&sub)
			.saturating_add(sub.terms.overage_buffer())
			.saturating_sub(sub.overage)
			.saturating_sub(ReservedTokensOf::<T>::get(who))
	}
}
