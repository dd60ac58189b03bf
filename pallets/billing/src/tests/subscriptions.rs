//! Subscriptions: subscribing, covered jobs, limits, rollover, overage and lazy renewal.

use super::mock::*;
use crate::{
	Admission, Error, Event, Funding, Grant, Plan, PlanTerms, SubscriptionOf, SubscriptionPool, USD,
};
use cxmpute_primitives::ServiceKind;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const I: ServiceKind = ServiceKind::Inference;

/// Small Starter terms: $15, 10 jobs at once, 100 requests per minute, 1,000 tokens (buffer 100).
fn small_terms() -> PlanTerms {
	PlanTerms {
		price: 15 * USD,
		concurrency: 10,
		requests_per_minute: 100,
		tokens_per_period: 1_000,
	}
}

fn ext() -> ExtBuilder {
	ExtBuilder::default().with_credits(ALICE, 100 * USD).with_credits(BOB, 100 * USD)
}

fn subscribe(who: AccountId, plan: Plan, auto_renew: bool) {
	assert_ok!(Billing::subscribe(RuntimeOrigin::signed(who), plan, auto_renew));
}

fn small_subscription(who: AccountId) {
	assert_ok!(Billing::set_plan_terms(RuntimeOrigin::root(), Plan::Starter, small_terms()));
	subscribe(who, Plan::Starter, true);
}

fn grants(who: AccountId) -> Vec<(u64, u64)> {
	SubscriptionOf::<Test>::get(who)
		.map(|s| s.grants.iter().map(|g| (g.granted_at, g.remaining)).collect())
		.unwrap_or_default()
}

#[test]
fn subscribe_works() {
	ext().build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		System::assert_last_event(
			Event::Subscribed {
				who: ALICE,
				plan: Plan::Starter,
				price: 15 * USD,
				period_end: 1 + PERIOD,
			}
			.into(),
		);
		assert_eq!(credits(ALICE), 85 * USD);
		assert_eq!(SubscriptionPool::<Test>::get(), 15 * USD);
		let sub = Billing::subscription_of(ALICE).unwrap();
		assert_eq!(sub.grants.to_vec(), vec![Grant { granted_at: 1, remaining: 20_000_000 }]);
		assert!(sub.auto_renew);
		assert_eq!(Billing::token_allowance(ALICE), 22_000_000, "grant plus 10% buffer");
		assert_eq!(Billing::token_allowance(BOB), 0);
	});
}

#[test]
fn default_plans_have_the_published_terms() {
	ExtBuilder::default().build_and_execute(|| {
		let cases = [
			(Plan::Starter, 15 * USD, 1, 40, 20_000_000),
			(Plan::Pro, 69 * USD, 4, 200, 100_000_000),
			(Plan::Scale, 249 * USD, 15, 1_000, 600_000_000),
		];
		for (plan, price, concurrency, requests_per_minute, tokens_per_period) in cases {
			assert_eq!(
				Billing::plan_terms(plan),
				Some(PlanTerms { price, concurrency, requests_per_minute, tokens_per_period })
			);
		}
		assert_eq!(Billing::plan_terms(Plan::Enterprise), None);
	});
}

#[test]
fn subscribe_fails_on_bad_input() {
	ext().build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		assert_noop!(
			Billing::subscribe(RuntimeOrigin::signed(ALICE), Plan::Pro, true),
			Error::<Test>::AlreadySubscribed
		);
		assert_noop!(
			Billing::subscribe(RuntimeOrigin::signed(BOB), Plan::Enterprise, true),
			Error::<Test>::NoEnterpriseTerms
		);
		assert_noop!(
			Billing::subscribe(RuntimeOrigin::signed(CHARLIE), Plan::Starter, true),
			Error::<Test>::InsufficientCredits
		);
		assert_noop!(
			Billing::subscribe(RuntimeOrigin::signed(BOB), Plan::Scale, true),
			Error::<Test>::InsufficientCredits
		);
	});
}

