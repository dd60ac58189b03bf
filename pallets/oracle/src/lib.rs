//! # Oracle pallet
//!
//! Asset prices against the USD stable asset, reported by a permissioned set of operators and
//! combined as the median of fresh reports.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::add_operator`] / [`Pallet::remove_operator`]: manage the operator set
//!   (`UpdateOrigin`).
//! - [`Pallet::submit_price`]: an operator reports a price (signed; free when it succeeds).
//! - [`Pallet::set_feed_source`] / [`Pallet::remove_feed_source`]: list an asset with the HTTP
//!   source its operators' offchain workers read, or delist it (`UpdateOrigin`).
//! - [`PriceProvider`] for [`Pallet`]: how other pallets read prices.
//! - View function `current_price`: the same median, for RPC clients.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Operator**: an account allowed to report prices. At most [`Config::MaxOperators`].
//! - **Listed asset**: an asset with a [`FeedSource`]; only listed assets take reports and have a
//!   price. At most [`Config::MaxAssets`].
//! - **Feed**: the last price an operator reported for an asset, with the block it was reported
//!   in. One per (asset, operator); a new report replaces the old one.
//! - **Fresh feed**: a feed reported at most [`Config::MaxAge`] blocks ago.
//! - **Price**: see [`cxmpute_primitives::oracle`]: quote (stable) smallest units per one smallest
//!   unit of the asset, as a `FixedU128`.
//!
//! ### Aggregation
//!
//! The price of a listed asset is the **lower median** of its fresh feeds, and exists only when at
//! least [`Config::MinFeeds`] feeds are fresh. Otherwise every consumer gets an explicit error
//! ([`PriceError::Stale`] when enough feeds exist but too many are old, [`PriceError::TooFewFeeds`]
//! when fewer than `MinFeeds` were ever reported, [`PriceError::Unknown`] for unlisted assets); an
//! old value is never reused silently. With an even number of fresh feeds the lower of the two
//! middle values is taken: no averaging means no rounding in anyone's favour, and the result is
//! always a value some operator actually reported.
//!
//! ### Fallback policy
//!
//! [`PriceProvider::price`] returns the median or an error, nothing else.
//! [`PriceProvider::price_or_twap`] is the only way to get a fallback: when the median is
//! unavailable for a *listed* asset (`Stale` or `TooFewFeeds`) it asks [`Config::Twap`] for the
//! time-weighted average over [`Config::TwapWindow`] blocks, and returns the median's error if
//! there is none. Unlisted assets get no fallback. Both trait methods emit
//! [`Event::PriceResolved`] naming the source used, so every price computed on chain is
//! traceable.
//!
//! ### Offchain feeding
//!
//! Each block that is a multiple of [`Config::OffchainInterval`], the offchain worker of a node
//! whose keystore holds an operator's [`KEY_TYPE`] (`orcl`) sr25519 key fetches every listed
//! asset's [`FeedSource`] over HTTP (with a [`Config::HttpTimeout`] deadline), reads the number
//! with integer arithmetic only ([`parse`]) and submits [`Pallet::submit_price`] as a signed
//! transaction from that key's account.
//!
//! ## Low Level / Implementation Details
//!
//! Feeds of an asset are stored together in one bounded vector ([`FeedsOf`]), so computing a
//! price reads one value. Removing an operator or delisting an asset removes its feeds, so every
//! stored feed belongs to a current operator and a listed asset (checked by `try_state`).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::oracle::{AssetId, Price, PriceError, PriceProvider, PriceSource};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod aggregate;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod feeds;
mod impl_price_provider;
#[cfg(test)]
mod mock;
mod offchain;
mod operators;
pub mod parse;
mod sources;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use aggregate::lower_median;
pub use offchain::{FetchError, MAX_BODY_LEN};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::oracle";

/// Key type of the operators' offchain signing keys: `orcl`.
///
/// Insert a key with `cxmpute-node key insert --key-type orcl --scheme sr25519 --suri <secret>`;
/// the account of that key must be an operator.
pub const KEY_TYPE: sp_runtime::KeyTypeId = sp_runtime::KeyTypeId(*b"orcl");

