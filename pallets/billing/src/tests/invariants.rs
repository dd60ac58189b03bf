//! Property tests: random sequences of deposits, withdrawals, subscriptions and the matching
//! pallet's admit / top-up / fund / pay / close keep the money conserved, keep `try_state`,
//! and account for every unit of every escrow (escrowed = paid + refunded).

use super::mock::*;
use crate::{EscrowPart, Event, Plan, StableTotals, SubscriptionPool, TotalEscrowed, USD};
use cxmpute_primitives::ServiceKind;
use frame_support::assert_ok;
use proptest::prelude::*;
use sp_arithmetic::Permill;
use std::collections::BTreeMap;

const CASES: u32 = 500;
const USERS: [AccountId; 3] = [ALICE, BOB, CHARLIE];
/// Every account that ever holds credits or the stable asset.
const HOLDERS: [AccountId; 7] = [ALICE, BOB, CHARLIE, TREASURY, PROVIDER, KEY, KEY2];

#[derive(Clone, Debug)]
enum Action {
	Deposit { who: usize, amount: u128 },
	Withdraw { who: usize, amount: u128 },
	Subscribe { who: usize, plan: usize, auto_renew: bool },
	Admit { signer: usize, service: ServiceKind, escrow: u128, max_tokens: u64 },
	TopUp { pick: usize, amount: u128 },
	Fund { pick: usize, amount: u128 },
	Pay { pick: usize, treasury: bool, amount: u128 },
	Close { pick: usize, tokens: u64 },
	Advance { blocks: u64 },
	SetFee { percent: u32 },
}

fn user() -> impl Strategy<Value = usize> {
	0..USERS.len()
}

/// Signers: the users, or KEY (ALICE's key).
fn signer() -> impl Strategy<Value = usize> {
	0..=USERS.len()
}

fn amount() -> impl Strategy<Value = u128> {
	prop_oneof![0u128..=20, 0u128..=30 * USD]
}

fn service() -> impl Strategy<Value = ServiceKind> {
	prop::sample::select(ServiceKind::ALL.to_vec())
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		2 => (user(), amount()).prop_map(|(who, amount)| Action::Deposit { who, amount }),
		1 => (user(), amount()).prop_map(|(who, amount)| Action::Withdraw { who, amount }),
		1 => (user(), 0usize..3, any::<bool>())
			.prop_map(|(who, plan, auto_renew)| Action::Subscribe { who, plan, auto_renew }),
		4 => (signer(), service(), amount(), 0u64..30_000_000).prop_map(
			|(signer, service, escrow, max_tokens)| Action::Admit { signer, service, escrow, max_tokens }
		),
		1 => (any::<usize>(), amount()).prop_map(|(pick, amount)| Action::TopUp { pick, amount }),
		1 => (any::<usize>(), amount()).prop_map(|(pick, amount)| Action::Fund { pick, amount }),
		4 => (any::<usize>(), any::<bool>(), amount())
			.prop_map(|(pick, treasury, amount)| Action::Pay { pick, treasury, amount }),
		2 => (any::<usize>(), 0u64..30_000_000).prop_map(|(pick, tokens)| Action::Close { pick, tokens }),
		1 => (1u64..600).prop_map(|blocks| Action::Advance { blocks }),
		1 => (0u32..=100).prop_map(|percent| Action::SetFee { percent }),
	]
}

/// Per job, from the events: (put in, paid out, refunded).
type Ledger = BTreeMap<u64, (u128, u128, u128)>;

fn absorb(ledger: &mut Ledger, provider_net: &mut u128) {
	for event in events_since_last_call() {
		match event {
			Event::EscrowOpened { job, amount, .. } => {
				assert!(ledger.insert(job, (amount, 0, 0)).is_none(), "job admitted twice");
			},
			Event::EscrowToppedUp { job, amount } | Event::TreasuryFunded { job, amount } => {
				ledger.get_mut(&job).expect("open job").0 += amount;
			},
			Event::Paid { job, amount, fee, provider, .. } => {
				assert_eq!(provider, PROVIDER);
				assert!(fee <= amount);
				// The platform rounds up: the provider never gets more than the exact share.
				assert_eq!(fee, PlatformFeeSeen::get().mul_ceil(amount), "fee not rounded up");
				*provider_net += amount - fee;
				ledger.get_mut(&job).expect("open job").1 += amount;
			},
			Event::EscrowClosed { job, refunded, treasury_refunded } => {
				ledger.get_mut(&job).expect("open job").2 += refunded + treasury_refunded;
			},
			_ => {},
		}
	}
}

