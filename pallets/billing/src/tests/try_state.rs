//! `try_state` detects broken invariants.

use super::mock::*;
use crate::{
	ApiKeys, CreditsOf, Escrows, KeysOf, OpenJobsOf, Plan, ReservedTokensOf, StableTotals,
	SubscriptionOf, SubscriptionPool, TotalCredits, TotalEscrowed, USD,
};
use cxmpute_primitives::ServiceKind;
use frame_support::{assert_ok, traits::fungibles::Mutate};
use sp_runtime::TryRuntimeError;

fn broken(setup: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default()
		.with_credits(ALICE, 100 * USD)
		.with_credits(BOB, 100 * USD)
		.build()
		.execute_with(|| {
			assert_ok!(Billing::subscribe(RuntimeOrigin::signed(BOB), Plan::Starter, true));
			assert_ok!(Billing::register_api_key(
				RuntimeOrigin::signed(ALICE),
				KEY,
				vec![ServiceKind::Container],
				50 * USD
			));
			assert_ok!(admit(1, KEY, ServiceKind::Container, 10 * USD, 0));
			assert_ok!(admit(2, BOB, ServiceKind::Inference, USD, 1_000));
			assert_eq!(Billing::do_try_state(), Ok(()));
			setup();
			assert_eq!(
				Billing::do_try_state(),
				Err(TryRuntimeError::Other(expected)),
				"{expected}"
			);
		});
}

#[test]
fn try_state_detects_broken_conservation() {
	broken(|| CreditsOf::<Test>::insert(ALICE, 1), "TotalCredits differs from the credits");
	broken(|| CreditsOf::<Test>::insert(CHARLIE, 0), "zero credits stored");
	broken(|| TotalCredits::<Test>::put(0), "TotalCredits differs from the credits");
	broken(|| TotalEscrowed::<Test>::put(1), "TotalEscrowed differs from the escrows");
	broken(
		|| SubscriptionPool::<Test>::put(1),
		"credits, escrows and pool differ from deposited - withdrawn",
	);
	broken(
		|| StableTotals::<Test>::mutate(|t| t.withdrawn = t.deposited + 1),
		"withdrew more than deposited",
	);
	broken(
		|| {
			assert_ok!(<Assets as Mutate<AccountId>>::burn_from(
				STABLE,
				&pallet_account(),
				1,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Precision::Exact,
				frame_support::traits::tokens::Fortitude::Force,
			));
		},
		"pallet account holds less than it owes",
	);
}

#[test]
fn try_state_detects_broken_escrows() {
	broken(
		|| Escrows::<Test>::mutate(1, |e| e.as_mut().unwrap().payer_paid = 1),
		"payer part differs from what was put in minus paid",
	);
	broken(
		|| Escrows::<Test>::mutate(1, |e| e.as_mut().unwrap().treasury_in = 1),
		"treasury part differs from what was put in minus paid",
	);
	broken(
		|| Escrows::<Test>::mutate(1, |e| e.as_mut().unwrap().reserved_tokens = 1),
		"credit-funded escrow reserves tokens",
	);
	broken(|| OpenJobsOf::<Test>::insert(ALICE, 1), "OpenJobsOf differs from the escrows");
	broken(|| OpenJobsOf::<Test>::remove(BOB), "OpenJobsOf differs from the escrows");
	broken(
		|| ReservedTokensOf::<Test>::insert(BOB, 999),
		"ReservedTokensOf differs from the escrows",
	);
	broken(
		|| Escrows::<Test>::mutate(1, |e| e.as_mut().unwrap().payer = CHARLIE),
		"escrow's key belongs to someone else",
	);
}

#[test]
fn try_state_detects_broken_keys_and_subscriptions() {
	broken(
		|| ApiKeys::<Test>::mutate(KEY, |k| k.as_mut().unwrap().spent = 0),
		"key spent below its open escrows",
	);
	broken(
		|| ApiKeys::<Test>::mutate(KEY, |k| k.as_mut().unwrap().revoked = true),
		"listed key revoked or someone else's",
	);
	broken(|| KeysOf::<Test>::remove(ALICE), "an unrevoked key is not listed by its owner");
	broken(
		|| SubscriptionOf::<Test>::mutate(BOB, |s| s.as_mut().unwrap().terms.concurrency = 0),
		"subscription with invalid terms",
	);
	broken(
		|| SubscriptionOf::<Test>::mutate(BOB, |s| s.as_mut().unwrap().window_requests = 41),
		"more requests than the rate limit",
	);
}
