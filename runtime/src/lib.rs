//! # Cxmpute runtime
//!
//! The state machine of the Cxmpute appchain: accounts and the native token (CXM), assets (the USD
//! stable asset, later synths and receipt tokens), block production with Aura, finality with
//! GRANDPA, and a validator set that root (later governance) changes without a runtime upgrade.
//! Compute-market and DeFi pallets plug in here as they are built.
//!
//! Layout: this file holds the types and the pallet list; `configs/` one file per pallet's
//! configuration; `apis.rs` the runtime APIs; `genesis_config_presets.rs` every genesis preset.
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` is recursive and deep.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Types the node needs without knowing the runtime's call and event types.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers with `session.set_keys`: Aura (sr25519) and GRANDPA (ed25519).
	pub struct SessionKeys {
		/// Block authoring key.
		pub aura: Aura,
		/// Finality voting key.
		pub grandpa: Grandpa,
	}
}

/// Runtime version. Bump `spec_version` on every runtime change that is deployed, and
/// `transaction_version` when a call's encoding changes (101/2: `matching.submitJob` takes
/// `max_wait`). Clients such as Polkadot.js Apps cache metadata by spec version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("cxmpute"),
	impl_name: alloc::borrow::Cow::Borrowed("cxmpute-node"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Block time. The one constant to change for another block time; it cannot change once a chain
/// has started (Aura's slot duration is fixed at genesis).
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration: one block per slot.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;
/// Session length: validator-set changes are applied at session boundaries.
pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;

/// Native token symbol.
pub const TOKEN_SYMBOL: &str = "CXM";
/// Native token decimals: 1 CXM = 10^12 planck.
pub const TOKEN_DECIMALS: u8 = 12;
/// One CXM in planck.
pub const UNIT: Balance = 1_000_000_000_000;
/// 0.001 CXM.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// 0.000001 CXM.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The least balance an account must keep to exist: 0.001 CXM.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
/// SS58 address prefix (42: the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// Asset id of the USD stable asset that billing settles in.
pub const STABLE_ASSET_ID: u32 = 1;
/// Decimals of the USD stable asset (as USDC).
pub const STABLE_ASSET_DECIMALS: u8 = 6;

/// Seed of the treasury's keyless account; root (later governance) spends from it.
pub const TREASURY_PALLET_ID: frame_support::PalletId = frame_support::PalletId(*b"cxm/trsy");

frame_support::parameter_types! {
	/// The treasury: receives platform fees and the treasury's share of slashed stake.
	pub TreasuryAccount: AccountId =
		sp_runtime::traits::AccountIdConversion::into_account_truncating(&TREASURY_PALLET_ID);
}

/// Signature scheme of transactions.
pub type Signature = MultiSignature;
/// Account identifier: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transactions signed by an account so far.
pub type Nonce = u32;
/// Hash type.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Address format of calls.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// Checks every signed transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload signed by a transaction's sender.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade, besides the pallets' own.
#[allow(unused_parens)]
type Migrations = ();

/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// The order below is also the order of hooks and genesis builds: balances before session (session
// keys need endowed accounts), the validator set before session (it answers session's questions).
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(4)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(5)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(6)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(7)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(8)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(9)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(10)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(11)]
	pub type Multisig = pallet_multisig;

	// Compute marketplace: the provider side (20-23) and the job market (24-25).
	#[runtime::pallet_index(20)]
	pub type Provisions = pallet_provisions;
	#[runtime::pallet_index(21)]
	pub type ProviderStaking = pallet_provider_staking;
	#[runtime::pallet_index(22)]
	pub type Health = pallet_health;
	#[runtime::pallet_index(23)]
	pub type Rewards = pallet_rewards;
	#[runtime::pallet_index(24)]
	pub type Matching = pallet_matching;
	#[runtime::pallet_index(25)]
	pub type Billing = pallet_billing;

	// Unxversal DeFi.
	#[runtime::pallet_index(40)]
	pub type Oracle = pallet_oracle;
	#[runtime::pallet_index(41)]
	pub type Dex = pallet_dex;
	#[runtime::pallet_index(42)]
	pub type Lend = pallet_lend;
}
