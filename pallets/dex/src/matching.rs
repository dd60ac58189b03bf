//! The matching engine: a taker against the opposite side, best price first and oldest first
//! at a price, settled with the drift-free fill maths of `cxmpute-math`.

use crate::{pallet::*, Balance, MatchOutcome, Pair, Side, TakerOrder};
use cxmpute_math::orderbook::{fee, fill};
use frame_support::{
	ensure,
	traits::{fungibles::Mutate, tokens::Preservation, Get},
};
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// Trade up to `amount` base against the best prices, immediately or not at all, within
	/// the slippage bound `quote_limit` (the most quote a buyer pays, the least quote a seller
	/// receives after the fee).
	///
	/// # Errors
	/// - [`Error::ZeroAmount`], [`Error::InvalidMaxFills`] and those of
	///   [`Self::ensure_pair`] for bad input;
	/// - [`Error::NoLiquidity`] when nothing traded;
	/// - [`Error::SlippageExceeded`] when `quote_limit` is not met;
	/// - those of [`Self::do_match`].
	pub(crate) fn do_place_market_order(
		who: T::AccountId,
		pair: Pair,
		side: Side,
		amount: Balance,
		quote_limit: Balance,
		max_fills: u32,
	) -> Result<MatchOutcome, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::ensure_pair(pair)?;
		ensure!(max_fills >= 1 && max_fills <= T::MaxFills::get(), Error::<T>::InvalidMaxFills);
		let outcome =
			Self::do_match(&who, TakerOrder { pair, side, limit: None, amount, max_fills })?;
		ensure!(outcome.base > 0, Error::<T>::NoLiquidity);
		match side {
			Side::Bid => ensure!(outcome.quote <= quote_limit, Error::<T>::SlippageExceeded),
			Side::Ask => ensure!(
				outcome.quote.saturating_sub(outcome.fee) >= quote_limit,
				Error::<T>::SlippageExceeded
			),
		}
		Ok(outcome)
	}

	/// Match `taker`'s order against the opposite side of the book.
	///
	/// Each step takes the oldest order at the best price. An expired maker is removed
	/// (refunded) instead; either way it counts against `max_fills`. A fill of `take =
	/// min(remaining, maker.remaining)` is priced by [`fill`]:
	/// - ask maker (taker buys): the taker pays `maker_quote` to the maker and `surplus` to the
	///   fee account, and receives `take` base from escrow;
	/// - bid maker (taker sells): the taker pays `take` base to the maker, and escrow releases
	///   `maker_quote` quote: `taker_quote` to the taker, `surplus` to the fee account.
	///
	/// At the end the taker fee `ceil(received * TakerFee)` is kept from what the taker receives
	/// and sent to [`Config::FeeAccount`], and the pair's TWAP records the last traded price.
	///
	/// # Errors
	/// - [`Error::SelfTrade`] when the taker reaches its own order;
	/// - [`Error::Overflow`] when a sum does not fit;
	/// - the assets' transfer errors (the taker cannot pay);
	/// - [`Error::Corruption`] on inconsistent storage.
	pub(crate) fn do_match(
		taker: &T::AccountId,
		order: TakerOrder,
	) -> Result<MatchOutcome, DispatchError> {
		let maker_side = order.side.opposite();
		let key = (order.pair, maker_side);
		let now = frame_system::Pallet::<T>::block_number();
		let mut out = MatchOutcome::default();
		let mut remaining = order.amount;
		// What the taker receives from escrow (base from asks, quote from bids), before fee.
		let mut received: Balance = 0;
		let mut surplus: Balance = 0;
		let mut last_price = None;

		while remaining > 0 && out.fills < order.max_fills {
			let Some(best) = Books::<T>::get(key).best else { break };
			if let Some(limit) = order.limit {
				if !Self::crosses(order.side, limit, best) {
					break;
				}
			}
			let level = Levels::<T>::get(key, best).ok_or(Error::<T>::Corruption)?;
			let id = level.head;
			let mut maker = Orders::<T>::get(id).ok_or(Error::<T>::Corruption)?;
			out.fills = out.fills.saturating_add(1);
			if maker.expiry.is_some_and(|e| now >= e) {
				let refunded = Self::remove_order(id, &maker)?;
				Self::deposit_event(Event::OrderExpired { id, owner: maker.owner, refunded });
				continue;
			}
			ensure!(maker.owner != *taker, Error::<T>::SelfTrade);

			let take = remaining.min(maker.remaining);
			let f = fill(maker_side.to_math(), maker.price, maker.amount, maker.filled(), take)
				.map_err(Self::math_error)?;
			let pair = order.pair;
			match maker_side {
				Side::Ask => {
					if f.maker_quote > 0 {
						T::Assets::transfer(
							pair.quote,
							taker,
							&maker.owner,
							f.maker_quote,
							Preservation::Expendable,
						)?;
					}
					Self::release(pair.base, take)?;
					received = received.checked_add(take).ok_or(Error::<T>::Overflow)?;
				},
				Side::Bid => {
					T::Assets::transfer(
						pair.base,
						taker,
						&maker.owner,
						take,
						Preservation::Expendable,
					)?;
					Self::release(pair.quote, f.maker_quote)?;
					received = received.checked_add(f.taker_quote).ok_or(Error::<T>::Overflow)?;
				},
			}
			surplus = surplus.checked_add(f.surplus).ok_or(Error::<T>::Overflow)?;
			out.quote = out.quote.checked_add(f.taker_quote).ok_or(Error::<T>::Overflow)?;
			out.base = out.base.checked_add(take).ok_or(Error::<T>::Overflow)?;
			remaining = remaining.checked_sub(take).ok_or(Error::<T>::Corruption)?;

			Self::book_reduce(key, maker.price, take)?;
			maker.remaining = maker.remaining.checked_sub(take).ok_or(Error::<T>::Corruption)?;
			if maker.remaining == 0 {
				Self::book_remove(id, &maker)?;
				Self::dequeue_expiry(id, &maker);
				Orders::<T>::remove(id);
			} else {
				Orders::<T>::insert(id, &maker);
			}
			last_price = Some(maker.price);
			Self::deposit_event(Event::OrderFilled {
				id,
				owner: maker.owner,
				taker: taker.clone(),
				base: take,
				quote: f.maker_quote,
				remaining: maker.remaining,
			});
		}

		if out.base > 0 {
			let pair = order.pair;
			out.fee = fee(received, TakerFee::<T>::get()).map_err(Self::math_error)?;
			let to_taker = received.checked_sub(out.fee).ok_or(Error::<T>::Corruption)?;
			let fee_account = T::FeeAccount::get();
			match maker_side {
				Side::Ask => {
					Self::pay_from_escrow(pair.base, taker, to_taker)?;
					Self::pay_from_escrow(pair.base, &fee_account, out.fee)?;
					if surplus > 0 {
						T::Assets::transfer(
							pair.quote,
							taker,
							&fee_account,
							surplus,
							Preservation::Expendable,
						)?;
					}
				},
				Side::Bid => {
					Self::pay_from_escrow(pair.quote, taker, to_taker)?;
					let to_fees = out.fee.checked_add(surplus).ok_or(Error::<T>::Overflow)?;
					Self::pay_from_escrow(pair.quote, &fee_account, to_fees)?;
				},
			}
			if let Some(price) = last_price {
				Self::record_price(pair, price);
			}
			Self::deposit_event(Event::Traded {
				taker: taker.clone(),
				pair,
				side: order.side,
				base: out.base,
				quote: out.quote,
				fee: out.fee,
				fills: out.fills,
			});
		}
		Ok(out)
	}
}
