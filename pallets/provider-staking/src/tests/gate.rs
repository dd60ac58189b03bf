//! The stake gate and the view functions.

use super::mock::*;
use crate::{StakeGate, Tier};
use frame_support::assert_ok;

fn gate(who: AccountId, tier: Tier) -> bool {
	<Staking as StakeGate<AccountId>>::can_run(&who, tier)
}

#[test]
fn gate_refuses_unbonded_provider() {
	ExtBuilder::default().build_and_execute(|| {
		for tier in Tier::ALL {
			assert!(!gate(1, tier));
		}
	});
}

#[test]
fn gate_follows_tier_minimums() {
	ExtBuilder::default().build_and_execute(|| {
		bond(1, MIN_STAKES[1]);
		assert!(gate(1, Tier::TidePool));
		assert!(gate(1, Tier::BlueSurge));
		assert!(!gate(1, Tier::OpenOcean));
		assert!(!gate(1, Tier::MarianaDepth));
		bond(1, MIN_STAKES[3] - MIN_STAKES[1]);
		assert!(Tier::ALL.iter().all(|t| gate(1, *t)));
		// Unbonding stake no longer counts.
		unbond(1, 1);
		assert!(!gate(1, Tier::MarianaDepth));
	});
}

#[test]
fn gate_needs_active_stake_even_with_zero_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::set_min_stake(RuntimeOrigin::root(), Tier::TidePool, 0));
		bond(1, 100);
		assert!(gate(1, Tier::TidePool));
		unbond(1, 100);
		assert!(!gate(1, Tier::TidePool));
	});
}

#[test]
fn view_functions_work() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Staking::ledger(1), None);
		bond(1, 600);
		unbond(1, 100);
		let ledger = Staking::ledger(1).expect("bonded");
		assert_eq!(ledger.active, 500);
		assert_eq!(ledger.total(), Some(600));
		assert!(Staking::can_run(1, Tier::OpenOcean));
		assert!(!Staking::can_run(1, Tier::MarianaDepth));
	});
}