#[test]
fn covered_jobs_escrow_from_the_pool() {
	ext().with_credits(TREASURY, 10 * USD).build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		assert_eq!(
			admit(1, ALICE, I, USD, 1_000),
			Ok(Admission { payer: ALICE, subscribed: true })
		);
		assert_eq!(credits(ALICE), 85 * USD);
		assert_eq!(SubscriptionPool::<Test>::get(), 14 * USD);
		assert_eq!(Billing::escrow_of(1).unwrap().funding, Funding::Subscription);
		// Other services are pay-as-you-go and do not take a concurrency slot.
		assert_eq!(
			admit(2, ALICE, ServiceKind::Container, USD, 0),
			Ok(Admission { payer: ALICE, subscribed: false })
		);
		assert_eq!(credits(ALICE), 84 * USD);
		// Starter runs one covered job at a time.
		assert_noop!(
			admit(3, ALICE, ServiceKind::Embeddings, USD, 0),
			Error::<Test>::ConcurrencyLimitReached
		);
		assert_ok!(pay(1, crate::EscrowPart::Payer, PROVIDER, USD / 2));
		assert_ok!(top_up(1, USD));
		assert_eq!(SubscriptionPool::<Test>::get(), 13 * USD, "top-ups come from the pool");
		assert_eq!(close(1, I, 400), Ok(USD + USD / 2));
		assert_eq!(SubscriptionPool::<Test>::get(), 14 * USD + USD / 2, "refund to the pool");
		assert_eq!(credits(ALICE), 84 * USD);
		assert_ok!(admit(3, ALICE, ServiceKind::Embeddings, USD, 0));
	});
}

#[test]
fn covered_jobs_fail_when_the_pool_is_short() {
	ext().build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		assert_noop!(admit(1, ALICE, I, 15 * USD + 1, 0), Error::<Test>::SubscriptionPoolExhausted);
		assert_ok!(admit(1, ALICE, I, 15 * USD, 0));
		assert_noop!(top_up(1, 1), Error::<Test>::SubscriptionPoolExhausted);
	});
}

#[test]
fn requests_per_minute_are_limited() {
	ext().build_and_execute(|| {
		let terms = PlanTerms { requests_per_minute: 2, ..small_terms() };
		assert_ok!(Billing::set_plan_terms(RuntimeOrigin::root(), Plan::Starter, terms));
		subscribe(ALICE, Plan::Starter, true);
		assert_ok!(admit(1, ALICE, I, 0, 0));
		assert_ok!(admit(2, ALICE, I, 0, 0));
		assert_noop!(admit(3, ALICE, I, 0, 0), Error::<Test>::RateLimited);
		run_to_block(MINUTE);
		assert_noop!(admit(3, ALICE, I, 0, 0), Error::<Test>::RateLimited);
		run_to_block(1 + MINUTE);
		assert_ok!(admit(3, ALICE, I, 0, 0));
		// Pay-as-you-go services are not rate limited.
		assert_ok!(admit(4, ALICE, ServiceKind::WebScraping, 0, 0));
	});
}

#[test]
fn tokens_are_reserved_consumed_and_overage_deducted_from_the_next_grant() {
	ext().build_and_execute(|| {
		small_subscription(ALICE);
		assert_ok!(admit(1, ALICE, I, 0, 800));
		assert_noop!(admit(2, ALICE, I, 0, 301), Error::<Test>::TokenAllowanceExceeded);
		assert_ok!(admit(2, ALICE, I, 0, 300));
		assert_eq!(Billing::token_allowance(ALICE), 0);
		assert_ok!(close(1, I, 900));
		assert_eq!(grants(ALICE), vec![(1, 100)]);
		assert_ok!(close(2, I, 150));
		assert_eq!(grants(ALICE), vec![], "used-up grants are dropped");
		assert_eq!(SubscriptionOf::<Test>::get(ALICE).unwrap().overage, 50);
		assert_eq!(Billing::token_allowance(ALICE), 50, "buffer minus overage");
		assert_noop!(admit(3, ALICE, I, 0, 51), Error::<Test>::TokenAllowanceExceeded);
		assert_ok!(admit(3, ALICE, I, 0, 50));
		assert_ok!(close(3, I, 0));
		// Renewal: the overage comes off the new grant.
		run_to_block(1 + PERIOD);
		events_since_last_call();
		assert_ok!(admit(4, ALICE, I, 0, 0));
		assert!(events_since_last_call().contains(&Event::SubscriptionRenewed {
			who: ALICE,
			plan: Plan::Starter,
			price: 15 * USD,
			period_end: 1 + 2 * PERIOD,
		}));
		assert_eq!(grants(ALICE), vec![(1 + PERIOD, 950)]);
		assert_eq!(SubscriptionOf::<Test>::get(ALICE).unwrap().overage, 0);
		assert_eq!(Billing::token_allowance(ALICE), 1_050);
		assert_eq!(credits(ALICE), 70 * USD);
	});
}

