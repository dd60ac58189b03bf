//! `ValidateUnsigned`: which reports enter the transaction pool.
#![allow(deprecated)] // `ValidateUnsigned` is deprecated upstream; the pallet still implements it.

use crate::{tests::mock::*, Call, TAG_PREFIX};
use codec::Encode;
use frame_support::{
	assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, ValidTransaction},
	unsigned::ValidateUnsigned,
};

/// Validate `submit_probes(report, signature)` at the current block.
fn validate(
	report: crate::ProbeReportFor<Test>,
	signature: AuthoritySignature,
) -> sp_runtime::transaction_validity::TransactionValidity {
	#[allow(deprecated)]
	<Health as ValidateUnsigned>::validate_unsigned(
		TransactionSource::External,
		&Call::submit_probes { report, signature },
	)
}

/// Validate a report of authority `i` at `block`, signed by `signer`.
fn validate_signed_by(
	i: u8,
	signer: u8,
	block: u64,
	results: Vec<(crate::ProvisionId, Option<u32>)>,
) -> sp_runtime::transaction_validity::TransactionValidity {
	let report = report(i, block, results);
	let signature = sign(signer, &report);
	validate(report, signature)
}

fn one() -> Vec<(crate::ProvisionId, Option<u32>)> {
	vec![(provision(1), Some(100))]
}

#[test]
fn valid_report_is_accepted_with_tag_priority_and_longevity() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		// Made at block 8: 2 of MaxReportAge (5) blocks used.
		let validity = validate_signed_by(0, 0, 8, one()).unwrap();
		let expected = ValidTransaction::with_tag_prefix(TAG_PREFIX)
			.priority(u64::MAX / 2)
			.and_provides((authority(0), 8u64))
			.longevity(3)
			.propagate(true)
			.build()
			.unwrap();
		assert_eq!(validity, expected);
		assert!(validity.propagate);
		assert_eq!(validity.provides, vec![(TAG_PREFIX, (authority(0), 8u64)).encode()]);
	});
}

#[test]
fn report_with_bad_signature_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(validate_signed_by(0, 1, 1, one()), Err(InvalidTransaction::BadProof.into()));
		// A signature over the report without the domain separator is rejected too.
		let report = report(0, 1, one());
		let undomained = {
			use sp_core::Pair;
			pair(0).sign(&report.encode()).into()
		};
		assert_eq!(validate(report, undomained), Err(InvalidTransaction::BadProof.into()));
	});
}

#[test]
fn report_from_non_authority_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(validate_signed_by(5, 5, 1, one()), Err(InvalidTransaction::BadSigner.into()));
	});
}

#[test]
fn stale_report_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		assert_ok!(validate_signed_by(0, 0, 5, one()));
		assert_eq!(validate_signed_by(0, 0, 4, one()), Err(InvalidTransaction::Stale.into()));
	});
}

#[test]
fn future_report_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(validate_signed_by(0, 0, 2, one()), Err(InvalidTransaction::Future.into()));
	});
}

#[test]
fn duplicate_report_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(3);
		assert_ok!(submit(0, one()));
		// The same block again, and an earlier block, are stale; a later block is fine.
		assert_eq!(validate_signed_by(0, 0, 3, one()), Err(InvalidTransaction::Stale.into()));
		assert_eq!(validate_signed_by(0, 0, 2, one()), Err(InvalidTransaction::Stale.into()));
		run_to_block(4);
		assert_ok!(validate_signed_by(0, 0, 4, one()));
		// Other authorities are not affected.
		assert_ok!(validate_signed_by(1, 1, 3, one()));
	});
}

#[test]
fn empty_report_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(
			validate_signed_by(0, 0, 1, vec![]),
			Err(InvalidTransaction::Custom(crate::report::INVALID_EMPTY).into())
		);
	});
}

#[test]
fn report_naming_a_provision_twice_is_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(
			validate_signed_by(0, 0, 1, vec![(provision(1), Some(1)), (provision(1), Some(2))]),
			Err(InvalidTransaction::Custom(crate::report::INVALID_DUPLICATE).into())
		);
	});
}

#[test]
fn other_calls_are_not_valid_unsigned() {
	ExtBuilder::default().build_and_execute(|| {
		#[allow(deprecated)]
		let validity = <Health as ValidateUnsigned>::validate_unsigned(
			TransactionSource::External,
			&Call::prune { provision: provision(1) },
		);
		assert_eq!(validity, Err(InvalidTransaction::Call.into()));
	});
}
