//! Aggregation: the median of fresh feeds, and the explicit TWAP fallback.

use crate::{Config, FeedSourceOf, FeedsOf, Pallet, Price};
use alloc::vec::Vec;
use cxmpute_primitives::oracle::{AssetId, PriceError, PriceSource, TwapProvider};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Zero, Saturating};

/// The lower median of `prices`: the element at index `(n - 1) / 2` once sorted; `None` when
/// `prices` is empty. `prices` is sorted in place.
///
/// With an odd count this is the middle value. With an even count it is the lower of the two
/// middle values rather than their mean: averaging would round (in someone's favour) and could
/// produce a price no operator reported, while the lower median is always an actual report.
pub fn lower_median(prices: &mut [Price]) -> Option<Price> {
	if prices.is_empty() {
		return None;
	}
	prices.sort_unstable();
	prices.get((prices.len() - 1) / 2).copied()
}

impl<T: Config> Pallet<T> {
	/// Whether a feed reported at block `at` is fresh at block `now`: `now - at <= MaxAge`.
	pub fn is_fresh(at: BlockNumberFor<T>, now: BlockNumberFor<T>) -> bool {
		now.saturating_sub(at) <= T::MaxAge::get()
	}

	/// The median price of `asset` now; reads only, emits nothing.
	///
	/// Formula: `lower_median({ feed.price : feed in FeedsOf[asset], now - feed.at <= MaxAge })`,
	/// defined when at least `MinFeeds` feeds are fresh.
	///
	/// # Errors
	/// - `Unknown`: `asset` is not listed;
	/// - `Stale`: at least `MinFeeds` feeds are stored, but fewer than `MinFeeds` are fresh;
	/// - `TooFewFeeds`: fewer than `MinFeeds` feeds are stored at all.
	pub fn median_price(asset: AssetId) -> Result<Price, PriceError> {
		if !FeedSourceOf::<T>::contains_key(asset) {
			return Err(PriceError::Unknown);
		}
		let feeds = FeedsOf::<T>::get(asset);
		let now = frame_system::Pallet::<T>::block_number();
		let mut fresh: Vec<Price> = feeds
			.iter()
			.filter(|feed| Self::is_fresh(feed.at, now))
			.map(|feed| feed.price)
			.collect();
		let min_feeds = T::MinFeeds::get().max(1) as usize;
		if fresh.len() < min_feeds {
			return Err(if feeds.len() >= min_feeds {
				PriceError::Stale
			} else {
				PriceError::TooFewFeeds
			});
		}
		lower_median(&mut fresh).ok_or(PriceError::TooFewFeeds)
	}

	/// The median price of `asset`, or, only when it is `Stale` or `TooFewFeeds`, the TWAP over
	/// `TwapWindow` blocks; with the source used. Reads only, emits nothing.
	///
	/// # Errors
	/// `Unknown` if `asset` is not listed (no fallback for unlisted assets); otherwise the
	/// median's error when the TWAP provider has no (positive) price either.
	pub fn median_or_twap(asset: AssetId) -> Result<(Price, PriceSource), PriceError> {
		match Self::median_price(asset) {
			Ok(price) => Ok((price, PriceSource::Median)),
			Err(PriceError::Unknown) => Err(PriceError::Unknown),
			Err(error) => T::Twap::twap(asset, T::TwapWindow::get())
				.filter(|price| !price.is_zero())
				.map(|price| (price, PriceSource::Twap))
				.ok_or(error),
		}
	}
}
