//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{Config, FeedSourceOf, FeedsOf, Operators, Pallet};
use frame_support::{ensure, traits::Get};
use sp_runtime::{traits::Zero, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_operators`], [`Self::try_state_feeds_from_operators`],
	/// [`Self::try_state_no_future_feeds`] and [`Self::try_state_feeds_of_listed_assets`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_operators()?;
		Self::try_state_feeds_from_operators()?;
		Self::try_state_no_future_feeds()?;
		Self::try_state_feeds_of_listed_assets()?;
		Ok(())
	}

	/// # Invariants
	/// - there are at most `MaxOperators` operators;
	/// - no operator appears twice.
	pub fn try_state_operators() -> Result<(), TryRuntimeError> {
		let operators = Operators::<T>::get();
		ensure!(
			operators.len() as u32 <= T::MaxOperators::get(),
			"more operators than MaxOperators"
		);
		for (i, operator) in operators.iter().enumerate() {
			ensure!(!operators[..i].contains(operator), "duplicate operator");
		}
		Ok(())
	}

	/// # Invariants
	/// - every stored feed belongs to a current operator;
	/// - an asset has at most one feed per operator.
	pub fn try_state_feeds_from_operators() -> Result<(), TryRuntimeError> {
		let operators = Operators::<T>::get();
		for (_asset, feeds) in FeedsOf::<T>::iter() {
			for (i, feed) in feeds.iter().enumerate() {
				ensure!(
					operators.contains(&feed.operator),
					"feed from an account that is not an operator"
				);
				ensure!(
					!feeds[..i].iter().any(|other| other.operator == feed.operator),
					"two feeds of one operator for one asset"
				);
			}
		}
		Ok(())
	}

	/// # Invariants
	/// - no feed was reported after the current block;
	/// - no feed has a zero price.
	pub fn try_state_no_future_feeds() -> Result<(), TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		for (_asset, feeds) in FeedsOf::<T>::iter() {
			for feed in feeds.iter() {
				ensure!(feed.at <= now, "feed from a future block");
				ensure!(!feed.price.is_zero(), "feed with a zero price");
			}
		}
		Ok(())
	}

	/// # Invariants
	/// - feeds are stored only for listed assets (with a feed source), and never as an empty list;
	/// - at most `MaxAssets` assets are listed, and the listing counter matches the map.
	pub fn try_state_feeds_of_listed_assets() -> Result<(), TryRuntimeError> {
		for (asset, feeds) in FeedsOf::<T>::iter() {
			ensure!(FeedSourceOf::<T>::contains_key(asset), "feeds of an asset that is not listed");
			ensure!(!feeds.is_empty(), "empty feed list stored");
		}
		let listed = FeedSourceOf::<T>::iter_keys().count() as u32;
		ensure!(listed == FeedSourceOf::<T>::count(), "feed source counter out of sync");
		ensure!(listed <= T::MaxAssets::get(), "more listed assets than MaxAssets");
		Ok(())
	}
}
