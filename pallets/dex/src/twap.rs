//! The TWAP of each pair: an accumulator of the traded price over blocks, with a bounded ring
//! of observations.

use crate::{pallet::*, Pair, Price, StoredAccumulator, StoredObservation, LOG_TARGET};
use alloc::vec::Vec;
use cxmpute_math::{
	fixed::mul_div_floor,
	orderbook::{twap, Observation, TwapAccumulator},
};
use frame_support::traits::Get;
use sp_runtime::SaturatedConversion;

impl<T: Config> Pallet<T> {
	/// The current block as the TWAP's time unit.
	fn now_u64() -> u64 {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	/// Record that `pair` traded at `price` now.
	///
	/// Formula: `cumulative += last_price * (now - last_timestamp)`, then `last_price = price`
	/// (see [`TwapAccumulator::update`]). An observation `(now, cumulative)` is appended when the
	/// newest one is at least `ObservationInterval` blocks old, dropping the oldest beyond
	/// `MaxObservations`. Never fails: should the accumulator overflow, it restarts from `price`
	/// with no history (logged).
	pub(crate) fn record_price(pair: Pair, price: Price) {
		let now = Self::now_u64();
		let Some(stored) = TwapOf::<T>::get(pair) else {
			Self::restart_twap(pair, price, now);
			return;
		};
		let Ok(updated) = TwapAccumulator::from(stored).update(price, now) else {
			log::warn!(target: LOG_TARGET, "TWAP of {pair:?} overflowed; restarting it");
			Self::restart_twap(pair, price, now);
			return;
		};
		TwapOf::<T>::insert(pair, StoredAccumulator::from(updated));
		ObservationsOf::<T>::mutate(pair, |ring| {
			let due = ring.last().is_none_or(|last| {
				now.saturating_sub(last.timestamp) >= u64::from(T::ObservationInterval::get())
			});
			if due {
				if ring.is_full() {
					ring.remove(0);
				}
				let _ = ring
					.try_push(StoredObservation { timestamp: now, cumulative: updated.cumulative });
			}
		});
	}

	fn restart_twap(pair: Pair, price: Price, now: u64) {
		TwapOf::<T>::insert(pair, StoredAccumulator::from(TwapAccumulator::new(price, now)));
		let mut ring = crate::types::ObservationRingOf::<T>::default();
		let _ = ring.try_push(StoredObservation { timestamp: now, cumulative: 0 });
		ObservationsOf::<T>::insert(pair, ring);
	}

	/// The average traded price of `pair` over the last `window` blocks.
	///
	/// Formula: `(cumulative(now) - cumulative(now - window)) / window`, where
	/// `cumulative(now)` extends the accumulator with its last price, and `cumulative(target)`
	/// is interpolated linearly between the two points around `target` (the stored
	/// observations and the accumulator's last update). The interpolation is exact when every
	/// update is observed (`ObservationInterval` of 1: the price is constant between updates)
	/// and averages the prices between the two points otherwise. `None` when `window` is zero
	/// or the history does not reach `now - window`.
	pub(crate) fn pair_twap(pair: Pair, window: u32) -> Option<Price> {
		if window == 0 {
			return None;
		}
		let now = Self::now_u64();
		let target = now.checked_sub(u64::from(window))?;
		let acc = TwapAccumulator::from(TwapOf::<T>::get(pair)?);
		let current = acc.observe(now).ok()?;
		let mut points: Vec<Observation> =
			ObservationsOf::<T>::get(pair).iter().map(|o| Observation::from(*o)).collect();
		if points.last().is_none_or(|last| last.timestamp < acc.last_timestamp) {
			points.push(Observation { timestamp: acc.last_timestamp, cumulative: acc.cumulative });
		}
		let i = points.iter().rposition(|p| p.timestamp <= target)?;
		let at = points.get(i)?;
		let cumulative = match points.get(i.saturating_add(1)) {
			// Past the last update: the last price is in force.
			None => acc.observe(target).ok()?.cumulative,
			Some(next) => {
				let span = next.timestamp.checked_sub(at.timestamp)?;
				let part = target.checked_sub(at.timestamp)?;
				let delta = next.cumulative.wrapping_sub(at.cumulative);
				let add = mul_div_floor(delta, u128::from(part), u128::from(span)).ok()?;
				at.cumulative.wrapping_add(add)
			},
		};
		twap(Observation { timestamp: target, cumulative }, current).ok()
	}
}
