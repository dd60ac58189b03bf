//! Reward maths: piecewise-linear multipliers and pro-rata shares of an epoch budget.
//!
//! A provider's points for an epoch are scaled by multipliers read off piecewise-linear curves
//! ([`interpolate`]) through documented breakpoints:
//!
//! | multiplier | input | curve |
//! |---|---|---|
//! | [`uptime_multiplier`] | uptime (`Perbill`) | 0.80 up to 90%, rising linearly to 1.30 at 99.95% and above |
//! | [`latency_multiplier`] | p50 latency (ms) | 1.15 up to 300 ms, falling linearly to 0.85 at 2000 ms and above |
//! | [`demand_multiplier`] | network utilisation (`Perbill`) | 0.5 at 0%, 1.0 at 50%, 2.0 at 100% |
//!
//! The epoch's budget is then split in proportion to the scaled points ([`pro_rata_share`]),
//! every share rounded down so that the shares never add up to more than the budget.

mod math;
mod types;

#[cfg(test)]
mod invariants;
#[cfg(test)]
mod tests;

pub use math::*;
pub use types::*;
