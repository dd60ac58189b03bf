use crate::Balance;
use sp_arithmetic::{FixedU128, Perbill, Permill};

/// Blocks in a 365-day year with 6-second blocks: `365 * 24 * 3600 / 6`.
pub const BLOCKS_PER_YEAR_6S: u64 = 5_256_000;

/// Recommended `minimum_liquidity` for [`mint`](super::mint): the number of u-tokens locked
/// forever by the first mint of a market.
///
/// An attacker must lock `d * DEFAULT_MINIMUM_LIQUIDITY` underlying to make a deposit of `d`
/// round to zero u-tokens, so the attack costs a million times what it could steal. The first
/// depositor pays for the dead shares: `10^6 * initial_exchange_rate` underlying, i.e. `2 * 10^4`
/// smallest units at Compound's initial rate of 0.02 (a negligible `2 * 10^-14` of an 18-decimal
/// token, or 0.02 of a 6-decimal one).
pub const DEFAULT_MINIMUM_LIQUIDITY: Balance = 1_000_000;

/// Close factor applied while health is between [`DEFAULT_FULL_LIQUIDATION_HEALTH`] and 1:
/// a liquidator may repay at most half of a debt in one liquidation.
pub const DEFAULT_CLOSE_FACTOR: Permill = Permill::from_percent(50);

/// Below this health factor (0.95) the whole debt may be repaid in one liquidation.
pub const DEFAULT_FULL_LIQUIDATION_HEALTH: FixedU128 =
	FixedU128::from_inner(950_000_000_000_000_000);

/// A kinked ("jump rate") interest-rate model; all rates are per year.
///
/// `borrow_rate(u) = base_rate + multiplier * min(u, kink) + jump_multiplier * max(u - kink, 0)`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterestRateModel {
	/// Borrow rate per year at 0% utilisation.
	pub base_rate: FixedU128,
	/// Rate added per year for each unit of utilisation below the kink (the slope below the
	/// kink).
	pub multiplier: FixedU128,
	/// Rate added per year for each unit of utilisation above the kink (the slope above the
	/// kink).
	pub jump_multiplier: FixedU128,
	/// The utilisation at which the slope changes from `multiplier` to `jump_multiplier`.
	pub kink: Perbill,
}

/// The state of one lending market, as stored by the lending pallet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketState {
	/// Underlying held by the market, tracked internally (never read from the account's free
	/// balance, see the [module docs](super)).
	pub cash: Balance,
	/// Sum of all borrowers' debts at `borrow_index` (rounded down: it never overstates what
	/// the borrowers owe, see [`accrue_interest`](super::accrue_interest)).
	pub total_borrows: Balance,
	/// Underlying owned by the protocol, not by the suppliers.
	pub total_reserves: Balance,
	/// U-tokens in existence, including the locked minimum liquidity.
	pub total_supply: Balance,
	/// Cumulative borrow index; starts at 1 and only grows.
	pub borrow_index: FixedU128,
}

/// The result of [`accrue_interest`](super::accrue_interest).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accrual {
	/// The market after accrual (cash and supply are unchanged).
	pub state: MarketState,
	/// Interest added to `total_borrows`.
	pub interest: Balance,
	/// Part of `interest` added to `total_reserves`.
	pub reserves_added: Balance,
	/// The annual borrow rate that was applied.
	pub borrow_rate: FixedU128,
}

/// U-tokens created by [`mint`](super::mint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mint {
	/// U-tokens credited to the depositor.
	pub to_depositor: Balance,
	/// U-tokens locked forever (the minimum liquidity; non-zero only on a market's first
	/// mint). They are added to `total_supply` but credited to no account.
	pub locked: Balance,
}

/// Collateral held in one asset, valued in the common unit of account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Collateral {
	/// Value of the collateral (see [`collateral_value`](super::collateral_value)).
	pub value: Balance,
	/// Share of the value that counts towards the health factor.
	pub liquidation_threshold: Permill,
}

/// How healthy a borrowing position is.
///
/// The derived order puts every `Finite` value below `NoDebt`, so `health < threshold`
/// comparisons work directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HealthFactor {
	/// `sum(collateral_value * liquidation_threshold) / sum(debt_value)`, rounded down.
	Finite(FixedU128),
	/// The position has no debt: its health is infinite.
	NoDebt,
}

/// Market parameters for liquidations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationParams {
	/// Largest share of a debt that can be repaid in one liquidation while health is at or
	/// above `full_liquidation_health` (typically [`DEFAULT_CLOSE_FACTOR`]).
	pub close_factor: Permill,
	/// Below this health the whole debt may be repaid at once (typically
	/// [`DEFAULT_FULL_LIQUIDATION_HEALTH`]).
	pub full_liquidation_health: FixedU128,
	/// Extra collateral the liquidator receives on top of the repaid value.
	pub bonus: Permill,
}

/// What a liquidator asks for, and the facts needed to price it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationRequest {
	/// The borrower's health factor.
	pub health: HealthFactor,
	/// The borrower's debt in the asset being repaid (smallest units, from
	/// [`debt_of`](super::debt_of)).
	pub debt: Balance,
	/// How much of that debt the liquidator offers to repay.
	pub repay: Balance,
	/// Price of one smallest unit of the debt asset in the unit of account.
	pub debt_price: FixedU128,
	/// Price of one smallest unit of the collateral asset in the unit of account.
	pub collateral_price: FixedU128,
	/// The borrower's balance of the collateral asset (smallest units).
	pub collateral_balance: Balance,
}

/// The amounts of a liquidation, from [`liquidate`](super::liquidate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Liquidation {
	/// Debt the liquidator repays (at most what was asked).
	pub repay: Balance,
	/// Collateral moved from the borrower to the liquidator.
	pub seize: Balance,
}
