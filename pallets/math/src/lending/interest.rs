use super::types::{Accrual, InterestRateModel, MarketState};
use crate::{
	fixed::{self, Rounding},
	Balance, MathError, MathResult,
};
use sp_arithmetic::{
	traits::{One, Saturating, Zero},
	FixedU128, Perbill, Permill,
};

/// Formula: `utilisation = borrows / (cash + borrows - reserves)`, rounded **up**.
///
/// Returns 0 when there are no borrows. Rounds up because a higher utilisation means a higher
/// borrow rate: borrowers would profit from rounding down.
///
/// The result exceeds 1 only when `reserves > cash`, i.e. part of the reserves has been lent
/// out; the interest-rate model then keeps following its jump slope.
///
/// # Errors
/// - [`MathError::Underflow`] when `reserves > cash + borrows` (inconsistent market);
/// - [`MathError::DivisionByZero`] when `cash + borrows - reserves == 0` while `borrows > 0`;
/// - [`MathError::Overflow`] when `cash + borrows` overflows.
pub fn utilisation(cash: Balance, borrows: Balance, reserves: Balance) -> MathResult<FixedU128> {
	let assets = super::total_underlying(cash, borrows, reserves)?;
	if borrows == 0 {
		return Ok(FixedU128::zero());
	}
	fixed::from_rational(borrows, assets, Rounding::Up)
}

impl InterestRateModel {
	/// Build a model from the rates it should reach: `base_rate` at 0% utilisation,
	/// `rate_at_kink` at `kink` and `rate_at_full` at 100%.
	///
	/// Formula: `multiplier = (rate_at_kink - base_rate) / kink` and
	/// `jump_multiplier = (rate_at_full - rate_at_kink) / (1 - kink)`, both rounded **up** so
	/// the model never charges less than the targets (borrowers would profit from rounding
	/// down).
	///
	/// # Errors
	/// [`MathError::InvalidInput`] when the rates decrease (`base_rate <= rate_at_kink <=
	/// rate_at_full` must hold), when `kink == 0` and `rate_at_kink != base_rate`, or when
	/// `kink == 100%` and `rate_at_full != rate_at_kink`.
	pub fn from_targets(
		base_rate: FixedU128,
		rate_at_kink: FixedU128,
		kink: Perbill,
		rate_at_full: FixedU128,
	) -> MathResult<Self> {
		let below = fixed::sub(rate_at_kink, base_rate).map_err(|_| MathError::InvalidInput)?;
		let above = fixed::sub(rate_at_full, rate_at_kink).map_err(|_| MathError::InvalidInput)?;
		let kink_fixed = fixed::from_per_thing(kink, Rounding::Down)?;
		let rest = fixed::complement_per_thing(kink)?;
		let multiplier = match (below.is_zero(), kink_fixed.is_zero()) {
			(true, _) => FixedU128::zero(),
			(false, true) => return Err(MathError::InvalidInput),
			(false, false) => fixed::div(below, kink_fixed, Rounding::Up)?,
		};
		let jump_multiplier = match (above.is_zero(), rest.is_zero()) {
			(true, _) => FixedU128::zero(),
			(false, true) => return Err(MathError::InvalidInput),
			(false, false) => fixed::div(above, rest, Rounding::Up)?,
		};
		Ok(Self { base_rate, multiplier, jump_multiplier, kink })
	}

	/// The annual borrow rate at utilisation `u`.
	///
	/// Formula: `base_rate + multiplier * min(u, kink) + jump_multiplier * max(u - kink, 0)`,
	/// each product rounded **up** (borrowers would profit from rounding down).
	///
	/// # Errors
	/// [`MathError::Overflow`] when the rate exceeds `FixedU128::max_value()`.
	pub fn borrow_rate(&self, u: FixedU128) -> MathResult<FixedU128> {
		let kink = fixed::from_per_thing(self.kink, Rounding::Down)?;
		let below = u.min(kink);
		let above = u.saturating_sub(kink);
		let rate = fixed::add(self.base_rate, fixed::mul(self.multiplier, below, Rounding::Up)?)?;
		fixed::add(rate, fixed::mul(self.jump_multiplier, above, Rounding::Up)?)
	}
}

/// The annual rate earned by suppliers.
///
/// Formula: `borrow_rate * u * (1 - reserve_factor)`, each product rounded **down** (it is the
/// rate promised to suppliers; what they actually earn comes from the exchange rate, which
/// follows the interest really paid).
///
/// # Errors
/// [`MathError::Overflow`] when the rate exceeds `FixedU128::max_value()`.
pub fn supply_rate(
	borrow_rate: FixedU128,
	u: FixedU128,
	reserve_factor: Permill,
) -> MathResult<FixedU128> {
	let gross = fixed::mul(borrow_rate, u, Rounding::Down)?;
	fixed::mul(gross, fixed::complement_per_thing(reserve_factor)?, Rounding::Down)
}

/// Blocks in a 365-day year for a given block time.
///
/// Formula: `31_536_000_000 / block_time_ms`, rounded **down** (fewer blocks per year means a
/// higher per-block rate: rounding up would favour borrowers).
///
/// # Errors
/// [`MathError::DivisionByZero`] when `block_time_ms == 0`.
pub fn blocks_per_year(block_time_ms: u64) -> MathResult<u64> {
	const MS_PER_YEAR: u64 = 31_536_000_000;
	MS_PER_YEAR.checked_div(block_time_ms).ok_or(MathError::DivisionByZero)
}