#[test]
fn unused_tokens_roll_over_until_they_expire() {
	ext().build_and_execute(|| {
		small_subscription(ALICE);
		assert_ok!(admit(1, ALICE, I, 0, 400));
		assert_ok!(close(1, I, 400));
		for (n, job) in [(1u64, 2u64), (2, 3), (3, 4)] {
			run_to_block(1 + n * PERIOD);
			assert_ok!(admit(job, ALICE, I, 0, 0));
			assert_ok!(close(job, I, 0));
		}
		// The first grant (block 1) expired at 1 + ROLLOVER = 3001.
		assert_eq!(grants(ALICE), vec![(1_001, 1_000), (2_001, 1_000), (3_001, 1_000)]);
		// Oldest first.
		assert_ok!(admit(5, ALICE, I, 0, 1_500));
		assert_ok!(close(5, I, 1_500));
		assert_eq!(grants(ALICE), vec![(2_001, 500), (3_001, 1_000)]);
	});
}

#[test]
fn at_most_four_grants_are_kept() {
	ext().build_and_execute(|| {
		RolloverPeriod::set(100 * PERIOD);
		small_subscription(ALICE);
		for n in 1..=5u64 {
			run_to_block(1 + n * PERIOD);
			assert_ok!(admit(n, ALICE, I, 0, 0));
			assert_ok!(close(n, I, 0));
		}
		assert_eq!(
			grants(ALICE),
			vec![(2_001, 1_000), (3_001, 1_000), (4_001, 1_000), (5_001, 1_000)]
		);
		RolloverPeriod::set(ROLLOVER);
	});
}

#[test]
fn subscriptions_lapse_without_auto_renew() {
	ext().build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, false);
		run_to_block(PERIOD);
		assert_eq!(admit(1, ALICE, I, USD, 0), Ok(Admission { payer: ALICE, subscribed: true }));
		run_to_block(1 + PERIOD);
		assert_eq!(admit(2, ALICE, I, USD, 0), Ok(Admission { payer: ALICE, subscribed: false }));
		assert!(events_since_last_call()
			.contains(&Event::SubscriptionLapsed { who: ALICE, plan: Plan::Starter }));
		assert!(SubscriptionOf::<Test>::get(ALICE).is_none());
		assert_eq!(credits(ALICE), 84 * USD, "the job is pay-as-you-go");
		assert_eq!(Billing::token_allowance(ALICE), 0);
		// The open covered job still closes into the pool.
		assert_ok!(close(1, I, 10));
		assert_eq!(SubscriptionPool::<Test>::get(), 15 * USD);
	});
}

#[test]
fn subscriptions_lapse_when_credits_cannot_renew() {
	ExtBuilder::default().with_credits(ALICE, 20 * USD).build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		run_to_block(1 + PERIOD);
		// A failed admission changes nothing, the lapse included.
		assert_noop!(admit(1, ALICE, I, 5 * USD + 1, 0), Error::<Test>::InsufficientCredits);
		assert!(SubscriptionOf::<Test>::get(ALICE).is_some());
		assert_eq!(admit(1, ALICE, I, USD, 0), Ok(Admission { payer: ALICE, subscribed: false }));
		assert!(SubscriptionOf::<Test>::get(ALICE).is_none());
		assert_eq!(credits(ALICE), 4 * USD);
	});
}

