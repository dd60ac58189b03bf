//! The escrow lifecycle through [`crate::JobBilling`], driven as the matching pallet would.

use super::mock::*;
use crate::{Admission, Error, EscrowPart, Event, Funding, PlatformFee, TotalEscrowed, USD};
use cxmpute_primitives::{JobBilling, ServiceKind};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Permill;

const C: ServiceKind = ServiceKind::Container;

fn ext() -> ExtBuilder {
	ExtBuilder::default().with_credits(ALICE, 100 * USD).with_credits(TREASURY, 50 * USD)
}

#[test]
fn admit_escrows_from_credits() {
	ext().build_and_execute(|| {
		let adm = admit(1, ALICE, C, 10 * USD, 0).unwrap();
		assert_eq!(adm, Admission { payer: ALICE, subscribed: false });
		System::assert_last_event(
			Event::EscrowOpened {
				job: 1,
				payer: ALICE,
				api_key: None,
				service: C,
				amount: 10 * USD,
				subscribed: false,
			}
			.into(),
		);
		assert_eq!(credits(ALICE), 90 * USD);
		assert_eq!(escrowed(1, EscrowPart::Payer), 10 * USD);
		assert_eq!(escrowed(1, EscrowPart::Treasury), 0);
		assert_eq!(TotalEscrowed::<Test>::get(), 10 * USD);
		let e = Billing::escrow_of(1).unwrap();
		assert_eq!(e.funding, Funding::Credits);
		assert_eq!(e.payer_in, 10 * USD);
		// A zero escrow is allowed (the job may be paid from a top-up or the treasury).
		assert_ok!(admit(2, ALICE, C, 0, 0));
		assert_eq!(escrowed(2, EscrowPart::Payer), 0);
	});
}

#[test]
fn admit_fails_on_bad_input() {
	ext().build_and_execute(|| {
		assert_noop!(admit(1, ALICE, C, 100 * USD + 1, 0), Error::<Test>::InsufficientCredits);
		assert_noop!(admit(1, CHARLIE, C, 1, 0), Error::<Test>::InsufficientCredits);
		assert_ok!(admit(1, ALICE, C, 1, 0));
		assert_noop!(admit(1, ALICE, C, 1, 0), Error::<Test>::EscrowExists);
	});
}

#[test]
fn pay_splits_the_platform_fee_rounding_up() {
	ext().build_and_execute(|| {
		assert_ok!(admit(1, ALICE, C, 10 * USD, 0));
		// Table: (amount, fee, provider gets), 5% fee rounded up.
		let cases: [(u128, u128, u128, &str); 4] = [
			(1_000_001, 50_001, 950_000, "fee 50,000.05 rounds up"),
			(1, 1, 0, "a tiny payment is all fee"),
			(19, 1, 18, "0.95 rounds up to 1"),
			(20, 1, 19, "exact"),
		];
		let mut treasury = credits(TREASURY);
		let mut provider = 0;
		for (amount, fee, net, desc) in cases {
			assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, amount));
			System::assert_last_event(
				Event::Paid { job: 1, part: EscrowPart::Payer, provider: PROVIDER, amount, fee }
					.into(),
			);
			treasury += fee;
			provider += net;
			assert_eq!(credits(TREASURY), treasury, "{desc}");
			assert_eq!(credits(PROVIDER), provider, "{desc}");
		}
		assert_eq!(escrowed(1, EscrowPart::Payer), 10 * USD - 1_000_041);
	});
}

#[test]
fn pay_follows_the_platform_fee() {
	ext().build_and_execute(|| {
		assert_ok!(Billing::set_platform_fee(RuntimeOrigin::root(), Permill::zero()));
		assert_ok!(admit(1, ALICE, C, 10 * USD, 0));
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, 3 * USD));
		assert_eq!(credits(PROVIDER), 3 * USD);
		assert_ok!(Billing::set_platform_fee(RuntimeOrigin::root(), Permill::from_percent(100)));
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, USD));
		assert_eq!(credits(PROVIDER), 3 * USD);
		assert_eq!(PlatformFee::<Test>::get(), Permill::from_percent(100));
	});
}

#[test]
fn pay_fails_without_paying() {
	ext().build_and_execute(|| {
		assert_noop!(pay(1, EscrowPart::Payer, PROVIDER, 1), Error::<Test>::UnknownEscrow);
		assert_ok!(admit(1, ALICE, C, 10 * USD, 0));
		assert_noop!(
			pay(1, EscrowPart::Payer, PROVIDER, 10 * USD + 1),
			Error::<Test>::InsufficientEscrow
		);
		assert_noop!(pay(1, EscrowPart::Treasury, PROVIDER, 1), Error::<Test>::InsufficientEscrow);
		// Zero pays nothing and succeeds.
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, 0));
		assert_eq!(escrowed(1, EscrowPart::Payer), 10 * USD);
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, 10 * USD));
		assert_eq!(escrowed(1, EscrowPart::Payer), 0);
	});
}

