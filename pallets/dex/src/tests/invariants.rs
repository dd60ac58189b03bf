//! Property tests: random sequences of place / cancel / market / transfer / block keep every
//! asset conserved, keep `try_state`, and never round in the taker's favour.

use super::mock::*;
use crate::{Event, OrderId, Price, Side};
use proptest::prelude::*;
use sp_runtime::FixedPointNumber;
use std::collections::BTreeMap;

const TRADERS: [AccountId; 4] = [ALICE, BOB, CHARLIE, DAVE];

#[derive(Clone, Debug)]
enum Action {
	Limit { who: usize, bid: bool, num: u128, den: u128, amount: u128, expiry: Option<u64> },
	Market { who: usize, bid: bool, amount: u128, max_fills: u32 },
	Cancel { pick: usize },
	Transfer { pick: usize, to: usize },
	NextBlock,
	SetFee { percent: u32 },
}

fn trader() -> impl Strategy<Value = usize> {
	0..TRADERS.len()
}

/// Prices `num / den` between 1/7 and 30, around 3 so both sides cross often.
fn limit_price() -> impl Strategy<Value = (u128, u128)> {
	(1u128..=30, 1u128..=7)
}

fn trade_amount() -> impl Strategy<Value = u128> {
	prop_oneof![1u128..=5, 1u128..=300]
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		4 => (trader(), any::<bool>(), limit_price(), trade_amount(), prop::option::of(2u64..8))
			.prop_map(|(who, bid, (num, den), amount, expiry)| Action::Limit {
				who, bid, num, den, amount, expiry
			}),
		2 => (trader(), any::<bool>(), trade_amount(), 1u32..=6)
			.prop_map(|(who, bid, amount, max_fills)| Action::Market { who, bid, amount, max_fills }),
		1 => any::<usize>().prop_map(|pick| Action::Cancel { pick }),
		1 => (any::<usize>(), trader()).prop_map(|(pick, to)| Action::Transfer { pick, to }),
		1 => Just(Action::NextBlock),
		1 => (0u32..=5).prop_map(|percent| Action::SetFee { percent }),
	]
}

/// Per order: (side, price, cumulative base filled, cumulative maker quote).
type Fills = BTreeMap<OrderId, (Side, Price, u128, u128)>;

/// Check the events of the last call: the taker never gets a better price than the makers'
/// limits, and every maker's cumulative settlement is within one unit of the exact value, in
/// its favour.
fn check_rounding(prices: &BTreeMap<OrderId, (Side, Price)>, fills: &mut Fills) {
	let one = Price::DIV;
	let mut exact: u128 = 0;
	for event in events_since_last_call() {
		match event {
			Event::OrderFilled { id, base, quote, .. } => {
				let (side, p) = prices[&id];
				exact += base * p.into_inner();
				let entry = fills.entry(id).or_insert((side, p, 0, 0));
				entry.2 += base;
				entry.3 += quote;
				let value = entry.2 * p.into_inner();
				match side {
					// The ask maker receives at least the exact value, less than 1 unit more.
					Side::Ask => assert!(entry.3 * one >= value && entry.3 * one < value + one),
					// The bid maker pays at most the exact value, less than 1 unit less.
					Side::Bid => assert!(entry.3 * one <= value && entry.3 * one + one > value),
				}
			},
			Event::Traded { side, quote, .. } => {
				match side {
					// A buying taker pays at least the exact value.
					Side::Bid => assert!(quote * one >= exact, "taker paid too little"),
					// A selling taker receives at most the exact value.
					Side::Ask => assert!(quote * one <= exact, "taker received too much"),
				}
				exact = 0;
			},
			_ => {},
		}
	}
}

fn run(actions: Vec<Action>) {
	ExtBuilder::default().build_and_execute(|| {
		let totals = |asset| total_held(asset, &TRADERS);
		let (btc, usd) = (totals(BTC), totals(USD));
		let mut prices: BTreeMap<OrderId, (Side, Price)> = BTreeMap::new();
		let mut fills = Fills::new();
		events_since_last_call();
		for action in actions {
			match action {
				Action::Limit { who, bid, num, den, amount, expiry } => {
					let side = if bid { Side::Bid } else { Side::Ask };
					let p = ratio(num, den);
					let next = crate::NextOrderId::<Test>::get();
					prices.insert(next, (side, p));
					let expiry = expiry.map(|e| System::block_number() + e);
					let hint = Dex::insert_hint(BTC_USD, side, p);
					let _ = Dex::place_limit_order(
						RuntimeOrigin::signed(TRADERS[who]),
						BTC,
						USD,
						side,
						p,
						amount,
						expiry,
						hint,
						6,
					);
				},
				Action::Market { who, bid, amount, max_fills } => {
					let side = if bid { Side::Bid } else { Side::Ask };
					let limit = if bid { u128::MAX } else { 0 };
					let _ = Dex::place_market_order(
						RuntimeOrigin::signed(TRADERS[who]),
						BTC,
						USD,
						side,
						amount,
						limit,
						max_fills,
					);
				},
				Action::Cancel { pick } => {
					let open: Vec<_> = crate::Orders::<Test>::iter().collect();
					if !open.is_empty() {
						let (id, order) = &open[pick % open.len()];
						frame_support::assert_ok!(Dex::cancel_order(
							RuntimeOrigin::signed(order.owner),
							*id
						));
					}
				},
				Action::Transfer { pick, to } => {
					let open: Vec<_> = crate::Orders::<Test>::iter().collect();
					if !open.is_empty() {
						let (id, order) = &open[pick % open.len()];
						frame_support::assert_ok!(Dex::transfer_order(
							RuntimeOrigin::signed(order.owner),
							*id,
							TRADERS[to]
						));
					}
				},
				Action::NextBlock => run_to_block(System::block_number() + 1),
				Action::SetFee { percent } => {
					frame_support::assert_ok!(Dex::set_taker_fee(
						RuntimeOrigin::root(),
						sp_runtime::Permill::from_percent(percent)
					));
				},
			}
			check_rounding(&prices, &mut fills);
			assert_eq!(totals(BTC), btc, "BTC not conserved");
			assert_eq!(totals(USD), usd, "USD not conserved");
			Dex::do_try_state().expect("try_state holds after every action");
		}
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn random_sequences_conserve_assets_and_favour_makers(
		actions in prop::collection::vec(action(), 1..40)
	) {
		run(actions);
	}
}
