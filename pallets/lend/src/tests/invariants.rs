//! Property tests: random sequences of calls keep the invariants, conserve every asset and
//! never round in the caller's favour.

use super::mock::*;
use crate::RedeemAmount;
use proptest::prelude::*;
use sp_arithmetic::FixedPointNumber;
use sp_arithmetic::FixedU128;

const POOL: [u32; 2] = [USD, BTC];

#[derive(Clone, Debug)]
enum Action {
	Supply { who: usize, asset: usize, amount: u128 },
	Redeem { who: usize, asset: usize, share: u8 },
	RedeemUnderlying { who: usize, asset: usize, amount: u128 },
	Collateral { who: usize, asset: usize },
	Borrow { who: usize, asset: usize, amount: u128 },
	Repay { who: usize, asset: usize, amount: u128 },
	Liquidate { who: usize, borrower: usize, debt: usize, collateral: usize, amount: u128 },
	Price { asset: usize, percent: u32 },
	Wait { blocks: u64 },
	Position { who: usize, collateral: usize, amount: u128, percent: u128 },
}

fn account() -> impl Strategy<Value = usize> {
	0usize..4
}
fn asset() -> impl Strategy<Value = usize> {
	0usize..2
}
fn amount() -> impl Strategy<Value = u128> {
	prop_oneof![1u128..10, 1u128..10_000, 1_000u128..10_000_000]
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		3 => (account(), asset(), amount()).prop_map(|(who, asset, amount)| Action::Supply { who, asset, amount }),
		2 => (account(), asset(), 1u8..=100).prop_map(|(who, asset, share)| Action::Redeem { who, asset, share }),
		1 => (account(), asset(), amount()).prop_map(|(who, asset, amount)| Action::RedeemUnderlying { who, asset, amount }),
		2 => (account(), asset()).prop_map(|(who, asset)| Action::Collateral { who, asset }),
		3 => (account(), asset(), amount()).prop_map(|(who, asset, amount)| Action::Borrow { who, asset, amount }),
		2 => (account(), asset(), amount()).prop_map(|(who, asset, amount)| Action::Repay { who, asset, amount }),
		6 => (account(), account(), asset(), amount()).prop_map(|(who, borrower, debt, amount)| Action::Liquidate { who, borrower, debt, collateral: 1 - debt, amount }),
		3 => (asset(), 20u32..200).prop_map(|(asset, percent)| Action::Price { asset, percent }),
		1 => (1u64..100_000).prop_map(|blocks| Action::Wait { blocks }),
		3 => (account(), asset(), 10_000u128..10_000_000, 10u128..75).prop_map(|(who, collateral, amount, percent)| Action::Position { who, collateral, amount, percent }),
	]
}

/// Underlying value of `who`'s u-tokens of `asset`, as an exact fraction `(num, den)`.
fn value_of(asset: u32, who: AccountId) -> (u128, u128) {
	let m = Lend::current_market(asset).unwrap();
	let assets = m.cash + m.total_borrows - m.total_reserves;
	(utokens(asset, who) * assets, m.total_supply.max(1))
}