#[test]
fn top_up_adds_from_credits() {
	ext().build_and_execute(|| {
		assert_ok!(admit(1, ALICE, ServiceKind::Rental, 10 * USD, 0));
		assert_ok!(top_up(1, 5 * USD));
		System::assert_last_event(Event::EscrowToppedUp { job: 1, amount: 5 * USD }.into());
		assert_eq!(escrowed(1, EscrowPart::Payer), 15 * USD);
		assert_eq!(credits(ALICE), 85 * USD);
		assert_noop!(top_up(1, 85 * USD + 1), Error::<Test>::InsufficientCredits);
		assert_noop!(top_up(2, 1), Error::<Test>::UnknownEscrow);
		assert_ok!(top_up(1, 0));
		assert_eq!(escrowed(1, EscrowPart::Payer), 15 * USD);
	});
}

#[test]
fn fund_from_treasury_adds_the_treasury_part() {
	ext().build_and_execute(|| {
		assert_ok!(admit(1, ALICE, C, 10 * USD, 0));
		assert_ok!(fund(1, 5 * USD));
		System::assert_last_event(Event::TreasuryFunded { job: 1, amount: 5 * USD }.into());
		assert_eq!(escrowed(1, EscrowPart::Treasury), 5 * USD);
		assert_eq!(credits(TREASURY), 45 * USD);
		assert_noop!(fund(1, 45 * USD + 1), Error::<Test>::InsufficientTreasuryCredits);
		assert_noop!(fund(2, 1), Error::<Test>::UnknownEscrow);
		assert_ok!(pay(1, EscrowPart::Treasury, PROVIDER, 2 * USD));
		assert_eq!(escrowed(1, EscrowPart::Treasury), 3 * USD);
		// The fee goes back to the treasury's credits.
		assert_eq!(credits(TREASURY), 45 * USD + 100_000);
		assert_eq!(credits(PROVIDER), 2 * USD - 100_000);
	});
}

#[test]
fn close_refunds_each_part_to_its_source() {
	ext().build_and_execute(|| {
		assert_ok!(admit(1, ALICE, C, 10 * USD, 0));
		assert_ok!(fund(1, 5 * USD));
		assert_ok!(pay(1, EscrowPart::Payer, PROVIDER, 4 * USD));
		assert_ok!(pay(1, EscrowPart::Treasury, PROVIDER, USD));
		let treasury = credits(TREASURY);
		assert_eq!(close(1, C, 0), Ok(6 * USD));
		System::assert_last_event(
			Event::EscrowClosed { job: 1, refunded: 6 * USD, treasury_refunded: 4 * USD }.into(),
		);
		assert_eq!(credits(ALICE), 96 * USD);
		assert_eq!(credits(TREASURY), treasury + 4 * USD);
		assert_eq!(TotalEscrowed::<Test>::get(), 0);
		assert!(Billing::escrow_of(1).is_none());
		assert_eq!(escrowed(1, EscrowPart::Payer), 0);
		assert_noop!(close(1, C, 0), Error::<Test>::UnknownEscrow);
		// Everything is accounted for: ALICE's 10 = 4 paid + 6 refunded.
		assert_eq!(credits(PROVIDER) + credits(TREASURY) + credits(ALICE), 150 * USD);
	});
}

#[test]
fn close_uses_the_admitted_service() {
	ext().build_and_execute(|| {
		assert_ok!(admit(1, ALICE, C, USD, 0));
		assert_eq!(close(1, ServiceKind::WebScraping, 0), Ok(USD));
		assert_eq!(Billing::usage_of(ALICE, 0, C).jobs, 1);
		assert_eq!(Billing::usage_of(ALICE, 0, ServiceKind::WebScraping).jobs, 0);
	});
}

#[test]
fn spot_discount_is_settable() {
	ext().build_and_execute(|| {
		assert_eq!(<Billing as JobBilling<AccountId>>::spot_discount(), Permill::from_percent(70));
		assert_ok!(Billing::set_spot_discount(RuntimeOrigin::root(), Permill::from_percent(50)));
		System::assert_last_event(
			Event::SpotDiscountSet { discount: Permill::from_percent(50) }.into(),
		);
		assert_eq!(<Billing as JobBilling<AccountId>>::spot_discount(), Permill::from_percent(50));
		assert_noop!(
			Billing::set_spot_discount(RuntimeOrigin::signed(ALICE), Permill::zero()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Billing::set_platform_fee(RuntimeOrigin::signed(ALICE), Permill::zero()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_eq!(Billing::fees(), (Permill::from_percent(5), Permill::from_percent(50)));
	});
}
