//! `try_state` detects broken invariants.

use super::mock::*;
use crate::{LedgerOf, StakeLedger, TotalStaked, UnlockChunk};
use frame_support::BoundedVec;

fn broken(corrupt: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		bond(1, 1_000);
		unbond(1, 100);
		run_to_block(2);
		unbond(1, 100);
		assert!(Staking::do_try_state().is_ok());
		corrupt();
		let err = Staking::do_try_state().expect_err("invariant must be broken");
		assert_eq!(err, sp_runtime::TryRuntimeError::Other(expected), "{expected}");
	});
}

fn ledger(active: Balance, chunks: Vec<(Balance, u64)>) -> StakeLedger<Test> {
	StakeLedger {
		active,
		unlocking: BoundedVec::truncate_from(
			chunks.into_iter().map(|(value, unlock_at)| UnlockChunk { value, unlock_at }).collect(),
		),
	}
}

#[test]
fn try_state_detects_corrupted_ledger() {
	broken(
		|| LedgerOf::<Test>::insert(1, ledger(801, vec![(100, 11), (100, 12)])),
		"held balance differs from the ledger",
	);
}

#[test]
fn try_state_detects_wrong_total() {
	broken(|| TotalStaked::<Test>::put(999), "TotalStaked differs from the sum of ledgers");
}

#[test]
fn try_state_detects_empty_ledger() {
	broken(|| LedgerOf::<Test>::insert(5, ledger(0, vec![])), "empty ledger stored");
}

#[test]
fn try_state_detects_unsorted_chunks() {
	broken(
		|| LedgerOf::<Test>::insert(1, ledger(800, vec![(100, 12), (100, 11)])),
		"chunks not strictly sorted by unlock block",
	);
}

#[test]
fn try_state_detects_zero_chunk() {
	broken(|| LedgerOf::<Test>::insert(1, ledger(1_000, vec![(0, 11)])), "zero chunk stored");
}