/// Converts an annual rate (APR) into a per-block rate.
///
/// Formula: `annual_rate / blocks_per_year`, rounded **up** to the next `10^-18`, so a non-zero
/// annual rate never becomes a zero per-block rate (borrowers would profit from rounding
/// down). Compounded every block the effective yearly growth is `(1 + r)^blocks_per_year`,
/// slightly more than `1 + annual_rate` (about `e^annual_rate`).
///
/// # Errors
/// [`MathError::DivisionByZero`] when `blocks_per_year == 0`.
pub fn per_block_rate(annual_rate: FixedU128, blocks_per_year: u64) -> MathResult<FixedU128> {
	fixed::mul_div(annual_rate.into_inner(), 1, u128::from(blocks_per_year), Rounding::Up)
		.map(FixedU128::from_inner)
}

/// How much a debt grows over `blocks` blocks.
///
/// Formula: `(1 + rate_per_block)^blocks`, by exponentiation by squaring with every product
/// rounded **up** (borrowers would profit from rounding down), so the factor is never below
/// the exact compound growth, and above it by a relative `2 * blocks * 10^-18` at most (see
/// [`fixed::pow`](crate::fixed::pow)).
///
/// # Errors
/// [`MathError::Overflow`] when the factor exceeds `FixedU128::max_value()` (about `3.4e20`);
/// accrue more often.
pub fn compound_factor(rate_per_block: FixedU128, blocks: u64) -> MathResult<FixedU128> {
	let base = fixed::add(FixedU128::one(), rate_per_block)?;
	fixed::pow(base, blocks, Rounding::Up)
}

/// Moves a borrow index forward by `blocks` blocks.
///
/// Formula: `index * (1 + rate_per_block)^blocks`, rounded **up** (borrowers would profit from
/// rounding down). For a non-zero index and rate and `blocks >= 1` the new index is strictly
/// greater than the old one, which is what makes every debt grow.
///
/// # Errors
/// [`MathError::Overflow`] when the index exceeds `FixedU128::max_value()`.
pub fn accrue_index(
	index: FixedU128,
	rate_per_block: FixedU128,
	blocks: u64,
) -> MathResult<FixedU128> {
	fixed::mul(index, compound_factor(rate_per_block, blocks)?, Rounding::Up)
}

/// A borrower's current debt.
///
/// Formula: `principal * current_index / index_at_open`, rounded **up** (the borrower would
/// profit from rounding down). Because the index strictly grows while the rate is non-zero,
/// a loan of even one unit owes at least one unit of interest after one block: debts never
/// stay flat by rounding.
///
/// `principal` and `index_at_open` are the borrower's snapshot, taken when the loan was
/// opened or last changed (then `principal` is the debt at that moment).
///
/// # Errors
/// - [`MathError::DivisionByZero`] when `index_at_open` is zero;
/// - [`MathError::InvalidInput`] when `current_index < index_at_open` (indexes never shrink);
/// - [`MathError::Overflow`] when the debt does not fit in `u128`.
pub fn debt_of(
	principal: Balance,
	index_at_open: FixedU128,
	current_index: FixedU128,
) -> MathResult<Balance> {
	if current_index < index_at_open {
		return Err(MathError::InvalidInput);
	}
	fixed::mul_div(principal, current_index.into_inner(), index_at_open.into_inner(), Rounding::Up)
}

/// Accrues interest on a whole market over `blocks` blocks (Compound's `accrueInterest`).
///
/// Formulas, with the rate taken at the utilisation before accrual:
/// - `borrow_rate = model.borrow_rate(utilisation(cash, total_borrows, total_reserves))`;
/// - `new_index = accrue_index(borrow_index, per_block_rate(borrow_rate, blocks_per_year),
///   blocks)`, rounded **up**;
/// - `new_total_borrows = total_borrows * new_index / borrow_index`, rounded **down**: the
///   aggregate backs the suppliers' exchange rate, so it must never overstate what borrowers
///   owe (each borrower's own debt is rounded up by [`debt_of`], so the sum of the debts is
///   at least `total_borrows`; pallets must reduce `total_borrows` with a saturating
///   subtraction on repayment for the same reason);
/// - `interest = new_total_borrows - total_borrows`;
/// - `total_reserves += interest * reserve_factor`, rounded **up** (the protocol's share;
///   suppliers would profit from rounding down, and it never exceeds `interest`).
///
/// With `blocks == 0` the market is returned unchanged.
///
/// # Errors
/// Those of [`utilisation`], [`per_block_rate`] and [`accrue_index`]; [`MathError::Overflow`]
/// when a total overflows; [`MathError::DivisionByZero`] when the stored index is zero.
pub fn accrue_interest(
	state: MarketState,
	model: &InterestRateModel,
	reserve_factor: Permill,
	blocks_per_year: u64,
	blocks: u64,
) -> MathResult<Accrual> {
	let u = utilisation(state.cash, state.total_borrows, state.total_reserves)?;
	let borrow_rate = model.borrow_rate(u)?;
	if blocks == 0 {
		return Ok(Accrual { state, interest: 0, reserves_added: 0, borrow_rate });
	}
	let rate_per_block = per_block_rate(borrow_rate, blocks_per_year)?;
	let borrow_index = accrue_index(state.borrow_index, rate_per_block, blocks)?;
	let total_borrows = fixed::mul_div(
		state.total_borrows,
		borrow_index.into_inner(),
		state.borrow_index.into_inner(),
		Rounding::Down,
	)?;
	let interest = fixed::checked_sub(total_borrows, state.total_borrows)?;
	let reserves_added = fixed::mul_per(reserve_factor, interest, Rounding::Up)?;
	let total_reserves = fixed::checked_add(state.total_reserves, reserves_added)?;
	Ok(Accrual {
		state: MarketState { total_borrows, total_reserves, borrow_index, ..state },
		interest,
		reserves_added,
		borrow_rate,
	})
}
