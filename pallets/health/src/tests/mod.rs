//! Tests of the health pallet, one file per concern.

mod aggregate;
pub(crate) mod mock;
mod offchain;
mod prune;
mod submit;
mod try_state;
mod validate;
