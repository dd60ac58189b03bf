//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, AssetId, Balance, BookKey, Price};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, traits::fungibles::Inspect};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_orders`], [`Self::try_state_reserves`], [`Self::try_state_book`]
	/// and [`Self::try_state_expiries`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_orders()?;
		Self::try_state_reserves()?;
		Self::try_state_book()?;
		Self::try_state_expiries()?;
		Ok(())
	}

	/// # Invariants
	/// - every order has `0 < remaining <= amount` and an id below `NextOrderId`;
	/// - its locked amount can be computed.
	pub fn try_state_orders() -> Result<(), TryRuntimeError> {
		let next = NextOrderId::<T>::get();
		for (id, order) in Orders::<T>::iter() {
			ensure!(order.remaining > 0, "order with zero remaining");
			ensure!(order.remaining <= order.amount, "order with remaining above amount");
			ensure!(id < next, "order id not below NextOrderId");
			ensure!(order.locked().is_some(), "order lock overflows");
		}
		Ok(())
	}

	/// # Invariants
	/// - `Reserves[asset]` equals the sum of the locked amounts of the open orders locking
	///   `asset` (quote for bids, base for asks);
	/// - the pallet account holds at least `Reserves[asset]` of every asset.
	pub fn try_state_reserves() -> Result<(), TryRuntimeError> {
		let mut locked: BTreeMap<AssetId, Balance> = BTreeMap::new();
		for order in Orders::<T>::iter_values() {
			let sum = locked.entry(order.locked_asset()).or_default();
			*sum =
				sum.checked_add(order.locked().unwrap_or_default()).ok_or("lock sum overflows")?;
		}
		for (asset, reserve) in Reserves::<T>::iter() {
			ensure!(
				locked.get(&asset).copied().unwrap_or_default() == reserve,
				"reserves differ from the orders' locked amounts"
			);
			ensure!(
				T::Assets::balance(asset, &Self::account_id()) >= reserve,
				"pallet account holds less than the reserves"
			);
		}
		for (asset, sum) in locked {
			ensure!(
				Reserves::<T>::get(asset) == sum,
				"reserves differ from the orders' locked amounts"
			);
		}
		Ok(())
	}

	/// # Invariants
	/// For each `(pair, side)`:
	/// - the levels linked from `best` are strictly worse one after the other, each `prev`
	///   points back, and their number is `levels`;
	/// - every level's orders, linked from `head` to `tail`, point back, belong to the level's
	///   pair, side and price, and number `orders`; their remaining amounts sum to `open`;
	/// - the side's `orders` is the sum of its levels' counts;
	/// - every level and every order is reached this way (no orphans).
	pub fn try_state_book() -> Result<(), TryRuntimeError> {
		let mut seen_levels: BTreeSet<(BookKey, Price)> = BTreeSet::new();
		let mut seen_orders = 0usize;
		for (key, book) in Books::<T>::iter() {
			let (pair, side) = key;
			let mut cursor = book.best;
			let mut prev: Option<Price> = None;
			let (mut levels, mut orders) = (0u32, 0u32);
			while let Some(price) = cursor {
				let level = Levels::<T>::get(key, price).ok_or("linked level missing")?;
				ensure!(level.prev == prev, "level prev link broken");
				if let Some(p) = prev {
					ensure!(side.better(p, price), "levels not sorted from best to worst");
				}
				ensure!(seen_levels.insert((key, price)), "level linked twice");
				let (mut count, mut open) = (0u32, 0u128);
				let mut order_cursor = Some(level.head);
				let mut prev_order = None;
				while let Some(id) = order_cursor {
					let order = Orders::<T>::get(id).ok_or("linked order missing")?;
					ensure!(order.prev == prev_order, "order prev link broken");
					ensure!(
						order.pair == pair && order.side == side && order.price == price,
						"order in the wrong level"
					);
					count = count.checked_add(1).ok_or("count overflow")?;
					ensure!(count <= level.orders, "level order count wrong");
					open = open.checked_add(order.remaining).ok_or("open overflow")?;
					prev_order = Some(id);
					order_cursor = order.next;
				}
				ensure!(prev_order == Some(level.tail), "level tail wrong");
				ensure!(count == level.orders && count > 0, "level order count wrong");
				ensure!(open == level.open, "level open amount wrong");
				levels = levels.checked_add(1).ok_or("count overflow")?;
				orders = orders.checked_add(count).ok_or("count overflow")?;
				ensure!(levels <= book.levels, "book level count wrong");
				prev = Some(price);
				cursor = level.next;
			}
			ensure!(levels == book.levels, "book level count wrong");
			ensure!(orders == book.orders, "book order count wrong");
			seen_orders = seen_orders.saturating_add(orders as usize);
		}
		ensure!(Levels::<T>::iter_keys().count() == seen_levels.len(), "orphan level");
		ensure!(Orders::<T>::iter_keys().count() == seen_orders, "orphan order");
		Ok(())
	}

	/// # Invariants
	/// - an order with an expiry is queued exactly at its `expiry_slot`, which lies in
	///   `[expiry, expiry + MAX_EXPIRY_SPILL]`; an order without one has no slot;
	/// - every queued id is an open order whose slot is that queue (no stale ids, no empty
	///   queues).
	pub fn try_state_expiries() -> Result<(), TryRuntimeError> {
		let mut queued = 0usize;
		for (slot, queue) in ExpiriesAt::<T>::iter() {
			ensure!(!queue.is_empty(), "empty expiry queue stored");
			for id in queue.iter() {
				let order = Orders::<T>::get(id).ok_or("expiry queue holds a closed order")?;
				ensure!(order.expiry_slot == Some(slot), "order queued at the wrong block");
				queued = queued.saturating_add(1);
			}
		}
		let mut with_slot = 0usize;
		for order in Orders::<T>::iter_values() {
			match (order.expiry, order.expiry_slot) {
				(None, None) => {},
				(Some(e), Some(s)) => {
					ensure!(
						s >= e && s <= e + crate::MAX_EXPIRY_SPILL.into(),
						"expiry slot out of range"
					);
					with_slot = with_slot.saturating_add(1);
				},
				// An expiry that failed to refund in the hook leaves the queue.
				(Some(_), None) => {},
				(None, Some(_)) => return Err("expiry slot without expiry".into()),
			}
		}
		ensure!(queued == with_slot, "an order with an expiry is not queued");
		Ok(())
	}
}
