//! Benchmarks for the billing pallet (worst cases: key-signed jobs, lazy renewal with full
//! grant lists, subscription-funded escrows, first transfers creating asset accounts).
//!
//! Self-contained: the stable asset is created and minted through [`Config::BenchmarkHelper`];
//! the admin calls use `AdminOrigin::try_successful_origin`.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungibles::Inspect, EnsureOrigin, Get},
	weights::Weight,
};
use frame_system::RawOrigin;
use sp_arithmetic::Permill;
use sp_runtime::traits::Saturating;

/// What each benchmark account deposits ($1M).
const FUNDS: Balance = 1_000_000 * USD;
/// A job's escrow in the benchmarks.
const ESCROW: Balance = 10 * USD;

/// Mint `FUNDS` to `who` and deposit them all as credits (the pallet account then exists).
fn funded<T: Config>(who: &T::AccountId) {
	T::BenchmarkHelper::create_and_mint(T::StableAsset::get(), who, FUNDS);
	Pallet::<T>::do_deposit(who.clone(), FUNDS).expect("minted just before; qed");
}

/// Make `owner` own `n` keys (the last one returned), all scopes, a large cap.
fn keys<T: Config>(owner: &T::AccountId, n: u32) -> Option<T::AccountId> {
	let mut last = None;
	for i in 0..n {
		let key: T::AccountId = account("key", i, 0);
		Pallet::<T>::do_register_api_key(
			owner.clone(),
			key.clone(),
			ServiceKind::ALL.to_vec(),
			FUNDS,
		)
		.expect("fresh keys below MaxApiKeys; qed");
		last = Some(key);
	}
	last
}

/// Subscribe `who` to Scale with auto-renew and full grant lists, and move past its period so
/// the next covered admission renews it.
fn renewing_subscriber<T: Config>(who: &T::AccountId) {
	Pallet::<T>::do_subscribe(who.clone(), Plan::Scale, true).expect("funded; qed");
	let mut now = frame_system::Pallet::<T>::block_number();
	for _ in 1..MAX_GRANTS {
		now = now.saturating_add(T::SubscriptionPeriod::get());
		frame_system::Pallet::<T>::set_block_number(now);
		Pallet::<T>::refresh_subscription(who, now).expect("funded; qed");
	}
	now = now.saturating_add(T::SubscriptionPeriod::get());
	frame_system::Pallet::<T>::set_block_number(now);
}

