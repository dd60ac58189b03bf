//! Usage statistics per (payer, day, service) and per (day, service).

use super::mock::*;
use crate::{EscrowPart, NetworkCounters, UsageCounters, USD};
use cxmpute_primitives::ServiceKind;
use frame_support::assert_ok;

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
