//! Tests of the rewards pallet, one file per concern.

mod claim;
mod epochs;
mod invariants;
pub(crate) mod mock;
mod multipliers;
mod params;
mod payout_page;
mod points;
mod try_state;
