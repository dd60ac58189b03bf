//! The offchain worker: fetch each listed asset's price over HTTP and report it as a signed
//! `submit_price` from every local operator key.

use crate::{
	parse::{self, ParseError},
	Call, Config, FeedSourceFor, FeedSourceOf, Operators, Pallet, Price,
};
use alloc::vec::Vec;
use cxmpute_primitives::oracle::AssetId;
use frame_support::traits::Get;
use frame_system::{
	offchain::{SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
	offchain::{http, Duration},
	traits::Zero,
};

/// The largest response body read, in bytes; longer bodies are rejected.
pub const MAX_BODY_LEN: usize = 64 * 1024;

/// Why a price could not be fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchError {
	/// The stored URL is not UTF-8 (cannot happen for sources set through the calls).
	InvalidUrl,
	/// The request could not be started or failed on the way.
	Http,
	/// No answer before the deadline (`HttpTimeout`).
	DeadlineReached,
	/// The server answered with a status other than 200.
	Status(u16),
	/// The body is longer than [`MAX_BODY_LEN`].
	BodyTooLarge,
	/// No price could be read from the body.
	Parse(ParseError),
}

impl<T: Config> Pallet<T> {
	/// Offchain worker entry point for block `now`.
	///
	/// Does nothing unless `now` is a multiple of `OffchainInterval` and the keystore holds an
	/// `orcl` key whose account is an operator. Then, for every listed asset, fetches the price
	/// and submits it once per such key. Failures are logged and skip that asset only.
	pub(crate) fn do_offchain_worker(now: BlockNumberFor<T>) {
		let interval = T::OffchainInterval::get();
		if interval.is_zero() || !(now % interval).is_zero() {
			return;
		}
		let signers = Self::local_operator_keys();
		if signers.is_empty() {
			log::trace!(target: crate::LOG_TARGET, "no local operator key: not feeding prices");
			return;
		}
		for (asset, source) in FeedSourceOf::<T>::iter() {
			match Self::fetch_price(&source) {
				Ok(price) => Self::send_price(&signers, asset, price),
				Err(error) => log::warn!(
					target: crate::LOG_TARGET,
					"fetching the price of asset {asset} failed: {error:?}"
				),
			}
		}
	}

	/// The public keys of the local `orcl` keys whose accounts are operators.
	pub(crate) fn local_operator_keys() -> Vec<T::Public> {
		let operators = Operators::<T>::get();
		Signer::<T, T::AuthorityId>::keystore_accounts()
			.filter(|account| operators.contains(&account.id))
			.map(|account| account.public)
			.collect()
	}

	/// Fetch `source` with a `GET` request bounded by `HttpTimeout` and read the price from it.
	///
	/// # Errors
	/// Any [`FetchError`].
	pub fn fetch_price(source: &FeedSourceFor<T>) -> Result<Price, FetchError> {
		let url = core::str::from_utf8(&source.url).map_err(|_| FetchError::InvalidUrl)?;
		let deadline =
			sp_io::offchain::timestamp().add(Duration::from_millis(T::HttpTimeout::get()));
		let pending = http::Request::get(url)
			.add_header("Accept", "application/json")
			.deadline(deadline)
			.send()
			.map_err(|_| FetchError::Http)?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| FetchError::DeadlineReached)?
			.map_err(|_| FetchError::Http)?;
		if response.code != 200 {
			return Err(FetchError::Status(response.code));
		}
		let mut body = response.body();
		body.deadline(deadline);
		let bytes: Vec<u8> = body.by_ref().take(MAX_BODY_LEN + 1).collect();
		match body.error() {
			None => {},
			Some(sp_core::offchain::HttpError::DeadlineReached) => {
				return Err(FetchError::DeadlineReached)
			},
			Some(_) => return Err(FetchError::Http),
		}
		if bytes.len() > MAX_BODY_LEN {
			return Err(FetchError::BodyTooLarge);
		}
		parse::extract_price(&bytes, &source.path, source.scale).map_err(FetchError::Parse)
	}

	/// Submit `submit_price(asset, price)` signed by each of `signers`.
	fn send_price(signers: &[T::Public], asset: AssetId, price: Price) {
		let results = Signer::<T, T::AuthorityId>::all_accounts()
			.with_filter(signers.to_vec())
			.send_signed_transaction(|_account| Call::submit_price { asset, price });
		for (account, result) in results {
			match result {
				Ok(()) => log::debug!(
					target: crate::LOG_TARGET,
					"submitted price {price:?} of asset {asset} from {:?}",
					account.id
				),
				Err(()) => log::warn!(
					target: crate::LOG_TARGET,
					"submitting the price of asset {asset} from {:?} failed",
					account.id
				),
			}
		}
	}
}
