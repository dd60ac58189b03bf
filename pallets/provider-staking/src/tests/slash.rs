//! `ProviderSlashing::slash`: order, split, rounding, fallbacks and conservation.

use super::mock::*;
use crate::{Event, LedgerOf, ProviderSlashing, SlashReason, StakeGate, Tier, TotalStaked};
use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_runtime::Perbill;

fn slash(who: AccountId, amount: Balance, harmed: Option<AccountId>) -> Balance {
	<Staking as ProviderSlashing<AccountId, Balance>>::slash(
		&who,
		amount,
		harmed.as_ref(),
		SlashReason::JobFailed,
	)
}

fn issuance() -> Balance {
	<Balances as Inspect<AccountId>>::total_issuance()
}

#[test]
fn slash_splits_between_harmed_and_treasury() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		let before = issuance();
		assert_eq!(slash(1, 101, Some(2)), 101);
		// 50% of 101 rounded down to the harmed account, the rest to the treasury.
		System::assert_last_event(
			Event::Slashed {
				provider: 1,
				amount: 101,
				to_harmed: 50,
				to_treasury: 51,
				reason: SlashReason::JobFailed,
			}
			.into(),
		);
		assert_eq!(free(2), ENDOWMENT + 50);
		assert_eq!(free(TREASURY), ED + 51);
		assert_eq!(active(1), 899);
		assert_eq!(held(1), 899);
		assert_eq!(free(1), ENDOWMENT - 1_000);
		assert_eq!(TotalStaked::<Test>::get(), 899);
		assert_eq!(issuance(), before);
	});
}

#[test]
fn slash_rounds_harmed_share_down() {
	ExtBuilder::default().with_harmed_share(Perbill::from_percent(33)).build_and_execute(|| {
		bond(1, 1_000);
		assert_eq!(slash(1, 10, Some(2)), 10);
		assert_eq!(
			events().last(),
			Some(&Event::Slashed {
				provider: 1,
				amount: 10,
				to_harmed: 3,
				to_treasury: 7,
				reason: SlashReason::JobFailed,
			})
		);
		assert_eq!(free(2), ENDOWMENT + 3);
		assert_eq!(free(TREASURY), ED + 7);
	});
}

#[test]
fn slash_with_full_and_zero_harmed_share() {
	ExtBuilder::default().with_harmed_share(Perbill::one()).build_and_execute(|| {
		bond(1, 1_000);
		assert_eq!(slash(1, 100, Some(2)), 100);
		assert_eq!(free(2), ENDOWMENT + 100);
		assert_eq!(free(TREASURY), ED);
		assert_ok!(Staking::set_harmed_share(RuntimeOrigin::root(), Perbill::zero()));
		assert_eq!(slash(1, 100, Some(2)), 100);
		assert_eq!(free(2), ENDOWMENT + 100);
		assert_eq!(free(TREASURY), ED + 100);
		assert_eq!(active(1), 800);
	});
}

#[test]
fn slash_takes_active_then_newest_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 300);
		run_to_block(3);
		unbond(1, 200);
		assert_eq!(chunks(1), vec![(300, 11), (200, 13)]);
		assert_eq!(slash(1, 650, Some(2)), 650);
		assert_eq!(active(1), 0);
		assert_eq!(chunks(1), vec![(300, 11), (50, 13)]);
		assert_eq!(held(1), 350);
		assert_eq!(slash(1, 100, None), 100);
		assert_eq!(chunks(1), vec![(250, 11)]);
		assert_eq!(held(1), 250);
		assert_eq!(TotalStaked::<Test>::get(), 250);
		// What is left still unlocks as scheduled.
		run_to_block(11);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(LedgerOf::<Test>::get(1).is_none());
	});
}

#[test]
fn slash_more_than_staked_takes_everything() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		unbond(1, 400);
		let before = issuance();
		assert_eq!(slash(1, 5_000, Some(2)), 1_000);
		System::assert_last_event(
			Event::Slashed {
				provider: 1,
				amount: 1_000,
				to_harmed: 500,
				to_treasury: 500,
				reason: SlashReason::JobFailed,
			}
			.into(),
		);
		assert!(LedgerOf::<Test>::get(1).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(free(1), ENDOWMENT - 1_000);
		assert_eq!(TotalStaked::<Test>::get(), 0);
		assert_eq!(issuance(), before);
		// Nothing left to slash.
		assert_eq!(slash(1, 1, Some(2)), 0);
	});
}

