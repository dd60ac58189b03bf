//! The offchain worker: HTTP fetch, parsing and signed submission.

use crate::{mock::*, offchain::FetchError, parse::ParseError, Call, FeedSourceOf, PriceError};
use frame_support::{
	assert_ok,
	traits::{Hooks, UnfilteredDispatchable},
};
use sp_runtime::{generic::Preamble, traits::Verify, MultiSignature};

const BTC_BODY: &[u8] = br#"{"data":{"symbol":"BTC","price":"60000.12"}}"#;
const ETH_BODY: &[u8] = br#"{"price": 3000.5}"#;

/// BTC at 60 000.12 USD per coin with scale -2: 600.0012 per base unit.
fn btc_price() -> crate::Price {
	crate::Price::from_inner(600_001_200_000_000_000_000)
}

/// ETH at 3 000.5 USD per coin with scale -12.
fn eth_price() -> crate::Price {
	crate::Price::from_inner(3_000_500_000)
}

/// Expect one `GET` per listed asset, in the order the worker visits them (storage order).
fn expect_all_sources(harness: &OffchainHarness, bodies: &[(u32, &str, &[u8])]) -> Vec<u32> {
	let mut order = Vec::new();
	let mut ext = sp_io::TestExternalities::default();
	// The visiting order is the storage order of the keys, which does not depend on the values.
	ext.execute_with(|| {
		for (asset, _, _) in bodies {
			FeedSourceOf::<Test>::insert(
				asset,
				crate::FeedSource { url: Default::default(), path: Default::default(), scale: 0 },
			);
		}
		order = FeedSourceOf::<Test>::iter_keys().collect();
	});
	for asset in &order {
		let (_, url, body) = bodies.iter().find(|(a, _, _)| a == asset).expect("listed; qed");
		harness.expect_get(url, body);
	}
	order
}

#[test]
fn offchain_worker_submits_signed_prices_for_every_listed_asset() {
	let mut harness = ExtBuilder::default().build_offchain(true);
	let order = expect_all_sources(&harness, &[(BTC, BTC_URL, BTC_BODY), (ETH, ETH_URL, ETH_BODY)]);
	harness.execute(|| Oracle::offchain_worker(1));

	let local = harness.local.clone();
	let transactions = harness.transactions();
	assert_eq!(transactions.len(), 2);
	for (nonce, (tx, asset)) in transactions.iter().zip(&order).enumerate() {
		let expected_price = if *asset == BTC { btc_price() } else { eth_price() };
		assert_eq!(
			tx.function,
			RuntimeCall::Oracle(Call::submit_price { asset: *asset, price: expected_price })
		);
		let Preamble::Signed(signer, signature, ()) = &tx.preamble else {
			panic!("the worker submits signed transactions");
		};
		assert_eq!(signer, &local);
		let payload = signed_payload(&tx.function, nonce as u32);
		assert!(
			<MultiSignature as Verify>::verify(signature, &payload[..], &local),
			"signed by the local orcl key, with increasing nonces"
		);
	}

	// Applying the transactions gives both assets a price.
	harness.execute(|| {
		for tx in transactions {
			assert_ok!(tx.function.dispatch_bypass_filter(RuntimeOrigin::signed(local.clone())));
		}
		assert_eq!(Oracle::current_price(BTC), Ok(btc_price()));
		assert_eq!(Oracle::current_price(ETH), Ok(eth_price()));
	});
}

#[test]
fn offchain_worker_does_nothing_without_an_operator_key() {
	// The local key's account is not an operator: no request, no transaction.
	let mut harness = ExtBuilder::default().build_offchain(false);
	harness.execute(|| Oracle::offchain_worker(1));
	assert!(harness.transactions().is_empty());
}

#[test]
fn offchain_worker_runs_only_every_offchain_interval() {
	let mut harness = ExtBuilder::default()
		.with_feed_sources(vec![(BTC, BTC_URL.as_bytes().to_vec(), b"data.price".to_vec(), -2)])
		.build_offchain(true);
	OffchainInterval::set(5);
	harness.execute(|| {
		for n in 1..5 {
			Oracle::offchain_worker(n);
		}
	});
	assert!(harness.transactions().is_empty());
	expect_all_sources(&harness, &[(BTC, BTC_URL, BTC_BODY)]);
	harness.execute(|| Oracle::offchain_worker(5));
	assert_eq!(harness.transactions().len(), 1);
}

#[test]
fn offchain_worker_skips_an_asset_whose_source_fails() {
	let mut harness = ExtBuilder::default().build_offchain(true);
	expect_all_sources(
		&harness,
		&[(BTC, BTC_URL, b"<html>rate limited</html>"), (ETH, ETH_URL, ETH_BODY)],
	);
	harness.execute(|| Oracle::offchain_worker(1));
	let calls: Vec<_> = harness.transactions().into_iter().map(|tx| tx.function).collect();
	assert_eq!(
		calls,
		vec![RuntimeCall::Oracle(Call::submit_price { asset: ETH, price: eth_price() })]
	);
}

#[test]
fn fetch_price_reports_parse_errors() {
	let mut harness = ExtBuilder::default().build_offchain(true);
	expect_all_sources(&harness, &[(BTC, BTC_URL, br#"{"data":{"price":"0"}}"#)]);
	harness.execute(|| {
		let source = FeedSourceOf::<Test>::get(BTC).unwrap();
		assert_eq!(Oracle::fetch_price(&source), Err(FetchError::Parse(ParseError::Zero)));
		// Nothing was submitted, so the asset still has no price.
		assert_eq!(Oracle::current_price(BTC), Err(PriceError::TooFewFeeds));
	});
}