fn run(action: &Action) {
	let o = |i: usize| RuntimeOrigin::signed(ACCOUNTS[i]);
	let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let result = match *action {
		Action::Supply { who, asset, amount } => {
			let (a, w) = (POOL[asset], ACCOUNTS[who]);
			let before = value_of(a, w);
			let r = Lend::supply(o(who), a, amount);
			if r.is_ok() {
				// The minted u-tokens are worth at most what was paid.
				let after = value_of(a, w);
				let gained = after.0 / after.1 - before.0 / before.1;
				assert!(gained <= amount, "supply rounded for the caller");
			}
			r
		},
		Action::Redeem { who, asset, share } => {
			let (a, w) = (POOL[asset], ACCOUNTS[who]);
			let burn = utokens(a, w) * share as u128 / 100;
			let m = Lend::current_market(a).unwrap();
			let bal = balance(a, w);
			let r = Lend::redeem(o(who), a, RedeemAmount::UTokens(burn));
			if r.is_ok() {
				let got = balance(a, w) - bal;
				let assets = m.cash + m.total_borrows - m.total_reserves;
				// got <= burn * assets / supply.
				assert!(
					sp_core::U256::from(got) * sp_core::U256::from(m.total_supply)
						<= sp_core::U256::from(burn) * sp_core::U256::from(assets),
					"redeem rounded for the caller"
				);
			}
			r
		},
		Action::RedeemUnderlying { who, asset, amount } => {
			let (a, w) = (POOL[asset], ACCOUNTS[who]);
			let m = Lend::current_market(a).unwrap();
			let held = utokens(a, w);
			let r = Lend::redeem(o(who), a, RedeemAmount::Underlying(amount));
			if r.is_ok() {
				let burnt = held - utokens(a, w);
				let assets = m.cash + m.total_borrows - m.total_reserves;
				assert!(
					sp_core::U256::from(burnt) * sp_core::U256::from(assets)
						>= sp_core::U256::from(amount) * sp_core::U256::from(m.total_supply),
					"redeem_underlying rounded for the caller"
				);
			}
			r
		},
		Action::Collateral { who, asset } => Lend::enable_collateral(o(who), POOL[asset]),
		Action::Borrow { who, asset, amount } => {
			let (a, w) = (POOL[asset], ACCOUNTS[who]);
			let before = debt(a, w);
			let r = Lend::borrow(o(who), a, amount);
			if r.is_ok() {
				assert!(debt(a, w) >= before + amount, "borrow rounded for the caller");
			}
			r
		},
		Action::Repay { who, asset, amount } => {
			let (a, w) = (POOL[asset], ACCOUNTS[who]);
			let before = debt(a, w);
			let bal = balance(a, w);
			let r = Lend::repay(o(who), a, None, amount);
			if r.is_ok() {
				let paid = bal - balance(a, w);
				assert_eq!(before - debt(a, w), paid, "repay must reduce the debt by what is paid");
			}
			r
		},
		Action::Liquidate { who, borrower, debt: d, collateral: c, amount } => {
			let (da, ca) = (POOL[d], POOL[c]);
			let bal = balance(da, ACCOUNTS[who]);
			let before = value_of(ca, ACCOUNTS[who]);
			let r = Lend::liquidate(o(who), ACCOUNTS[borrower], da, ca, amount);
			if r.is_ok() {
				let paid = bal - balance(da, ACCOUNTS[who]);
				let after = value_of(ca, ACCOUNTS[who]);
				let seized = after.0 / after.1 - before.0 / before.1;
				let dp = MockOracle::price(da).unwrap();
				let cp = MockOracle::price(ca).unwrap();
				// seized * cp <= paid * dp * 1.05 (+1 for the floor of the value division).
				let seized_value = cp.saturating_mul_int(seized);
				let paid_value = (dp * FixedU128::from_rational(105, 100)).saturating_mul_int(paid);
				assert!(
					seized_value <= paid_value + cp.saturating_mul_int(1u128) + 1,
					"liquidation paid more than the bonus"
				);
			}
			r
		},
		Action::Price { asset, percent } => {
			MockOracle::set(POOL[asset], FixedU128::from_rational(percent as u128, 100));
			Ok(())
		},
		Action::Position { who, collateral, amount, percent } => {
			// Supply collateral and borrow the other asset against `percent` of its value.
			let (c, d) = (POOL[collateral], POOL[1 - collateral]);
			let _ = Lend::supply(o(who), c, amount);
			let _ = Lend::enable_collateral(o(who), c);
			let cp = MockOracle::price(c).unwrap();
			let dp = MockOracle::price(d).unwrap();
			let value = cp.saturating_mul_int(amount) * percent / 100;
			let borrow = dp.reciprocal().unwrap().saturating_mul_int(value);
			if borrow > 0 {
				// Composite: a failed borrow after a successful supply is not a no-op.
				let _ = Lend::borrow(o(who), d, borrow);
			}
			Ok(())
		},
		Action::Wait { blocks } => {
			run_to_block(System::block_number() + blocks);
			Ok(())
		},
	};
	if result.is_err() {
		assert_eq!(
			root,
			sp_io::storage::root(sp_runtime::StateVersion::V1),
			"failed call changed storage"
		);
	}
	Lend::do_try_state().unwrap_or_else(|e| panic!("{action:?}: {e:?}"));
	for a in POOL {
		let total: u128 =
			ACCOUNTS.iter().map(|w| balance(a, *w)).sum::<u128>() + balance(a, pallet_account());
		assert_eq!(total, INITIAL * 4, "asset {a} not conserved");
	}
}

use crate::PriceProvider;

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn random_sequences_keep_the_invariants(actions in prop::collection::vec(action(), 1..40)) {
		ExtBuilder::default().build_and_execute(|| {
			// Seed both markets so borrowing is possible.
			frame_support::assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), USD, 10_000_000));
			frame_support::assert_ok!(Lend::supply(RuntimeOrigin::signed(ALICE), BTC, 10_000_000));
			for action in &actions {
				run(action);
			}
		});
	}
}
