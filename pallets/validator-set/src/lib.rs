//! # Validator set pallet
//!
//! A root-managed (later governance-managed) list of validators that feeds `pallet-session`, so
//! validators can be added and removed without a runtime upgrade.
//!
//! ## Overview
//!
//! The pallet implements [`pallet_session::SessionManager`]. When an addition or removal is made,
//! the new list is handed to `pallet-session` at the next session rotation. `pallet-session` keeps
//! one session of look-ahead (the queued keys, so Aura and GRANDPA learn the next authorities in
//! advance), so a change made during session `n` is queued at the start of session `n + 1` and
//! the new validators author and finalize from session `n + 2`.
//!
//! A validator must have registered session keys (`session.set_keys`) before it can be added:
//! `pallet-session` silently skips validators without keys, and this pallet turns that into a
//! clear [`Error::NoSessionKeys`] instead.
//!
//! ## Pallet API
//!
//! - [`Pallet::add_validator`]: add an account to the set (privileged origin).
//! - [`Pallet::remove_validator`]: remove an account from the set (privileged origin).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod session_manager;
#[cfg(test)]
mod tests;
mod validators;
pub mod weights;

/// Sets up what the benchmarks need from outside this pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` session keys, so that `ValidatorRegistration::is_registered(who)` holds.
	fn register_session_keys(who: &AccountId);
}

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::validator-set";

#[frame_support::pallet]
pub mod pallet {
	use super::WeightInfo;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::ValidatorRegistration};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who may add and remove validators: root at first, governance later.
		type UpdateOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Tells whether an account has session keys registered (usually `pallet_session`).
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;
		/// The fewest validators the set may shrink to (GRANDPA needs a live supermajority).
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// The most validators the set may hold.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
		/// Registers session keys for benchmark accounts.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// The validator set that will be handed to the session pallet at the next rotation.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether `Validators` changed since the session pallet last took it.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Genesis validators.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The validators of the first sessions; each must also have keys in `session.keys`.
		pub initial_validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::initialize_validators(&self.initial_validators);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "at least one validator is needed");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was added; it authors from the session after next.
		ValidatorAdded {
			/// The added validator.
			who: T::AccountId,
		},
		/// A validator was removed; it stops authoring from the session after next.
		ValidatorRemoved {
			/// The removed validator.
			who: T::AccountId,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a validator.
		AlreadyValidator,
		/// The account is not a validator, so it cannot be removed.
		NotValidator,
		/// The account has no session keys; it must call `session.set_keys` first.
		NoSessionKeys,
		/// The set is full (`MaxValidators`); remove one first.
		TooManyValidators,
		/// Removing would leave fewer than `MinValidators` validators.
		TooFewValidators,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Add `who` to the validator set; it takes part from the session after next.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `AlreadyValidator`, `NoSessionKeys`, `TooManyValidators`.
		///
		/// ## Events
		/// Emits `ValidatorAdded`.
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::UpdateOrigin::ensure_origin(origin)?;
			Self::do_add_validator(who)
		}

		/// Remove `who` from the validator set; it leaves from the session after next.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `NotValidator`, `TooFewValidators`.
		///
		/// ## Events
		/// Emits `ValidatorRemoved`.
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::UpdateOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(who)
		}
	}
}
