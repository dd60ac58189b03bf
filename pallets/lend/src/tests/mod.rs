//! Tests of the lending pallet, one file per concern.

mod borrow;
mod flash;
mod interest;
mod invariants;
mod liquidation;
mod market;
pub(crate) mod mock;
mod supply;
mod try_state;
