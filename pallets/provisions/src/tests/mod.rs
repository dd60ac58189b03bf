//! Tests of the provisions pallet, one file per concern.

mod heartbeat;
mod inspect;
mod lifecycle;
mod offers;
mod pools;
mod prices;
mod register;
mod services;
mod try_state;
mod workers;
