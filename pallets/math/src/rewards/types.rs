use sp_arithmetic::FixedU128;

/// A breakpoint of a piecewise-linear curve: `(x, y)`. `x` is in the caller's unit (parts of a
/// `Perbill`, milliseconds...); breakpoints must be given in strictly increasing `x`.
pub type Breakpoint = (u128, FixedU128);

/// `Perbill` parts of 90%.
const UPTIME_FLOOR: u128 = 900_000_000;
/// `Perbill` parts of 99.95%.
const UPTIME_TOP: u128 = 999_500_000;

/// Uptime multiplier curve, `x` in `Perbill` parts: 0.80 at or below 90% uptime, rising
/// linearly to 1.30 at 99.95% (and above). A provider down one day a month (96.7%) gets about
/// 1.14; an unreliable one never drops below 0.80 (slashing handles the really bad).
pub const UPTIME_POINTS: [Breakpoint; 2] = [
	(UPTIME_FLOOR, FixedU128::from_rational(80, 100)),
	(UPTIME_TOP, FixedU128::from_rational(130, 100)),
];

/// p50 latency multiplier curve, `x` in milliseconds: 1.15 at or below 300 ms, falling linearly
/// to 0.85 at 2000 ms (and above).
pub const LATENCY_POINTS: [Breakpoint; 2] =
	[(300, FixedU128::from_rational(115, 100)), (2_000, FixedU128::from_rational(85, 100))];

/// Network-demand multiplier curve, `x` in `Perbill` parts of utilisation: 0.5 when idle, 1.0 at
/// 50% and 2.0 at 100%, linear in between (steeper above 50% to attract capacity when scarce).
pub const DEMAND_POINTS: [Breakpoint; 3] = [
	(0, FixedU128::from_rational(50, 100)),
	(500_000_000, FixedU128::from_u32(1)),
	(1_000_000_000, FixedU128::from_rational(200, 100)),
];
