//! `cxmpute-node`: the Cxmpute appchain's validator and RPC node.
#![warn(missing_docs)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
mod testnet_keys;

fn main() -> sc_cli::Result<()> {
	command::run()
}
