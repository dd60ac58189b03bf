//! `submit_probes`: recording, skipping, events and fees.

use crate::{tests::mock::*, Error, Event, HealthOf, HealthStats, ProbesOf};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use sp_arithmetic::Permill;
use sp_runtime::DispatchError;

#[test]
fn submit_probes_records_outcomes_and_emits_events() {
	ExtBuilder::default().build_and_execute(|| {
		let post = submit(0, vec![(provision(1), Some(120)), (provision(2), None)]).unwrap();
		assert_eq!(post.pays_fee, Pays::No);
		assert_eq!(
			ProbesOf::<Test>::get(provision(1), authority(0)).unwrap().into_inner(),
			vec![Some(120)]
		);
		let one = HealthStats { uptime: Permill::one(), p50_latency_ms: 120, reporters: 1 };
		let two = HealthStats { uptime: Permill::zero(), p50_latency_ms: 0, reporters: 1 };
		assert_eq!(HealthOf::<Test>::get(provision(1)), Some(one));
		assert_eq!(HealthOf::<Test>::get(provision(2)), Some(two));
		assert_eq!(
			events_since_last_call(),
			vec![
				Event::HealthUpdated { provision: provision(1), stats: one },
				Event::HealthUpdated { provision: provision(2), stats: two },
				Event::ProbesRecorded {
					authority: authority(0),
					at: 1,
					count: 2,
					skipped: BoundedVec::new(),
				},
			]
		);
		assert_eq!(Health::last_report_of(&authority(0)), Some(1));
	});
}

#[test]
fn submit_probes_skips_provisions_not_running() {
	ExtBuilder::default().build_and_execute(|| {
		add_provision(provision(4), false);
		assert_ok!(submit(
			0,
			vec![(provision(4), Some(10)), (provision(1), Some(20)), (provision(9), Some(30)),]
		));
		assert!(HealthOf::<Test>::get(provision(4)).is_none());
		assert!(HealthOf::<Test>::get(provision(9)).is_none());
		assert!(HealthOf::<Test>::get(provision(1)).is_some());
		System::assert_last_event(
			Event::ProbesRecorded {
				authority: authority(0),
				at: 1,
				count: 1,
				skipped: BoundedVec::truncate_from(vec![provision(4), provision(9)]),
			}
			.into(),
		);
	});
}

#[test]
fn submit_probes_fails_for_signed_origin() {
	ExtBuilder::default().build_and_execute(|| {
		let report = report(0, 1, vec![(provision(1), Some(1))]);
		let signature = sign(0, &report);
		assert_noop!(
			Health::submit_probes(RuntimeOrigin::signed(1), report, signature),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn submit_probes_rechecks_the_report_at_dispatch() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		let results = vec![(provision(1), Some(1))];
		// (report, signer, error)
		let cases: Vec<(crate::ProbeReportFor<Test>, u8, Error<Test>)> = vec![
			(report(0, 10, vec![]), 0, Error::EmptyReport),
			(
				report(0, 10, vec![(provision(1), Some(1)), (provision(1), None)]),
				0,
				Error::DuplicateProvision,
			),
			(report(0, 11, results.clone()), 0, Error::ReportFromFuture),
			(report(0, 4, results.clone()), 0, Error::ReportTooOld),
			(report(7, 10, results.clone()), 7, Error::NotAuthority),
			(report(0, 10, results.clone()), 1, Error::InvalidSignature),
		];
		for (report, signer, error) in cases {
			let signature = sign(signer, &report);
			assert_noop!(Health::submit_probes(RuntimeOrigin::none(), report, signature), error);
		}
		// A report at the oldest allowed block is fine; a second one at the same block is stale.
		let report = report(0, 5, results);
		let signature = sign(0, &report);
		assert_ok!(Health::submit_probes(RuntimeOrigin::none(), report.clone(), signature.clone()));
		assert_noop!(
			Health::submit_probes(RuntimeOrigin::none(), report, signature),
			Error::<Test>::StaleReport
		);
	});
}
