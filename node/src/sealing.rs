//! Development sealing (`--dev --sealing instant|manual`): blocks on demand instead of Aura's
//! 6-second slots, for tests and for developers who want a chain that answers at once.
//!
//! Blocks are built and imported by `sc-consensus-manual-seal`. They still carry an Aura
//! pre-digest, and each block's timestamp is its parent's plus one slot, so the runtime's Aura,
//! timestamp, deadlines and epochs behave as they do on a chain that authors every slot.
//! GRANDPA does not run: instant sealing finalizes each block as it is sealed, manual sealing
//! finalizes what `engine_createBlock(_, true, _)` or `engine_finalizeBlock` says.

use cxmpute_runtime::opaque::Block;
use futures::{channel::mpsc, Stream, StreamExt};
use sc_consensus_manual_seal::EngineCommand;
use sc_service::ChainType;
use sc_transaction_pool_api::TransactionPool;
use sp_blockchain::HeaderBackend;
use sp_consensus_aura::{sr25519::AuthoritySignature, SlotDuration};
use sp_runtime::traits::Block as BlockT;
use std::{pin::Pin, sync::Arc};

type Hash = <Block as BlockT>::Hash;

/// How a development node seals blocks.
#[derive(Debug, Copy, Clone, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Seal a block as soon as a transaction reaches the pool, and finalize it at once.
	/// `engine_createBlock` and `engine_finalizeBlock` work too (for empty blocks).
	Instant,
	/// Seal only on `engine_createBlock`, finalize on its flag or on `engine_finalizeBlock`.
	Manual,
}

/// Sealing is only for development chains: a validator of a shared network that sealed blocks
/// by hand would author without its slot and fork away from the other validators.
pub fn check_chain(sealing: Sealing, chain: &dyn sc_service::ChainSpec) -> Result<(), String> {
	match chain.chain_type() {
		ChainType::Development => Ok(()),
		other => Err(format!(
			"--sealing {} is only for the development chain (--dev), but chain `{}` is a {other:?} \
			 chain: its validators author with Aura in 6-second slots and finalize with GRANDPA, \
			 and a block sealed by hand would fork it. Drop --sealing, or run --dev.",
			match sealing {
				Sealing::Instant => "instant",
				Sealing::Manual => "manual",
			},
			chain.id(),
		)),
	}
}

/// The timestamp of a block built on `parent`: one slot after the parent's slot, so each sealed
/// block moves time on by exactly one slot however fast blocks are sealed. The first block after
/// genesis starts from the current time.
pub fn next_timestamp<C>(
	client: &C,
	parent: Hash,
	slot_duration: SlotDuration,
) -> Result<sp_timestamp::Timestamp, String>
where
	C: HeaderBackend<Block>,
{
	let header = client
		.header(parent)
		.map_err(|e| format!("reading parent header {parent}: {e}"))?
		.ok_or_else(|| format!("parent header {parent} not found"))?;
	let millis = slot_duration.as_millis();
	// Genesis has no Aura digest (Aura reads it as slot 0): the first block starts at the slot
	// the wall clock is in.
	if header.number == 0 {
		let now = *sp_timestamp::Timestamp::current();
		return Ok(sp_timestamp::Timestamp::new(now - now % millis));
	}
	let slot = sc_consensus_aura::find_pre_digest::<Block, AuthoritySignature>(&header)
		.map_err(|e| format!("block {parent} has no Aura slot: {e}"))?;
	Ok(sp_timestamp::Timestamp::new((*slot + 1) * millis))
}

/// Commands for the sealing task: `engine_*` RPC calls, plus, when instant, one
/// seal-and-finalize per batch of transactions that reached the pool together.
pub fn commands<P>(
	sealing: Sealing,
	pool: Arc<P>,
	rpc: mpsc::Receiver<EngineCommand<Hash>>,
) -> Pin<Box<dyn Stream<Item = EngineCommand<Hash>> + Send>>
where
	P: TransactionPool<Block = Block> + 'static,
{
	match sealing {
		Sealing::Manual => Box::pin(rpc),
		Sealing::Instant => {
			// Transactions sent together arrive as a burst of notifications: one block takes
			// them all, instead of one block each and a string of empty-pool errors.
			let arrivals =
				pool.import_notification_stream().ready_chunks(1024).filter_map(move |_| {
					let ready = pool.status().ready > 0;
					async move {
						ready.then_some(EngineCommand::SealNewBlock {
							create_empty: false,
							finalize: true,
							parent_hash: None,
							sender: None,
						})
					}
				});
			Box::pin(futures::stream::select(rpc, arrivals))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_development_chains_may_seal() {
		let dev = crate::chain_spec::development_chain_spec().unwrap();
		assert_eq!(check_chain(Sealing::Instant, &dev), Ok(()));
		let local = crate::chain_spec::local_chain_spec().unwrap();
		let refused = check_chain(Sealing::Manual, &local).unwrap_err();
		assert!(
			refused.contains("--sealing manual is only for the development chain"),
			"{refused}"
		);
		assert!(refused.contains("cxmpute_local"), "{refused}");
	}
}