#[test]
fn slash_without_harmed_pays_treasury() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_eq!(slash(1, 100, None), 100);
		System::assert_last_event(
			Event::Slashed {
				provider: 1,
				amount: 100,
				to_harmed: 0,
				to_treasury: 100,
				reason: SlashReason::JobFailed,
			}
			.into(),
		);
		assert_eq!(free(TREASURY), ED + 100);
	});
}

#[test]
fn slash_falls_back_to_treasury_when_harmed_cannot_receive() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		let before = issuance();
		// Account 50 does not exist and 5 is below the existential deposit.
		assert_eq!(slash(1, 10, Some(50)), 10);
		assert_eq!(
			events().last(),
			Some(&Event::Slashed {
				provider: 1,
				amount: 10,
				to_harmed: 0,
				to_treasury: 10,
				reason: SlashReason::JobFailed,
			})
		);
		assert_eq!(free(50), 0);
		assert_eq!(free(TREASURY), ED + 10);
		// A share of at least the existential deposit creates the account.
		assert_eq!(slash(1, 2 * ED, Some(50)), 2 * ED);
		assert_eq!(free(50), ED);
		assert_eq!(issuance(), before);
	});
}

#[test]
fn slash_never_pays_the_provider_itself() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, 1_000);
		assert_eq!(slash(1, 100, Some(1)), 100);
		assert_eq!(free(1), ENDOWMENT - 1_000);
		assert_eq!(free(TREASURY), ED + 100);
	});
}

#[test]
fn slash_keeps_what_the_treasury_cannot_receive() {
	ExtBuilder::default().with_unfunded_treasury().build_and_execute(|| {
		bond(1, 1_000);
		events();
		let before = issuance();
		// The treasury does not exist and 8 is below the existential deposit: nothing moves.
		assert_eq!(slash(1, 8, None), 0);
		assert!(events().is_empty());
		assert_eq!(active(1), 1_000);
		assert_eq!(held(1), 1_000);
		// The harmed account gets its share; the treasury's part stays bonded.
		assert_eq!(slash(1, 8, Some(2)), 4);
		System::assert_last_event(
			Event::Slashed {
				provider: 1,
				amount: 4,
				to_harmed: 4,
				to_treasury: 0,
				reason: SlashReason::JobFailed,
			}
			.into(),
		);
		assert_eq!(active(1), 996);
		assert_eq!(held(1), 996);
		assert_eq!(free(2), ENDOWMENT + 4);
		assert_eq!(free(TREASURY), 0);
		assert_eq!(issuance(), before);
		// Enough to create the treasury account goes through.
		assert_eq!(slash(1, 2 * ED, None), 2 * ED);
		assert_eq!(free(TREASURY), 2 * ED);
		assert_eq!(issuance(), before);
	});
}

#[test]
fn slash_of_nothing_does_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(slash(1, 100, Some(2)), 0);
		bond(1, 1_000);
		events();
		assert_eq!(slash(1, 0, Some(2)), 0);
		assert!(events().iter().all(|e| !matches!(e, Event::Slashed { .. })));
		assert_eq!(active(1), 1_000);
	});
}

#[test]
fn slash_conserves_issuance_over_many_slashes() {
	ExtBuilder::default().with_harmed_share(Perbill::from_percent(37)).build_and_execute(|| {
		bond(1, 5_000);
		bond(2, 3_000);
		unbond(1, 1_000);
		let before = issuance();
		let total_before = free(1) + held(1) + free(2) + held(2) + free(3) + free(TREASURY);
		let mut slashed = 0;
		for (i, amount) in [1u64, 7, 13, 99, 1_000, 2_345, 3].iter().enumerate() {
			let harmed = if i % 2 == 0 { Some(3) } else { None };
			slashed += slash(1 + (i as u64 % 2), *amount, harmed);
		}
		assert_eq!(issuance(), before);
		assert_eq!(free(1) + held(1) + free(2) + held(2) + free(3) + free(TREASURY), total_before);
		assert_eq!(TotalStaked::<Test>::get(), 8_000 - slashed);
	});
}

#[test]
fn slash_below_tier_minimum_closes_the_gate() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, MIN_STAKES[2]);
		set_active_tier(1, Some(Tier::OpenOcean));
		assert!(<Staking as StakeGate<AccountId>>::can_run(&1, Tier::OpenOcean));
		assert_eq!(slash(1, 1, Some(2)), 1);
		assert!(!<Staking as StakeGate<AccountId>>::can_run(&1, Tier::OpenOcean));
		assert!(<Staking as StakeGate<AccountId>>::can_run(&1, Tier::BlueSurge));
	});
}
