//! Benchmarks for the lending pallet.
//!
//! Worst case: the account takes part in `MaxMarketsPerAccount` markets, with collateral and
//! debt in each, so every health check reads all of them; `liquidate` seizes the last
//! collateral and writes off the debts of every market. Assets and prices come from
//! `Config::BenchmarkHelper`.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungibles::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_arithmetic::{FixedU128, Perbill, Permill};
use sp_runtime::traits::One;

/// First asset id used by the benchmarks.
const FIRST_ASSET: AssetId = 1_000;
/// Underlying minted to each account in each asset.
const FUNDS: Balance = 1_000_000_000_000_000;
/// Liquidity supplied to each market by the seeding account.
const LIQUIDITY: Balance = 1_000_000_000_000;
/// Collateral supplied by the worst-case account in each market.
const COLLATERAL: Balance = 1_000_000_000;

fn params() -> MarketParams {
	MarketParams {
		rate_model: RateModel {
			base_rate: FixedU128::from_rational(2, 100),
			multiplier: FixedU128::from_rational(1, 10),
			jump_multiplier: FixedU128::from_rational(11, 10),
			kink: Perbill::from_percent(80),
		},
		reserve_factor: Permill::from_percent(15),
		collateral_factor: Permill::from_percent(75),
		liquidation_threshold: Permill::from_percent(80),
		liquidation_bonus: Permill::from_percent(5),
		initial_exchange_rate: FixedU128::one(),
	}
}

fn fund<T: Config>(who: &T::AccountId, asset: AssetId) {
	T::Assets::mint_into(asset, who, FUNDS).expect("the helper's asset accepts mints; qed");
}

/// Create `MaxMarketsPerAccount` markets at price 1, each seeded with liquidity.
fn markets<T: Config>() -> Vec<AssetId> {
	let seeder: T::AccountId = account("seeder", 0, 0);
	(0..T::MaxMarketsPerAccount::get())
		.map(|i| {
			let asset = FIRST_ASSET + i;
			T::BenchmarkHelper::create_asset(asset);
			T::BenchmarkHelper::set_price(asset, FixedU128::one());
			Pallet::<T>::do_create_market(asset, params()).expect("fresh market; qed");
			fund::<T>(&seeder, asset);
			Pallet::<T>::do_supply(seeder.clone(), asset, LIQUIDITY).expect("funded; qed");
			asset
		})
		.collect()
}

/// An account with collateral and a debt of `debt` in every market.
fn worst_account<T: Config>(assets: &[AssetId], debt: Balance) -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	for asset in assets {
		fund::<T>(&who, *asset);
		Pallet::<T>::do_supply(who.clone(), *asset, COLLATERAL).expect("funded; qed");
		Pallet::<T>::do_enable_collateral(who.clone(), *asset).expect("collateral asset; qed");
	}
	for asset in assets {
		Pallet::<T>::do_borrow(who.clone(), *asset, debt).expect("well collateralised; qed");
	}
	who
}

fn next_block<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + One::one());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_market() -> Result<(), BenchmarkError> {
		let asset = FIRST_ASSET - 1;
		T::BenchmarkHelper::create_asset(asset);
		let origin =
			T::MarketOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, params());
		assert!(Markets::<T>::contains_key(asset));
		Ok(())
	}

	#[benchmark]
	fn update_market() -> Result<(), BenchmarkError> {
		let assets = markets::<T>();
		worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		let origin =
			T::MarketOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut p = params();
		p.reserve_factor = Permill::from_percent(20);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, assets[0], p);
		assert_eq!(Markets::<T>::get(assets[0]).map(|m| m.params), Some(p));
		Ok(())
	}

	#[benchmark]
	fn supply() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0], COLLATERAL);
		assert!(UTokens::<T>::get(assets[0], &who) > COLLATERAL);
	}

	#[benchmark]
	fn redeem() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0], RedeemAmount::UTokens(COLLATERAL / 10));
		assert!(UTokens::<T>::get(assets[0], &who) < COLLATERAL);
	}

	#[benchmark]
	fn enable_collateral() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		Pallet::<T>::do_disable_collateral(who.clone(), assets[0]).expect("healthy; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0]);
		assert!(Pallet::<T>::is_collateral(&who, assets[0]));
	}

	#[benchmark]
	fn disable_collateral() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0]);
		assert!(!Pallet::<T>::is_collateral(&who, assets[0]));
	}

	#[benchmark]
	fn borrow() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0], COLLATERAL / 100);
		assert!(Borrows::<T>::get(assets[0], &who).is_some());
	}

	#[benchmark]
	fn repay() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), assets[0], None, COLLATERAL / 1_000);
		assert!(Borrows::<T>::get(assets[0], &who).is_some());
	}

	#[benchmark]
	fn liquidate() {
		let assets = markets::<T>();
		// Collateral only in the first market, debts in all of them.
		let who: T::AccountId = whitelisted_caller();
		fund::<T>(&who, assets[0]);
		Pallet::<T>::do_supply(who.clone(), assets[0], COLLATERAL).expect("funded; qed");
		Pallet::<T>::do_enable_collateral(who.clone(), assets[0]).expect("collateral; qed");
		let debt = COLLATERAL / 2 / Balance::from(T::MaxMarketsPerAccount::get());
		for asset in &assets {
			Pallet::<T>::do_borrow(who.clone(), *asset, debt).expect("collateralised; qed");
		}
		// The collateral collapses: it is all seized and the remaining debts written off.
		T::BenchmarkHelper::set_price(assets[0], FixedU128::from_rational(1, 100));
		let liquidator: T::AccountId = account("liquidator", 0, 0);
		let debt_asset = *assets.last().expect("at least one market; qed");
		fund::<T>(&liquidator, debt_asset);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(liquidator), who.clone(), debt_asset, assets[0], Balance::MAX);
		assert!(MarketsOf::<T>::get(&who)
			.iter()
			.all(|m| !Borrows::<T>::contains_key(m.asset, &who)));
	}

	#[benchmark]
	fn flash_loan(c: Linear<0, { T::MaxFlashLoanCalls::get() }>) {
		let assets = markets::<T>();
		let who: T::AccountId = whitelisted_caller();
		fund::<T>(&who, assets[0]);
		let calls: Vec<<T as Config>::RuntimeCall> =
			(0..c).map(|_| frame_system::Call::<T>::remark { remark: vec![] }.into()).collect();
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), assets[0], LIQUIDITY / 2, calls);
		assert!(Markets::<T>::get(assets[0]).map(|m| m.total_reserves > 0).unwrap_or(false));
	}

	#[benchmark]
	fn accrue() {
		let assets = markets::<T>();
		worst_account::<T>(&assets, COLLATERAL / 100);
		next_block::<T>();
		let caller: T::AccountId = account("caller", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), assets[0]);
		assert!(Markets::<T>::get(assets[0])
			.map(|m| m.borrow_index > FixedU128::one())
			.unwrap_or(false));
	}

	#[benchmark]
	fn transfer_utokens() {
		let assets = markets::<T>();
		let who = worst_account::<T>(&assets, COLLATERAL / 100);
		let to: T::AccountId = account("to", 0, 0);
		next_block::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), assets[0], to.clone(), COLLATERAL / 10);
		assert_eq!(UTokens::<T>::get(assets[0], &to), COLLATERAL / 10);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
