//! Tests of the provider staking pallet, one file per concern.

pub(crate) mod mock;

mod bond;
mod gate;
mod params;
mod rebond;
mod slash;
mod try_state;
mod unbond;
mod withdraw;
