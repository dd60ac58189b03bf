//! Table-driven vectors for the lending maths.

// Case tables are tuples, one vector per line, read next to their description.
#![allow(clippy::type_complexity)]

use super::*;
use crate::MathError;
use sp_arithmetic::{
	traits::{Bounded, One, Zero},
	FixedU128, Perbill, Permill,
};

/// `n / d` as a fixed-point number (exact for the decimals used here).
fn fx(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

fn pct(n: u128) -> FixedU128 {
	fx(n, 100)
}

/// The reference model: 2% base, 10% at the 80% kink, 32% at 100% utilisation.
fn reference_model() -> InterestRateModel {
	InterestRateModel {
		base_rate: pct(2),
		multiplier: pct(10),
		jump_multiplier: pct(110),
		kink: Perbill::from_percent(80),
	}
}

fn market(
	cash: u128,
	total_borrows: u128,
	total_reserves: u128,
	total_supply: u128,
) -> MarketState {
	MarketState {
		cash,
		total_borrows,
		total_reserves,
		total_supply,
		borrow_index: FixedU128::one(),
	}
}

#[test]
fn utilisation_cases() {
	// (cash, borrows, reserves, expected, description)
	let cases: &[(u128, u128, u128, Result<FixedU128, MathError>, &str)] = &[
		(100, 0, 0, Ok(FixedU128::zero()), "no borrows, no utilisation"),
		(0, 0, 0, Ok(FixedU128::zero()), "empty market"),
		(50, 50, 0, Ok(pct(50)), "half lent out"),
		(10, 90, 0, Ok(pct(90)), "90% lent out"),
		(0, 100, 0, Ok(FixedU128::one()), "everything lent out"),
		(60, 50, 10, Ok(pct(50)), "reserves are not supplier assets"),
		(
			5,
			100,
			10,
			Ok(FixedU128::from_inner(1_052_631_578_947_368_422)),
			"reserves lent out: utilisation 100 / 95 above 1, rounded up",
		),
		(
			2,
			1,
			0,
			Ok(FixedU128::from_inner(333_333_333_333_333_334)),
			"one third rounds up (against borrowers)",
		),
		(10, 0, 20, Err(MathError::Underflow), "reserves above cash + borrows"),
		(10, 10, 20, Err(MathError::DivisionByZero), "borrows but no supplier assets"),
		(u128::MAX, 1, 0, Err(MathError::Overflow), "cash + borrows overflows"),
	];
	for (cash, borrows, reserves, expected, desc) in cases {
		assert_eq!(utilisation(*cash, *borrows, *reserves), *expected, "{desc}");
	}
}

#[test]
fn reference_model_from_targets() {
	let model =
		InterestRateModel::from_targets(pct(2), pct(10), Perbill::from_percent(80), pct(32))
			.expect("rates increase; qed");
	assert_eq!(model, reference_model(), "multiplier 10%, jump multiplier 110%");

	// (base, at kink, kink, at full, expected, description)
	let cases: &[(
		FixedU128,
		FixedU128,
		Perbill,
		FixedU128,
		Result<(FixedU128, FixedU128), MathError>,
		&str,
	)] = &[
		(pct(2), pct(2), Perbill::zero(), pct(50), Ok((pct(0), pct(48))), "kink at 0%: jump only"),
		(pct(2), pct(40), Perbill::one(), pct(40), Ok((pct(38), pct(0))), "kink at 100%: linear"),
		(
			pct(2),
			pct(3),
			Perbill::zero(),
			pct(50),
			Err(MathError::InvalidInput),
			"rise before a 0% kink",
		),
		(
			pct(2),
			pct(3),
			Perbill::one(),
			pct(50),
			Err(MathError::InvalidInput),
			"rise after a 100% kink",
		),
		(
			pct(5),
			pct(3),
			Perbill::from_percent(50),
			pct(50),
			Err(MathError::InvalidInput),
			"decreasing below kink",
		),
		(
			pct(2),
			pct(30),
			Perbill::from_percent(50),
			pct(20),
			Err(MathError::InvalidInput),
			"decreasing above kink",
		),
		(
			pct(0),
			pct(1),
			Perbill::from_percent(30),
			pct(1),
			Ok((FixedU128::from_inner(33_333_333_333_333_334), pct(0))),
			"slope 1/30 rounds up",
		),
	];
	for (base, at_kink, kink, full, expected, desc) in cases {
		let got = InterestRateModel::from_targets(*base, *at_kink, *kink, *full)
			.map(|m| (m.multiplier, m.jump_multiplier));
		assert_eq!(got, *expected, "{desc}");
	}
}

#[test]
fn reference_borrow_rates() {
	let model = reference_model();
	// (utilisation, expected annual borrow rate, description)
	let cases: &[(FixedU128, FixedU128, &str)] = &[
		(pct(0), pct(2), "base rate at 0%"),
		(pct(50), pct(7), "7% at 50% utilisation"),
		(pct(80), pct(10), "10% at the 80% kink"),
		(pct(90), pct(21), "21% at 90% utilisation"),
		(pct(100), pct(32), "32% at 100% utilisation"),
		(fx(105, 100), fx(375, 1000), "jump slope continues above 100%"),
		(
			FixedU128::from_inner(1),
			FixedU128::from_inner(20_000_000_000_000_001),
			"1e-18 utilisation rounds up",
		),
	];
	for (u, expected, desc) in cases {
		assert_eq!(model.borrow_rate(*u), Ok(*expected), "{desc}");
	}
	let huge =
		InterestRateModel { multiplier: FixedU128::max_value(), kink: Perbill::one(), ..model };
	assert_eq!(huge.borrow_rate(pct(100)), Err(MathError::Overflow), "rate overflow is reported");
}

#[test]
fn reference_supply_rate() {
	let model = reference_model();
	let u = utilisation(50, 50, 0).expect("valid market; qed");
	let borrow = model.borrow_rate(u).expect("small rate; qed");
	assert_eq!(borrow, pct(7));
	// 7% * 50% * (1 - 15%) = 2.975%
	assert_eq!(supply_rate(borrow, u, Permill::from_percent(15)), Ok(fx(2_975, 100_000)));
	assert_eq!(supply_rate(borrow, u, Permill::one()), Ok(FixedU128::zero()), "all to reserves");
	assert_eq!(supply_rate(borrow, FixedU128::zero(), Permill::zero()), Ok(FixedU128::zero()));
}

#[test]
fn per_block_rate_cases() {
	assert_eq!(blocks_per_year(6_000), Ok(BLOCKS_PER_YEAR_6S), "6-second blocks");
	assert_eq!(blocks_per_year(12_000), Ok(2_628_000), "12-second blocks");
	assert_eq!(blocks_per_year(7_000), Ok(4_505_142), "rounds down");
	assert_eq!(blocks_per_year(0), Err(MathError::DivisionByZero));
	// (annual rate, blocks per year, expected inner per-block rate, description)
	let cases: &[(FixedU128, u64, Result<u128, MathError>, &str)] = &[
		(pct(10), BLOCKS_PER_YEAR_6S, Ok(19_025_875_191), "10% APR: 1.9025875190258e-8 rounded up"),
		(pct(0), BLOCKS_PER_YEAR_6S, Ok(0), "zero stays zero"),
		(FixedU128::from_inner(1), BLOCKS_PER_YEAR_6S, Ok(1), "tiny rate never becomes zero"),
		(pct(100), 1, Ok(10u128.pow(18)), "one block a year"),
		(pct(10), 0, Err(MathError::DivisionByZero), "no blocks"),
	];
	for (annual, bpy, expected, desc) in cases {
		assert_eq!(per_block_rate(*annual, *bpy).map(|r| r.into_inner()), *expected, "{desc}");
	}
}

#[test]
fn compounding_a_year_of_blocks() {
	let r = per_block_rate(pct(10), BLOCKS_PER_YEAR_6S).expect("valid; qed");
	let factor = compound_factor(r, BLOCKS_PER_YEAR_6S).expect("about 1.105; qed").into_inner();
	// Exact (1 + 19025875191e-18)^5256000 = 1.105170917028611186897...; squaring amplifies the
	// rounding of early products, so the factor is above it by at most about 2 * blocks * 1e-18
	// relative (here 1.105170917028997763: 3.5e-13 above).
	let exact_floor: u128 = 1_105_170_917_028_611_186;
	let bound = 2 * u128::from(BLOCKS_PER_YEAR_6S) * 2;
	assert!((exact_floor..exact_floor + bound).contains(&factor), "factor {factor}");
	// Per-block compounding of a 10% APR is slightly more than 10% but below e^0.1 - 1.
	assert!(factor > fx(110, 100).into_inner() && factor < 1_105_170_918_075_647_625);

	// (index, rate per block, blocks, expected index, description)
	let cases: &[(FixedU128, FixedU128, u64, Result<FixedU128, MathError>, &str)] = &[
		(FixedU128::one(), pct(7), 0, Ok(FixedU128::one()), "no blocks, no growth"),
		(FixedU128::one(), pct(7), 1, Ok(fx(107, 100)), "one block"),
		(FixedU128::one(), pct(7), 2, Ok(fx(11_449, 10_000)), "two blocks compound"),
		(fx(2, 1), pct(10), 3, Ok(fx(2_662, 1_000)), "index 2 * 1.1^3"),
		(FixedU128::one(), FixedU128::zero(), 1_000_000, Ok(FixedU128::one()), "zero rate"),
		(
			FixedU128::one(),
			FixedU128::from_inner(1),
			1,
			Ok(FixedU128::from_inner(10u128.pow(18) + 1)),
			"smallest rate still moves the index",
		),
		(FixedU128::one(), pct(100), 69, Err(MathError::Overflow), "2^69 overflows"),
	];
	for (index, rate, blocks, expected, desc) in cases {
		assert_eq!(accrue_index(*index, *rate, *blocks), *expected, "{desc}");
	}
}

#[test]
fn debt_cases() {
	// (principal, index at open, current index, expected debt, description)
	let cases: &[(u128, FixedU128, FixedU128, Result<u128, MathError>, &str)] = &[
		(1_000, FixedU128::one(), fx(11, 10), Ok(1_100), "10% growth"),
		(1_000, fx(11, 10), fx(11, 10), Ok(1_000), "no growth since open"),
		(
			1,
			FixedU128::one(),
			FixedU128::from_inner(10u128.pow(18) + 1),
			Ok(2),
			"dust loan accrues 1",
		),
		(0, FixedU128::one(), fx(2, 1), Ok(0), "no principal"),
		(3, fx(3, 1), fx(4, 1), Ok(4), "3 * 4 / 3 exact"),
		(2, fx(3, 1), fx(4, 1), Ok(3), "2 * 4 / 3 = 2.67 rounds up"),
		(1, fx(2, 1), FixedU128::one(), Err(MathError::InvalidInput), "index went backwards"),
		(1, FixedU128::zero(), FixedU128::one(), Err(MathError::DivisionByZero), "zero index"),
	];
	for (principal, open, now, expected, desc) in cases {
		assert_eq!(debt_of(*principal, *open, *now), *expected, "{desc}");
	}
}

#[test]
fn accrue_interest_cases() {
	// One "block" per year keeps the numbers readable: the 7% rate applies per block.
	let state = market(500, 500, 0, 1_000);
	let rf = Permill::from_percent(15);
	let one = accrue_interest(state, &reference_model(), rf, 1, 1).expect("valid; qed");
	assert_eq!(one.borrow_rate, pct(7));
	assert_eq!(one.state.borrow_index, fx(107, 100));
	assert_eq!(one.state.total_borrows, 535);
	assert_eq!(one.interest, 35);
	assert_eq!(one.reserves_added, 6, "15% of 35 = 5.25 rounds up to 6");
	assert_eq!(one.state.total_reserves, 6);
	assert_eq!((one.state.cash, one.state.total_supply), (500, 1_000), "cash and supply unchanged");

	let two = accrue_interest(state, &reference_model(), rf, 1, 2).expect("valid; qed");
	assert_eq!(two.state.borrow_index, fx(11_449, 10_000));
	assert_eq!(two.state.total_borrows, 572, "500 * 1.1449 = 572.45 rounds down");
	assert_eq!(two.reserves_added, 11, "15% of 72 = 10.8 rounds up");

	let none = accrue_interest(state, &reference_model(), rf, 1, 0).expect("valid; qed");
	assert_eq!(none.state, state, "zero blocks change nothing");
	assert_eq!(none.interest, 0);

	let bad = market(10, 0, 20, 0);
	assert_eq!(
		accrue_interest(bad, &reference_model(), rf, 1, 1),
		Err(MathError::Underflow),
		"inconsistent market is reported"
	);
}

#[test]
fn exchange_rate_mint_and_redeem_cases() {
	let initial = fx(2, 100);
	let empty = market(0, 0, 0, 0);
	assert_eq!(exchange_rate(&empty, initial), Ok(initial), "initial rate while supply is 0");

	// (amount, expected mint, description): first mint at 0.02 with 10^6 locked.
	let first: &[(u128, Result<Mint, MathError>, &str)] = &[
		(
			10u128.pow(18),
			Ok(Mint { to_depositor: 50 * 10u128.pow(18) - 1_000_000, locked: 1_000_000 }),
			"one 18-decimal token",
		),
		(20_000, Err(MathError::AmountTooSmall), "exactly the minimum liquidity"),
		(20_001, Ok(Mint { to_depositor: 50, locked: 1_000_000 }), "just above the minimum"),
		(0, Err(MathError::AmountTooSmall), "nothing"),
	];
	for (amount, expected, desc) in first {
		assert_eq!(mint(*amount, &empty, initial, DEFAULT_MINIMUM_LIQUIDITY), *expected, "{desc}");
	}
	assert_eq!(mint(1, &empty, FixedU128::zero(), 0), Err(MathError::DivisionByZero));

	// 1000 underlying backing 3 u-tokens.
	let pool = market(1_000, 0, 0, 3);
	assert_eq!(
		exchange_rate(&pool, initial),
		Ok(FixedU128::from_inner(333_333_333_333_333_333_333))
	);
	let mints: &[(u128, Result<u128, MathError>, &str)] = &[
		(1_000, Ok(3), "same as the pool"),
		(334, Ok(1), "1.002 rounds down"),
		(333, Err(MathError::AmountTooSmall), "0.999 would give nothing"),
	];
	for (amount, expected, desc) in mints {
		assert_eq!(mint(*amount, &pool, initial, 0).map(|m| m.to_depositor), *expected, "{desc}");
	}
	let redeems: &[(u128, Result<u128, MathError>, &str)] = &[
		(1, Ok(333), "333.33 rounds down"),
		(3, Ok(1_000), "everything"),
		(4, Err(MathError::InvalidInput), "more than the supply"),
		(0, Err(MathError::AmountTooSmall), "nothing"),
	];
	for (tokens, expected, desc) in redeems {
		assert_eq!(redeem(*tokens, &pool), *expected, "{desc}");
	}
	let burns: &[(u128, Result<u128, MathError>, &str)] = &[
		(1, Ok(1), "one unit still burns a u-token"),
		(334, Ok(2), "1.002 rounds up"),
		(1_000, Ok(3), "everything"),
		(1_001, Err(MathError::InvalidInput), "more than the pool"),
		(0, Err(MathError::AmountTooSmall), "nothing"),
	];
	for (amount, expected, desc) in burns {
		assert_eq!(redeem_underlying(*amount, &pool), *expected, "{desc}");
	}
	assert_eq!(redeem_underlying(1, &empty), Err(MathError::InvalidInput), "no supply");

	// Borrows count, reserves do not: (600 + 500 - 100) / 10 = 100 per u-token.
	let lent = market(600, 500, 100, 10);
	assert_eq!(exchange_rate(&lent, initial), Ok(FixedU128::from_u32(100)));
	assert_eq!(redeem(1, &lent), Ok(100));
	let insolvent = market(0, 0, 0, 10);
	assert_eq!(mint(100, &insolvent, initial, 0), Err(MathError::DivisionByZero));
	assert_eq!(exchange_rate(&market(10, 0, 20, 1), initial), Err(MathError::Underflow));
}

#[test]
fn health_factor_cases() {
	let c = |value, pct| Collateral { value, liquidation_threshold: Permill::from_percent(pct) };
	// (collaterals, debts, expected, description)
	let cases: &[(&[Collateral], &[u128], Result<HealthFactor, MathError>, &str)] = &[
		(
			&[c(1_000, 80), c(500, 50)],
			&[700, 300],
			Ok(HealthFactor::Finite(fx(105, 100))),
			"1050 / 1000",
		),
		(&[c(1_000, 80)], &[], Ok(HealthFactor::NoDebt), "no debt"),
		(&[], &[1], Ok(HealthFactor::Finite(FixedU128::zero())), "no collateral"),
		(
			&[c(3, 50)],
			&[1],
			Ok(HealthFactor::Finite(FixedU128::one())),
			"1.5 weighted rounds down to 1",
		),
		(
			&[c(2, 100)],
			&[3],
			Ok(HealthFactor::Finite(FixedU128::from_inner(666_666_666_666_666_666))),
			"2/3 rounds down",
		),
		(
			&[c(u128::MAX, 100)],
			&[1],
			Ok(HealthFactor::Finite(FixedU128::max_value())),
			"saturates, never fails",
		),
		(&[], &[u128::MAX, 1], Err(MathError::Overflow), "debt sum overflows"),
	];
	for (collaterals, debts, expected, desc) in cases {
		assert_eq!(
			health_factor_of(collaterals.iter().copied(), debts.iter().copied()),
			*expected,
			"{desc}"
		);
	}
	assert!(HealthFactor::Finite(FixedU128::max_value()) < HealthFactor::NoDebt);
	assert!(HealthFactor::Finite(fx(99, 100)).is_liquidatable());
	assert!(!HealthFactor::Finite(FixedU128::one()).is_liquidatable());
	assert!(!HealthFactor::NoDebt.is_liquidatable());
	assert_eq!(collateral_value(3, fx(1, 2)), Ok(1), "1.5 rounds down");
	assert_eq!(debt_value(3, fx(1, 2)), Ok(2), "1.5 rounds up");
}

fn params(bonus_pct: u32) -> LiquidationParams {
	LiquidationParams {
		close_factor: DEFAULT_CLOSE_FACTOR,
		full_liquidation_health: DEFAULT_FULL_LIQUIDATION_HEALTH,
		bonus: Permill::from_percent(bonus_pct),
	}
}

#[test]
fn close_factor_cases() {
	let p = params(8);
	// (health, debt, expected close factor, expected max repay, description)
	let cases: &[(HealthFactor, u128, Option<Permill>, u128, &str)] = &[
		(HealthFactor::NoDebt, 0, None, 0, "no debt"),
		(HealthFactor::Finite(FixedU128::one()), 1_000, None, 0, "health exactly 1 is safe"),
		(HealthFactor::Finite(fx(97, 100)), 1_000, Some(Permill::from_percent(50)), 500, "half"),
		(
			HealthFactor::Finite(fx(95, 100)),
			1_001,
			Some(Permill::from_percent(50)),
			500,
			"0.95 is still half, rounds down",
		),
		(HealthFactor::Finite(fx(94, 100)), 1_001, Some(Permill::one()), 1_001, "below 0.95: all"),
		(
			HealthFactor::Finite(fx(97, 100)),
			1,
			Some(Permill::from_percent(50)),
			1,
			"dust debt stays liquidatable",
		),
	];
	for (health, debt, factor, max, desc) in cases {
		assert_eq!(close_factor(*health, &p), *factor, "{desc}");
		assert_eq!(max_repay(*debt, *health, &p), Ok(*max), "{desc}");
	}
}

#[test]
fn seize_and_liquidate_cases() {
	// (repay, debt price, collateral price, bonus %, expected seize, description)
	let cases: &[(u128, FixedU128, FixedU128, u32, Result<u128, MathError>, &str)] = &[
		(100, fx(1, 1), fx(2, 1), 8, Ok(54), "100 * 1.08 / 2"),
		(100, fx(1, 1), fx(3, 1), 8, Ok(36), "100 * 1.08 / 3"),
		(100, fx(1, 1), fx(7, 1), 8, Ok(15), "15.43 rounds down"),
		(100, fx(1, 1), fx(1, 1), 0, Ok(100), "no bonus"),
		(1, fx(1, 1), fx(2, 1), 8, Ok(0), "dust repay buys nothing"),
		(
			100,
			fx(1, 1),
			FixedU128::zero(),
			8,
			Err(MathError::DivisionByZero),
			"zero collateral price",
		),
	];
	for (repay, dp, cp, bonus, expected, desc) in cases {
		assert_eq!(
			seize_amount(*repay, *dp, *cp, Permill::from_percent(*bonus)),
			*expected,
			"{desc}"
		);
	}

	let p = params(8);
	let request = LiquidationRequest {
		health: HealthFactor::Finite(fx(97, 100)),
		debt: 1_000,
		repay: 800,
		debt_price: fx(1, 1),
		collateral_price: fx(2, 1),
		collateral_balance: 1_000,
	};
	assert_eq!(
		liquidate(&request, &p),
		Ok(Some(Liquidation { repay: 500, seize: 270 })),
		"repay capped by the 50% close factor, 500 * 1.08 / 2 = 270"
	);
	let capped = LiquidationRequest { collateral_balance: 10, ..request };
	assert_eq!(
		liquidate(&capped, &p),
		Ok(Some(Liquidation { repay: 19, seize: 10 })),
		"all 10 collateral; repay 10 * 2 / 1.08 = 18.52 rounds up"
	);
	let healthy = LiquidationRequest { health: HealthFactor::Finite(fx(101, 100)), ..request };
	assert_eq!(liquidate(&healthy, &p), Ok(None), "healthy positions are not liquidatable");
	let zero = LiquidationRequest { repay: 0, ..request };
	assert_eq!(liquidate(&zero, &p), Err(MathError::AmountTooSmall));
	let nothing = LiquidationRequest { collateral_balance: 0, ..request };
	assert_eq!(liquidate(&nothing, &p), Err(MathError::AmountTooSmall), "no collateral to seize");
	let deep =
		LiquidationRequest { health: HealthFactor::Finite(fx(5, 10)), repay: 2_000, ..request };
	assert_eq!(
		liquidate(&deep, &p),
		Ok(Some(Liquidation { repay: 1_000, seize: 540 })),
		"below 0.95 the whole debt, not more"
	);
}
