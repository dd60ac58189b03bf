//! Order-book maths: drift-free partial fills of limit orders, fees and a time-weighted
//! average price (TWAP) accumulator.
//!
//! # Fills
//!
//! A limit order rests at an exact `price` (quote per smallest unit of base, `FixedU128`).
//! Quote amounts are integers, so `base * price` must be rounded. Two rules hold for every
//! fill, whatever the sequence of partial fills:
//!
//! - **The maker is settled cumulatively**: the maker's quote for the fill that takes the
//!   order from `before` to `after` filled base is `maker_quote(after) - maker_quote(before)`,
//!   with `maker_quote(x)` rounded in the maker's favour (up when the maker sells base, down
//!   when the maker buys base). The parts therefore telescope: any sequence of partial fills
//!   settles the maker with exactly the amount of a single full fill, and no rounding drift
//!   accumulates (a bid maker's locked quote, `maker_quote(order_base)`, is used up exactly).
//! - **The taker is settled per fill**, rounded against the taker (pays `ceil(base * price)`
//!   when buying, receives `floor(base * price)` when selling), so no taker ever trades at a
//!   better price than the limit, not even by one unit.
//!
//! The two differ by at most one unit of quote per fill; that surplus goes to the protocol
//! (`Fill::surplus`). Both rules cannot be met with equal maker and taker amounts: at a price
//! of 0.5, two fills of 1 base must each cost the taker 1 quote while a single fill of 2 base
//! costs 1.
//!
//! Pallets should enforce a minimum order and fill size (a lot): at a low price a dust fill
//! rounds to nothing for the selling taker (1 base at 0.5 yields 0 quote). When
//! `price * lot` is a whole number of quote units no rounding happens at all.

mod fill;
mod twap;
mod types;

#[cfg(test)]
mod invariants;
#[cfg(test)]
mod tests;

pub use fill::*;
pub use twap::*;
pub use types::*;
