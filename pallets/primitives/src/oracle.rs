//! Oracle glue: asset ids, prices and the traits that provide them.
//!
//! ## Price convention
//!
//! A [`Price`] is a [`FixedU128`] giving the amount of **quote** asset, in its smallest units,
//! paid for **one smallest unit** of the priced (base) asset. The quote asset is the chain's USD
//! stable asset. Prices are therefore already corrected for both assets' decimals: with a stable
//! asset of 6 decimals and a base asset of 8 decimals, a market price of 60 000 USD per whole
//! coin is stored as `60_000 * 10^6 / 10^8 = 600`. The value of `amount` base units in quote
//! units is `price.saturating_mul_int(amount)` (rounded down).
//!
//! ## Providers
//!
//! - [`PriceProvider`] is implemented by the oracle pallet. [`PriceProvider::price`] never falls
//!   back to another source; [`PriceProvider::price_or_twap`] may, and says which source it used.
//! - [`TwapProvider`] is implemented by the dex (later): a time-weighted average price against
//!   the stable asset. `()` provides none.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
pub use sp_arithmetic::FixedU128;

/// Identifier of a fungible asset (the id used by `pallet-assets`).
pub type AssetId = u32;

/// Price of one smallest unit of an asset, in smallest units of the stable (quote) asset.
///
/// See the [module docs](self) for the convention and a worked example.
pub type Price = FixedU128;

/// Why no price can be given for an asset.
///
/// Consumers must treat every variant as "no price": none of them comes with an old value to fall
/// back on.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum PriceError {
	/// The provider does not track this asset (no feed source is configured for it).
	Unknown,
	/// Enough feeds were reported, but too many of them are older than the freshness limit: the
	/// feeders stopped reporting.
	Stale,
	/// Fewer feeds than the required minimum were ever reported for this asset.
	TooFewFeeds,
}

/// Which source a price came from.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum PriceSource {
	/// The median of fresh oracle feeds (the primary source).
	Median,
	/// The dex time-weighted average price (the explicit fallback).
	Twap,
}

/// Gives the current price of an asset against the stable asset.
///
/// The primary price is the only one consumers get unless they explicitly ask for a fallback
/// through [`PriceProvider::price_or_twap`].
pub trait PriceProvider<AssetId> {
	/// The current price of `asset` from the primary source, or why there is none.
	///
	/// Never returns a value that the primary source considers out of date.
	fn price(asset: AssetId) -> Result<Price, PriceError>;

	/// The primary price of `asset`, or, only if that is unavailable, a fallback price; returns
	/// which source was used.
	///
	/// Callers opt into the fallback by calling this function: use it where a slightly lagging
	/// price is safer than no price (e.g. closing positions), never where a manipulable price is
	/// dangerous. The default implementation has no fallback and behaves like
	/// [`PriceProvider::price`].
	fn price_or_twap(asset: AssetId) -> Result<(Price, PriceSource), PriceError> {
		Self::price(asset).map(|price| (price, PriceSource::Median))
	}
}

/// No prices at all: every asset is [`PriceError::Unknown`]. Useful in tests and for runtimes
/// without an oracle.
impl<A> PriceProvider<A> for () {
	fn price(_asset: A) -> Result<Price, PriceError> {
		Err(PriceError::Unknown)
	}
}

/// Gives the time-weighted average price (TWAP) of an asset against the stable asset.
pub trait TwapProvider<AssetId> {
	/// The average price of `asset` over the last `window` blocks, in the [`Price`] convention,
	/// or `None` if there is no pool or not enough history to cover the window.
	fn twap(asset: AssetId, window: u32) -> Option<Price>;
}

/// No TWAP source: always `None`.
impl<A> TwapProvider<A> for () {
	fn twap(_asset: A, _window: u32) -> Option<Price> {
		None
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::FixedPointNumber;

	#[test]
	fn unit_providers_give_nothing() {
		assert_eq!(<() as PriceProvider<AssetId>>::price(1), Err(PriceError::Unknown));
		assert_eq!(<() as PriceProvider<AssetId>>::price_or_twap(1), Err(PriceError::Unknown));
		assert_eq!(<() as TwapProvider<AssetId>>::twap(1, 10), None);
	}

	#[test]
	fn price_converts_base_units_to_quote_units() {
		// 60 000 USD per coin, stable with 6 decimals, coin with 8 decimals: 600 per base unit.
		let price = Price::from_u32(600);
		// 0.5 coin = 5 * 10^7 base units is worth 30 000 USD = 3 * 10^10 quote units.
		assert_eq!(price.saturating_mul_int(50_000_000u128), 30_000_000_000u128);
	}
}
