//! The offchain worker: concurrent HTTP probes with a deadline, the rotating cursor, the lock,
//! and the unsigned transaction carrying the signed report.

#![allow(deprecated)] // `ValidateUnsigned` is deprecated upstream; the pallet still implements it.

use crate::{tests::mock::*, Call, HealthOf, HealthStats, ProbeReport, ProvisionId, LOCK_KEY};
use frame_support::{
	assert_ok,
	pallet_prelude::TransactionSource,
	traits::{Hooks, UnfilteredDispatchable},
	unsigned::ValidateUnsigned,
};
use sp_arithmetic::Permill;
use sp_runtime::{
	generic::Preamble,
	offchain::{
		storage_lock::{StorageLock, Time},
		Duration,
	},
	RuntimeAppPublic,
};

/// Answer every running provision's endpoint with `200` after `after_ms`.
fn answer_all(harness: &OffchainHarness, ids: &[u8], after_ms: u64) {
	for n in ids {
		harness.http.answer(&endpoint(*n), Answer::Status { code: 200, after_ms });
	}
}

/// The reports submitted so far, with their signatures, checking each is a bare
/// `submit_probes`.
fn reports(harness: &OffchainHarness) -> Vec<(crate::ProbeReportFor<Test>, AuthoritySignature)> {
	harness
		.transactions()
		.into_iter()
		.map(|tx| {
			assert!(matches!(tx.preamble, Preamble::Bare(_)), "the worker submits unsigned");
			match tx.function {
				RuntimeCall::Health(Call::submit_probes { report, signature }) => {
					(report, signature)
				},
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

fn ids(report: &crate::ProbeReportFor<Test>) -> Vec<ProvisionId> {
	report.results.iter().map(|(id, _)| *id).collect()
}

#[test]
fn offchain_worker_submits_a_signed_report_as_unsigned_transaction() {
	let mut harness = ExtBuilder::default().with_running(vec![1, 2, 3, 4]).build_offchain();
	harness.http.answer(&endpoint(1), Answer::Status { code: 200, after_ms: 120 });
	harness.http.answer(&endpoint(2), Answer::Status { code: 503, after_ms: 50 });
	harness.http.answer(&endpoint(3), Answer::Hang);
	harness.http.answer(&endpoint(4), Answer::IoError);
	harness.execute(|| Health::offchain_worker(1));

	// All four requests were started (concurrently) and sent.
	let requests = harness.http.requests();
	assert_eq!(
		requests,
		(1..=4).map(|n| ("GET".to_string(), endpoint(n), true)).collect::<Vec<_>>()
	);
	// The round ended at the deadline because of the hanging request.
	assert_eq!(harness.http.now(), TIMEOUT_MS);

	let submitted = reports(&harness);
	assert_eq!(submitted.len(), 1);
	let (report, signature) = submitted[0].clone();
	assert_eq!(
		report,
		ProbeReport {
			authority: authority(0),
			block_number: 1,
			results: frame_support::BoundedVec::truncate_from(vec![
				(provision(1), Some(120)),
				(provision(2), None),
				(provision(3), None),
				(provision(4), None),
			]),
		}
	);
	harness.execute(|| {
		assert!(authority(0).verify(&Health::signing_payload(&report), &signature));
		// The pool would admit it at the next block, and it applies.
		run_to_block(2);
		let call = Call::submit_probes { report, signature };
		assert_ok!(<Health as ValidateUnsigned>::validate_unsigned(
			TransactionSource::Local,
			&call
		));
		assert_ok!(call.dispatch_bypass_filter(RuntimeOrigin::none()));
		assert_eq!(
			HealthOf::<Test>::get(provision(1)),
			Some(HealthStats { uptime: Permill::one(), p50_latency_ms: 120, reporters: 1 })
		);
		assert_eq!(HealthOf::<Test>::get(provision(3)).map(|s| s.uptime), Some(Permill::zero()));
	});
}

#[test]
fn offchain_worker_does_nothing_without_an_authority_key() {
	let mut harness = ExtBuilder::default().with_local_keys(vec![5]).build_offchain();
	harness.execute(|| Health::offchain_worker(1));
	assert!(harness.http.requests().is_empty());
	assert!(harness.transactions().is_empty());
}

#[test]
fn offchain_worker_runs_only_every_probe_interval() {
	let mut harness = ExtBuilder::default().build_offchain();
	answer_all(&harness, &[1, 2, 3], 10);
	harness.execute(|| {
		ProbeInterval::set(5);
		for n in 1..5 {
			Health::offchain_worker(n);
		}
	});
	assert!(harness.transactions().is_empty());
	harness.execute(|| Health::offchain_worker(5));
	assert_eq!(reports(&harness).len(), 1);
}

#[test]
fn offchain_worker_rotates_through_running_provisions_and_wraps() {
	let running = vec![1, 2, 3, 4, 5, 6];
	let mut harness = ExtBuilder::default().with_running(running.clone()).build_offchain();
	answer_all(&harness, &running, 10);
	harness.execute(|| {
		// Not running: never probed.
		add_provision(provision(9), false);
		for n in 1..=3 {
			Health::offchain_worker(n);
		}
	});
	let pages: Vec<_> = reports(&harness).iter().map(|(report, _)| ids(report)).collect();
	let first: Vec<_> = (1..=4).map(provision).collect();
	assert_eq!(pages, vec![first.clone(), vec![provision(5), provision(6)], first]);
	for (report, _) in reports(&harness) {
		assert!(report.results.iter().all(|(_, outcome)| *outcome == Some(10)));
	}
}

#[test]
fn offchain_worker_signs_one_report_per_local_authority_key() {
	let running = vec![1, 2, 3, 4, 5, 6];
	let mut harness = ExtBuilder::default()
		.with_running(running.clone())
		.with_local_keys(vec![0, 1, 5])
		.build_offchain();
	answer_all(&harness, &running, 10);
	harness.execute(|| Health::offchain_worker(1));
	let submitted = reports(&harness);
	// Key 5 is not an authority; keys 0 and 1 take consecutive pages.
	assert_eq!(submitted.len(), 2);
	let mut signers: Vec<_> = submitted.iter().map(|(r, _)| r.authority.clone()).collect();
	signers.sort();
	let mut expected = vec![authority(0), authority(1)];
	expected.sort();
	assert_eq!(signers, expected);
	let mut probed: Vec<_> = submitted.iter().flat_map(|(r, _)| ids(r)).collect();
	probed.sort();
	assert_eq!(probed, running.iter().map(|n| provision(*n)).collect::<Vec<_>>());
	for (report, signature) in submitted {
		harness.execute(|| {
			assert!(report.authority.verify(&Health::signing_payload(&report), &signature))
		});
	}
}

#[test]
fn offchain_worker_skips_while_another_run_holds_the_lock() {
	let mut harness = ExtBuilder::default().build_offchain();
	answer_all(&harness, &[1, 2, 3], 10);
	harness.execute(|| {
		let mut lock = StorageLock::<Time>::with_deadline(LOCK_KEY, Duration::from_millis(60_000));
		lock.try_lock().expect("free at first; qed").forget();
		Health::offchain_worker(1);
	});
	assert!(harness.http.requests().is_empty());
	assert!(harness.transactions().is_empty());
}

#[test]
fn probes_fail_after_the_deadline_on_other_statuses_and_bad_endpoints() {
	let mut harness = ExtBuilder::default().with_running(vec![1, 2, 3, 4]).build_offchain();
	harness.http.answer(&endpoint(1), Answer::Status { code: 204, after_ms: TIMEOUT_MS - 15 });
	harness.http.answer(&endpoint(2), Answer::Status { code: 200, after_ms: TIMEOUT_MS + 1 });
	harness.http.answer(&endpoint(3), Answer::Status { code: 301, after_ms: 5 });
	harness.execute(|| {
		// Provision 4's endpoint is not UTF-8: no request at all.
		MockProvisions::mutate(|p| p.get_mut(&provision(4)).unwrap().endpoint = vec![0xff, 0xfe]);
		let outcomes = Health::probe_all(&[provision(1), provision(2), provision(3), provision(4)]);
		// A wait returns when all pending requests are done or at the poll step, so a latency
		// is measured at the end of its poll step: 985 ms is seen at 990 ms.
		assert_eq!(outcomes, vec![Some(TIMEOUT_MS as u32 - 10), None, None, None]);
	});
	assert_eq!(harness.http.requests().len(), 3);
}
