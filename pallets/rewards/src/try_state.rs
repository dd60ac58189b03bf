//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, BalanceOf, EpochIndex, MilliPoints, MAX_MULTIPLIER};
use alloc::collections::btree_map::BTreeMap;
use frame_support::ensure;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_params`], [`Self::try_state_points`] and
	/// [`Self::try_state_budgets`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_params()?;
		Self::try_state_points()?;
		Self::try_state_budgets()?;
		Ok(())
	}

	/// # Invariants
	/// - the stored parameters pass `validate_params`;
	/// - the demand multiplier is at most `MAX_MULTIPLIER` (it may lag a curve change by up to
	///   `DemandPeriod` blocks, so it is not checked against the current curve).
	pub fn try_state_params() -> Result<(), TryRuntimeError> {
		let params = Params::<T>::get();
		ensure!(Self::validate_params(&params).is_ok(), "stored parameters are invalid");
		let demand = DemandMultiplier::<T>::get();
		ensure!(demand <= MAX_MULTIPLIER, "demand multiplier above MAX_MULTIPLIER");
		Ok(())
	}

	/// # Invariants
	/// For every epoch `e`:
	/// - the unpaid `PointsOf[e]` entries are non-zero and add up to `EpochPoints[e] -
	///   EpochClaimedPoints[e]`;
	/// - no epoch after the open one has points;
	/// - a closed epoch whose points are all claimed has been settled (no records left).
	pub fn try_state_points() -> Result<(), TryRuntimeError> {
		let current = CurrentEpoch::<T>::get();
		let mut unpaid: BTreeMap<EpochIndex, MilliPoints> = BTreeMap::new();
		for (epoch, _, points) in PointsOf::<T>::iter() {
			ensure!(points > 0, "zero points stored");
			let sum = unpaid.entry(epoch).or_default();
			*sum = sum.checked_add(points).ok_or("points of an epoch overflow")?;
		}
		for (epoch, total) in EpochPoints::<T>::iter() {
			ensure!(epoch <= current, "points in a future epoch");
			let claimed = EpochClaimedPoints::<T>::get(epoch);
			let expected = total.checked_sub(claimed).ok_or("more points claimed than awarded")?;
			ensure!(
				unpaid.remove(&epoch).unwrap_or(0) == expected,
				"unpaid points do not match the epoch total minus claimed points"
			);
			ensure!(epoch == current || expected > 0, "fully claimed epoch not settled");
		}
		ensure!(unpaid.is_empty(), "points of an epoch without a total");
		for (epoch, _) in EpochClaimedPoints::<T>::iter() {
			ensure!(EpochPoints::<T>::contains_key(epoch), "claimed points of an unknown epoch");
		}
		Ok(())
	}

	/// # Invariants
	/// For every epoch `e`:
	/// - `EpochBudget[e]` exists iff `e` is closed and has points (`EpochPoints[e] > 0`);
	/// - `EpochPaid[e] <= EpochBudget[e]`, and nothing is paid for an epoch without budget;
	/// - `EpochPaid[e]` plus the shares of every unpaid entry never exceeds `EpochBudget[e]`.
	pub fn try_state_budgets() -> Result<(), TryRuntimeError> {
		let current = CurrentEpoch::<T>::get();
		for (epoch, total) in EpochPoints::<T>::iter() {
			ensure!(
				EpochBudget::<T>::contains_key(epoch) == (epoch < current && total > 0),
				"budget missing for a closed epoch or present for the open one"
			);
		}
		for (epoch, budget) in EpochBudget::<T>::iter() {
			ensure!(EpochPoints::<T>::contains_key(epoch), "budget of an epoch without points");
			let paid = EpochPaid::<T>::get(epoch);
			ensure!(paid <= budget, "paid more than the budget");
			let total = EpochPoints::<T>::get(epoch);
			let mut owed: BalanceOf<T> = paid;
			for (_, points) in PointsOf::<T>::iter_prefix(epoch) {
				let share =
					Self::share_of(budget, points, total).map_err(|_| "share out of range")?;
				owed = owed.saturating_add(share);
			}
			ensure!(owed <= budget, "paid plus unpaid shares exceed the budget");
		}
		for (epoch, paid) in EpochPaid::<T>::iter() {
			ensure!(
				EpochBudget::<T>::contains_key(epoch) || paid.is_zero(),
				"paid out of an epoch without budget"
			);
		}
		Ok(())
	}
}
