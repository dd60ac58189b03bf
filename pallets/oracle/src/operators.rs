//! The operator set: who may report prices.

use crate::{Config, Error, Event, FeedsFor, FeedsOf, Operators, Pallet};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_runtime::{DispatchError, Saturating};

impl<T: Config> Pallet<T> {
	/// Whether `who` is an operator.
	pub fn is_operator(who: &T::AccountId) -> bool {
		Operators::<T>::get().contains(who)
	}

	/// Add `who` to the operator set.
	///
	/// # Errors
	/// `AlreadyOperator` if `who` is an operator, `TooManyOperators` if the set is full.
	pub(crate) fn do_add_operator(who: T::AccountId) -> DispatchResult {
		Operators::<T>::try_mutate(|operators| -> DispatchResult {
			ensure!(!operators.contains(&who), Error::<T>::AlreadyOperator);
			operators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOperators)?;
			Ok(())
		})?;
		log::info!(target: crate::LOG_TARGET, "operator added: {who:?}");
		Self::deposit_event(Event::OperatorAdded { who });
		Ok(())
	}

	/// Remove `who` from the operator set and delete its feeds of every asset.
	///
	/// Returns how many assets' feeds were visited (for the weight refund): the assets that have
	/// any feed, at most `MaxAssets`.
	///
	/// # Errors
	/// `NotOperator` if `who` is not an operator.
	pub(crate) fn do_remove_operator(who: T::AccountId) -> Result<u32, DispatchError> {
		Operators::<T>::try_mutate(|operators| -> DispatchResult {
			let index = operators.iter().position(|o| o == &who).ok_or(Error::<T>::NotOperator)?;
			operators.remove(index);
			Ok(())
		})?;
		let mut visited = 0u32;
		let mut feeds_removed = 0u32;
		FeedsOf::<T>::translate::<FeedsFor<T>, _>(|_asset, mut feeds| {
			visited.saturating_inc();
			let before = feeds.len();
			feeds.retain(|feed| feed.operator != who);
			feeds_removed.saturating_accrue(before.saturating_sub(feeds.len()) as u32);
			(!feeds.is_empty()).then_some(feeds)
		});
		log::info!(target: crate::LOG_TARGET, "operator removed: {who:?}");
		Self::deposit_event(Event::OperatorRemoved { who, feeds_removed });
		Ok(visited)
	}
}
