//! Tests of the dex pallet, one file per concern.

pub(crate) mod mock;

mod book;
mod errors;
mod expiry;
mod fills;
mod invariants;
mod orders;
mod try_state;
mod twap;
