//! How offchain workers build transactions: signed ones (oracle feeds, from an operator account)
//! and bare unsigned ones (health probe reports, validated by the pallet's `ValidateUnsigned`).

use crate::{
	AccountId, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, System, TxExtension,
	UncheckedExtrinsic,
};
use codec::Encode;
use frame_system::offchain::{
	AppCrypto, CreateBare, CreateSignedTransaction, CreateTransactionBase, SigningTypes,
};
use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};

impl SigningTypes for Runtime {
	type Public = <Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

/// Blocks an offchain worker's signed transaction stays valid (a mortal era, so a stuck
/// transaction cannot be replayed later).
const OFFCHAIN_TX_MORTALITY: u64 = 32;

impl<LocalCall> CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		// The parent block anchors the era: the block being built is not known yet.
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let era = Era::mortal(OFFCHAIN_TX_MORTALITY, current_block);
		let tx_ext: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(era),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let raw_payload = SignedPayload::new(call, tx_ext)
			.map_err(|e| log::warn!(target: "runtime::offchain", "cannot sign: {:?}", e))
			.ok()?;
		let signature = raw_payload.using_encoded(|payload| C::sign(payload, public))?;
		let (call, tx_ext, _) = raw_payload.deconstruct();
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		Some(UncheckedExtrinsic::new_signed(call, address, signature, tx_ext))
	}
}
