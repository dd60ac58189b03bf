//! Storage types of the provider staking pallet.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::BoundedVec, traits::fungible, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Unbonded stake waiting for its unlock block.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct UnlockChunk<T: Config> {
	/// The amount unlocking; never zero in storage.
	pub value: BalanceOf<T>,
	/// The first block at which it can be withdrawn.
	pub unlock_at: BlockNumberFor<T>,
}

/// A provider's stake ([`crate::LedgerOf`]). Everything in it is held under
/// [`crate::HoldReason::ProviderStake`]; a stored ledger is never empty.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct StakeLedger<T: Config> {
	/// Stake counted by the gate and the tier minimums.
	pub active: BalanceOf<T>,
	/// Unbonding stake, sorted by `unlock_at` strictly ascending (one chunk per block); still
	/// slashable.
	pub unlocking: BoundedVec<UnlockChunk<T>, T::MaxUnlockingChunks>,
}

impl<T: Config> Default for StakeLedger<T> {
	fn default() -> Self {
		Self { active: Zero::zero(), unlocking: BoundedVec::new() }
	}
}

impl<T: Config> StakeLedger<T> {
	/// The sum of the unlocking chunks, `None` on overflow.
	pub fn unlocking_total(&self) -> Option<BalanceOf<T>> {
		self.unlocking
			.iter()
			.try_fold(Zero::zero(), |acc: BalanceOf<T>, c| acc.checked_add(&c.value))
	}

	/// `active + unlocking`, the amount held; `None` on overflow.
	pub fn total(&self) -> Option<BalanceOf<T>> {
		self.unlocking_total()?.checked_add(&self.active)
	}

	/// Whether nothing is bonded or unlocking (such a ledger is removed).
	pub fn is_empty(&self) -> bool {
		self.active.is_zero() && self.unlocking.is_empty()
	}

	/// Take up to `amount` from the unlocking chunks, newest first (emptied chunks are
	/// removed). Returns how much was taken.
	pub fn take_unlocking(&mut self, amount: BalanceOf<T>) -> BalanceOf<T> {
		let mut left = amount;
		while !left.is_zero() {
			let Some(last) = self.unlocking.last_mut() else { break };
			let from_chunk = left.min(last.value);
			last.value = last.value.saturating_sub(from_chunk);
			left = left.saturating_sub(from_chunk);
			if last.value.is_zero() {
				self.unlocking.pop();
			}
		}
		amount.saturating_sub(left)
	}

	/// Take up to `amount` from the stake: active first, then the unlocking chunks newest
	/// first. Returns how much was taken.
	pub fn take(&mut self, amount: BalanceOf<T>) -> BalanceOf<T> {
		let from_active = amount.min(self.active);
		self.active = self.active.saturating_sub(from_active);
		from_active.saturating_add(self.take_unlocking(amount.saturating_sub(from_active)))
	}
}
