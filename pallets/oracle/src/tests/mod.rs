//! Tests of the oracle pallet, one file per concern.

mod aggregate;
mod feeds;
mod genesis;
mod offchain;
mod operators;
mod parse;
mod sources;
mod try_state;
