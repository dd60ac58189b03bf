//! `NetworkUtilisation` for the pallet.

use super::mock::*;
use crate::NetworkUtilisation;
use sp_arithmetic::Perbill;

#[test]
fn utilisation_is_in_flight_over_running_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Matching::utilisation(), None);
		add_inference(1, 10);
		add_inference(2, 10);
		assert_eq!(Matching::utilisation(), Some(Perbill::zero()));
		submit();
		next_block();
		assert_eq!(Matching::utilisation(), Some(Perbill::from_percent(25)));
		edit(2, |p| p.running = false);
		assert_eq!(Matching::utilisation(), Some(Perbill::from_percent(50)));
	});
}
