//! Shared checked helpers: `a * b / c` through a 256-bit intermediate, fixed-point products and
//! quotients, conversions from per-things and exponentiation by squaring, each with an explicit
//! [`Rounding`].
//!
//! The other modules build on these so that the rounding of every division is visible at the
//! call site.

mod math;

#[cfg(test)]
mod invariants;
#[cfg(test)]
mod tests;

pub use math::*;
/// How a division rounds: `Up` (towards infinity), `Down` (towards zero) or to the nearest.
pub use sp_arithmetic::Rounding;
