//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{aggregate, pallet::*, ProvisionId, WindowFor};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check all invariants of the pallet.
	///
	/// # Invariants
	/// See [`Self::try_state_windows`], [`Self::try_state_health`] and
	/// [`Self::try_state_last_reports`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_windows()?;
		Self::try_state_health()?;
		Self::try_state_last_reports()?;
		Ok(())
	}

	/// # Invariants
	/// - every window holds between 1 and `Window` outcomes;
	/// - a provision has at most `MaxAuthorities` windows.
	pub fn try_state_windows() -> Result<(), TryRuntimeError> {
		let mut per_provision: BTreeMap<ProvisionId, u32> = BTreeMap::new();
		for (provision, _, window) in ProbesOf::<T>::iter() {
			ensure!(!window.is_empty(), "empty probe window");
			ensure!(window.len() as u32 <= T::Window::get(), "probe window longer than Window");
			let count = per_provision.entry(provision).or_default();
			*count = count.saturating_add(1);
		}
		ensure!(
			per_provision.values().all(|count| *count <= T::MaxAuthorities::get()),
			"provision with more than MaxAuthorities windows"
		);
		Ok(())
	}

	/// # Invariants
	/// - a provision has stats in `HealthOf` iff it has at least one window;
	/// - its stats equal the aggregation of all its windows (so `reporters` is its number of
	///   windows, at most `MaxAuthorities`: the set may have shrunk since the last report, so
	///   the bound is `MaxAuthorities`, not the current set's size).
	pub fn try_state_health() -> Result<(), TryRuntimeError> {
		let mut windows: BTreeMap<ProvisionId, Vec<WindowFor<T>>> = BTreeMap::new();
		for (provision, _, window) in ProbesOf::<T>::iter() {
			windows.entry(provision).or_default().push(window);
		}
		for (provision, stats) in HealthOf::<T>::iter() {
			let of =
				windows.get(&provision).ok_or("health stats of a provision without windows")?;
			let expected = aggregate::combine(of.iter().map(|window| &window[..]));
			ensure!(stats == expected, "health stats differ from their windows");
			ensure!(
				stats.reporters <= T::MaxAuthorities::get(),
				"more reporters than MaxAuthorities"
			);
		}
		ensure!(
			windows.keys().all(HealthOf::<T>::contains_key),
			"windows of a provision without health stats"
		);
		Ok(())
	}

	/// # Invariants
	/// - `LastReports` names each authority at most once.
	pub fn try_state_last_reports() -> Result<(), TryRuntimeError> {
		let mut authorities: Vec<_> = LastReports::<T>::get().into_iter().map(|(a, _)| a).collect();
		let len = authorities.len();
		authorities.sort();
		authorities.dedup();
		ensure!(authorities.len() == len, "authority twice in LastReports");
		Ok(())
	}
}
