//! Property tests for the lending maths.

use super::*;
use crate::{fixed::FIXED_ONE, MathError};
use proptest::prelude::*;
use sp_arithmetic::{
	biguint::BigUint,
	traits::{One, Zero},
	FixedU128, PerThing, Perbill, Permill,
};

const CASES: u32 = 1_000;

fn big(x: u128) -> BigUint {
	BigUint::from(x)
}

/// `a * d >= c * b`, i.e. `a / b >= c / d`, exactly.
fn ratio_ge(a: u128, b: u128, c: u128, d: u128) -> bool {
	big(a) * big(d) >= big(c) * big(b)
}

/// A loan principal: at least one unit, up to 10^9 tokens of 18 decimals, often dust.
fn principal() -> impl Strategy<Value = u128> {
	prop_oneof![1..=1_000u128, 1..=1_000_000_000 * FIXED_ONE]
}

/// A non-zero annual rate up to 200% (from 10^-18 upwards), often tiny.
fn annual_rate() -> impl Strategy<Value = FixedU128> {
	prop_oneof![1..=1_000_000u128, 1..=2 * FIXED_ONE].prop_map(FixedU128::from_inner)
}

/// One block up to ten years of 6-second blocks, often just a few.
fn blocks() -> impl Strategy<Value = u64> {
	prop_oneof![1..=10u64, 1..=10 * BLOCKS_PER_YEAR_6S]
}

/// A borrow index between 1 and 10.
fn borrow_index() -> impl Strategy<Value = FixedU128> {
	(FIXED_ONE..=10 * FIXED_ONE).prop_map(FixedU128::from_inner)
}

/// A utilisation between 0 and 120%.
fn utilisation_value() -> impl Strategy<Value = FixedU128> {
	(0..=FIXED_ONE * 6 / 5).prop_map(FixedU128::from_inner)
}

/// A percentage as a fixed-point number, `0..=max_percent`.
fn fixed_percent(max_percent: u128) -> impl Strategy<Value = FixedU128> {
	(0..=max_percent * FIXED_ONE / 100).prop_map(FixedU128::from_inner)
}

/// Any kink from 0% to 100%.
fn kink() -> impl Strategy<Value = Perbill> {
	(0..=Perbill::ACCURACY).prop_map(Perbill::from_parts)
}

/// A realistic kinked model.
fn interest_rate_model() -> impl Strategy<Value = InterestRateModel> {
	(fixed_percent(20), fixed_percent(50), fixed_percent(500), kink()).prop_map(
		|(base_rate, multiplier, jump_multiplier, kink)| InterestRateModel {
			base_rate,
			multiplier,
			jump_multiplier,
			kink,
		},
	)
}

/// An amount of underlying up to 10^6 tokens of 18 decimals.
fn underlying_amount() -> impl Strategy<Value = u128> {
	0..=1_000_000 * FIXED_ONE
}

/// A market with supplier assets and u-tokens, possibly with borrows and reserves.
fn funded_market() -> impl Strategy<Value = MarketState> {
	(
		1..=1_000_000 * FIXED_ONE,
		0..=1_000_000 * FIXED_ONE,
		0..=1_000 * FIXED_ONE,
		1..=u128::MAX >> 40,
	)
		.prop_map(|(cash, total_borrows, reserves, total_supply)| MarketState {
			cash,
			total_borrows,
			// keep reserves below cash + borrows so that suppliers own something
			total_reserves: reserves.min(cash.saturating_add(total_borrows).saturating_sub(1)),
			total_supply,
			borrow_index: FixedU128::one(),
		})
}

/// A price of one smallest unit, between 10^-6 and 1000.
fn price() -> impl Strategy<Value = FixedU128> {
	(FIXED_ONE / 1_000_000..=1_000 * FIXED_ONE).prop_map(FixedU128::from_inner)
}

/// An initial exchange rate between 10^-6 and 100 underlying per u-token.
fn initial_rate() -> impl Strategy<Value = FixedU128> {
	(FIXED_ONE / 1_000_000..=100 * FIXED_ONE).prop_map(FixedU128::from_inner)
}

/// An action of the would-be first-depositor attacker.
#[derive(Clone, Debug)]
enum AttackStep {
	/// Deposit this much underlying.
	Mint(u128),
	/// Redeem this share (per thousand) of the attacker's u-tokens.
	Redeem(u16),
	/// Withdraw this much underlying.
	RedeemUnderlying(u128),
	/// Pay this much interest into the market as a borrower (the only other way to raise
	/// supplier assets once donations are ignored).
	PayInterest(u128),
}

