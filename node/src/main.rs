//! `cxmpute-node`: the Cxmpute appchain's validator and RPC node.
#![warn(missing_docs)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod sealing;
mod service;
mod testnet_keys;

fn main() {
	// `Display`, not `Debug`: the reason a node refuses to start is meant to be read.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
