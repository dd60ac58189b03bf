//! [`PriceProvider`] for the pallet: how other pallets read prices on chain.

use crate::{Config, Event, Pallet, Price};
use cxmpute_primitives::oracle::{AssetId, PriceError, PriceProvider, PriceSource};

impl<T: Config> PriceProvider<AssetId> for Pallet<T> {
	/// The median of fresh feeds ([`Pallet::median_price`]); never a fallback.
	///
	/// Emits `PriceResolved { source: Median }` when it succeeds.
	fn price(asset: AssetId) -> Result<Price, PriceError> {
		let price = Self::median_price(asset)?;
		Self::deposit_event(Event::PriceResolved { asset, price, source: PriceSource::Median });
		Ok(price)
	}

	/// The median, or the TWAP fallback when the median is unavailable for a listed asset
	/// ([`Pallet::median_or_twap`]).
	///
	/// Emits `PriceResolved` naming the source used when it succeeds.
	fn price_or_twap(asset: AssetId) -> Result<(Price, PriceSource), PriceError> {
		let (price, source) = Self::median_or_twap(asset)?;
		Self::deposit_event(Event::PriceResolved { asset, price, source });
		Ok((price, source))
	}
}
