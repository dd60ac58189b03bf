//! Storage and call-argument types of the lending pallet.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cxmpute_math::lending::{InterestRateModel, LiquidationParams, MarketState};
use frame_support::{pallet_prelude::BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_arithmetic::{FixedU128, Perbill, Permill};

pub use cxmpute_primitives::oracle::{AssetId, Price};

/// A balance in the smallest unit of an asset (underlying or u-token).
pub type Balance = u128;

/// The highest annual borrow rate a rate model may reach at 100% utilisation: 1000% per year.
///
/// Bounds the per-block compounding so that the borrow index cannot overflow within centuries
/// of accrual at a realistic block time.
pub const MAX_BORROW_RATE: FixedU128 = FixedU128::from_inner(10_000_000_000_000_000_000);

/// The highest liquidation bonus a market may pay: 50%.
pub const MAX_LIQUIDATION_BONUS: Permill = Permill::from_percent(50);

/// A kinked ("jump rate") interest-rate model; all rates are annual (APR).
///
/// `borrow_rate(u) = base_rate + multiplier * min(u, kink) + jump_multiplier * max(u - kink, 0)`
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct RateModel {
	/// Borrow rate per year at 0% utilisation.
	pub base_rate: FixedU128,
	/// Slope below the kink: rate added per year per unit of utilisation.
	pub multiplier: FixedU128,
	/// Slope above the kink: rate added per year per unit of utilisation.
	pub jump_multiplier: FixedU128,
	/// Utilisation at which the slope changes; strictly between 0% and 100%.
	pub kink: Perbill,
}

impl From<RateModel> for InterestRateModel {
	fn from(m: RateModel) -> Self {
		InterestRateModel {
			base_rate: m.base_rate,
			multiplier: m.multiplier,
			jump_multiplier: m.jump_multiplier,
			kink: m.kink,
		}
	}
}

impl From<InterestRateModel> for RateModel {
	fn from(m: InterestRateModel) -> Self {
		RateModel {
			base_rate: m.base_rate,
			multiplier: m.multiplier,
			jump_multiplier: m.jump_multiplier,
			kink: m.kink,
		}
	}
}

/// Governance-set parameters of a market, validated by `create_market` / `update_market`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct MarketParams {
	/// The interest-rate model.
	pub rate_model: RateModel,
	/// Share of the interest that goes to the reserves; below 100%.
	pub reserve_factor: Permill,
	/// Share of the collateral value that may be borrowed against (0: not usable as
	/// collateral); at most `liquidation_threshold`.
	pub collateral_factor: Permill,
	/// Share of the collateral value that counts in the health factor for liquidations;
	/// below 100%, and `liquidation_threshold * (1 + liquidation_bonus)` at most 100%.
	pub liquidation_threshold: Permill,
	/// Extra collateral a liquidator receives on top of the value repaid; at most
	/// [`MAX_LIQUIDATION_BONUS`].
	pub liquidation_bonus: Permill,
	/// Underlying per u-token on the first deposit; non-zero.
	pub initial_exchange_rate: FixedU128,
}

/// A market: its parameters and its state.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct Market<T: Config> {
	/// Governance parameters.
	pub params: MarketParams,
	/// Underlying held for the market, tracked internally: donations to the pallet account do
	/// not change it (first-depositor protection, half one).
	pub cash: Balance,
	/// Sum of the debts at `borrow_index`, rounded down (never overstates what borrowers owe).
	pub total_borrows: Balance,
	/// Underlying owned by the protocol (interest share, flash-loan fees).
	pub total_reserves: Balance,
	/// U-tokens in existence, including `locked`.
	pub total_supply: Balance,
	/// U-tokens locked forever by the first deposit (owned by nobody; first-depositor
	/// protection, half two).
	pub locked: Balance,
	/// Cumulative borrow index, starts at 1 and only grows.
	pub borrow_index: FixedU128,
	/// Block of the last accrual.
	pub accrued_at: BlockNumberFor<T>,
}

impl<T: Config> Market<T> {
	/// The state in the form the math crate uses.
	pub fn state(&self) -> MarketState {
		MarketState {
			cash: self.cash,
			total_borrows: self.total_borrows,
			total_reserves: self.total_reserves,
			total_supply: self.total_supply,
			borrow_index: self.borrow_index,
		}
	}

	/// Replace the state with `s` (the math crate's result).
	pub fn set_state(&mut self, s: MarketState) {
		self.cash = s.cash;
		self.total_borrows = s.total_borrows;
		self.total_reserves = s.total_reserves;
		self.total_supply = s.total_supply;
		self.borrow_index = s.borrow_index;
	}

	/// The liquidation parameters with the pallet's close factor.
	pub fn liquidation_params(&self) -> LiquidationParams {
		LiquidationParams {
			close_factor: T::CloseFactor::get(),
			full_liquidation_health: T::FullLiquidationHealth::get(),
			bonus: self.params.liquidation_bonus,
		}
	}
}

use frame_support::traits::Get;

/// A borrower's debt snapshot in one market.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct BorrowSnapshot {
	/// The debt when the snapshot was taken.
	pub principal: Balance,
	/// The market's borrow index when the snapshot was taken.
	pub index: FixedU128,
}

/// One market an account takes part in.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct AccountMarket {
	/// The market's asset.
	pub asset: AssetId,
	/// Whether the account's u-tokens of this market count as collateral.
	pub collateral: bool,
}

/// The markets of an account, bounded by `MaxMarketsPerAccount`.
pub type AccountMarketsOf<T> = BoundedVec<AccountMarket, <T as Config>::MaxMarketsPerAccount>;

/// How much to redeem.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum RedeemAmount {
	/// Burn exactly this many u-tokens (the underlying paid out rounds down).
	UTokens(Balance),
	/// Receive exactly this much underlying (the u-tokens burnt round up).
	Underlying(Balance),
}

/// Current rates of a market (view function result).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct MarketRates {
	/// `borrows / (cash + borrows - reserves)`, rounded up.
	pub utilisation: FixedU128,
	/// Annual borrow rate.
	pub borrow_rate: FixedU128,
	/// Annual supply rate: `borrow_rate * utilisation * (1 - reserve_factor)`.
	pub supply_rate: FixedU128,
	/// Underlying per u-token, rounded down.
	pub exchange_rate: FixedU128,
}

/// One market's position of an account (view function result).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct PositionSnapshot {
	/// The market's asset.
	pub asset: AssetId,
	/// U-tokens held.
	pub utokens: Balance,
	/// Their value in underlying, rounded down.
	pub supplied: Balance,
	/// Current debt, with interest up to this block, rounded up.
	pub debt: Balance,
	/// Whether the u-tokens count as collateral.
	pub collateral: bool,
}

/// Which oracle prices a health computation accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PriceMode {
	/// Only fresh primary prices (borrowing, redeeming, moving collateral).
	Fresh,
	/// The primary price or the oracle's explicit fallback (liquidations, views).
	WithFallback,
}

/// Which collateral share a health computation applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HealthKind {
	/// `collateral_factor`: how much may be borrowed.
	Borrow,
	/// `liquidation_threshold`: when the position may be liquidated.
	Liquidation,
}
