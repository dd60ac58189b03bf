//! Changes to the validator list and its invariants.

use crate::{Config, Error, Event, Pallet, SetChanged, Validators};
use frame_support::{
	ensure,
	pallet_prelude::{DispatchResult, Get},
	traits::ValidatorRegistration,
};

impl<T: Config> Pallet<T> {
	/// Store the genesis validators.
	///
	/// An empty list leaves the set empty: the session pallet then starts with its own genesis
	/// keys and this pallet only takes over once root adds a validator. Chain specs should list
	/// the validators (every Cxmpute preset does).
	///
	/// Genesis is configuration, not user input: a broken list is a bad chain spec and must stop
	/// the chain from starting, so this panics with the reason.
	pub(crate) fn initialize_validators(validators: &[T::AccountId]) {
		if validators.is_empty() {
			return;
		}
		assert!(
			validators.len() as u32 >= T::MinValidators::get(),
			"genesis needs at least MinValidators validators"
		);
		for (i, v) in validators.iter().enumerate() {
			assert!(!validators[..i].contains(v), "duplicate genesis validator");
		}
		let bounded = validators
			.to_vec()
			.try_into()
			.expect("genesis validators exceed MaxValidators: fix the chain spec");
		Validators::<T>::put::<frame_support::BoundedVec<_, _>>(bounded);
	}

	/// Add `who` to the set and mark the set changed for the next rotation.
	///
	/// # Errors
	/// `AlreadyValidator` if present, `NoSessionKeys` if `who` has no session keys,
	/// `TooManyValidators` if the set is full.
	pub(crate) fn do_add_validator(who: T::AccountId) -> DispatchResult {
		ensure!(T::ValidatorRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
		Validators::<T>::try_mutate(|validators| -> DispatchResult {
			ensure!(!validators.contains(&who), Error::<T>::AlreadyValidator);
			validators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Ok(())
		})?;
		SetChanged::<T>::put(true);
		log::info!(target: crate::LOG_TARGET, "validator added: {who:?}");
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(())
	}

	/// Remove `who` from the set and mark the set changed for the next rotation.
	///
	/// # Errors
	/// `NotValidator` if absent, `TooFewValidators` if the set would drop below `MinValidators`.
	pub(crate) fn do_remove_validator(who: T::AccountId) -> DispatchResult {
		Validators::<T>::try_mutate(|validators| -> DispatchResult {
			let index =
				validators.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(
				validators.len() as u32 > T::MinValidators::get(),
				Error::<T>::TooFewValidators
			);
			validators.remove(index);
			Ok(())
		})?;
		SetChanged::<T>::put(true);
		log::info!(target: crate::LOG_TARGET, "validator removed: {who:?}");
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(())
	}

	/// Check the pallet's invariants.
	///
	/// # Invariants
	/// - the set is empty (never configured) or holds at least `MinValidators` validators;
	/// - no validator appears twice.
	#[cfg(any(test, feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(
			validators.is_empty() || validators.len() as u32 >= T::MinValidators::get(),
			"validator set is below MinValidators"
		);
		for (i, v) in validators.iter().enumerate() {
			ensure!(!validators[..i].contains(v), "duplicate validator in the set");
		}
		Ok(())
	}
}
