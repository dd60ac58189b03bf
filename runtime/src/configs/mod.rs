//! Pallet configurations, one file per pallet.

mod assets;
mod aura;
mod balances;
mod grandpa;
mod multisig;
mod session;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;
mod utility;
mod validator_set;

pub use system::RuntimeBlockWeights;
