//! Matching in `on_initialize`: eligibility, price, band draw, health, queue order, bounds.

use super::mock::*;
use crate::{ClassRequest, Event, InFlight, JobClass, Jobs, Tier};

#[test]
fn matching_assigns_the_cheapest_eligible_provision() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 90);
		add_inference(2, 50);
		add_inference(3, 150); // above the job's max price
		let job = submit();
		events();
		next_block();
		assert_eq!(provisions_of(job), vec![Some(pid(2))]);
		assert_eq!(
			events(),
			vec![Event::Assigned { job, run: 0, provision: pid(2), worker: worker(2), price: 50 }]
		);
		assert_eq!(InFlight::<Test>::get(pid(2)).into_inner(), vec![(job, JobClass::Standard)]);
		assert_eq!(crate::TotalInFlight::<Test>::get(), 1);
	});
}

#[test]
fn matching_filters_ineligible_provisions() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		edit(1, |p| p.running = false);
		add_inference(2, 11);
		edit(2, |p| p.models = vec![[1; 32]]);
		add_inference(3, 12);
		edit(3, |p| p.hardware.vram_mb = 1_024);
		add_inference(4, 13);
		edit(4, |p| p.worker = None);
		add_inference(5, 14);
		edit(5, |p| p.capacity = 0);
		add_inference(6, 15);
		edit(6, |p| p.tier = Tier::TidePool); // below the job's minimum tier
		add_inference(7, 16);
		edit(7, |p| p.hardware.cpu_cores = 1);
		add_inference(8, 17);
		edit(8, |p| p.hardware.ram_mb = 1);
		add_inference(9, 99);
		let mut spec = inference_spec();
		spec.requirements = crate::Requirements {
			min_tier: Tier::BlueSurge,
			min_vram_mb: 4_096,
			min_cpu_cores: 4,
			min_ram_mb: 1_024,
		};
		frame_support::assert_ok!(Matching::submit_job(
			RuntimeOrigin::signed(1),
			spec,
			input(),
			100,
			20,
			0,
			ClassRequest::Standard,
			None
		));
		MaxCandidates::set(16);
		next_block();
		assert_eq!(provisions_of(0), vec![Some(pid(9))]);
	});
}

#[test]
fn higher_tiers_are_searched_too() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 90);
		edit(1, |p| p.tier = Tier::MarianaDepth);
		add_inference(2, 95);
		edit(2, |p| p.tier = Tier::TidePool);
		let mut spec = inference_spec();
		spec.requirements.min_tier = Tier::OpenOcean;
		frame_support::assert_ok!(Matching::submit_job(
			RuntimeOrigin::signed(1),
			spec,
			input(),
			100,
			20,
			0,
			ClassRequest::Standard,
			None
		));
		next_block();
		assert_eq!(provisions_of(0), vec![Some(pid(1))]);
	});
}

#[test]
fn near_equal_offers_are_drawn_by_health() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 95);
		add_inference(2, 95);
		// Within 5% of 95 (limit 99).
		add_inference(3, 99);
		// Outside the band.
		add_inference(4, 100);
		// Provision 1 has zero uptime: weight 1 against 1,000,001 and 500,001.
		set_uptime(1, 0);
		set_uptime(2, 100);
		let mut counts = [0u32; 5];
		for _ in 0..40 {
			let job = submit();
			next_block();
			let p = provisions_of(job)[0].expect("assigned");
			counts[p[0] as usize] += 1;
			frame_support::assert_ok!(Matching::cancel_job(RuntimeOrigin::signed(1), job));
		}
		assert_eq!(counts[4], 0, "outside the band");
		assert!(counts[1] <= 2, "near-zero uptime is rarely drawn: {counts:?}");
		assert!(counts[2] > counts[3], "better uptime wins more often: {counts:?}");
		assert!(counts[3] > 0, "near-equal offers get a share: {counts:?}");
	});
}

#[test]
fn redundant_runs_go_to_distinct_providers() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		// Provision 2 belongs to provision 1's provider: not a distinct provider.
		add_inference(2, 11);
		edit(2, |p| p.provider = provider(1));
		add_inference(3, 50);
		let job = submit_with(1, 2, ClassRequest::Standard);
		next_block();
		// Two distinct providers only: the third run waits.
		let ps = provisions_of(job);
		assert!(ps.contains(&Some(pid(3))));
		assert!(ps.contains(&None));
		assert!(Jobs::<Test>::get(job).unwrap().queued.is_some());
		add_inference(4, 60);
		next_block();
		assert!(provisions_of(job).iter().all(|p| p.is_some()));
	});
}

#[test]
fn priority_is_matched_before_standard_and_spot() {
	ExtBuilder::default().build_and_execute(|| {
		Subscribers::set(vec![2]);
		add_inference(1, 10);
		edit(1, |p| p.capacity = 1);
		let spot = submit_with(1, 0, ClassRequest::Spot);
		let standard = submit();
		let priority = submit_with(2, 0, ClassRequest::Standard);
		next_block();
		assert_eq!(provisions_of(priority), vec![Some(pid(1))]);
		assert_eq!(provisions_of(standard), vec![None]);
		assert_eq!(provisions_of(spot), vec![None]);
	});
}

#[test]
fn matching_is_bounded_per_block_and_requeues() {
	ExtBuilder::default().build_and_execute(|| {
		MaxMatchesPerBlock::set(2);
		let jobs: Vec<_> = (0..3).map(|_| submit()).collect();
		add_inference(1, 10);
		edit(1, |p| p.capacity = 4);
		next_block();
		assert_eq!(provisions_of(jobs[0]), vec![Some(pid(1))]);
		assert_eq!(provisions_of(jobs[1]), vec![Some(pid(1))]);
		assert_eq!(provisions_of(jobs[2]), vec![None]);
		next_block();
		assert_eq!(provisions_of(jobs[2]), vec![Some(pid(1))]);
		assert_eq!(InFlight::<Test>::get(pid(1)).len(), 3);
	});
}

#[test]
fn unmatched_jobs_stay_queued_until_the_deadline_then_expire_with_a_refund() {
	ExtBuilder::default().build_and_execute(|| {
		// Willing to wait past the deadline: the deadline, not the wait, ends it.
		let job = crate::NextJobId::<Test>::get();
		frame_support::assert_ok!(Matching::submit_job(
			RuntimeOrigin::signed(1),
			inference_spec(),
			input(),
			100,
			System::block_number() + 20,
			0,
			ClassRequest::Standard,
			Some(50),
		));
		run_to_block(20);
		assert!(Jobs::<Test>::get(job).unwrap().queued.is_some());
		events();
		run_to_block(21);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(credits(1), CREDITS);
		assert!(records().slashes.is_empty());
		assert_eq!(
			events(),
			vec![Event::JobClosed {
				job,
				outcome: crate::Outcome::Expired,
				output_hash: None,
				paid: 0,
				refunded: 150
			}]
		);
	});
}

#[test]
fn capacity_is_tracked_per_provision() {
	ExtBuilder::default().build_and_execute(|| {
		add_inference(1, 10);
		let a = submit();
		let b = submit();
		let c = submit();
		next_block();
		assert_eq!(provisions_of(c), vec![None]);
		accept(worker(1), a);
		finish(worker(1), a, 1);
		next_block();
		assert_eq!(provisions_of(c), vec![Some(pid(1))]);
		assert_eq!(provisions_of(b), vec![Some(pid(1))]);
	});
}
