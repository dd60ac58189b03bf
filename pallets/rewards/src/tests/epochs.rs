//! Epoch rollover and budget freezing.

use super::mock::*;
use crate::{
	CurrentEpoch, EpochBudget, EpochEndsAt, EpochPoints, Event, Params, RewardParams, Tier,
};
use frame_support::{assert_ok, traits::Hooks};

#[test]
fn epoch_closes_at_its_end_block_and_freezes_the_budget() {
	ExtBuilder::default().build_and_execute(|| {
		let id = provision(1, Tier::BlueSurge);
		jobs(id, 2);
		assert_eq!(EpochEndsAt::<Test>::get(), 10);
		run_to_block(9);
		assert_eq!(Rewards::current_epoch(), 0);
		assert_eq!(EpochBudget::<Test>::get(0), None);
		events();
		run_to_block(10);
		assert_eq!(Rewards::current_epoch(), 1);
		assert_eq!(EpochBudget::<Test>::get(0), Some(EMISSION));
		assert_eq!(EpochEndsAt::<Test>::get(), 20);
		assert_eq!(
			events(),
			vec![Event::<Test>::EpochClosed { epoch: 0, total_points: 6_000, budget: EMISSION }]
		);
		// New points count in the new epoch.
		jobs(id, 1);
		assert_eq!(Rewards::points_of(1, 1), 3_000);
		assert_eq!(Rewards::points_of(0, 1), 6_000);
		run_to_block(20);
		assert_eq!(Rewards::current_epoch(), 2);
		assert_eq!(EpochBudget::<Test>::get(1), Some(EMISSION));
	});
}

#[test]
fn empty_epoch_records_no_budget() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(9);
		events();
		run_to_block(10);
		assert_eq!(EpochBudget::<Test>::get(0), None);
		assert!(!EpochPoints::<Test>::contains_key(0));
		assert_eq!(
			events(),
			vec![Event::<Test>::EpochClosed { epoch: 0, total_points: 0, budget: 0 }]
		);
	});
}

#[test]
fn budget_is_the_emission_when_the_epoch_closes() {
	ExtBuilder::default().build_and_execute(|| {
		jobs(provision(1, Tier::TidePool), 1);
		let params = RewardParams { emission_per_epoch: 42_000, ..Params::<Test>::get() };
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), Box::new(params)));
		run_to_block(10);
		assert_eq!(EpochBudget::<Test>::get(0), Some(42_000));
		let params = RewardParams { emission_per_epoch: 7, ..Params::<Test>::get() };
		assert_ok!(Rewards::set_params(RuntimeOrigin::root(), Box::new(params)));
		assert_eq!(EpochBudget::<Test>::get(0), Some(42_000), "frozen");
	});
}

#[test]
fn clock_starts_lazily_without_genesis() {
	ExtBuilder::default().build_and_execute(|| {
		EpochEndsAt::<Test>::kill();
		run_to_block(3);
		// Started by block 2's hook.
		assert_eq!(EpochEndsAt::<Test>::get(), 12);
		run_to_block(11);
		assert_eq!(CurrentEpoch::<Test>::get(), 0);
		run_to_block(12);
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
	});
}

#[test]
fn hook_weight_counts_the_work_done() {
	use crate::WeightInfo;
	ExtBuilder::default().build_and_execute(|| {
		let idle = <() as WeightInfo>::on_initialize_idle();
		System::set_block_number(2);
		assert_eq!(Rewards::on_initialize(2), idle);
		System::set_block_number(6);
		assert_eq!(Rewards::on_initialize(6), idle + <() as WeightInfo>::on_initialize_demand());
		System::set_block_number(10);
		assert_eq!(Rewards::on_initialize(10), idle + <() as WeightInfo>::on_initialize_epoch());
	});
}

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(|| {
		<Rewards as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn zero_emission_pays_nothing() {
	let params = RewardParams { emission_per_epoch: 0, ..Default::default() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		jobs(provision(1, Tier::TidePool), 1);
		run_to_epoch(1);
		assert_eq!(EpochBudget::<Test>::get(0), Some(0));
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 0));
		assert_eq!(balance(1), 0);
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: 0, unminted: 0 }.into(),
		);
	});
}
