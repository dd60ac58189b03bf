//! Listed assets and the HTTP sources the offchain workers read their prices from; genesis.

use crate::{Config, Error, Event, FeedSource, FeedSourceFor, FeedSourceOf, FeedsOf, Pallet};
use alloc::vec::Vec;
use cxmpute_primitives::oracle::AssetId;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};

/// Prefix of an HTTP URL.
pub(crate) const HTTP: &str = "http://";
/// Prefix of an HTTPS URL.
pub(crate) const HTTPS: &str = "https://";
/// The largest decimal shift of a feed source, in either direction: `FixedU128` has 18 decimals.
pub const MAX_SCALE: i8 = 18;

impl<T: Config> Pallet<T> {
	/// Build a feed source from call arguments.
	///
	/// # Errors
	/// `UrlTooLong`, `InvalidUrl` (not UTF-8, or not `http://`/`https://`), `PathTooLong`,
	/// `ScaleOutOfRange` (outside `-MAX_SCALE..=MAX_SCALE`).
	pub(crate) fn feed_source(
		url: Vec<u8>,
		path: Vec<u8>,
		scale: i8,
	) -> Result<FeedSourceFor<T>, Error<T>> {
		let url: frame_support::BoundedVec<u8, T::MaxUrlLen> =
			url.try_into().map_err(|_| Error::<T>::UrlTooLong)?;
		let text = core::str::from_utf8(&url).map_err(|_| Error::<T>::InvalidUrl)?;
		let rest = text
			.strip_prefix(HTTPS)
			.or_else(|| text.strip_prefix(HTTP))
			.ok_or(Error::<T>::InvalidUrl)?;
		ensure!(
			!rest.is_empty() && !rest.contains(|c: char| c.is_whitespace() || c.is_control()),
			Error::<T>::InvalidUrl
		);
		let path = path.try_into().map_err(|_| Error::<T>::PathTooLong)?;
		ensure!((-MAX_SCALE..=MAX_SCALE).contains(&scale), Error::<T>::ScaleOutOfRange);
		Ok(FeedSource { url, path, scale })
	}

	/// List `asset` with the given source, or replace its source.
	///
	/// # Errors
	/// Those of [`Self::feed_source`], and `TooManyAssets` if `asset` is new and `MaxAssets`
	/// assets are listed.
	pub(crate) fn do_set_feed_source(
		asset: AssetId,
		url: Vec<u8>,
		path: Vec<u8>,
		scale: i8,
	) -> DispatchResult {
		let source = Self::feed_source(url, path, scale)?;
		if !FeedSourceOf::<T>::contains_key(asset) {
			ensure!(FeedSourceOf::<T>::count() < T::MaxAssets::get(), Error::<T>::TooManyAssets);
		}
		FeedSourceOf::<T>::insert(asset, source.clone());
		log::info!(target: crate::LOG_TARGET, "feed source of asset {asset} set");
		Self::deposit_event(Event::FeedSourceSet { asset, source });
		Ok(())
	}

	/// Delist `asset`: delete its source and its feeds.
	///
	/// # Errors
	/// `UnknownAsset` if `asset` is not listed.
	pub(crate) fn do_remove_feed_source(asset: AssetId) -> DispatchResult {
		ensure!(FeedSourceOf::<T>::contains_key(asset), Error::<T>::UnknownAsset);
		FeedSourceOf::<T>::remove(asset);
		FeedsOf::<T>::remove(asset);
		log::info!(target: crate::LOG_TARGET, "asset {asset} delisted");
		Self::deposit_event(Event::FeedSourceRemoved { asset });
		Ok(())
	}

	/// Store the genesis operators and feed sources.
	///
	/// Genesis is configuration, not user input: a broken list is a bad chain spec and must stop
	/// the chain from starting, so this panics with the reason.
	pub(crate) fn initialize(
		operators: &[T::AccountId],
		feed_sources: &[(AssetId, Vec<u8>, Vec<u8>, i8)],
	) {
		for who in operators {
			if let Err(e) = Self::do_add_operator(who.clone()) {
				panic!("invalid genesis operator {who:?}: {e:?}");
			}
		}
		for (asset, url, path, scale) in feed_sources {
			assert!(
				!FeedSourceOf::<T>::contains_key(asset),
				"duplicate genesis feed source for asset {asset}"
			);
			if let Err(e) = Self::do_set_feed_source(*asset, url.clone(), path.clone(), *scale) {
				panic!("invalid genesis feed source for asset {asset}: {e:?}");
			}
		}
	}
}
