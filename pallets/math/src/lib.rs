//! # Cxmpute math
//!
//! Pure, checked, fixed-point arithmetic for the Cxmpute pallets: lending (`pallet-lend`), the
//! order book (`pallet-dex`) and provider rewards (`pallet-rewards`).
//!
//! ## Overview
//!
//! This crate holds no storage and depends on no FRAME crate: every function takes primitives
//! (`u128` balances, [`FixedU128`], [`Permill`], [`Perbill`], `u64` block counts) and returns
//! `Result<_, MathError>` or a small state-change struct that the calling pallet applies.
//! Keeping the maths here means it can be property-tested in isolation (each module has
//! `tests.rs` with table-driven vectors and `invariants.rs` with `proptest` invariants) and
//! reused off-chain by the worker and RPC.
//!
//! - [`lending`]: utilisation, the kinked interest-rate model, per-block compounding of the
//!   borrow index, debts, u-token exchange rate (mint/redeem) with first-depositor protection,
//!   health factor and liquidation amounts.
//! - [`orderbook`]: drift-free partial-fill arithmetic for limit orders, fees and a TWAP
//!   accumulator.
//! - [`rewards`]: piecewise-linear multipliers (uptime, latency, demand) and pro-rata shares of
//!   an epoch budget.
//! - [`fixed`]: the shared checked helpers (`a * b / c` through a 256-bit intermediate, fixed-point
//!   multiplication and division, exponentiation by squaring), all with explicit [`Rounding`].
//!
//! ## Rounding policy
//!
//! Every division rounds in an explicit direction, chosen **against the party who would profit
//! from the rounding**, which is the same as rounding in the protocol's favour:
//!
//! - what a user *receives* (u-tokens minted, underlying redeemed, collateral seized, reward
//!   shares, quote a taker receives) rounds **down**;
//! - what a user *pays or owes* (debt, u-tokens burned for a withdrawal, fees, quote a taker
//!   pays, interest) rounds **up**;
//! - aggregate figures that back other users' claims (total borrows in the exchange rate) round
//!   so that the protocol never overstates its assets.
//!
//! Each function documents its formula and its rounding, with the reason.
//!
//! ## Low level
//!
//! - No floats, no panics: every operation is checked (`clippy::arithmetic_side_effects`,
//!   `unwrap_used`, `expect_used`, `panic` and `indexing_slicing` are denied outside tests).
//! - Products are widened to 256 bits through
//!   [`multiply_by_rational_with_rounding`](sp_arithmetic::helpers_128bit::multiply_by_rational_with_rounding),
//!   so `a * b / c` only fails when the *result* does not fit in `u128`.
//! - Errors are reported as [`MathError`]; pallets translate it into their own `Error<T>` at the
//!   boundary.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::float_arithmetic,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::indexing_slicing
	)
)]

pub mod fixed;
pub mod lending;
pub mod orderbook;
pub mod rewards;

pub use fixed::Rounding;
pub use sp_arithmetic::{FixedPointNumber, FixedU128, Perbill, Permill};

/// A balance in the smallest unit of an asset.
pub type Balance = u128;

/// Why a calculation could not be completed.
///
/// Pallets map these onto their own `Error<T>` variants (for example `MathError::Overflow` to
/// `Error::<T>::Overflow`); none of them should ever reach a user unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
	/// A result, or an intermediate value, does not fit in its type. Use smaller amounts or
	/// fewer blocks per accrual.
	Overflow,
	/// A subtraction would go below zero; the inputs are inconsistent (for example reserves
	/// larger than the assets backing them).
	Underflow,
	/// A division by zero was requested (empty pool, zero supply, zero price, zero total).
	DivisionByZero,
	/// An input is outside the domain of the function (kink above 100%, breakpoints not
	/// strictly increasing, a fill beyond the order size...). The caller has a bug or accepted
	/// unchecked parameters.
	InvalidInput,
	/// The amount is too small to give a non-zero result (mint that would give 0 u-tokens,
	/// redeem that would give 0 underlying) or to cover the minimum liquidity of a first
	/// deposit. The user should use a larger amount.
	AmountTooSmall,
}

/// Shorthand for results of this crate.
pub type MathResult<T> = Result<T, MathError>;
