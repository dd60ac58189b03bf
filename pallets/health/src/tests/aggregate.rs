//! Aggregation math: lower medians, per-authority figures, and robustness to one liar.

use crate::{
	aggregate::{combine, lower_median, window_stats},
	tests::mock::*,
	HealthOf, HealthStats, ProbesOf,
};
use frame_support::assert_ok;
use sp_arithmetic::Permill;

#[test]
fn lower_median_takes_the_lower_middle_value() {
	let cases: [(Vec<u32>, Option<u32>, &str); 6] = [
		(vec![], None, "empty"),
		(vec![7], Some(7), "one value"),
		(vec![9, 1], Some(1), "even count: lower of the two"),
		(vec![5, 1, 9], Some(5), "odd count: the middle"),
		(vec![4, 1, 3, 2], Some(2), "even count, unsorted"),
		(vec![2, 2, 2, 100], Some(2), "ties"),
	];
	for (values, expected, desc) in cases {
		assert_eq!(lower_median(values), expected, "{desc}");
	}
}

#[test]
fn window_stats_are_ok_share_and_median_latency() {
	assert_eq!(window_stats(&[]), (Permill::zero(), None));
	assert_eq!(window_stats(&[None, None]), (Permill::zero(), None));
	assert_eq!(
		window_stats(&[Some(100), None, Some(300), Some(200)]),
		(Permill::from_percent(75), Some(200))
	);
	// Even number of successes: the lower middle latency.
	assert_eq!(window_stats(&[Some(10), Some(40)]), (Permill::one(), Some(10)));
}

#[test]
fn authority_without_success_counts_for_uptime_not_latency() {
	let stats = combine([&[Some(100)][..], &[None][..], &[Some(300)][..]]);
	assert_eq!(stats, HealthStats { uptime: Permill::one(), p50_latency_ms: 100, reporters: 3 });
}

#[test]
fn one_lying_authority_cannot_move_the_median() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		// Two honest authorities measure a healthy provision at ~100 ms.
		assert_ok!(submit(0, vec![(p, Some(100))]));
		assert_ok!(submit(1, vec![(p, Some(110))]));
		// The liar claims it is down.
		assert_ok!(submit(2, vec![(p, None)]));
		assert_eq!(
			HealthOf::<Test>::get(p),
			Some(HealthStats { uptime: Permill::one(), p50_latency_ms: 100, reporters: 3 })
		);

		// The liar claims a dead provision is up and fast instead.
		let q = provision(2);
		run_to_block(2);
		assert_ok!(submit(0, vec![(q, None)]));
		assert_ok!(submit(1, vec![(q, None)]));
		assert_ok!(submit(2, vec![(q, Some(1))]));
		assert_eq!(
			HealthOf::<Test>::get(q),
			Some(HealthStats { uptime: Permill::zero(), p50_latency_ms: 1, reporters: 3 })
		);

		// Claiming absurd latencies does not move the p50 either.
		let r = provision(3);
		run_to_block(3);
		assert_ok!(submit(0, vec![(r, Some(200))]));
		assert_ok!(submit(1, vec![(r, Some(250))]));
		assert_ok!(submit(2, vec![(r, Some(u32::MAX))]));
		assert_eq!(HealthOf::<Test>::get(r).map(|s| s.p50_latency_ms), Some(250));
	});
}

#[test]
fn even_number_of_reporters_takes_the_lower_median() {
	ExtBuilder::default().with_authorities(vec![0, 1, 2, 3]).build_and_execute(|| {
		let p = provision(1);
		assert_ok!(submit(0, vec![(p, Some(400))]));
		assert_ok!(submit(1, vec![(p, Some(100))]));
		assert_ok!(submit(2, vec![(p, None)]));
		assert_ok!(submit(3, vec![(p, Some(300))]));
		// Uptimes 1, 1, 0, 1 -> sorted 0, 1, 1, 1 -> lower median 1.
		// p50s 400, 100, 300 (authority 2 has none) -> 300.
		assert_eq!(
			HealthOf::<Test>::get(p),
			Some(HealthStats { uptime: Permill::one(), p50_latency_ms: 300, reporters: 4 })
		);
		// Two reporters: the lower of the two.
		let q = provision(2);
		run_to_block(2);
		assert_ok!(submit(0, vec![(q, Some(50))]));
		assert_ok!(submit(1, vec![(q, Some(70))]));
		assert_eq!(HealthOf::<Test>::get(q).map(|s| s.p50_latency_ms), Some(50));
	});
}

#[test]
fn window_rolls_past_window_length() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		// WINDOW + 2 reports: two failures first, then successes.
		for block in 1..=(WINDOW as u64 + 2) {
			run_to_block(block);
			let outcome = if block <= 2 { None } else { Some(block as u32 * 10) };
			assert_ok!(submit(0, vec![(p, outcome)]));
		}
		let window = ProbesOf::<Test>::get(p, authority(0)).unwrap();
		assert_eq!(window.len() as u32, WINDOW);
		// The two failures were pushed out: only successes remain, oldest first.
		assert_eq!(window.into_inner(), vec![Some(30), Some(40), Some(50), Some(60), Some(70)]);
		assert_eq!(
			HealthOf::<Test>::get(p),
			Some(HealthStats { uptime: Permill::one(), p50_latency_ms: 50, reporters: 1 })
		);
	});
}

#[test]
fn windows_of_departed_authorities_are_dropped_on_recompute() {
	ExtBuilder::default().build_and_execute(|| {
		let p = provision(1);
		assert_ok!(submit(0, vec![(p, Some(100))]));
		assert_ok!(submit(1, vec![(p, None)]));
		assert_eq!(HealthOf::<Test>::get(p).map(|s| s.reporters), Some(2));
		// Authority 1 leaves the set; its window goes with the next recomputation.
		AuthoritySet::set(vec![authority(0), authority(2)]);
		run_to_block(2);
		assert_ok!(submit(2, vec![(p, Some(300))]));
		assert!(ProbesOf::<Test>::get(p, authority(1)).is_none());
		assert_eq!(
			HealthOf::<Test>::get(p),
			Some(HealthStats { uptime: Permill::one(), p50_latency_ms: 100, reporters: 2 })
		);
		assert_eq!(Health::last_report_of(&authority(1)), None);
	});
}
