//! Storage types of the oracle pallet and their aliases.

use crate::{Config, Price};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// One operator's latest report for an asset.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Feed<AccountId, BlockNumber> {
	/// The operator that reported it.
	pub operator: AccountId,
	/// The reported price (never zero).
	pub price: Price,
	/// The block the report was included in.
	pub at: BlockNumber,
}

/// Where the operators' offchain workers read an asset's price.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[codec(mel_bound())]
#[scale_info(skip_type_params(MaxUrlLen, MaxPathLen))]
pub struct FeedSource<MaxUrlLen: Get<u32>, MaxPathLen: Get<u32>> {
	/// The URL fetched with `GET`: UTF-8, starting with `http://` or `https://`.
	pub url: BoundedVec<u8, MaxUrlLen>,
	/// Object keys and array indices separated by `.` leading to the number in the JSON body
	/// (e.g. `data.0.price`); empty when the body is the number itself. The number may be a JSON
	/// number or a string holding a decimal.
	pub path: BoundedVec<u8, MaxPathLen>,
	/// Decimal shift: the fetched number times `10^scale` is the price in smallest units;
	/// `-18..=18`.
	pub scale: i8,
}

/// A feed as stored for the runtime `T`.
pub type FeedFor<T> = Feed<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// All feeds of one asset for the runtime `T`: at most one per operator.
pub type FeedsFor<T> = BoundedVec<FeedFor<T>, <T as Config>::MaxOperators>;

/// A feed source as stored for the runtime `T`.
pub type FeedSourceFor<T> = FeedSource<<T as Config>::MaxUrlLen, <T as Config>::MaxPathLen>;