#[test]
fn cancel_subscription_stops_renewal() {
	ext().build_and_execute(|| {
		assert_noop!(
			Billing::cancel_subscription(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NotSubscribed
		);
		subscribe(ALICE, Plan::Pro, true);
		assert_ok!(Billing::cancel_subscription(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(Event::SubscriptionCancelled { who: ALICE }.into());
		assert_eq!(credits(ALICE), 31 * USD, "no refund");
		assert_eq!(admit(1, ALICE, I, 0, 0), Ok(Admission { payer: ALICE, subscribed: true }));
		run_to_block(1 + PERIOD);
		assert_eq!(admit(2, ALICE, I, 0, 0), Ok(Admission { payer: ALICE, subscribed: false }));
		assert_eq!(credits(ALICE), 31 * USD);
	});
}

#[test]
fn an_ended_subscription_can_be_replaced() {
	ext().build_and_execute(|| {
		small_subscription(ALICE);
		assert_ok!(admit(1, ALICE, I, 0, 100));
		assert_ok!(close(1, I, 100));
		run_to_block(1 + PERIOD);
		subscribe(ALICE, Plan::Pro, false);
		let sub = SubscriptionOf::<Test>::get(ALICE).unwrap();
		assert_eq!(sub.plan, Plan::Pro);
		assert_eq!(grants(ALICE), vec![(1, 900), (1 + PERIOD, 100_000_000)], "grants kept");
		assert_eq!(credits(ALICE), 100 * USD - 15 * USD - 69 * USD);
	});
}

#[test]
fn new_plan_terms_apply_from_the_next_period() {
	ext().build_and_execute(|| {
		subscribe(ALICE, Plan::Starter, true);
		let terms =
			PlanTerms { concurrency: 2, ..crate::default_plan_terms(Plan::Starter).unwrap() };
		assert_ok!(Billing::set_plan_terms(RuntimeOrigin::root(), Plan::Starter, terms));
		System::assert_last_event(Event::PlanTermsSet { plan: Plan::Starter, terms }.into());
		assert_ok!(admit(1, ALICE, I, 0, 0));
		assert_noop!(admit(2, ALICE, I, 0, 0), Error::<Test>::ConcurrencyLimitReached);
		run_to_block(1 + PERIOD);
		assert_ok!(admit(2, ALICE, I, 0, 0));
		assert_noop!(
			admit(3, ALICE, ServiceKind::Embeddings, 0, 0),
			Error::<Test>::ConcurrencyLimitReached
		);
		assert_ok!(close(1, I, 0));
		assert_ok!(admit(3, ALICE, ServiceKind::Embeddings, 0, 0));
	});
}

#[test]
fn plan_terms_admin_checks() {
	ext().build_and_execute(|| {
		assert_noop!(
			Billing::set_plan_terms(RuntimeOrigin::root(), Plan::Enterprise, small_terms()),
			Error::<Test>::EnterpriseTermsPerAccount
		);
		assert_noop!(
			Billing::set_plan_terms(
				RuntimeOrigin::root(),
				Plan::Pro,
				PlanTerms { concurrency: 0, ..small_terms() }
			),
			Error::<Test>::InvalidTerms
		);
		assert_noop!(
			Billing::set_plan_terms(
				RuntimeOrigin::root(),
				Plan::Pro,
				PlanTerms { requests_per_minute: 0, ..small_terms() }
			),
			Error::<Test>::InvalidTerms
		);
		assert_noop!(
			Billing::set_plan_terms(RuntimeOrigin::signed(ALICE), Plan::Pro, small_terms()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Billing::set_enterprise_terms(
				RuntimeOrigin::root(),
				BOB,
				Some(PlanTerms { concurrency: 0, ..small_terms() })
			),
			Error::<Test>::InvalidTerms
		);
		assert_noop!(
			Billing::set_enterprise_terms(RuntimeOrigin::signed(BOB), BOB, Some(small_terms())),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn enterprise_terms_are_per_account() {
	ext().build_and_execute(|| {
		let terms = PlanTerms { price: 50 * USD, ..small_terms() };
		assert_ok!(Billing::set_enterprise_terms(RuntimeOrigin::root(), BOB, Some(terms)));
		System::assert_last_event(
			Event::EnterpriseTermsSet { who: BOB, terms: Some(terms) }.into(),
		);
		assert_eq!(Billing::enterprise_terms(BOB), Some(terms));
		assert_noop!(
			Billing::subscribe(RuntimeOrigin::signed(ALICE), Plan::Enterprise, true),
			Error::<Test>::NoEnterpriseTerms
		);
		subscribe(BOB, Plan::Enterprise, true);
		assert_eq!(credits(BOB), 50 * USD);
		assert_eq!(admit(1, BOB, I, 0, 1_100), Ok(Admission { payer: BOB, subscribed: true }));
		// Terms removed: the subscription lapses at its end instead of renewing.
		assert_ok!(Billing::set_enterprise_terms(RuntimeOrigin::root(), BOB, None));
		run_to_block(1 + PERIOD);
		assert_eq!(admit(2, BOB, I, 0, 0), Ok(Admission { payer: BOB, subscribed: false }));
		assert_eq!(credits(BOB), 50 * USD);
	});
}
