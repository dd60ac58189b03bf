//! `claim_rewards`: pro-rata shares, dust, errors.

use super::mock::*;
use crate::{
	EpochBudget, EpochClaimedPoints, EpochPaid, Error, Event, JobUsage, PointsOf, ServiceKind,
	Tier, TotalUnminted,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::TokenError;

/// Provider 1 (TidePool, 1,000) and provider 2 (BlueSurge, 3,000) earn points in epoch 0,
/// which is then closed.
fn two_providers_closed() {
	jobs(provision(1, Tier::TidePool), 1);
	jobs(provision(2, Tier::BlueSurge), 1);
	run_to_epoch(1);
}

#[test]
fn claim_pays_the_pro_rata_share() {
	ExtBuilder::default().build_and_execute(|| {
		two_providers_closed();
		assert_eq!(Rewards::pending_rewards(0, 1), 250_000);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 0));
		assert_eq!(balance(1), 250_000);
		System::assert_last_event(
			Event::<Test>::RewardsPaid { epoch: 0, provider: 1, points: 1_000, amount: 250_000 }
				.into(),
		);
		assert_eq!(EpochPaid::<Test>::get(0), 250_000);
		assert_eq!(EpochClaimedPoints::<Test>::get(0), 1_000);
		assert_eq!(Rewards::pending_rewards(0, 1), 0);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(2), 0));
		assert_eq!(balance(2), 750_000);
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: EMISSION, unminted: 0 }.into(),
		);
		assert_eq!(EpochBudget::<Test>::get(0), None, "settled epochs are removed");
		assert_eq!(Balances::total_issuance(), EMISSION);
	});
}

#[test]
fn rounding_dust_stays_unminted() {
	ExtBuilder::default().build_and_execute(|| {
		for who in 1..=3 {
			jobs(provision(who, Tier::TidePool), 1);
		}
		run_to_epoch(1);
		for who in 1..=3 {
			assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(who), 0));
			assert_eq!(balance(who), 333_333, "a third rounds down");
		}
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: 999_999, unminted: 1 }.into(),
		);
		assert_eq!(TotalUnminted::<Test>::get(), 1);
		assert_eq!(Balances::total_issuance(), 999_999);
	});
}

#[test]
fn pending_rewards_estimates_the_open_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		jobs(provision(1, Tier::TidePool), 1);
		jobs(provision(2, Tier::BlueSurge), 1);
		assert_eq!(Rewards::pending_rewards(0, 2), 750_000);
		assert_eq!(Rewards::pending_rewards(0, 3), 0);
		jobs(provision(3, Tier::TidePool), 4);
		assert_eq!(Rewards::pending_rewards(0, 2), 375_000, "diluted by later points");
	});
}

#[test]
fn claim_fails_when_epoch_not_closed() {
	ExtBuilder::default().build_and_execute(|| {
		jobs(provision(1, Tier::TidePool), 1);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 0),
			Error::<Test>::EpochNotClosed
		);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 5),
			Error::<Test>::EpochNotClosed
		);
	});
}

#[test]
fn claim_fails_when_nothing_to_claim() {
	ExtBuilder::default().build_and_execute(|| {
		two_providers_closed();
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(3), 0),
			Error::<Test>::NothingToClaim
		);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 0));
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 0),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn claim_fails_when_epoch_unknown() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_epoch(1);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 0),
			Error::<Test>::UnknownEpoch
		);
		// A settled epoch is unknown too.
		jobs(provision(1, Tier::TidePool), 1);
		run_to_epoch(2);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 1));
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 1),
			Error::<Test>::UnknownEpoch
		);
	});
}

#[test]
fn claim_fails_when_epoch_expired() {
	ExtBuilder::default().with_claim_window(1).build_and_execute(|| {
		two_providers_closed();
		run_to_epoch(2);
		// Current epoch 2 <= 0 + 1? No: expired once the open epoch passes 0 + 1.
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 0),
			Error::<Test>::EpochExpired
		);
		assert_eq!(Rewards::pending_rewards(0, 1), 0);
	});
}

#[test]
fn claim_within_the_window_works() {
	ExtBuilder::default().with_claim_window(1).build_and_execute(|| {
		two_providers_closed();
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 0));
	});
}

#[test]
fn claim_fails_when_share_below_existential_deposit() {
	ExtBuilder::default().with_existential_deposit(1_000).build_and_execute(|| {
		job(
			provision(1, Tier::TidePool),
			ServiceKind::TextToSpeech,
			JobUsage { audio_seconds: 1, ..Default::default() },
		);
		jobs(provision(2, Tier::MarianaDepth), 100);
		run_to_epoch(1);
		// 1_000_000 * 33 / 1_500_033 = 21 < ED
		assert_eq!(Rewards::pending_rewards(0, 1), 21);
		assert_noop!(Rewards::claim_rewards(RuntimeOrigin::signed(1), 0), TokenError::BelowMinimum);
		assert!(PointsOf::<Test>::contains_key(0, 1));
		// A page forfeits it instead of blocking.
		assert_ok!(Rewards::payout_page(RuntimeOrigin::signed(9), 0));
		assert_eq!(balance(1), 0);
		assert!(System::events().iter().any(|r| r.event
			== Event::<Test>::RewardForfeited { epoch: 0, provider: 1, amount: 21 }.into()));
		assert_eq!(balance(2), 999_978);
		assert_eq!(TotalUnminted::<Test>::get(), 22, "forfeited share plus dust");
	});
}

#[test]
fn claim_requires_a_signed_origin() {
	ExtBuilder::default().build_and_execute(|| {
		two_providers_closed();
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::none(), 0),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
