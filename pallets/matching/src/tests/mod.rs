//! Tests of the matching pallet, one file per concern.

mod accept;
mod budget;
mod failures;
mod invariants;
mod matching;
pub(crate) mod mock;
mod preemption;
mod rental;
mod results;
mod submit;
mod try_state;
mod utilisation;
mod validation;
mod verification;
