//! [`PriceCeiling`] for the pallet: the effective reference prices, for provisions.

use crate::{pallet::*, PriceCeiling, ServiceKind, Tier, UnitPrice};

impl<T: Config> PriceCeiling for Pallet<T> {
	fn ceiling(service: ServiceKind, tier: Tier) -> Option<UnitPrice> {
		Self::reference_price(service, tier)
	}
}
