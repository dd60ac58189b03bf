//! API keys: registration, revocation, caps, and admission of key-signed jobs.

use super::mock::*;
use crate::{Admission, ApiKeys, Error, EscrowPart, Event, KeysOf, Plan, USD};
use cxmpute_primitives::ServiceKind;
use frame_support::{assert_noop, assert_ok};

const I: ServiceKind = ServiceKind::Inference;

fn register(owner: AccountId, key: AccountId, scopes: Vec<ServiceKind>, cap: u128) {
	assert_ok!(Billing::register_api_key(RuntimeOrigin::signed(owner), key, scopes, cap));
}

fn ext() -> ExtBuilder {
	ExtBuilder::default().with_credits(ALICE, 100 * USD).with_credits(BOB, 100 * USD)
}

#[test]
fn register_api_key_works() {
	ext().build_and_execute(|| {
		register(ALICE, KEY, vec![ServiceKind::Embeddings, I], 5 * USD);
		System::assert_last_event(
			Event::ApiKeyRegistered { owner: ALICE, key: KEY, spending_cap: 5 * USD }.into(),
		);
		let k = Billing::api_key(KEY).unwrap();
		assert_eq!(k.owner, ALICE);
		assert_eq!(k.scopes.to_vec(), vec![I, ServiceKind::Embeddings]);
		assert_eq!((k.spending_cap, k.spent, k.revoked), (5 * USD, 0, false));
		assert_eq!(KeysOf::<Test>::get(ALICE).to_vec(), vec![KEY]);
	});
}

#[test]
fn register_api_key_fails_on_bad_input() {
	ext().build_and_execute(|| {
		let reg = |owner, key, scopes: Vec<ServiceKind>| {
			Billing::register_api_key(RuntimeOrigin::signed(owner), key, scopes, USD)
		};
		assert_noop!(reg(ALICE, ALICE, vec![I]), Error::<Test>::KeyIsOwner);
		assert_noop!(reg(ALICE, KEY, vec![]), Error::<Test>::InvalidScopes);
		assert_noop!(
			reg(ALICE, KEY, vec![I, ServiceKind::Rental, I]),
			Error::<Test>::InvalidScopes
		);
		register(BOB, KEY2, vec![I], USD);
		// KEY2 is a key: it cannot be registered again (by anyone), nor own keys.
		assert_noop!(reg(ALICE, KEY2, vec![I]), Error::<Test>::ApiKeyExists);
		assert_noop!(reg(KEY2, KEY, vec![I]), Error::<Test>::KeyCannotOwnKeys);
		// BOB owns keys: he cannot be a key.
		assert_noop!(reg(ALICE, BOB, vec![I]), Error::<Test>::KeyOwnsKeys);
		// At most MaxApiKeys (3) per owner.
		for key in [30, 31, 32] {
			register(ALICE, key, vec![I], USD);
		}
		assert_noop!(reg(ALICE, 33, vec![I]), Error::<Test>::TooManyApiKeys);
		// Revoking frees a slot; the revoked key stays taken.
		assert_ok!(Billing::revoke_api_key(RuntimeOrigin::signed(ALICE), 30));
		assert_noop!(reg(ALICE, 30, vec![I]), Error::<Test>::ApiKeyExists);
		assert_ok!(reg(ALICE, 33, vec![I]));
	});
}

#[test]
fn revoke_and_cap_need_the_owner() {
	ext().build_and_execute(|| {
		register(ALICE, KEY, vec![I], USD);
		assert_noop!(
			Billing::revoke_api_key(RuntimeOrigin::signed(BOB), KEY),
			Error::<Test>::NotKeyOwner
		);
		assert_noop!(
			Billing::set_api_key_cap(RuntimeOrigin::signed(BOB), KEY, 1),
			Error::<Test>::NotKeyOwner
		);
		assert_noop!(
			Billing::revoke_api_key(RuntimeOrigin::signed(ALICE), KEY2),
			Error::<Test>::UnknownApiKey
		);
		assert_noop!(
			Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY2, 1),
			Error::<Test>::UnknownApiKey
		);
		assert_ok!(Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY, 7));
		System::assert_last_event(Event::ApiKeyCapSet { key: KEY, spending_cap: 7 }.into());
		assert_eq!(Billing::api_key(KEY).unwrap().spending_cap, 7);
		assert_ok!(Billing::revoke_api_key(RuntimeOrigin::signed(ALICE), KEY));
		System::assert_last_event(Event::ApiKeyRevoked { owner: ALICE, key: KEY }.into());
		assert!(ApiKeys::<Test>::get(KEY).unwrap().revoked);
		assert!(!KeysOf::<Test>::contains_key(ALICE));
		assert_noop!(
			Billing::revoke_api_key(RuntimeOrigin::signed(ALICE), KEY),
			Error::<Test>::ApiKeyRevoked
		);
		assert_noop!(
			Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY, 1),
			Error::<Test>::ApiKeyRevoked
		);
	});
}

