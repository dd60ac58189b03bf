//! Benchmarks for the dex pallet.
//!
//! Self-contained: two assets are created through [`Config::BenchmarkHelper`] (ids near
//! `u32::MAX`, reused if they exist) and balances minted through `fungibles::Mutate`. Books of
//! depth `d` are written straight into storage (one order per level, integer prices from 1),
//! so the runtime's `MaxPrice` must be at least `10_000 + MaxFills + 2`.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungibles::{Inspect, Mutate},
	EnsureOrigin, Get, Hooks,
};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{One, StaticLookup},
	FixedPointNumber, Saturating,
};

const BASE: AssetId = u32::MAX - 1;
const QUOTE: AssetId = u32::MAX - 2;
const PAIR: Pair = Pair::new(BASE, QUOTE);
/// Base amount of every seeded order.
const LOT: Balance = 1_000_000;
/// What each account is given of each asset.
const FUNDS: Balance = 1_000_000_000_000_000_000_000_000;

fn price(n: u32) -> Price {
	Price::saturating_from_integer(n)
}

/// Create the assets and fund `who`, the seeding account and the fee account.
fn setup<T: Config>() -> (T::AccountId, T::AccountId) {
	let caller: T::AccountId = whitelisted_caller();
	let seeder: T::AccountId = account("seeder", 0, 0);
	for asset in [BASE, QUOTE] {
		T::BenchmarkHelper::create_asset(asset, caller.clone());
		for who in [&caller, &seeder] {
			T::Assets::mint_into(asset, who, FUNDS).expect("benchmark assets mint; qed");
		}
		let min = T::Assets::minimum_balance(asset);
		T::Assets::mint_into(asset, &T::FeeAccount::get(), min)
			.expect("benchmark assets mint; qed");
	}
	(caller, seeder)
}

/// Write one order of `LOT` per price (best first) on `side`, owned by `owner`, escrowing the
/// locks in the pallet account.
fn seed<T: Config>(side: Side, prices: Vec<Price>, owner: &T::AccountId) {
	let key = (PAIR, side);
	let mut locked: Balance = 0;
	for (i, p) in prices.iter().enumerate() {
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id + 1);
		let order = Order {
			owner: owner.clone(),
			pair: PAIR,
			side,
			price: *p,
			amount: LOT,
			remaining: LOT,
			expiry: None,
			expiry_slot: None,
			prev: None,
			next: None,
		};
		locked = locked.saturating_add(order.locked().expect("small lots; qed"));
		let asset = order.locked_asset();
		Orders::<T>::insert(id, order);
		let prev = i.checked_sub(1).and_then(|j| prices.get(j).copied());
		let next = prices.get(i + 1).copied();
		Levels::<T>::insert(
			key,
			*p,
			PriceLevel { prev, next, head: id, tail: id, orders: 1, open: LOT },
		);
		if i + 1 == prices.len() {
			Reserves::<T>::mutate(asset, |r| *r = r.saturating_add(locked));
			T::Assets::mint_into(asset, &Pallet::<T>::account_id(), locked)
				.expect("benchmark assets mint; qed");
		}
	}
	let n = prices.len() as u32;
	Books::<T>::insert(key, BookSide { best: prices.first().copied(), levels: n, orders: n });
}

/// Prices `from..=to` with the best first for `side`.
fn ladder(side: Side, from: u32, to: u32) -> Vec<Price> {
	let mut prices: Vec<Price> = (from..=to).map(price).collect();
	if side == Side::Bid {
		prices.reverse();
	}
	prices
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A limit bid that consumes `k` asks (one per level) and rests a new best level with an
	/// expiry, on a book with `d` bid levels.
	#[benchmark]
	fn place_limit_order(d: Linear<10, 10_000>, k: Linear<0, { T::MaxFills::get() }>) {
		let (caller, seeder) = setup::<T>();
		seed::<T>(Side::Bid, ladder(Side::Bid, 1, d), &seeder);
		if k > 0 {
			seed::<T>(Side::Ask, ladder(Side::Ask, d + 1, d + k), &seeder);
		}
		let limit = price(d + k + 1);
		let amount = LOT.saturating_mul(u128::from(k) + 1);
		let expiry = frame_system::Pallet::<T>::block_number().saturating_add(10u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), BASE, QUOTE, Side::Bid, limit, amount, Some(expiry), None, k);

		assert_eq!(Books::<T>::get((PAIR, Side::Bid)).best, Some(limit));
		assert_eq!(Books::<T>::get((PAIR, Side::Ask)).levels, 0);
	}

	/// A market buy that consumes `k` asks, each emptying its level, on a book with `d` more
	/// ask levels behind them.
	#[benchmark]
	fn place_market_order(d: Linear<10, 10_000>, k: Linear<1, { T::MaxFills::get() }>) {
		let (caller, seeder) = setup::<T>();
		seed::<T>(Side::Ask, ladder(Side::Ask, 1, d + k), &seeder);
		let amount = LOT.saturating_mul(u128::from(k));
		TakerFee::<T>::put(T::MaxTakerFee::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), BASE, QUOTE, Side::Bid, amount, Balance::MAX, k);

		assert_eq!(Books::<T>::get((PAIR, Side::Ask)).levels, d);
	}

	/// Cancel the only order of a level in the middle of `d` levels, with an expiry.
	#[benchmark]
	fn cancel_order(d: Linear<10, 10_000>) {
		let (caller, seeder) = setup::<T>();
		seed::<T>(Side::Bid, ladder(Side::Bid, 1, d), &seeder);
		let p = price(d / 2).saturating_add(Price::saturating_from_rational(1, 2));
		let hint = Pallet::<T>::find_hint(PAIR, Side::Bid, p);
		let expiry = frame_system::Pallet::<T>::block_number().saturating_add(10u32.into());
		Pallet::<T>::do_place_limit_order(
			caller.clone(),
			PAIR,
			Side::Bid,
			p,
			LOT,
			Some(expiry),
			hint,
			0,
		)
		.expect("the order rests; qed");
		let id = NextOrderId::<T>::get() - 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(Orders::<T>::get(id).is_none());
		assert_eq!(Books::<T>::get((PAIR, Side::Bid)).levels, d);
	}

	#[benchmark]
	fn transfer_order() {
		let (caller, seeder) = setup::<T>();
		Pallet::<T>::do_place_limit_order(
			caller.clone(),
			PAIR,
			Side::Ask,
			Price::one(),
			LOT,
			None,
			None,
			0,
		)
		.expect("the order rests; qed");
		let id = NextOrderId::<T>::get() - 1;
		let to = T::Lookup::unlookup(seeder.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, to);

		assert_eq!(Orders::<T>::get(id).map(|o| o.owner), Some(seeder));
	}

	#[benchmark]
	fn set_taker_fee() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let fee = T::MaxTakerFee::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, fee);

		assert_eq!(TakerFee::<T>::get(), fee);
		Ok(())
	}

	/// Expire `n` orders, each alone at its level.
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		let (caller, _) = setup::<T>();
		let expiry = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		for i in 0..n {
			let p = price(i + 1);
			let hint = Pallet::<T>::find_hint(PAIR, Side::Bid, p);
			Pallet::<T>::do_place_limit_order(
				caller.clone(),
				PAIR,
				Side::Bid,
				p,
				LOT,
				Some(expiry),
				hint,
				0,
			)
			.expect("the order rests; qed");
		}
		assert_eq!(ExpiriesAt::<T>::get(expiry).len() as u32, n);

		#[block]
		{
			Pallet::<T>::on_initialize(expiry);
		}

		assert_eq!(Orders::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
