//! Flash loans.

use super::mock::*;
use crate::{Error, Event, RedeemAmount, WeightInfo};
use frame_support::{
	assert_ok,
	dispatch::{DispatchErrorWithPostInfo, GetDispatchInfo},
};
use sp_runtime::{traits::Dispatchable, DispatchError};

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] })
}

fn flash(_who: AccountId, asset: u32, amount: u128, calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Lend(crate::Call::flash_loan { asset, amount, calls })
}

/// Dispatch `call` as `who` and check it fails with `err` without changing storage.
fn assert_reverted(who: AccountId, call: RuntimeCall, err: impl Into<DispatchError>) {
	let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let result: Result<_, DispatchErrorWithPostInfo> = call.dispatch(RuntimeOrigin::signed(who));
	assert_eq!(result.map(|_| ()).map_err(|e| e.error), Err(err.into()));
	assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1), "storage changed");
}

fn setup() {
	assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 1_000_000));
}

#[test]
fn flash_loan_works() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(flash(DAVE, USD, 100_000, vec![remark(), remark()])
			.dispatch(RuntimeOrigin::signed(DAVE)));
		// 0.09% of 100,000.
		System::assert_last_event(
			Event::<Test>::FlashLoaned { who: DAVE, asset: USD, amount: 100_000, fee: 90 }.into(),
		);
		assert_eq!(balance(USD, DAVE), INITIAL - 90);
		let m = market(USD);
		assert_eq!((m.cash, m.total_reserves), (1_000_090, 90));
	});
}

#[test]
fn flash_loan_fee_rounds_up() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(Lend::flash_loan(RuntimeOrigin::signed(DAVE), USD, 1, vec![]));
		assert_eq!(market(USD).total_reserves, 1);
	});
}

#[test]
fn flash_loan_weight_adds_the_calls() {
	let call = flash(DAVE, USD, 1, vec![remark(), remark()]);
	let expected = <() as WeightInfo>::flash_loan(2)
		.saturating_add(remark().get_dispatch_info().call_weight)
		.saturating_add(remark().get_dispatch_info().call_weight);
	assert_eq!(call.get_dispatch_info().call_weight, expected);
}

#[test]
fn flash_loan_not_repaid_reverts() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Dave sends everything away and cannot repay.
		let give_away = RuntimeCall::Assets(pallet_assets::Call::transfer {
			id: USD,
			target: ALICE,
			amount: INITIAL + 100_000,
		});
		assert_reverted(
			DAVE,
			flash(DAVE, USD, 100_000, vec![give_away]),
			Error::<Test>::FlashLoanNotRepaid,
		);
	});
}

#[test]
fn flash_loan_fails_when_a_call_fails() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let borrow = RuntimeCall::Lend(crate::Call::borrow { asset: USD, amount: 1 });
		assert_reverted(
			DAVE,
			flash(DAVE, USD, 100_000, vec![remark(), borrow]),
			Error::<Test>::InsufficientCollateral,
		);
	});
}

#[test]
fn nested_flash_loan_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_reverted(
			DAVE,
			flash(DAVE, USD, 100_000, vec![flash(DAVE, USD, 1, vec![])]),
			Error::<Test>::NestedFlashLoan,
		);
	});
}

#[test]
fn flash_loaned_cash_cannot_be_redeemed() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// The whole cash is lent: Alice cannot redeem it inside her own flash loan.
		let redeem =
			RuntimeCall::Lend(crate::Call::redeem { asset: USD, amount: RedeemAmount::UTokens(1) });
		assert_reverted(
			ALICE,
			flash(ALICE, USD, 1_000_000, vec![redeem]),
			Error::<Test>::InsufficientCash,
		);
	});
}

#[test]
fn flash_loan_fails_for_bad_input() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_reverted(DAVE, flash(DAVE, USD, 0, vec![]), Error::<Test>::ZeroAmount);
		assert_reverted(DAVE, flash(DAVE, DOT, 1, vec![]), Error::<Test>::UnknownMarket);
		assert_reverted(DAVE, flash(DAVE, USD, 1_000_001, vec![]), Error::<Test>::InsufficientCash);
		assert_reverted(DAVE, flash(DAVE, USD, 1, vec![remark(); 9]), Error::<Test>::TooManyCalls);
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert!(flash(DAVE, USD, 1, vec![]).dispatch(RuntimeOrigin::root()).is_err());
		assert_eq!(root, sp_io::storage::root(sp_runtime::StateVersion::V1));
	});
}
