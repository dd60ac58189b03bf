//! Order lifecycle: validation, placing (match then rest), cancelling, transferring, expiry,
//! and the escrow that backs resting orders.

use crate::{
	pallet::*, Balance, MatchOutcome, Order, OrderId, OrderOf, Pair, Price, Side, TakerOrder,
	WeightInfo, LOG_TARGET, MAX_EXPIRY_SPILL,
};
use cxmpute_math::{fixed::Rounding, orderbook::quote_for, MathError};
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
		Get,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, One, Saturating},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// The account escrowing locked funds.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// A math error as a pallet error: overflow is the user's, anything else a bug.
	pub(crate) fn math_error(e: MathError) -> Error<T> {
		match e {
			MathError::Overflow => Error::<T>::Overflow,
			_ => Error::<T>::Corruption,
		}
	}

	/// Check that `pair` is two distinct existing assets.
	///
	/// # Errors
	/// [`Error::SameAsset`], [`Error::UnknownAsset`].
	pub(crate) fn ensure_pair(pair: Pair) -> Result<(), DispatchError> {
		ensure!(pair.base != pair.quote, Error::<T>::SameAsset);
		ensure!(
			T::Assets::asset_exists(pair.base) && T::Assets::asset_exists(pair.quote),
			Error::<T>::UnknownAsset
		);
		Ok(())
	}

	/// Match a limit order against the opposite side up to `price`, then rest the remainder.
	///
	/// # Errors
	/// - [`Error::ZeroAmount`], [`Error::AmountBelowMinimum`], [`Error::ZeroQuote`],
	///   [`Error::PriceOutOfBounds`], [`Error::InvalidMaxFills`], [`Error::ExpiryInPast`] and
	///   those of [`Self::ensure_pair`] for bad input;
	/// - [`Error::StillCrossing`] when `max_fills` makers were consumed and the remainder still
	///   crosses the book;
	/// - those of [`Self::do_match`] and [`Self::rest_order`].
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_place_limit_order(
		who: T::AccountId,
		pair: Pair,
		side: Side,
		price: Price,
		amount: Balance,
		expiry: Option<BlockNumberFor<T>>,
		hint: Option<Price>,
		max_fills: u32,
	) -> Result<MatchOutcome, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::ensure_pair(pair)?;
		ensure!(
			price >= T::MinPrice::get() && price <= T::MaxPrice::get(),
			Error::<T>::PriceOutOfBounds
		);
		ensure!(amount >= T::MinOrderAmount::get(), Error::<T>::AmountBelowMinimum);
		ensure!(max_fills <= T::MaxFills::get(), Error::<T>::InvalidMaxFills);
		let quote = quote_for(amount, price, Rounding::Down).map_err(Self::math_error)?;
		ensure!(quote > 0, Error::<T>::ZeroQuote);
		if let Some(e) = expiry {
			ensure!(e > frame_system::Pallet::<T>::block_number(), Error::<T>::ExpiryInPast);
		}

		let outcome =
			Self::do_match(&who, TakerOrder { pair, side, limit: Some(price), amount, max_fills })?;
		let rest = amount.checked_sub(outcome.base).ok_or(Error::<T>::Corruption)?;
		if rest > 0 {
			if let Some(best) = Books::<T>::get((pair, side.opposite())).best {
				ensure!(!Self::crosses(side, price, best), Error::<T>::StillCrossing);
			}
			Self::rest_order(who, pair, side, price, rest, expiry, hint)?;
		}
		Ok(outcome)
	}

	/// Whether a taker on `side` with limit `limit` trades with a maker at `maker_price`.
	pub(crate) fn crosses(side: Side, limit: Price, maker_price: Price) -> bool {
		match side {
			Side::Bid => maker_price <= limit,
			Side::Ask => maker_price >= limit,
		}
	}

	/// Lock what the order needs in escrow and link a new order of `amount` on the book.
	///
	/// # Errors
	/// - the asset's transfer error when `who` cannot pay the lock;
	/// - [`Error::ExpiryQueueFull`], [`Error::InvalidHint`], [`Error::Overflow`].
	pub(crate) fn rest_order(
		who: T::AccountId,
		pair: Pair,
		side: Side,
		price: Price,
		amount: Balance,
		expiry: Option<BlockNumberFor<T>>,
		hint: Option<Price>,
	) -> Result<OrderId, DispatchError> {
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let mut order = Order {
			owner: who.clone(),
			pair,
			side,
			price,
			amount,
			remaining: amount,
			expiry,
			expiry_slot: None,
			prev: None,
			next: None,
		};
		let lock = order.locked().ok_or(Error::<T>::Overflow)?;
		Self::pay_in(order.locked_asset(), &who, lock)?;
		if let Some(e) = expiry {
			order.expiry_slot = Some(Self::enqueue_expiry(id, e)?);
		}
		Self::book_insert(id, &mut order, hint)?;
		Orders::<T>::insert(id, order);
		Self::deposit_event(Event::OrderPlaced {
			id,
			owner: who,
			pair,
			side,
			price,
			amount,
			expiry,
		});
		Ok(id)
	}

	/// Move `amount` of `asset` from `who` into escrow and track it in [`Reserves`].
	///
	/// # Errors
	/// The asset's transfer error; [`Error::Overflow`].
	pub(crate) fn pay_in(
		asset: crate::AssetId,
		who: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		Reserves::<T>::try_mutate(asset, |r| -> Result<(), DispatchError> {
			*r = r.checked_add(amount).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})?;
		T::Assets::transfer(asset, who, &Self::account_id(), amount, Preservation::Expendable)?;
		Ok(())
	}

	/// Release `amount` of `asset` from the tracked reserves (the caller pays it out with
	/// [`Self::pay_from_escrow`]).
	///
	/// # Errors
	/// [`Error::Corruption`] when the reserves hold less.
	pub(crate) fn release(asset: crate::AssetId, amount: Balance) -> Result<(), DispatchError> {
		Reserves::<T>::try_mutate(asset, |r| -> Result<(), DispatchError> {
			*r = r.checked_sub(amount).ok_or(Error::<T>::Corruption)?;
			Ok(())
		})
	}

	/// Transfer `amount` of `asset` from the pallet account to `to`.
	///
	/// # Errors
	/// The asset's transfer error.
	pub(crate) fn pay_from_escrow(
		asset: crate::AssetId,
		to: &T::AccountId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		if amount == 0 {
			return Ok(());
		}
		T::Assets::transfer(asset, &Self::account_id(), to, amount, Preservation::Expendable)?;
		Ok(())
	}

	/// Unlink an order, refund its locked remainder to its owner and delete it. Returns the
	/// refund.
	///
	/// # Errors
	/// [`Error::Corruption`] on inconsistent storage; the asset's transfer error.
	pub(crate) fn remove_order(id: OrderId, order: &OrderOf<T>) -> Result<Balance, DispatchError> {
		Self::book_remove(id, order)?;
		Self::dequeue_expiry(id, order);
		let refund = order.locked().ok_or(Error::<T>::Overflow)?;
		let asset = order.locked_asset();
		Self::release(asset, refund)?;
		Self::pay_from_escrow(asset, &order.owner, refund)?;
		Orders::<T>::remove(id);
		Ok(refund)
	}

	/// Cancel order `id` of `who`.
	///
	/// # Errors
	/// [`Error::UnknownOrder`], [`Error::NotOwner`]; those of [`Self::remove_order`].
	pub(crate) fn do_cancel_order(who: T::AccountId, id: OrderId) -> Result<(), DispatchError> {
		let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.owner == who, Error::<T>::NotOwner);
		let refunded = Self::remove_order(id, &order)?;
		Self::deposit_event(Event::OrderCancelled { id, owner: who, refunded });
		Ok(())
	}

	/// Give order `id` of `who` to `to`.
	///
	/// # Errors
	/// [`Error::UnknownOrder`], [`Error::NotOwner`].
	pub(crate) fn do_transfer_order(
		who: T::AccountId,
		id: OrderId,
		to: T::AccountId,
	) -> Result<(), DispatchError> {
		Orders::<T>::try_mutate(id, |order| -> Result<(), DispatchError> {
			let order = order.as_mut().ok_or(Error::<T>::UnknownOrder)?;
			ensure!(order.owner == who, Error::<T>::NotOwner);
			order.owner = to.clone();
			Ok(())
		})?;
		Self::deposit_event(Event::OrderTransferred { id, from: who, to });
		Ok(())
	}

	/// Queue `id` for expiry at block `expiry`, or the first later block (at most
	/// [`MAX_EXPIRY_SPILL`] later) whose queue has room. Returns the block.
	///
	/// # Errors
	/// [`Error::ExpiryQueueFull`].
	pub(crate) fn enqueue_expiry(
		id: OrderId,
		expiry: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut slot = expiry;
		for _ in 0..=MAX_EXPIRY_SPILL {
			if ExpiriesAt::<T>::try_mutate(slot, |queue| queue.try_push(id)).is_ok() {
				return Ok(slot);
			}
			slot = slot.saturating_add(One::one());
		}
		Err(Error::<T>::ExpiryQueueFull.into())
	}

	/// Take `id` out of its expiry queue, if any.
	pub(crate) fn dequeue_expiry(id: OrderId, order: &OrderOf<T>) {
		if let Some(slot) = order.expiry_slot {
			ExpiriesAt::<T>::mutate_exists(slot, |queue| {
				if let Some(q) = queue {
					q.retain(|x| *x != id);
					if q.is_empty() {
						*queue = None;
					}
				}
			});
		}
	}

	/// Expire the orders queued at block `now`, refunding their owners. An order whose refund
	/// fails stays on the book (takers will retry removing it) and is logged.
	pub(crate) fn do_expire(now: BlockNumberFor<T>) -> Weight {
		let queue = ExpiriesAt::<T>::take(now);
		let n = queue.len() as u32;
		for id in queue {
			let Some(mut order) = Orders::<T>::get(id) else { continue };
			// Already out of the queue.
			order.expiry_slot = None;
			let result = with_storage_layer(|| -> Result<Balance, DispatchError> {
				let refunded = Self::remove_order(id, &order)?;
				Ok(refunded)
			});
			match result {
				Ok(refunded) => {
					Self::deposit_event(Event::OrderExpired { id, owner: order.owner, refunded })
				},
				Err(e) => {
					// Keep it findable: without a slot it is only removed by a taker or cancel.
					Orders::<T>::insert(id, order);
					log::warn!(target: LOG_TARGET, "could not expire order {id}: {e:?}");
				},
			}
		}
		T::WeightInfo::on_initialize(n)
	}
}
