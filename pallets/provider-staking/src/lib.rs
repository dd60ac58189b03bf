//! # Provider staking pallet
//!
//! Providers bond native tokens as stake. The stake gates which hardware tiers a provider may
//! run (a minimum stake per [`Tier`], read by the provisions pallet through [`StakeGate`]) and
//! backs the provider's promises: the job market slashes it through [`ProviderSlashing`] when a
//! job fails, times out or is proven wrong, paying part to the harmed user and the rest to the
//! treasury.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the full list of calls, storage, events and errors.
//!
//! - [`Pallet::bond`]: bond (more) free balance as active stake.
//! - [`Pallet::unbond`]: schedule active stake to unlock after [`Config::UnbondingDelay`].
//! - [`Pallet::withdraw_unbonded`]: release the chunks that have unlocked.
//! - [`Pallet::rebond`]: move unlocking stake back to active, newest chunk first.
//! - [`Pallet::set_min_stake`] / [`Pallet::set_harmed_share`]: root-only parameters.
//! - [`StakeGate`] for [`Pallet`]: `active >= MinStakeOf[tier]` and `active > 0`.
//! - [`ProviderSlashing`] for [`Pallet`]: slashing with the harmed/treasury split.
//! - View functions `ledger` and `can_run`: the same reads for RPC clients.
//!
//! ## Overview
//!
//! ### Terminology
//!
//! - **Ledger** ([`LedgerOf`]): a provider's `active` stake and its `unlocking` chunks. All of
//!   it (active + unlocking) is held on the provider's account under
//!   [`HoldReason::ProviderStake`], so it cannot be spent but still counts towards the total
//!   issuance and the account's existence.
//! - **Active stake**: what the stake gate and the minimum per tier look at.
//! - **Unlocking chunk**: `(value, unlock_at)`; unbonded stake that stays slashable until
//!   `unlock_at`, then [`Pallet::withdraw_unbonded`] releases it. At most
//!   [`Config::MaxUnlockingChunks`] chunks, sorted by `unlock_at`; unbonding twice in one block
//!   merges into one chunk.
//! - **Minimum stake** ([`MinStakeOf`]): per tier, set by root. A provider cannot unbond below
//!   the minimum of the highest tier it currently runs
//!   ([`ProvisionsInspect::highest_active_tier`]).
//!
//! ### Slashing
//!
//! [`ProviderSlashing::slash`] takes `min(amount, active + unlocking)`, from active stake first
//! and then from the unlocking chunks, newest first. [`HarmedShare`] of it (rounded down) goes
//! to the harmed account, the rest to [`Config::TreasuryAccount`], both moved directly out of
//! the provider's hold (`transfer_on_hold`), so the total issuance never changes.
//!
//! Funds are conserved exactly:
//! - when there is no harmed account, the harmed account is the provider itself, or the
//!   transfer to it cannot happen (e.g. it does not exist and its share is below the existential
//!   deposit), its share goes to the treasury instead;
//! - when the transfer to the treasury cannot happen either (the treasury account does not
//!   exist and the amount is below the existential deposit, or the treasury is the provider),
//!   that part is **not slashed**: it stays held and bonded in the provider's ledger, and the
//!   returned (and emitted) amount is smaller. Nothing is ever burned.
//!
//! The runtime should therefore keep the treasury account alive (endow it with at least the
//! existential deposit at genesis).
//!
//! Stake may drop below a tier's minimum through slashing; the provisions pallet then refuses
//! the provider's heartbeats and starts for that tier.
//!
//! ## Low Level / Implementation Details
//!
//! All storage is bounded: one ledger per provider with at most `MaxUnlockingChunks` chunks.
//! [`TotalStaked`] is the sum over ledgers of `active + unlocking`, i.e. the total held under
//! [`HoldReason::ProviderStake`]. `try_state` checks holds, totals and chunk ordering.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use cxmpute_primitives::{
	compute::{ProvisionsInspect, StakeGate, Tier},
	provider::{ProviderSlashing, SlashReason},
};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod bonding;
mod impl_provider_slashing;
mod impl_stake_gate;
mod params;
mod slashing;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::provider-staking";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Default config values for tests, used through `derive_impl`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{derive_impl, traits::ConstU32};

		/// Defaults for a mock runtime: four unlocking chunks, unit weights.
		pub struct TestDefaultConfig;

		#[derive_impl(frame_system::config_preludes::TestDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for TestDefaultConfig {}

		#[frame_support::register_default_impl(TestDefaultConfig)]
		impl DefaultConfig for TestDefaultConfig {
			#[inject_runtime_type]
			type RuntimeHoldReason = ();
			type MaxUnlockingChunks = ConstU32<4>;
			type MaxProvisionsPerProvider = ConstU32<4>;
			type WeightInfo = ();
		}
	}

	/// Configuration of the pallet.
	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The native currency: stake is held on the provider's account under
		/// [`HoldReason::ProviderStake`], and slashes move out of that hold.
		#[pallet::no_default]
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::hold::Inspect<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::hold::Mutate<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		#[pallet::no_default_bounds]
		type RuntimeHoldReason: From<HoldReason>;

		/// Read access to provisions: the highest tier a provider currently runs.
		#[pallet::no_default]
		type Provisions: ProvisionsInspect<Self::AccountId>;

		/// Blocks between unbonding and the chunk becoming withdrawable; the stake stays
		/// slashable meanwhile. At least 1.
		#[pallet::constant]
		#[pallet::no_default]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;

		/// The most unlocking chunks a ledger may have at once. At least 1.
		#[pallet::constant]
		type MaxUnlockingChunks: Get<u32>;

		/// The most provisions one provider can have: `unbond` reads them all (through
		/// [`ProvisionsInspect::highest_active_tier`]), so its weight adds that many reads.
		#[pallet::constant]
		type MaxProvisionsPerProvider: Get<u32>;

		/// The account receiving the treasury's part of every slash. Keep it alive (at least
		/// the existential deposit), or small slashes cannot be paid out (see the crate docs).
		#[pallet::constant]
		#[pallet::no_default]
		type TreasuryAccount: Get<Self::AccountId>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Bonded provider stake (active and unlocking).
		#[codec(index = 0)]
		ProviderStake,
	}

	/// Each provider's stake: active and unlocking.
	// Blake2_128Concat: account ids are user-chosen.
	#[pallet::storage]
	pub type LedgerOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, StakeLedger<T>, OptionQuery>;

	/// Sum over all ledgers of `active + unlocking`: everything held under
	/// [`HoldReason::ProviderStake`].
	#[pallet::storage]
	pub type TotalStaked<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The minimum active stake to run each tier (zero when unset).
	// Twox64Concat: four possible keys, none user-chosen.
	#[pallet::storage]
	pub type MinStakeOf<T: Config> = StorageMap<_, Twox64Concat, Tier, BalanceOf<T>, ValueQuery>;

	/// The default [`HarmedShare`]: half.
	#[pallet::type_value]
	pub fn DefaultHarmedShare() -> Perbill {
		Perbill::from_percent(50)
	}

	/// The share of every slash paid to the harmed account (the rest goes to the treasury).
	#[pallet::storage]
	pub type HarmedShare<T: Config> = StorageValue<_, Perbill, ValueQuery, DefaultHarmedShare>;

	/// Genesis parameters.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The minimum stake of each tier, in [`Tier::ALL`] order (`TidePool`, `BlueSurge`,
		/// `OpenOcean`, `MarianaDepth`).
		pub min_stakes: [BalanceOf<T>; 4],
		/// The share of slashes paid to harmed accounts.
		pub harmed_share: Perbill,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { min_stakes: [Zero::zero(); 4], harmed_share: DefaultHarmedShare::get() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (tier, amount) in Tier::ALL.iter().zip(self.min_stakes.iter()) {
				MinStakeOf::<T>::insert(tier, amount);
			}
			HarmedShare::<T>::put(self.harmed_share);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxUnlockingChunks::get() >= 1, "MaxUnlockingChunks must be >= 1");
			assert!(!T::UnbondingDelay::get().is_zero(), "UnbondingDelay must be >= 1");
			assert!(
				!<T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance().is_zero(),
				"the currency needs a non-zero existential deposit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Events of this pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Free balance was bonded as active stake.
		Bonded {
			/// The provider.
			provider: T::AccountId,
			/// The amount bonded now.
			amount: BalanceOf<T>,
		},
		/// Active stake started unbonding.
		Unbonded {
			/// The provider.
			provider: T::AccountId,
			/// The amount moved from active to unlocking.
			amount: BalanceOf<T>,
			/// The block from which it can be withdrawn.
			unlock_at: BlockNumberFor<T>,
		},
		/// Unlocked stake was released to the provider's free balance.
		Withdrawn {
			/// The provider.
			provider: T::AccountId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// Unlocking stake was moved back to active.
		Rebonded {
			/// The provider.
			provider: T::AccountId,
			/// The amount moved back.
			amount: BalanceOf<T>,
		},
		/// A provider's stake was slashed.
		Slashed {
			/// The provider.
			provider: T::AccountId,
			/// The amount taken from the stake (`to_harmed + to_treasury`).
			amount: BalanceOf<T>,
			/// The part paid to the harmed account.
			to_harmed: BalanceOf<T>,
			/// The part paid to the treasury.
			to_treasury: BalanceOf<T>,
			/// Why.
			reason: SlashReason,
		},
		/// The minimum stake of a tier was set.
		MinStakeSet {
			/// The tier.
			tier: Tier,
			/// The new minimum active stake.
			amount: BalanceOf<T>,
		},
		/// The harmed share of slashes was set.
		HarmedShareSet {
			/// The new share.
			share: Perbill,
		},
	}

	/// Errors of this pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account has no stake; bond first.
		NotBonded,
		/// The amount is zero; give a positive amount.
		ZeroAmount,
		/// A first bond must be at least the existential deposit, and an unbond must leave
		/// either nothing or at least the existential deposit active; bond or unbond more.
		BelowMinimumBond,
		/// The free balance (keeping the existential deposit) is smaller than the amount to
		/// bond; bond less.
		InsufficientBalance,
		/// The active stake is smaller than the amount to unbond; unbond less.
		InsufficientBond,
		/// The unlocking stake is smaller than the amount to rebond; rebond less.
		InsufficientUnlocking,
		/// The remaining active stake would fall below the minimum of the highest tier the
		/// provider runs; stop those provisions first or unbond less.
		StakeInUse,
		/// The ledger already has `MaxUnlockingChunks` unlocking chunks; withdraw unlocked
		/// chunks, rebond, or wait for the next block with an existing chunk.
		NoMoreChunks,
		/// No chunk has unlocked yet; wait until the earliest `unlock_at`.
		NothingToWithdraw,
		/// An amount or block number overflowed; use smaller amounts.
		Overflow,
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Bond `amount` of free balance as active stake (the first bond creates the ledger).
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `amount`: non-zero; a first bond at least the existential deposit; the account
		///   keeps at least the existential deposit free.
		///
		/// Emits `Bonded`.
		#[pallet::call_index(0)]
		pub fn bond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, amount)
		}

		/// Start unbonding `amount` of active stake; it unlocks `UnbondingDelay` blocks from now
		/// and stays slashable until withdrawn.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `amount`: non-zero, at most the active stake; the rest must stay at or above the
		///   minimum of the provider's highest active tier and be zero or at least the
		///   existential deposit.
		///
		/// Emits `Unbonded`.
		///
		/// Weight: the benchmarked provider runs no provisions, so the reads of
		/// `highest_active_tier` (one per provision plus the provider's list) are added here.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unbond().saturating_add(
			T::DbWeight::get().reads(u64::from(T::MaxProvisionsPerProvider::get()).saturating_add(1))
		))]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, amount)
		}

		/// Release every unlocking chunk whose `unlock_at` has been reached; the ledger is
		/// removed when nothing is left.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// Emits `Withdrawn`.
		#[pallet::call_index(2)]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Move `amount` of unlocking stake back to active, newest chunk first.
		///
		/// ## Dispatch Origin
		/// Signed by the provider.
		///
		/// ## Parameters
		/// - `amount`: non-zero, at most the total unlocking.
		///
		/// Emits `Rebonded`.
		#[pallet::call_index(3)]
		pub fn rebond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rebond(who, amount)
		}

		/// Set the minimum active stake to run `tier`. Providers already below it keep their
		/// stake; the gate refuses them from now on.
		///
		/// ## Dispatch Origin
		/// Root.
		///
		/// ## Parameters
		/// - `tier`: the tier.
		/// - `amount`: the new minimum (zero: any positive stake).
		///
		/// Emits `MinStakeSet`.
		#[pallet::call_index(4)]
		pub fn set_min_stake(
			origin: OriginFor<T>,
			tier: Tier,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			Self::do_set_min_stake(tier, amount)
		}

		/// Set the share of every slash paid to the harmed account.
		///
		/// ## Dispatch Origin
		/// Root.
		///
		/// ## Parameters
		/// - `share`: the new share; the rest goes to the treasury.
		///
		/// Emits `HarmedShareSet`.
		#[pallet::call_index(5)]
		pub fn set_harmed_share(origin: OriginFor<T>, share: Perbill) -> DispatchResult {
			ensure_root(origin)?;
			Self::do_set_harmed_share(share)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The stake ledger of `who`, if bonded.
		pub fn ledger(who: T::AccountId) -> Option<StakeLedger<T>> {
			LedgerOf::<T>::get(who)
		}

		/// Whether `who` may run a provision of `tier` (see [`StakeGate`]).
		pub fn can_run(who: T::AccountId, tier: Tier) -> bool {
			Self::passes_gate(&who, tier)
		}
	}
}