/// The operators' offchain signing key: an sr25519 application key of type [`KEY_TYPE`].
pub mod crypto {
	#![allow(missing_docs)]
	use super::KEY_TYPE;
	use sp_core::sr25519::{Public as Sr25519Public, Signature as Sr25519Signature};
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};

	app_crypto!(sr25519, KEY_TYPE);

	/// Binds the `orcl` application key to the runtime's signing types, for
	/// `frame_system::offchain::Signer`.
	pub struct OracleAuthId;

	/// For runtimes that sign with `MultiSignature` (Cxmpute's runtime).
	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for OracleAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = Sr25519Signature;
		type GenericPublic = Sr25519Public;
	}

	/// For runtimes that sign with plain sr25519.
	impl frame_system::offchain::AppCrypto<Sr25519Public, Sr25519Signature> for OracleAuthId {
		type RuntimeAppPublic = Public;
		type GenericSignature = Sr25519Signature;
		type GenericPublic = Sr25519Public;
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use cxmpute_primitives::oracle::TwapProvider;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
	};
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, traits::ConstU32};

		/// Defaults for a mock runtime: small bounds, no TWAP, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			type Twap = ();
			type MaxOperators = ConstU32<5>;
			type MaxAssets = ConstU32<3>;
			type MinFeeds = ConstU32<1>;
			type TwapWindow = ConstU32<30>;
			type MaxUrlLen = ConstU32<128>;
			type MaxPathLen = ConstU32<32>;
			type HttpTimeout = frame_support::traits::ConstU64<2_000>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: CreateSignedTransaction<Call<Self>> + frame_system::Config {
		/// Who may manage operators and feed sources: root at first, governance later.
		#[pallet::no_default]
		type UpdateOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The operators' offchain signing key ([`crate::crypto::OracleAuthId`]).
		#[pallet::no_default]
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;

		/// The explicit fallback of [`PriceProvider::price_or_twap`]: the dex TWAP (`()`: none).
		type Twap: TwapProvider<AssetId>;

		/// The most operators the set may hold; also the most feeds per asset.
		#[pallet::constant]
		type MaxOperators: Get<u32>;

		/// The most assets that may be listed (have a feed source) at once.
		#[pallet::constant]
		type MaxAssets: Get<u32>;

		/// The fewest fresh feeds a price needs; at least 1 and at most `MaxOperators`.
		#[pallet::constant]
		type MinFeeds: Get<u32>;

		/// How many blocks a feed stays fresh: a feed from block `b` counts at block `n` iff
		/// `n - b <= MaxAge`.
		#[pallet::constant]
		#[pallet::no_default]
		type MaxAge: Get<BlockNumberFor<Self>>;

		/// The window, in blocks, of the TWAP used by the explicit fallback.
		#[pallet::constant]
		type TwapWindow: Get<u32>;

		/// The longest feed-source URL, in bytes.
		#[pallet::constant]
		type MaxUrlLen: Get<u32>;

		/// The longest feed-source JSON path, in bytes.
		#[pallet::constant]
		type MaxPathLen: Get<u32>;

		/// The offchain worker fetches and submits prices in blocks that are multiples of this.
		#[pallet::constant]
		#[pallet::no_default]
		type OffchainInterval: Get<BlockNumberFor<Self>>;

		/// Deadline of one offchain HTTP request, in milliseconds.
		#[pallet::constant]
		type HttpTimeout: Get<u64>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The accounts allowed to report prices.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxOperators>, ValueQuery>;

	/// The HTTP source of each listed asset; an asset is listed iff it has an entry here.
	// Twox64Concat: asset ids are chosen by `UpdateOrigin`, not by users.
	#[pallet::storage]
	pub type FeedSourceOf<T: Config> =
		CountedStorageMap<_, Twox64Concat, AssetId, FeedSourceFor<T>, OptionQuery>;

	/// The latest feed of each operator for an asset, at most one per operator.
	// Twox64Concat: only listed assets (chosen by `UpdateOrigin`) have feeds.
	#[pallet::storage]
	pub type FeedsOf<T: Config> = StorageMap<_, Twox64Concat, AssetId, FeedsFor<T>, ValueQuery>;

	/// Operators and listed assets of the first block.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial operators; no duplicates, at most `MaxOperators`.
		pub operators: Vec<T::AccountId>,
		/// The initial listed assets: `(asset, url, json path, scale)`, as in
		/// [`Pallet::set_feed_source`].
		pub feed_sources: Vec<(AssetId, Vec<u8>, Vec<u8>, i8)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::initialize(&self.operators, &self.feed_sources);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::do_offchain_worker(now);
		}

		fn integrity_test() {
			assert!(T::MaxOperators::get() >= 1, "at least one operator must fit");
			assert!(T::MaxAssets::get() >= 1, "at least one asset must fit");
			assert!(T::MinFeeds::get() >= 1, "a price needs at least one feed");
			assert!(
				T::MinFeeds::get() <= T::MaxOperators::get(),
				"MinFeeds must not exceed MaxOperators, or no price can ever exist"
			);
			assert!(T::TwapWindow::get() >= 1, "the TWAP window must cover a block");
			assert!(
				T::MaxUrlLen::get() as usize > crate::sources::HTTPS.len(),
				"MaxUrlLen must fit an https:// URL"
			);
			assert!(!T::OffchainInterval::get().is_zero(), "OffchainInterval must be at least 1");
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
		/// An operator was added.
		OperatorAdded {
			/// The new operator.
			who: T::AccountId,
		},
		/// An operator was removed, together with its feeds.
		OperatorRemoved {
			/// The removed operator.
			who: T::AccountId,
			/// How many of its feeds were deleted.
			feeds_removed: u32,
		},
		/// An operator reported a price.
		PriceSubmitted {
			/// The priced asset.
			asset: AssetId,
			/// The reporting operator.
			operator: T::AccountId,
			/// The reported price.
			price: Price,
		},
		/// An asset was listed, or its feed source changed.
		FeedSourceSet {
			/// The asset.
			asset: AssetId,
			/// Its new source.
			source: FeedSourceFor<T>,
		},
		/// An asset was delisted; its feeds were deleted.
		FeedSourceRemoved {
			/// The asset.
			asset: AssetId,
		},
		/// A price was computed on chain for a consumer through [`PriceProvider`].
		PriceResolved {
			/// The priced asset.
			asset: AssetId,
			/// The price handed out.
			price: Price,
			/// Where it came from: the feeds' median or the TWAP fallback.
			source: PriceSource,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already an operator.
		AlreadyOperator,
		/// The account is not an operator: only operators may report prices, and only operators
		/// can be removed.
		NotOperator,
		/// The operator set is full (`MaxOperators`); remove an operator first.
		TooManyOperators,
		/// The asset has no feed source, so it is not listed; list it with `set_feed_source`.
		UnknownAsset,
		/// A price of zero was reported; a price must be positive.
		ZeroPrice,
		/// This operator already reported this asset in this block; report again next block.
		DuplicateFeed,
		/// `MaxAssets` assets are already listed; delist one first.
		TooManyAssets,
		/// The URL is longer than `MaxUrlLen` bytes.
		UrlTooLong,
		/// The JSON path is longer than `MaxPathLen` bytes.
		PathTooLong,
		/// The URL is not UTF-8 text starting with `http://` or `https://`.
		InvalidUrl,
		/// The scale is outside `-18..=18`.
		ScaleOutOfRange,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Add `who` to the operator set.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `AlreadyOperator`, `TooManyOperators`.
		///
		/// ## Events
		/// Emits `OperatorAdded`.
		///
		/// Weight: `O(MaxOperators)`.
		#[pallet::call_index(0)]
		pub fn add_operator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::UpdateOrigin::ensure_origin(origin)?;
			Self::do_add_operator(who)
		}

		/// Remove `who` from the operator set and delete all its feeds.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `NotOperator`.
		///
		/// ## Events
		/// Emits `OperatorRemoved`.
		///
		/// Weight: `O(assets with feeds)`, charged for `MaxAssets` and refunded to the actual count.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_operator(T::MaxAssets::get()))]
		pub fn remove_operator(
			origin: OriginFor<T>,
			who: T::AccountId,
		) -> DispatchResultWithPostInfo {
			T::UpdateOrigin::ensure_origin(origin)?;
			let visited = Self::do_remove_operator(who)?;
			Ok(Some(T::WeightInfo::remove_operator(visited)).into())
		}

		/// Report `price` for `asset`, replacing the caller's previous feed for it.
		///
		/// - `asset`: a listed asset.
		/// - `price`: quote smallest units per one smallest unit of `asset`; must be positive.
		///
		/// Free (`Pays::No`) when it succeeds: operators are permissioned and may report each
		/// asset once per block. Failed reports pay the fee.
		///
		/// ## Dispatch Origin
		/// Signed by an operator.
		///
		/// ## Errors
		/// `NotOperator`, `UnknownAsset`, `ZeroPrice`, `DuplicateFeed`.
		///
		/// ## Events
		/// Emits `PriceSubmitted`.
		///
		/// Weight: `O(MaxOperators)`.
		#[pallet::call_index(2)]
		pub fn submit_price(
			origin: OriginFor<T>,
			asset: AssetId,
			price: Price,
		) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			Self::do_submit_price(operator, asset, price)?;
			Ok(Pays::No.into())
		}

		/// List `asset` with the HTTP source operators read its price from, or change its source.
		///
		/// - `url`: `http://` or `https://` URL, at most `MaxUrlLen` bytes.
		/// - `path`: where the number is in the JSON response: object keys and array indices
		///   separated by `.` (e.g. `data.0.price`); empty when the body is the number itself. At
		///   most `MaxPathLen` bytes.
		/// - `scale`: the fetched number is multiplied by `10^scale` (`-18..=18`) to become a
		///   price in smallest units: `quote_decimals - asset_decimals` for a number quoted per
		///   whole coin.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `UrlTooLong`, `InvalidUrl`, `PathTooLong`, `ScaleOutOfRange`, `TooManyAssets`.
		///
		/// ## Events
		/// Emits `FeedSourceSet`.
		///
		/// Weight: `O(1)`.
		#[pallet::call_index(3)]
		pub fn set_feed_source(
			origin: OriginFor<T>,
			asset: AssetId,
			url: Vec<u8>,
			path: Vec<u8>,
			scale: i8,
		) -> DispatchResult {
			T::UpdateOrigin::ensure_origin(origin)?;
			Self::do_set_feed_source(asset, url, path, scale)
		}

		/// Delist `asset`: delete its feed source and its feeds. Its price becomes `Unknown`.
		///
		/// ## Dispatch Origin
		/// `UpdateOrigin` (root).
		///
		/// ## Errors
		/// `UnknownAsset`.
		///
		/// ## Events
		/// Emits `FeedSourceRemoved`.
		///
		/// Weight: `O(1)`.
		#[pallet::call_index(4)]
		pub fn remove_feed_source(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			T::UpdateOrigin::ensure_origin(origin)?;
			Self::do_remove_feed_source(asset)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The median price of `asset` now, without fallback and without emitting an event.
		pub fn current_price(asset: AssetId) -> Result<Price, PriceError> {
			Self::median_price(asset)
		}

		/// The stored feeds of `asset`, fresh or not.
		pub fn feeds_of(asset: AssetId) -> Vec<FeedFor<T>> {
			FeedsOf::<T>::get(asset).into_inner()
		}

		/// The current operators.
		pub fn operators() -> Vec<T::AccountId> {
			Operators::<T>::get().into_inner()
		}
	}
}
