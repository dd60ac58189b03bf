//! Tests of the billing pallet, one file per concern.

pub(crate) mod mock;

mod api_keys;
mod credits;
mod escrow;
mod invariants;
mod prices;
mod subscriptions;
mod try_state;
mod usage;