fn attack_step() -> impl Strategy<Value = AttackStep> {
	prop_oneof![
		underlying_amount().prop_map(AttackStep::Mint),
		(0u16..=1_000).prop_map(AttackStep::Redeem),
		underlying_amount().prop_map(AttackStep::RedeemUnderlying),
		underlying_amount().prop_map(AttackStep::PayInterest),
		// tiny amounts, where rounding matters most
		(0u128..=1_000).prop_map(AttackStep::Mint),
		(0u128..=1_000).prop_map(AttackStep::RedeemUnderlying),
	]
}

fn attack() -> impl Strategy<Value = Vec<AttackStep>> {
	prop::collection::vec(attack_step(), 0..40)
}

/// Exact `u-token value >= before`: `(U' / S') >= (U / S)`.
fn rate_did_not_fall(before: &MarketState, after: &MarketState) -> bool {
	let u = |s: &MarketState| total_underlying(s.cash, s.total_borrows, s.total_reserves).unwrap();
	ratio_ge(u(after), after.total_supply, u(before), before.total_supply)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	/// A loan of at least one unit at a non-zero rate always owes more than its principal
	/// after at least one block: rounding never lets interest vanish.
	#[test]
	fn debt_always_grows_with_a_positive_rate(
		principal in principal(),
		annual_rate in annual_rate(),
		blocks in blocks(),
		index_at_open in borrow_index(),
	) {
		let rate = per_block_rate(annual_rate, BLOCKS_PER_YEAR_6S).unwrap();
		prop_assert!(rate > FixedU128::zero());
		let index = accrue_index(index_at_open, rate, blocks).unwrap();
		prop_assert!(index > index_at_open);
		let debt = debt_of(principal, index_at_open, index).unwrap();
		prop_assert!(debt > principal, "debt {} principal {}", debt, principal);
	}

	/// Debt never decreases as blocks pass.
	#[test]
	fn debt_is_monotone_in_time(
		principal in principal(),
		annual_rate in annual_rate(),
		a in blocks(),
		b in blocks(),
	) {
		let (early, late) = (a.min(b), a.max(b));
		let rate = per_block_rate(annual_rate, BLOCKS_PER_YEAR_6S).unwrap();
		let open = FixedU128::one();
		let debt_early = debt_of(principal, open, accrue_index(open, rate, early).unwrap()).unwrap();
		let debt_late = debt_of(principal, open, accrue_index(open, rate, late).unwrap()).unwrap();
		prop_assert!(debt_late >= debt_early);
	}

	/// The borrow rate never decreases with utilisation, and is continuous at the kink.
	#[test]
	fn borrow_rate_is_monotone_and_continuous(
		model in interest_rate_model(),
		a in utilisation_value(),
		b in utilisation_value(),
	) {
		let (low, high) = (a.min(b), a.max(b));
		prop_assert!(model.borrow_rate(low).unwrap() <= model.borrow_rate(high).unwrap());
		let kink = crate::fixed::from_per_thing(model.kink, crate::Rounding::Down).unwrap();
		let at_kink = model.borrow_rate(kink).unwrap();
		let below = crate::fixed::mul(model.multiplier, kink, crate::Rounding::Up).unwrap();
		prop_assert_eq!(at_kink, crate::fixed::add(model.base_rate, below).unwrap());
	}

	/// A model built from target rates reaches them, overshooting by at most a few 10^-18.
	#[test]
	fn model_from_targets_hits_its_targets(
		base in fixed_percent(20),
		rise in fixed_percent(50),
		jump in fixed_percent(500),
		kink in (1..Perbill::ACCURACY).prop_map(Perbill::from_parts),
	) {
		let at_kink = crate::fixed::add(base, rise).unwrap();
		let full = crate::fixed::add(at_kink, jump).unwrap();
		let model = InterestRateModel::from_targets(base, at_kink, kink, full).unwrap();
		let kink_fixed = crate::fixed::from_per_thing(kink, crate::Rounding::Down).unwrap();
		let reached_kink = model.borrow_rate(kink_fixed).unwrap().into_inner();
		let reached_full = model.borrow_rate(FixedU128::one()).unwrap().into_inner();
		prop_assert!(reached_kink >= at_kink.into_inner() && reached_kink <= at_kink.into_inner() + 2);
		prop_assert!(reached_full >= full.into_inner() && reached_full <= full.into_inner() + 4);
	}

	/// The aggregate `total_borrows` never exceeds the sum of the borrowers' own debts, and
	/// trails it by less than one unit per borrower; reserves take no more than the interest.
	#[test]
	fn accrual_never_overstates_borrows(
		principals in prop::collection::vec(principal(), 1..20),
		cash in underlying_amount(),
		model in interest_rate_model(),
		reserve_factor in (0..=Permill::ACCURACY).prop_map(Permill::from_parts),
		index in borrow_index(),
		blocks in 1..=BLOCKS_PER_YEAR_6S,
	) {
		let total: u128 = principals.iter().sum();
		let state = MarketState {
			cash,
			total_borrows: total,
			total_reserves: 0,
			total_supply: 1,
			borrow_index: index,
		};
		let accrual = accrue_interest(state, &model, reserve_factor, BLOCKS_PER_YEAR_6S, blocks).unwrap();
		let new_index = accrual.state.borrow_index;
		let debts: u128 = principals.iter().map(|p| debt_of(*p, index, new_index).unwrap()).sum();
		prop_assert!(accrual.state.total_borrows >= total);
		prop_assert!(debts >= accrual.state.total_borrows);
		prop_assert!(debts - accrual.state.total_borrows <= principals.len() as u128);
		prop_assert!(accrual.reserves_added <= accrual.interest);
		prop_assert_eq!(accrual.state.total_borrows - total, accrual.interest);
	}

	/// Mint, redeem and redeem-by-underlying never lower the value of a u-token: every
	/// rounding stays in the pool.
	#[test]
	fn exchange_rate_never_falls(
		state in funded_market(),
		amount in underlying_amount(),
		share in 0u16..=1_000,
	) {
		if let Ok(m) = mint(amount, &state, FixedU128::one(), 0) {
			let after = MarketState {
				cash: state.cash + amount,
				total_supply: state.total_supply + m.to_depositor,
				..state
			};
			prop_assert!(rate_did_not_fall(&state, &after));
		}
		let tokens = state.total_supply / 1_000 * u128::from(share);
		// (the pallet refuses withdrawals above cash)
		if let Some(out) = redeem(tokens, &state).ok().filter(|out| *out <= state.cash) {
			let after = MarketState {
				cash: state.cash - out,
				total_supply: state.total_supply - tokens,
				..state
			};
			prop_assert!(rate_did_not_fall(&state, &after));
		}
		if let Ok(burn) = redeem_underlying(amount.min(state.cash), &state) {
			let amount = amount.min(state.cash);
			// the burn is worth at least the withdrawal: burn / S >= amount / U
			let assets = total_underlying(state.cash, state.total_borrows, state.total_reserves).unwrap();
			prop_assert!(ratio_ge(burn, state.total_supply, amount, assets));
			let after = MarketState {
				cash: state.cash - amount,
				total_supply: state.total_supply - burn,
				..state
			};
			if after.total_supply > 0 {
				prop_assert!(rate_did_not_fall(&state, &after));
			}
		}
	}

	/// Depositing and redeeming straight away never returns more than was deposited.
	#[test]
	fn mint_then_redeem_never_profits(state in funded_market(), amount in underlying_amount()) {
		if let Ok(m) = mint(amount, &state, FixedU128::one(), 0) {
			let after = MarketState {
				cash: state.cash + amount,
				total_supply: state.total_supply + m.to_depositor,
				..state
			};
			match redeem(m.to_depositor, &after) {
				Ok(out) => prop_assert!(out <= amount),
				Err(e) => prop_assert_eq!(e, MathError::AmountTooSmall),
			}
		}
	}

	/// First-depositor attack: whatever an attacker does with mints, redeems and interest
	/// payments, a later deposit of at least `attacker capital / minimum_liquidity` receives
	/// u-tokens, and the attacker never gets back more than he put in.
	#[test]
	fn first_depositor_cannot_zero_out_later_deposits(
		rate in initial_rate(),
		first in underlying_amount(),
		steps in attack(),
		extra in 0u128..=1_000,
	) {
		let empty = MarketState {
			cash: 0,
			total_borrows: 0,
			total_reserves: 0,
			total_supply: 0,
			borrow_index: FixedU128::one(),
		};
		let Ok(m) = mint(first, &empty, rate, DEFAULT_MINIMUM_LIQUIDITY) else {
			return Ok(());
		};
		prop_assert_eq!(m.locked, DEFAULT_MINIMUM_LIQUIDITY);
		let mut state = MarketState {
			cash: first,
			total_supply: m.to_depositor + m.locked,
			..empty
		};
		let mut shares = m.to_depositor;
		let (mut capital_in, mut capital_out) = (first, 0u128);
		for step in steps {
			let before = state;
			match step {
				AttackStep::Mint(amount) => if let Ok(m) = mint(amount, &state, rate, DEFAULT_MINIMUM_LIQUIDITY) {
					prop_assert_eq!(m.locked, 0);
					state.cash += amount;
					state.total_supply += m.to_depositor;
					shares += m.to_depositor;
					capital_in += amount;
				},
				AttackStep::Redeem(per_mille) => {
					let tokens = shares / 1_000 * u128::from(per_mille);
					if let Ok(out) = redeem(tokens, &state) {
						state.cash -= out;
						state.total_supply -= tokens;
						shares -= tokens;
						capital_out += out;
					}
				},
				AttackStep::RedeemUnderlying(amount) => if let Ok(burn) = redeem_underlying(amount, &state) {
					if burn <= shares {
						state.cash -= amount;
						state.total_supply -= burn;
						shares -= burn;
						capital_out += amount;
					}
				},
				AttackStep::PayInterest(amount) => {
					state.cash += amount;
					capital_in += amount;
				},
			}
			prop_assert!(state.total_supply >= DEFAULT_MINIMUM_LIQUIDITY, "dead shares stay");
			prop_assert!(rate_did_not_fall(&before, &state));
		}
		// The attacker cannot extract more than he put in.
		let holdings = if shares == 0 { 0 } else { redeem(shares, &state).unwrap_or(0) };
		prop_assert!(capital_out + holdings <= capital_in);
		// A victim depositing at least capital / D still receives u-tokens.
		let bound = capital_in.div_ceil(DEFAULT_MINIMUM_LIQUIDITY);
		let victim = mint(bound + extra, &state, rate, DEFAULT_MINIMUM_LIQUIDITY).unwrap();
		prop_assert!(victim.to_depositor >= 1);
	}

	/// The liquidator never receives more than the repaid value plus the bonus, never repays
	/// more than asked or allowed, and never seizes more than the borrower holds.
	#[test]
	fn liquidation_never_overpays_the_liquidator(
		debt in principal(),
		repay in principal(),
		health in (0..FIXED_ONE).prop_map(FixedU128::from_inner),
		debt_price in price(),
		collateral_price in price(),
		collateral_balance in 0..=u128::MAX >> 30,
		bonus in (0..=Permill::from_percent(30).deconstruct()).prop_map(Permill::from_parts),
	) {
		let params = LiquidationParams {
			close_factor: DEFAULT_CLOSE_FACTOR,
			full_liquidation_health: DEFAULT_FULL_LIQUIDATION_HEALTH,
			bonus,
		};
		let health = HealthFactor::Finite(health);
		let request = LiquidationRequest {
			health,
			debt,
			repay,
			debt_price,
			collateral_price,
			collateral_balance,
		};
		match liquidate(&request, &params) {
			Ok(Some(l)) => {
				prop_assert!(l.repay <= repay);
				prop_assert!(l.repay <= max_repay(debt, health, &params).unwrap());
				prop_assert!(l.seize <= collateral_balance);
				// seize * cp <= repay * dp * (1 + bonus)
				let lhs = big(l.seize) * big(collateral_price.into_inner()) * big(1_000_000);
				let rhs = big(l.repay)
					* big(debt_price.into_inner())
					* big(1_000_000 + u128::from(bonus.deconstruct()));
				prop_assert!(lhs <= rhs);
			},
			Ok(None) => prop_assert!(false, "health below 1 is liquidatable"),
			Err(e) => prop_assert_eq!(e, MathError::AmountTooSmall),
		}
	}

	/// The health factor never overstates health: `health * debt <= weighted collateral`.
	#[test]
	fn health_factor_rounds_down(
		values in prop::collection::vec((underlying_amount(), 0..=Permill::ACCURACY), 0..8),
		debts in prop::collection::vec(1_000_000..=1_000_000 * FIXED_ONE, 1..8),
	) {
		let collaterals = values.iter().map(|(value, parts)| Collateral {
			value: *value,
			liquidation_threshold: Permill::from_parts(*parts),
		});
		let weighted = weighted_collateral(collaterals.clone()).unwrap();
		let debt: u128 = debts.iter().sum();
		let HealthFactor::Finite(h) = health_factor_of(collaterals, debts.iter().copied()).unwrap() else {
			return Err(TestCaseError::fail("there is debt"));
		};
		prop_assert!(big(h.into_inner()) * big(debt) <= big(weighted) * big(FIXED_ONE));
		prop_assert!(big(h.into_inner() + 1) * big(debt) > big(weighted) * big(FIXED_ONE));
	}
}
