//! Command-line interface: the `run` flags of every Substrate node plus the subcommands.

use sc_cli::RunCmd;

/// `cxmpute-node [SUBCOMMAND] [FLAGS]`; without a subcommand it runs the node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// Subcommand to run instead of the node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags of the node itself (`--dev`, `--chain`, `--validator`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: RunCmd,

	/// Development chain only: seal blocks on demand instead of Aura's 6-second slots.
	/// `instant` seals a block as soon as a transaction arrives and finalizes it at once;
	/// `manual` seals only on the `engine_createBlock` RPC and finalizes on its flag or on
	/// `engine_finalizeBlock`. Each block's timestamp is one slot after its parent's.
	#[arg(long, value_enum, value_name = "MODE")]
	pub sealing: Option<crate::sealing::Sealing>,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--chain dev|local|testnet:<keys.json>|<spec.json>`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of the chain the node would run.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block as a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet weights (needs `--features runtime-benchmarks`), storage, overhead,
	/// block, extrinsic and machine.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),
}
