//! Usage statistics per (payer, day, service) and per (day, service).

use super::mock::*;
use crate::{EscrowPart, NetworkCounters, UsageCounters, USD};
use cxmpute_primitives::ServiceKind;
use frame_support::{
	assert_ok,
	traits::Get,
	weights::{RuntimeDbWeight, Weight},
};

const I: ServiceKind = ServiceKind::Inference;

#[test]
fn pay_and_close_update_the_counters() {
	ExtBuilder::default()
		.with_credits(ALICE, 100 * USD)
		.with_credits(BOB, 100 * USD)
		.with_credits(TREASURY, 10 * USD)
		.build_and_execute(|| {
			assert_eq!(Billing::current_day(), 0);
			assert_ok!(admit(1, ALICE, I, 10 * USD, 0));
			assert_ok!(fund(1, USD));
			assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, 2 * USD));
			assert_ok!(pay(1, EscrowPart::Treasury, PROVIDER, USD));
			assert_ok!(close(1, I, 1_500));
			assert_ok!(admit(2, BOB, I, USD, 0));
			assert_ok!(pay(2, EscrowPart::Payer, PROVIDER, USD));
			assert_ok!(close(2, I, 500));
			assert_eq!(
				Billing::usage_of(ALICE, 0, I),
				UsageCounters { jobs: 1, tokens: 1_500, spent: 2 * USD },
				"the treasury part is not the payer's spending"
			);
			assert_eq!(
				Billing::usage_of(BOB, 0, I),
				UsageCounters { jobs: 1, tokens: 500, spent: USD }
			);
			assert_eq!(
				Billing::network_usage(0, I),
				NetworkCounters { jobs: 2, tokens: 2_000, volume: 4 * USD }
			);
			// Next day: fresh counters.
			run_to_block(DAY);
			assert_eq!(Billing::current_day(), 1);
			assert_ok!(admit(3, ALICE, I, USD, 0));
			assert_ok!(close(3, I, 7));
			assert_eq!(
				Billing::usage_of(ALICE, 1, I),
				UsageCounters { jobs: 1, tokens: 7, spent: 0 }
			);
			assert_eq!(Billing::network_usage(1, I).jobs, 1);
			assert_eq!(Billing::network_usage(0, I).jobs, 2);
		});
}

/// Close a job of `who` today, so `who` has counters for the current day.
fn use_today(job: u64, who: AccountId) {
	assert_ok!(admit(job, who, I, USD, 0));
	assert_ok!(pay(job, EscrowPart::Payer, PROVIDER, USD / 2));
	assert_ok!(close(job, I, 100));
}

#[test]
fn on_idle_removes_payer_counters_past_retention_and_keeps_network_ones() {
	ExtBuilder::default()
		.with_credits(ALICE, 100 * USD)
		.with_credits(BOB, 100 * USD)
		.build_and_execute(|| {
			use frame_support::traits::Hooks;
			use_today(1, ALICE);
			use_today(2, BOB);
			run_to_block(DAY);
			use_today(3, ALICE);
			let retention = <<Test as crate::Config>::UsageRetentionDays as Get<u32>>::get() as u64;
			// Day 0 is still within retention on day `retention`.
			run_to_block(retention * DAY);
			Billing::on_idle(System::block_number(), Weight::MAX);
			assert_eq!(Billing::usage_of(ALICE, 0, I).jobs, 1);
			// One day later day 0 goes; day 1 stays.
			run_to_block((retention + 1) * DAY);
			// Without room for one counter nothing is removed.
			assert_eq!(Billing::on_idle(System::block_number(), Weight::zero()), {
				<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(1)
			});
			assert_eq!(Billing::usage_of(ALICE, 0, I).jobs, 1);
			let used = Billing::on_idle(System::block_number(), Weight::MAX);
			assert!(used.any_gt(Weight::zero()));
			assert_eq!(Billing::usage_of(ALICE, 0, I), UsageCounters::default());
			assert_eq!(Billing::usage_of(BOB, 0, I), UsageCounters::default());
			assert_eq!(Billing::usage_of(ALICE, 1, I).jobs, 1);
			assert_eq!(Billing::network_usage(0, I).jobs, 2, "network statistics are kept");
			assert_eq!(crate::UsagePrunedBefore::<Test>::get(), 1);
		});
}

#[test]
fn on_idle_continues_a_day_it_could_not_finish() {
	use crate::weights::WeightInfo;
	use frame_support::traits::Hooks;
	let mut ext =
		ExtBuilder::default().with_credits(ALICE, 100 * USD).with_credits(BOB, 100 * USD).build();
	ext.execute_with(|| {
		use_today(1, ALICE);
		use_today(2, BOB);
	});
	// The limit counts removals from the database: old days are there, not in the overlay.
	ext.commit_all().expect("in-memory backend commits");
	ext.execute_with(|| {
		let retention = <<Test as crate::Config>::UsageRetentionDays as Get<u32>>::get() as u64;
		run_to_block((retention + 1) * DAY);
		// Room for the day and exactly one counter.
		let one = <() as WeightInfo>::prune_usage(1);
		let read =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(1);
		Billing::on_idle(System::block_number(), read + one);
		let left = [ALICE, BOB].iter().filter(|w| Billing::usage_of(**w, 0, I).jobs > 0).count();
		assert_eq!(left, 1, "one counter removed, one left");
		assert_eq!(crate::UsagePrunedBefore::<Test>::get(), 0, "day 0 is not done");
		Billing::on_idle(System::block_number(), Weight::MAX);
		assert_eq!(Billing::usage_of(ALICE, 0, I).jobs + Billing::usage_of(BOB, 0, I).jobs, 0);
		assert_eq!(crate::UsagePrunedBefore::<Test>::get(), 1);
		Billing::do_try_state().expect("try_state holds");
	});
}
