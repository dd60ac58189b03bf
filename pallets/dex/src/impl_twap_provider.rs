//! [`TwapProvider`] for the oracle's fallback.

use crate::{pallet::*, AssetId, Pair, Price, TwapProvider};
use frame_support::traits::Get;
use sp_runtime::traits::One;

impl<T: Config> TwapProvider<AssetId> for Pallet<T> {
	/// The TWAP of the book `(asset, QuoteAsset)` over the last `window` blocks; the quote asset
	/// itself is worth exactly 1.
	fn twap(asset: AssetId, window: u32) -> Option<Price> {
		let quote = T::QuoteAsset::get();
		if asset == quote {
			return Some(Price::one());
		}
		Self::pair_twap(Pair::new(asset, quote), window)
	}
}
