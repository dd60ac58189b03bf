//! Property tests over random job, block, claim and payout sequences.

use super::mock::*;
use crate::{Event, JobUsage, ServiceKind, Tier};
use alloc::collections::btree_map::BTreeMap;
use proptest::prelude::*;
use sp_arithmetic::{Perbill, Permill};

const CASES: u32 = 300;

/// One step of a scenario.
#[derive(Clone, Debug)]
enum Action {
	/// A completed job of provider `provider`'s provision.
	Job { provider: u64, service: ServiceKind, usage: JobUsage },
	/// Measured health of a provider's provision.
	Health { provider: u64, uptime: u32, latency: u32 },
	/// Network utilisation from now on.
	Utilisation(Option<u32>),
	/// Advance this many blocks.
	Advance(u64),
	/// A provider claims an epoch.
	Claim { provider: u64, epoch: u32 },
	/// Anyone pays a page of an epoch.
	Page { epoch: u32 },
}

fn provider() -> impl Strategy<Value = u64> {
	1u64..=6
}

fn service() -> impl Strategy<Value = ServiceKind> {
	prop::sample::select(ServiceKind::ALL.to_vec())
}

fn usage() -> impl Strategy<Value = JobUsage> {
	(0u64..5_000, 0u64..5_000, 0u32..20, 0u32..400).prop_map(|(i, o, pages, secs)| JobUsage {
		input_tokens: i,
		output_tokens: o,
		compute_ms: 0,
		pages,
		audio_seconds: secs,
	})
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		6 => (provider(), service(), usage())
			.prop_map(|(provider, service, usage)| Action::Job { provider, service, usage }),
		1 => (provider(), 0u32..=1_000_000, 0u32..3_000)
			.prop_map(|(provider, uptime, latency)| Action::Health { provider, uptime, latency }),
		1 => prop::option::of(0u32..=100).prop_map(Action::Utilisation),
		2 => (1u64..12).prop_map(Action::Advance),
		2 => (provider(), 0u32..5).prop_map(|(provider, epoch)| Action::Claim { provider, epoch }),
		2 => (0u32..5).prop_map(|epoch| Action::Page { epoch }),
	]
}

fn tier_of(provider: u64) -> Tier {
	Tier::ALL[(provider % 4) as usize]
}

/// What the events say happened.
#[derive(Default)]
struct Ledger {
	/// Points awarded per (epoch, provider).
	points: BTreeMap<(u32, u64), u128>,
	/// Closed epochs: (total points, budget).
	closed: BTreeMap<u32, (u128, u64)>,
	/// Paid per (epoch, provider), and how many times.
	paid: BTreeMap<(u32, u64), (u64, u32)>,
}

impl Ledger {
	fn absorb(&mut self) {
		for event in events() {
			match event {
				Event::PointsAwarded { epoch, provider, points, .. } => {
					*self.points.entry((epoch, provider)).or_default() += points
				},
				Event::EpochClosed { epoch, total_points, budget } => {
					self.closed.insert(epoch, (total_points, budget));
				},
				Event::RewardsPaid { epoch, provider, points, amount } => {
					assert_eq!(
						self.points.get(&(epoch, provider)),
						Some(&points),
						"paid its points"
					);
					let e = self.paid.entry((epoch, provider)).or_default();
					e.0 += amount;
					e.1 += 1;
				},
				_ => {},
			}
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(CASES))]

	/// Minted total never exceeds the sum of budgets; nobody gets more than its pro-rata
	/// share or is paid twice; shares of an epoch never exceed its budget.
	#[test]
	fn payouts_never_exceed_budgets_or_shares(
		actions in prop::collection::vec(action(), 1..60),
		max_payouts in 1u32..4,
		claim_window in 0u32..3,
	) {
		ExtBuilder::default()
			.with_max_payouts(max_payouts)
			.with_claim_window(claim_window)
			.build_and_execute(|| {
				let mut ledger = Ledger::default();
				events();
				for action in actions {
					match action {
						Action::Job { provider: p, service, usage } => {
							let id = provision(p, tier_of(p));
							job(id, service, usage);
						},
						Action::Health { provider: p, uptime, latency } => {
							let id = provision(p, tier_of(p));
							set_health(id, Permill::from_parts(uptime), latency);
						},
						Action::Utilisation(u) => Utilisation::set(u.map(Perbill::from_percent)),
						Action::Advance(n) => run_to_block(System::block_number() + n),
						Action::Claim { provider: p, epoch } => {
							let _ = Rewards::claim_rewards(RuntimeOrigin::signed(p), epoch);
						},
						Action::Page { epoch } => {
							let _ = Rewards::payout_page(RuntimeOrigin::signed(99), epoch);
						},
					}
					ledger.absorb();
					Rewards::do_try_state().expect("invariants hold after every step");
				}
				let budgets: u64 = ledger.closed.values().map(|(_, b)| *b).sum();
				assert!(Balances::total_issuance() <= budgets, "minted more than the budgets");
				let mut per_epoch: BTreeMap<u32, u64> = BTreeMap::new();
				for ((epoch, provider), (amount, times)) in &ledger.paid {
					assert_eq!(*times, 1, "paid twice");
					let (total, budget) = ledger.closed[epoch];
					let points = ledger.points[&(*epoch, *provider)];
					let share = (budget as u128 * points / total) as u64;
					assert_eq!(*amount, share, "paid exactly the rounded-down pro-rata share");
					*per_epoch.entry(*epoch).or_default() += amount;
				}
				for (epoch, paid) in per_epoch {
					assert!(paid <= ledger.closed[&epoch].1, "epoch {epoch} overpaid");
				}
				let minted: u64 = ledger.paid.values().map(|(a, _)| *a).sum();
				assert_eq!(Balances::total_issuance(), minted);
			});
	}
}