frame_support::parameter_types! {
	static PlatformFeeSeen: Permill = Permill::from_percent(5);
}

fn stable_supply() -> u128 {
	HOLDERS.iter().map(|h| bal(*h)).sum::<u128>() + bal(pallet_account())
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	#[test]
	fn money_is_conserved(actions in prop::collection::vec(action(), 1..60)) {
		ExtBuilder::default()
			.with_credits(ALICE, 50 * USD)
			.with_credits(BOB, 50 * USD)
			.with_credits(TREASURY, 20 * USD)
			.build_and_execute(|| {
				PlatformFeeSeen::set(Permill::from_percent(5));
				assert_ok!(Billing::register_api_key(
					RuntimeOrigin::signed(ALICE),
					KEY,
					vec![ServiceKind::Inference, ServiceKind::Container],
					40 * USD,
				));
				let supply = stable_supply();
				let mut ledger = Ledger::new();
				let mut open: Vec<u64> = Vec::new();
				let mut next_job = 0u64;
				let mut provider_net = 0u128;
				events_since_last_call();
				for action in actions {
					match action {
						Action::Deposit { who, amount } => {
							let _ = Billing::deposit(RuntimeOrigin::signed(USERS[who]), amount);
						},
						Action::Withdraw { who, amount } => {
							let _ = Billing::withdraw(RuntimeOrigin::signed(USERS[who]), amount);
						},
						Action::Subscribe { who, plan, auto_renew } => {
							let _ = Billing::subscribe(
								RuntimeOrigin::signed(USERS[who]),
								Plan::PUBLIC[plan],
								auto_renew,
							);
						},
						Action::Admit { signer, service, escrow, max_tokens } => {
							let who = if signer == USERS.len() { KEY } else { USERS[signer] };
							if admit(next_job, who, service, escrow, max_tokens).is_ok() {
								open.push(next_job);
							}
							next_job += 1;
						},
						Action::TopUp { pick, amount } if !open.is_empty() => {
							let _ = top_up(open[pick % open.len()], amount);
						},
						Action::Fund { pick, amount } if !open.is_empty() => {
							let _ = fund(open[pick % open.len()], amount);
						},
						Action::Pay { pick, treasury, amount } if !open.is_empty() => {
							let job = open[pick % open.len()];
							let part = if treasury { EscrowPart::Treasury } else { EscrowPart::Payer };
							let before = escrowed(job, part);
							let res = pay(job, part, PROVIDER, amount);
							assert_eq!(res.is_ok(), amount <= before, "pays iff the part holds enough");
						},
						Action::Close { pick, tokens } if !open.is_empty() => {
							let job = open.remove(pick % open.len());
							let refund = close(job, ServiceKind::Inference, tokens).expect("open job closes");
							assert!(refund <= ledger[&job].0);
						},
						Action::Advance { blocks } => run_to_block(System::block_number() + blocks),
						Action::SetFee { percent } => {
							let fee = Permill::from_percent(percent);
							assert_ok!(Billing::set_platform_fee(RuntimeOrigin::root(), fee));
							PlatformFeeSeen::set(fee);
						},
						_ => {},
					}
					absorb(&mut ledger, &mut provider_net);
					Billing::do_try_state().expect("invariants hold after every step");
					// Stable asset only moves between holders and the pallet account.
					assert_eq!(stable_supply(), supply);
					let totals = StableTotals::<Test>::get();
					let credits_sum: u128 = HOLDERS.iter().map(|h| credits(*h)).sum();
					assert_eq!(
						credits_sum + TotalEscrowed::<Test>::get() + SubscriptionPool::<Test>::get(),
						totals.deposited - totals.withdrawn,
					);
					assert_eq!(bal(pallet_account()), totals.deposited - totals.withdrawn);
					assert_eq!(credits(PROVIDER), provider_net, "the provider got the net of every payment");
					for (job, (put_in, paid, refunded)) in &ledger {
						let left = escrowed(*job, EscrowPart::Payer) + escrowed(*job, EscrowPart::Treasury);
						assert_eq!(*put_in, paid + refunded + left, "job {job} unaccounted");
						if !open.contains(job) {
							assert_eq!(left, 0);
						}
					}
				}
			});
	}
}
