//! Pure aggregation of probe windows into [`HealthStats`] (no storage access).
//!
//! - Per authority (one window): `uptime = ok / total` (`Permill`, rounded down by
//!   `Permill::from_rational`), `p50 = lower_median(latencies of ok probes)` (none when no probe
//!   succeeded).
//! - Per provision: `uptime = lower_median(authorities' uptimes)`, `p50_latency_ms =
//!   lower_median(authorities' p50s)` (0 when no authority has a p50), `reporters = number of
//!   windows`.

use crate::{HealthStats, ProbeOutcome};
use alloc::vec::Vec;
use sp_arithmetic::Permill;

/// The lower median of `values`: sorted ascending, the value at index `(n - 1) / 2`; for an
/// even count the lower of the two middle values. `None` when `values` is empty.
pub fn lower_median<V: Ord + Copy>(mut values: Vec<V>) -> Option<V> {
	if values.is_empty() {
		return None;
	}
	values.sort_unstable();
	let index = (values.len() - 1) / 2;
	values.get(index).copied()
}

/// One authority's figures over its `window`: `(ok / total, lower median latency of ok probes)`.
/// An empty window gives `(0, None)`.
pub fn window_stats(window: &[ProbeOutcome]) -> (Permill, Option<u32>) {
	let latencies: Vec<u32> = window.iter().filter_map(|outcome| *outcome).collect();
	let total = window.len() as u32;
	let uptime = if total == 0 {
		Permill::zero()
	} else {
		Permill::from_rational(latencies.len() as u32, total)
	};
	(uptime, lower_median(latencies))
}

/// Combine the windows of one provision (one per authority) into its [`HealthStats`]; see the
/// module docs for the formulas.
pub fn combine<'a>(windows: impl IntoIterator<Item = &'a [ProbeOutcome]>) -> HealthStats {
	let mut uptimes = Vec::new();
	let mut p50s = Vec::new();
	for window in windows {
		let (uptime, p50) = window_stats(window);
		uptimes.push(uptime);
		if let Some(p50) = p50 {
			p50s.push(p50);
		}
	}
	let reporters = uptimes.len() as u32;
	HealthStats {
		uptime: lower_median(uptimes).unwrap_or_default(),
		p50_latency_ms: lower_median(p50s).unwrap_or(0),
		reporters,
	}
}
