//! Operators' price reports.

use crate::{Config, Error, Event, Feed, FeedSourceOf, FeedsOf, Pallet, Price};
use cxmpute_primitives::oracle::AssetId;
use frame_support::{defensive, ensure, pallet_prelude::DispatchResult};
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Record `operator`'s report of `price` for `asset` in the current block, replacing its
	/// previous feed for `asset`.
	///
	/// # Errors
	/// `NotOperator` if `operator` is not an operator, `UnknownAsset` if `asset` is not listed,
	/// `ZeroPrice` if `price` is zero, `DuplicateFeed` if `operator` already reported `asset` in
	/// this block.
	pub(crate) fn do_submit_price(
		operator: T::AccountId,
		asset: AssetId,
		price: Price,
	) -> DispatchResult {
		ensure!(Self::is_operator(&operator), Error::<T>::NotOperator);
		ensure!(FeedSourceOf::<T>::contains_key(asset), Error::<T>::UnknownAsset);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		let now = frame_system::Pallet::<T>::block_number();
		FeedsOf::<T>::try_mutate(asset, |feeds| -> DispatchResult {
			match feeds.iter_mut().find(|feed| feed.operator == operator) {
				Some(feed) => {
					ensure!(feed.at != now, Error::<T>::DuplicateFeed);
					feed.price = price;
					feed.at = now;
				},
				None => {
					// At most one feed per operator, and at most `MaxOperators` operators.
					feeds.try_push(Feed { operator: operator.clone(), price, at: now }).map_err(
						|_| {
							defensive!("more feeds than operators for an asset");
							Error::<T>::TooManyOperators
						},
					)?;
				},
			}
			Ok(())
		})?;
		Self::deposit_event(Event::PriceSubmitted { asset, operator, price });
		Ok(())
	}
}
