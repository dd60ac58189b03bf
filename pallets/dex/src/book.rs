//! The book: price levels as a doubly linked list per `(pair, side)`, orders as a FIFO doubly
//! linked list per level. Every operation reads and writes a constant number of entries.

use crate::{pallet::*, BookKey, LevelInfo, OrderId, OrderOf, Pair, Price, PriceLevel, Side};
use alloc::vec::Vec;
use frame_support::ensure;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// Link `order` (not yet stored, with id `id`) at the tail of its price level, creating the
	/// level after `hint` if it does not exist. Sets the order's `prev`/`next`; the caller
	/// stores the order.
	///
	/// # Errors
	/// - [`Error::InvalidHint`] when the level is new and `hint` is not within
	///   [`crate::MAX_HINT_STEPS`] levels of the right position;
	/// - [`Error::Overflow`] when a counter would overflow;
	/// - [`Error::Corruption`] when a linked entry is missing.
	pub(crate) fn book_insert(
		id: OrderId,
		order: &mut OrderOf<T>,
		hint: Option<Price>,
	) -> Result<(), DispatchError> {
		let key = (order.pair, order.side);
		let mut book = Books::<T>::get(key);
		if let Some(mut level) = Levels::<T>::get(key, order.price) {
			let tail = level.tail;
			Orders::<T>::try_mutate(tail, |o| -> Result<(), DispatchError> {
				o.as_mut().ok_or(Error::<T>::Corruption)?.next = Some(id);
				Ok(())
			})?;
			order.prev = Some(tail);
			order.next = None;
			level.tail = id;
			level.orders = level.orders.checked_add(1).ok_or(Error::<T>::Overflow)?;
			level.open = level.open.checked_add(order.remaining).ok_or(Error::<T>::Overflow)?;
			Levels::<T>::insert(key, order.price, level);
		} else {
			let prev = Self::locate(key, book.best, order.price, hint)?;
			let next = match prev {
				None => book.best,
				Some(p) => Levels::<T>::get(key, p).ok_or(Error::<T>::Corruption)?.next,
			};
			match prev {
				None => book.best = Some(order.price),
				Some(p) => Self::set_level_next(key, p, Some(order.price))?,
			}
			if let Some(n) = next {
				Self::set_level_prev(key, n, Some(order.price))?;
			}
			order.prev = None;
			order.next = None;
			Levels::<T>::insert(
				key,
				order.price,
				PriceLevel { prev, next, head: id, tail: id, orders: 1, open: order.remaining },
			);
			book.levels = book.levels.checked_add(1).ok_or(Error::<T>::Overflow)?;
		}
		book.orders = book.orders.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Books::<T>::insert(key, book);
		Ok(())
	}

	/// Unlink `order` from its level, and the level from the book if it becomes empty. The
	/// level's `open` is reduced by the order's `remaining`. The caller removes the order.
	///
	/// # Errors
	/// [`Error::Corruption`] when a linked entry is missing or a count is already zero.
	pub(crate) fn book_remove(id: OrderId, order: &OrderOf<T>) -> Result<(), DispatchError> {
		let key = (order.pair, order.side);
		let mut book = Books::<T>::get(key);
		let mut level = Levels::<T>::get(key, order.price).ok_or(Error::<T>::Corruption)?;
		match order.prev {
			Some(p) => Self::set_order_next(p, order.next)?,
			None => {
				ensure!(level.head == id, Error::<T>::Corruption);
				if let Some(n) = order.next {
					level.head = n;
				}
			},
		}
		match order.next {
			Some(n) => Self::set_order_prev(n, order.prev)?,
			None => {
				ensure!(level.tail == id, Error::<T>::Corruption);
				if let Some(p) = order.prev {
					level.tail = p;
				}
			},
		}
		level.orders = level.orders.checked_sub(1).ok_or(Error::<T>::Corruption)?;
		level.open = level.open.checked_sub(order.remaining).ok_or(Error::<T>::Corruption)?;
		book.orders = book.orders.checked_sub(1).ok_or(Error::<T>::Corruption)?;
		if level.orders == 0 {
			match level.prev {
				Some(p) => Self::set_level_next(key, p, level.next)?,
				None => book.best = level.next,
			}
			if let Some(n) = level.next {
				Self::set_level_prev(key, n, level.prev)?;
			}
			Levels::<T>::remove(key, order.price);
			book.levels = book.levels.checked_sub(1).ok_or(Error::<T>::Corruption)?;
		} else {
			Levels::<T>::insert(key, order.price, level);
		}
		Books::<T>::insert(key, book);
		Ok(())
	}

	/// Reduce the open amount of level `price` by `amount` (a partial fill of one of its
	/// orders).
	///
	/// # Errors
	/// [`Error::Corruption`] when the level is missing or holds less.
	pub(crate) fn book_reduce(
		key: BookKey,
		price: Price,
		amount: u128,
	) -> Result<(), DispatchError> {
		Levels::<T>::try_mutate(key, price, |level| {
			let level = level.as_mut().ok_or(Error::<T>::Corruption)?;
			level.open = level.open.checked_sub(amount).ok_or(Error::<T>::Corruption)?;
			Ok(())
		})
	}

	/// The level after which a new level at `price` goes (`None`: it becomes the best),
	/// starting from `hint` and walking at most [`crate::MAX_HINT_STEPS`] levels.
	///
	/// The position is right when the previous level is better than `price` and the next one
	/// worse: two reads for a right hint.
	///
	/// # Errors
	/// [`Error::InvalidHint`] when `hint` is not a level or too far from the position.
	fn locate(
		key: BookKey,
		best: Option<Price>,
		price: Price,
		hint: Option<Price>,
	) -> Result<Option<Price>, DispatchError> {
		let side = key.1;
		let mut candidate = hint;
		for _ in 0..=crate::MAX_HINT_STEPS {
			match candidate {
				None => match best {
					Some(b) if !side.better(price, b) => candidate = Some(b),
					_ => return Ok(None),
				},
				Some(h) => {
					let level = Levels::<T>::get(key, h).ok_or(Error::<T>::InvalidHint)?;
					if !side.better(h, price) {
						candidate = level.prev;
						continue;
					}
					match level.next {
						Some(n) if !side.better(price, n) => candidate = Some(n),
						_ => return Ok(Some(h)),
					}
				},
			}
		}
		Err(Error::<T>::InvalidHint.into())
	}

	fn set_level_next(key: BookKey, at: Price, next: Option<Price>) -> Result<(), DispatchError> {
		Levels::<T>::try_mutate(key, at, |level| {
			level.as_mut().ok_or(Error::<T>::Corruption)?.next = next;
			Ok(())
		})
	}

	fn set_level_prev(key: BookKey, at: Price, prev: Option<Price>) -> Result<(), DispatchError> {
		Levels::<T>::try_mutate(key, at, |level| {
			level.as_mut().ok_or(Error::<T>::Corruption)?.prev = prev;
			Ok(())
		})
	}

	fn set_order_next(at: OrderId, next: Option<OrderId>) -> Result<(), DispatchError> {
		Orders::<T>::try_mutate(at, |o| {
			o.as_mut().ok_or(Error::<T>::Corruption)?.next = next;
			Ok(())
		})
	}

	fn set_order_prev(at: OrderId, prev: Option<OrderId>) -> Result<(), DispatchError> {
		Orders::<T>::try_mutate(at, |o| {
			o.as_mut().ok_or(Error::<T>::Corruption)?.prev = prev;
			Ok(())
		})
	}

	/// The first `n` levels of `(pair, side)`, best first. Reads `n` levels.
	pub(crate) fn levels_from_best(pair: Pair, side: Side, n: u32) -> Vec<LevelInfo> {
		let key = (pair, side);
		let mut out = Vec::new();
		let mut cursor = Books::<T>::get(key).best;
		while let Some(price) = cursor {
			if out.len() >= n as usize {
				break;
			}
			let Some(level) = Levels::<T>::get(key, price) else { break };
			out.push(LevelInfo { price, open: level.open, orders: level.orders });
			cursor = level.next;
		}
		out
	}

	/// The right `hint` for a new order at `price` on `(pair, side)`: the worst existing level
	/// strictly better than `price`, or `None`. Walks the book from the best (for clients: O(n)
	/// reads).
	pub(crate) fn find_hint(pair: Pair, side: Side, price: Price) -> Option<Price> {
		let key = (pair, side);
		let mut hint = None;
		let mut cursor = Books::<T>::get(key).best;
		while let Some(at) = cursor {
			if !side.better(at, price) {
				break;
			}
			hint = Some(at);
			cursor = Levels::<T>::get(key, at).and_then(|level| level.next);
		}
		hint
	}
}
