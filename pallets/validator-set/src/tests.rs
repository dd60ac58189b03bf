//! Tests for every call, every error and the session hand-over.

use crate::{mock::*, Error, Event, SetChanged, Validators};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn validators() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_validators_are_the_session_set() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(validators(), vec![1, 2, 3]);
		assert_eq!(Session::validators(), vec![1, 2, 3]);
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn add_validator_works_and_takes_effect_after_one_session_of_queueing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		System::assert_last_event(Event::ValidatorAdded { who: 4 }.into());
		assert_eq!(validators(), vec![1, 2, 3, 4]);
		// Session 0: still the genesis set.
		assert_eq!(Session::validators(), vec![1, 2, 3]);

		// Session 1 starts: the new set is queued (its keys are announced to Aura/GRANDPA).
		run_to_session(1);
		assert_eq!(Session::validators(), vec![1, 2, 3]);
		let queued: Vec<_> = Session::queued_keys().into_iter().map(|(v, _)| v).collect();
		assert_eq!(queued, vec![1, 2, 3, 4]);
		assert!(!SetChanged::<Test>::get(), "the session pallet took the change");

		// Session 2: the new validator is active.
		run_to_session(2);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn remove_validator_works_and_takes_effect_after_one_session_of_queueing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
		assert_eq!(validators(), vec![1, 3]);
		run_to_session(1);
		assert_eq!(Session::validators(), vec![1, 2, 3]);
		run_to_session(2);
		assert_eq!(Session::validators(), vec![1, 3]);
	});
}

#[test]
fn unchanged_set_is_not_reannounced() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_session(3);
		assert_eq!(Session::validators(), vec![1, 2, 3]);
		// The session pallet emits `NewQueued` only when a manager returned a new set.
		let queued = System::events()
			.into_iter()
			.filter(|r| matches!(r.event, RuntimeEvent::Session(pallet_session::Event::NewQueued)))
			.count();
		assert_eq!(queued, 0);
	});
}

#[test]
fn add_validator_fails_when_not_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(1), 4),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_validator_fails_when_already_validator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn add_validator_fails_without_session_keys() {
	ExtBuilder::default().build_and_execute(|| {
		// Account 6 is endowed but never set keys.
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 6),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn add_validator_fails_when_full() {
	ExtBuilder::default().with_validators(vec![1, 2, 3, 4]).build_and_execute(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn remove_validator_fails_when_not_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn remove_validator_fails_when_not_validator() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn remove_validator_fails_below_minimum() {
	ExtBuilder::default().with_validators(vec![1, 2]).build_and_execute(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn try_state_detects_broken_invariants() {
	ExtBuilder::default().build().execute_with(|| {
		assert!(ValidatorSet::do_try_state().is_ok());
		Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![1, 1, 2]));
		assert!(ValidatorSet::do_try_state().is_err(), "duplicates must be caught");
		Validators::<Test>::put(frame_support::BoundedVec::truncate_from(vec![1]));
		assert!(ValidatorSet::do_try_state().is_err(), "a set below the minimum must be caught");
	});
}

#[test]
#[should_panic(expected = "genesis needs at least MinValidators validators")]
fn genesis_rejects_too_few_validators() {
	ExtBuilder::default().with_validators(vec![1]).build();
}

#[test]
#[should_panic(expected = "duplicate genesis validator")]
fn genesis_rejects_duplicates() {
	ExtBuilder::default().with_validators(vec![1, 1, 2]).build();
}