#[test]
fn key_signed_jobs_are_paid_by_the_owner_within_scope_and_cap() {
	ext().build_and_execute(|| {
		register(ALICE, KEY, vec![I], 5 * USD);
		assert_eq!(admit(1, KEY, I, 3 * USD, 0), Ok(Admission { payer: ALICE, subscribed: false }));
		System::assert_last_event(
			Event::EscrowOpened {
				job: 1,
				payer: ALICE,
				api_key: Some(KEY),
				service: I,
				amount: 3 * USD,
				subscribed: false,
			}
			.into(),
		);
		assert_eq!(credits(ALICE), 97 * USD);
		assert_eq!(credits(KEY), 0);
		assert_eq!(Billing::api_key(KEY).unwrap().spent, 3 * USD);
		assert_noop!(admit(2, KEY, I, 2 * USD + 1, 0), Error::<Test>::SpendingCapExceeded);
		assert_noop!(admit(2, KEY, ServiceKind::Embeddings, 1, 0), Error::<Test>::OutOfScope);
		// Atomic: a job within the cap that the owner cannot pay leaves the key untouched.
		assert_ok!(Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY, 1_000 * USD));
		assert_noop!(admit(2, KEY, I, 97 * USD + 1, 0), Error::<Test>::InsufficientCredits);
		assert_ok!(Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY, 5 * USD));
		assert_noop!(top_up(1, 2 * USD + 1), Error::<Test>::SpendingCapExceeded);
		// The unspent part comes back at close.
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, USD));
		assert_eq!(close(1, I, 0), Ok(2 * USD));
		assert_eq!(Billing::api_key(KEY).unwrap().spent, USD);
		assert_eq!(credits(ALICE), 99 * USD);
		assert_ok!(admit(2, KEY, I, 4 * USD, 0));
		assert_noop!(admit(3, KEY, I, 1, 0), Error::<Test>::SpendingCapExceeded);
		// A lower cap blocks new jobs; the open one still closes.
		assert_ok!(Billing::set_api_key_cap(RuntimeOrigin::signed(ALICE), KEY, 0));
		assert_ok!(close(2, I, 0));
		assert_noop!(admit(3, KEY, I, 0, 0).map(|_| ()), Error::<Test>::SpendingCapExceeded);
	});
}

#[test]
fn revoked_keys_sign_nothing_but_their_jobs_close() {
	ext().build_and_execute(|| {
		register(ALICE, KEY, vec![I], 5 * USD);
		assert_ok!(admit(1, KEY, I, USD, 0));
		assert_ok!(Billing::revoke_api_key(RuntimeOrigin::signed(ALICE), KEY));
		assert_noop!(admit(2, KEY, I, 0, 0), Error::<Test>::ApiKeyRevoked);
		assert_ok!(close(1, I, 0));
		assert_eq!(credits(ALICE), 100 * USD);
	});
}

#[test]
fn key_signed_jobs_use_the_owners_subscription() {
	ext().build_and_execute(|| {
		assert_ok!(Billing::subscribe(RuntimeOrigin::signed(ALICE), Plan::Starter, true));
		register(ALICE, KEY, vec![I, ServiceKind::Container], 5 * USD);
		assert_eq!(admit(1, KEY, I, USD, 10), Ok(Admission { payer: ALICE, subscribed: true }));
		assert_noop!(admit(2, ALICE, I, USD, 10), Error::<Test>::ConcurrencyLimitReached);
		assert_eq!(
			admit(2, KEY, ServiceKind::Container, USD, 0),
			Ok(Admission { payer: ALICE, subscribed: false })
		);
		assert_eq!(Billing::api_key(KEY).unwrap().spent, 2 * USD);
	});
}
