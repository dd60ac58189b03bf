//! `payout_page`: bounded pages, settlement, expiry.

use super::mock::*;
use crate::{EpochBudget, Error, Event, PointsOf, Tier, TotalUnminted, WeightInfo};
use frame_support::{assert_noop, assert_ok, dispatch::PostDispatchInfo};

/// Providers `1..=n` earn `who * 1,000` milli-points each in epoch 0, which is then closed.
fn providers_closed(n: u64) {
	for who in 1..=n {
		jobs(provision(who, Tier::TidePool), who as u32);
	}
	run_to_epoch(1);
}

#[test]
fn two_pages_finish_an_epoch() {
	ExtBuilder::default().with_max_payouts(3).build_and_execute(|| {
		providers_closed(5);
		// total 15,000: shares 66,666 / 133,333 / 200,000 / 266,666 / 333,333
		let result = Rewards::payout_page(RuntimeOrigin::signed(9), 0);
		assert_eq!(
			result,
			Ok(PostDispatchInfo {
				actual_weight: Some(<() as WeightInfo>::payout_page(3)),
				pays_fee: frame_support::dispatch::Pays::Yes,
			})
		);
		assert_eq!(PointsOf::<Test>::iter_prefix(0).count(), 2, "a page pays at most 3");
		let paid: u64 = (1..=5).map(balance).sum();
		assert!(paid > 0 && paid < EMISSION);
		events();
		let result = Rewards::payout_page(RuntimeOrigin::signed(9), 0);
		assert_eq!(result.unwrap().actual_weight, Some(<() as WeightInfo>::payout_page(2)));
		assert_eq!(PointsOf::<Test>::iter_prefix(0).count(), 0);
		let expected = [66_666, 133_333, 200_000, 266_666, 333_333];
		for (who, amount) in (1..=5).zip(expected) {
			assert_eq!(balance(who), amount, "provider {who}");
		}
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: 999_998, unminted: 2 }.into(),
		);
		assert_eq!(EpochBudget::<Test>::get(0), None);
		assert_eq!(TotalUnminted::<Test>::get(), 2);
		// Nothing left: the epoch is settled.
		assert_noop!(
			Rewards::payout_page(RuntimeOrigin::signed(9), 0),
			Error::<Test>::UnknownEpoch
		);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(1), 0),
			Error::<Test>::UnknownEpoch
		);
	});
}

#[test]
fn claim_after_payout_fails() {
	ExtBuilder::default().with_max_payouts(2).build_and_execute(|| {
		providers_closed(3);
		assert_ok!(Rewards::payout_page(RuntimeOrigin::signed(9), 0));
		let paid: Vec<u64> = (1..=3).filter(|w| balance(*w) > 0).collect();
		assert_eq!(paid.len(), 2);
		for who in paid {
			assert_noop!(
				Rewards::claim_rewards(RuntimeOrigin::signed(who), 0),
				Error::<Test>::NothingToClaim
			);
		}
	});
}

#[test]
fn claims_and_pages_mix() {
	ExtBuilder::default().with_max_payouts(3).build_and_execute(|| {
		providers_closed(4);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(4), 0));
		assert_eq!(balance(4), 400_000);
		assert_ok!(Rewards::payout_page(RuntimeOrigin::signed(9), 0));
		assert_eq!(
			(1..=4).map(balance).collect::<Vec<_>>(),
			vec![100_000, 200_000, 300_000, 400_000]
		);
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: EMISSION, unminted: 0 }.into(),
		);
	});
}

#[test]
fn payout_page_fails_when_epoch_not_closed() {
	ExtBuilder::default().build_and_execute(|| {
		jobs(provision(1, Tier::TidePool), 1);
		assert_noop!(
			Rewards::payout_page(RuntimeOrigin::signed(9), 0),
			Error::<Test>::EpochNotClosed
		);
	});
}

#[test]
fn payout_page_fails_when_epoch_unknown() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_epoch(1);
		assert_noop!(
			Rewards::payout_page(RuntimeOrigin::signed(9), 0),
			Error::<Test>::UnknownEpoch
		);
	});
}

#[test]
fn payout_page_fails_when_nothing_left() {
	ExtBuilder::default().build_and_execute(|| {
		providers_closed(1);
		// Corrupt on purpose: a budget whose entries are gone.
		PointsOf::<Test>::remove(0, 1);
		assert_noop!(
			Rewards::payout_page(RuntimeOrigin::signed(9), 0),
			Error::<Test>::NothingToClaim
		);
		PointsOf::<Test>::insert(0, 1, 1_000);
	});
}

#[test]
fn payout_page_reaps_expired_epochs_without_paying() {
	ExtBuilder::default().with_claim_window(1).with_max_payouts(2).build_and_execute(|| {
		providers_closed(3);
		run_to_epoch(2);
		events();
		assert_ok!(Rewards::payout_page(RuntimeOrigin::signed(9), 0));
		assert_eq!(events(), vec![Event::<Test>::ExpiredPointsReaped { epoch: 0, providers: 2 }]);
		assert_ok!(Rewards::payout_page(RuntimeOrigin::signed(9), 0));
		System::assert_last_event(
			Event::<Test>::EpochSettled { epoch: 0, paid: 0, unminted: EMISSION }.into(),
		);
		assert_eq!((1..=3).map(balance).sum::<u64>(), 0);
		assert_eq!(Balances::total_issuance(), 0);
	});
}

#[test]
fn payout_page_requires_a_signed_origin() {
	ExtBuilder::default().build_and_execute(|| {
		providers_closed(1);
		assert_noop!(
			Rewards::payout_page(RuntimeOrigin::none(), 0),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
