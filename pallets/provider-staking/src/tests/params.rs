//! Root parameters and genesis: `set_min_stake`, `set_harmed_share`.

use super::mock::*;
use crate::{Event, HarmedShare, MinStakeOf, Tier};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill};

#[test]
fn genesis_sets_parameters() {
	ExtBuilder::default().with_harmed_share(Perbill::from_percent(30)).build_and_execute(|| {
		for (tier, min) in Tier::ALL.iter().zip(MIN_STAKES) {
			assert_eq!(MinStakeOf::<Test>::get(tier), min);
		}
		assert_eq!(HarmedShare::<Test>::get(), Perbill::from_percent(30));
	});
}

#[test]
fn harmed_share_defaults_to_half() {
	ExtBuilder::default().build_and_execute(|| {
		HarmedShare::<Test>::kill();
		assert_eq!(HarmedShare::<Test>::get(), Perbill::from_percent(50));
		assert_eq!(crate::GenesisConfig::<Test>::default().harmed_share, Perbill::from_percent(50));
	});
}

#[test]
fn set_min_stake_works() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::set_min_stake(RuntimeOrigin::root(), Tier::OpenOcean, 42));
		System::assert_last_event(Event::MinStakeSet { tier: Tier::OpenOcean, amount: 42 }.into());
		assert_eq!(MinStakeOf::<Test>::get(Tier::OpenOcean), 42);
	});
}

#[test]
fn set_min_stake_fails_when_not_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::set_min_stake(RuntimeOrigin::signed(1), Tier::OpenOcean, 42),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_harmed_share_works() {
	ExtBuilder::default().build_and_execute(|| {
		let share = Perbill::from_percent(80);
		assert_ok!(Staking::set_harmed_share(RuntimeOrigin::root(), share));
		System::assert_last_event(Event::HarmedShareSet { share }.into());
		assert_eq!(HarmedShare::<Test>::get(), share);
	});
}

#[test]
fn set_harmed_share_fails_when_not_root() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::set_harmed_share(RuntimeOrigin::signed(1), Perbill::one()),
			DispatchError::BadOrigin
		);
	});
}
