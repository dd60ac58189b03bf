//! Pallet configurations, one file per pallet.

mod assets;
mod aura;
mod balances;
#[cfg(feature = "runtime-benchmarks")]
mod bench_fixtures;
mod billing;
mod dex;
mod grandpa;
mod health;
mod lend;
mod matching;
mod multisig;
mod offchain;
mod oracle;
mod provider_staking;
mod provisions;
mod rewards;
mod session;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;
mod utility;
mod validator_set;

pub use system::RuntimeBlockWeights;