/// Open job 0 for `owner` signed by its key, subscription-funded, with a treasury part.
fn open_job<T: Config>(owner: &T::AccountId) -> T::AccountId {
	funded::<T>(owner);
	let key = keys::<T>(owner, 1).expect("one key; qed");
	Pallet::<T>::do_subscribe(owner.clone(), Plan::Scale, true).expect("funded; qed");
	Pallet::<T>::do_admit(0, &key, ServiceKind::Inference, ESCROW, 1_000).expect("room; qed");
	funded::<T>(&T::Treasury::get());
	Pallet::<T>::do_fund_from_treasury(0, ESCROW).expect("treasury funded; qed");
	key
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn deposit() {
		let caller: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::create_and_mint(T::StableAsset::get(), &caller, FUNDS);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), FUNDS);
		assert_eq!(CreditsOf::<T>::get(&caller), FUNDS);
	}

	#[benchmark]
	fn withdraw() {
		// The deposit emptied the caller's asset account: the withdrawal recreates it.
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), FUNDS / 2);
		assert_eq!(T::Assets::balance(T::StableAsset::get(), &caller), FUNDS / 2);
	}

	/// `on_idle` removing the usage counters of `n` payers of the one day past retention.
	#[benchmark]
	fn prune_usage(n: Linear<1, 1_000>) {
		let zero = frame_system::pallet_prelude::BlockNumberFor::<T>::default();
		let counters = UsageCounters { jobs: 1, tokens: 1, spent: 1 };
		for i in 0..n {
			let payer: T::AccountId = account("payer", i, 0);
			UsageOf::<T>::insert((zero, payer, ServiceKind::Inference), counters);
		}
		// Today is day `retention + 1`: only day 0 is past retention.
		let retention: frame_system::pallet_prelude::BlockNumberFor<T> =
			T::UsageRetentionDays::get().into();
		let today = retention.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(T::BlocksPerDay::get().saturating_mul(today));

		#[block]
		{
			Pallet::<T>::prune_usage(Weight::MAX);
		}

		assert_eq!(UsageOf::<T>::iter_prefix_values((zero,)).count(), 0);
		assert_eq!(UsagePrunedBefore::<T>::get(), 1u32.into());
	}

	#[benchmark]
	fn spend_treasury() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		funded::<T>(&T::Treasury::get());
		let to: T::AccountId = account("recipient", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, to.clone(), FUNDS / 2);
		assert_eq!(T::Assets::balance(T::StableAsset::get(), &to), FUNDS / 2);
		Ok(())
	}

	#[benchmark]
	fn subscribe() {
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Plan::Scale, true);
		assert!(SubscriptionOf::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn cancel_subscription() {
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		Pallet::<T>::do_subscribe(caller.clone(), Plan::Scale, true).expect("funded; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert_eq!(SubscriptionOf::<T>::get(&caller).map(|s| s.auto_renew), Some(false));
	}

	#[benchmark]
	fn register_api_key() {
		let caller: T::AccountId = whitelisted_caller();
		keys::<T>(&caller, T::MaxApiKeys::get().saturating_sub(1));
		let key: T::AccountId = account("new-key", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key.clone(), ServiceKind::ALL.to_vec(), FUNDS);
		assert!(ApiKeys::<T>::contains_key(&key));
	}

	#[benchmark]
	fn revoke_api_key() {
		let caller: T::AccountId = whitelisted_caller();
		let key = keys::<T>(&caller, T::MaxApiKeys::get()).expect("MaxApiKeys >= 1; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key.clone());
		assert_eq!(ApiKeys::<T>::get(&key).map(|k| k.revoked), Some(true));
	}

	#[benchmark]
	fn set_api_key_cap() {
		let caller: T::AccountId = whitelisted_caller();
		let key = keys::<T>(&caller, 1).expect("one key; qed");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key.clone(), 5);
		assert_eq!(ApiKeys::<T>::get(&key).map(|k| k.spending_cap), Some(5));
	}

	#[benchmark]
	fn set_platform_fee() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let fee = Permill::from_percent(7);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, fee);
		assert_eq!(PlatformFee::<T>::get(), fee);
		Ok(())
	}

	#[benchmark]
	fn set_spot_discount() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let discount = Permill::from_percent(60);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, discount);
		assert_eq!(SpotDiscount::<T>::get(), discount);
		Ok(())
	}

	#[benchmark]
	fn set_reference_price() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ServiceKind::Container, Tier::MarianaDepth, Some(5_000));
		assert_eq!(
			Pallet::<T>::reference_price(ServiceKind::Container, Tier::MarianaDepth),
			Some(5_000)
		);
		Ok(())
	}

	#[benchmark]
	fn reset_reference_price() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		ReferencePriceOf::<T>::insert(ServiceKind::Inference, Tier::TidePool, None::<UnitPrice>);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ServiceKind::Inference, Tier::TidePool);
		assert_eq!(Pallet::<T>::reference_price(ServiceKind::Inference, Tier::TidePool), Some(300));
		Ok(())
	}

	#[benchmark]
	fn set_plan_terms() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let terms = PlanTerms {
			price: 20 * USD,
			concurrency: 2,
			requests_per_minute: 50,
			tokens_per_period: 30_000_000,
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Plan::Starter, terms);
		assert_eq!(Pallet::<T>::public_terms(Plan::Starter), Some(terms));
		Ok(())
	}

	#[benchmark]
	fn set_enterprise_terms() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("enterprise", 0, 0);
		let terms = PlanTerms {
			price: 5_000 * USD,
			concurrency: 100,
			requests_per_minute: 10_000,
			tokens_per_period: 10_000_000_000,
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Some(terms));
		assert_eq!(EnterpriseTermsOf::<T>::get(&who), Some(terms));
		Ok(())
	}

	#[benchmark]
	fn admit() {
		// A key-signed covered job whose subscription renews, with a full list of grants.
		let owner: T::AccountId = account("owner", 0, 0);
		funded::<T>(&owner);
		let key = keys::<T>(&owner, 1).expect("one key; qed");
		renewing_subscriber::<T>(&owner);
		#[block]
		{
			Pallet::<T>::do_admit(7, &key, ServiceKind::Inference, ESCROW, 1_000)
				.expect("renewed, room left; qed");
		}
		assert!(Escrows::<T>::get(7).map(|e| e.funding == Funding::Subscription).unwrap_or(false));
		let now = frame_system::Pallet::<T>::block_number();
		assert!(SubscriptionOf::<T>::get(&owner).map(|s| s.period_end > now).unwrap_or(false));
	}

	#[benchmark]
	fn top_up() {
		let owner: T::AccountId = account("owner", 0, 0);
		open_job::<T>(&owner);
		#[block]
		{
			Pallet::<T>::do_top_up(0, ESCROW).expect("pool and cap allow; qed");
		}
		assert_eq!(Pallet::<T>::escrowed_in(0, EscrowPart::Payer), 2 * ESCROW);
	}

	#[benchmark]
	fn fund_from_treasury() {
		let owner: T::AccountId = account("owner", 0, 0);
		open_job::<T>(&owner);
		#[block]
		{
			Pallet::<T>::do_fund_from_treasury(0, ESCROW).expect("treasury funded; qed");
		}
		assert_eq!(Pallet::<T>::escrowed_in(0, EscrowPart::Treasury), 2 * ESCROW);
	}

	#[benchmark]
	fn pay() {
		let owner: T::AccountId = account("owner", 0, 0);
		open_job::<T>(&owner);
		let provider: T::AccountId = account("provider", 0, 0);
		#[block]
		{
			Pallet::<T>::do_pay(0, EscrowPart::Payer, &provider, ESCROW / 2)
				.expect("escrowed; qed");
		}
		assert!(CreditsOf::<T>::get(&provider) > 0);
	}

	#[benchmark]
	fn close() {
		let owner: T::AccountId = account("owner", 0, 0);
		let key = open_job::<T>(&owner);
		#[block]
		{
			Pallet::<T>::do_close(0, ServiceKind::Inference, 500).expect("open; qed");
		}
		assert!(!Escrows::<T>::contains_key(0));
		assert_eq!(ApiKeys::<T>::get(&key).map(|k| k.spent), Some(0));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::tests::mock::ExtBuilder::default().build(),
		crate::tests::mock::Test
	);
}
