//! Lending-market maths (Compound-style pools with u-tokens).
//!
//! - interest: [`utilisation`], the kinked [`InterestRateModel`], [`per_block_rate`],
//!   compounding of the borrow index ([`accrue_index`]), debts ([`debt_of`]) and whole-market
//!   accrual ([`accrue_interest`]);
//! - u-tokens: [`exchange_rate`], [`mint`], [`redeem`] and [`redeem_underlying`], with
//!   first-depositor protection;
//! - liquidation: asset values, [`health_factor`], [`close_factor`] and [`liquidate`].
//!
//! # Interest
//!
//! Rates are annual (APR, not APY) `FixedU128` values. A rate is converted to a per-block rate
//! by dividing by the blocks per year (rounded up) and compounded every block on a global
//! borrow index: `index_n = index_0 * (1 + r_block)^n`. A borrower's debt is
//! `principal * index_now / index_at_open`, rounded up.
//!
//! # U-tokens
//!
//! Suppliers receive u-tokens worth `(cash + borrows - reserves) / supply` underlying each.
//! Protection against the first-depositor ("inflation" or "donation") attack is two-fold, and
//! pallets must implement both halves:
//!
//! 1. **Internally tracked cash.** `cash` is a storage value that the pallet moves on mint,
//!    redeem, borrow, repay and reserve changes; it is *never* read from the market account's
//!    free balance. Transfers made straight to the market account (donations) therefore change
//!    nothing.
//! 2. **Dead shares (minimum liquidity).** The first mint of a market locks
//!    `minimum_liquidity` u-tokens that belong to nobody (they count in `total_supply` but in
//!    no account). Without donations, the only ways to raise the exchange rate are rounding
//!    dust and interest, both paid with the attacker's own underlying; with at least `D` dead
//!    shares outstanding, an attacker who has put `C` underlying into the market can push the
//!    exchange rate to at most `C / D`, so any deposit of at least `C / D` still receives
//!    u-tokens, and making a deposit `d` round to zero costs the attacker at least `d * D`
//!    locked forever in the dead shares. See [`DEFAULT_MINIMUM_LIQUIDITY`].
//!
//! Tracked cash alone is not enough (with a one-share market, each mint/redeem round trip's
//! rounding multiplies the rate by about 1.5 at no cost to the attacker, who owns every share) and dead shares alone are not enough (a donation of
//! `d * D` would still work); together they bound the attack by the attacker's capital.
//!
//! # Liquidation
//!
//! `health = sum(collateral_value_i * liquidation_threshold_i) / sum(debt_value_j)`; a position
//! with health below 1 may be liquidated, half of a debt at a time (the close factor), or all of
//! it below a health of 0.95. The liquidator receives collateral worth the repaid value plus a
//! bonus.

mod interest;
mod liquidation;
mod types;
mod utoken;

#[cfg(test)]
mod invariants;
#[cfg(test)]
mod tests;

pub use interest::*;
pub use liquidation::*;
pub use types::*;
pub use utoken::*;
