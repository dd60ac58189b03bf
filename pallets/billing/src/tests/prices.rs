//! Reference prices, [`crate::PriceCeiling`] and the admin's overrides.

use super::mock::*;
use crate::{default_reference_price, Event, ReferencePrice};
use cxmpute_primitives::{PriceCeiling, ServiceKind, Tier};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn ceiling(service: ServiceKind, tier: Tier) -> Option<u128> {
	<Billing as PriceCeiling>::ceiling(service, tier)
}

#[test]
fn default_ceilings_follow_the_reference_table() {
	ExtBuilder::default().build_and_execute(|| {
		let cases: [(ServiceKind, Tier, Option<u128>, &str); 11] = [
			(ServiceKind::Inference, Tier::TidePool, Some(300), "$0.00030 / 1K output"),
			(ServiceKind::Inference, Tier::BlueSurge, Some(700), "$0.00070 / 1K output"),
			(ServiceKind::Inference, Tier::OpenOcean, Some(2_400), "$0.00240 / 1K output"),
			(ServiceKind::Inference, Tier::MarianaDepth, Some(7_000), "$0.00700 / 1K output"),
			(ServiceKind::Embeddings, Tier::TidePool, Some(20), "$0.00002 / 1K tokens"),
			(ServiceKind::Embeddings, Tier::MarianaDepth, Some(20), "same in every tier"),
			(ServiceKind::TextToSpeech, Tier::OpenOcean, Some(8_000), "$0.008 / minute"),
			(ServiceKind::WebScraping, Tier::BlueSurge, Some(600), "$0.0006 / page"),
			(ServiceKind::Container, Tier::TidePool, None, "no ceiling"),
			(ServiceKind::Serverless, Tier::OpenOcean, None, "no ceiling"),
			(ServiceKind::Rental, Tier::MarianaDepth, None, "no ceiling"),
		];
		for (service, tier, expected, desc) in cases {
			assert_eq!(ceiling(service, tier), expected, "{desc}");
			assert_eq!(default_reference_price(service, tier), expected, "{desc}");
		}
		// Input tokens cost half the output price through the metering rule.
		let usage = cxmpute_primitives::JobUsage { input_tokens: 1_000, ..Default::default() };
		assert_eq!(
			cxmpute_primitives::job_cost(
				ServiceKind::Inference,
				ceiling(ServiceKind::Inference, Tier::TidePool).unwrap(),
				&usage
			),
			Some(150)
		);
	});
}

#[test]
fn admin_overrides_and_resets_ceilings() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Billing::set_reference_price(
			RuntimeOrigin::root(),
			ServiceKind::Container,
			Tier::OpenOcean,
			Some(1_000)
		));
		System::assert_last_event(
			Event::ReferencePriceSet {
				service: ServiceKind::Container,
				tier: Tier::OpenOcean,
				price: Some(1_000),
			}
			.into(),
		);
		assert_eq!(ceiling(ServiceKind::Container, Tier::OpenOcean), Some(1_000));
		assert_eq!(ceiling(ServiceKind::Container, Tier::TidePool), None, "other tiers unchanged");
		assert_ok!(Billing::set_reference_price(
			RuntimeOrigin::root(),
			ServiceKind::Inference,
			Tier::TidePool,
			None
		));
		assert_eq!(ceiling(ServiceKind::Inference, Tier::TidePool), None, "ceiling removed");
		assert_ok!(Billing::reset_reference_price(
			RuntimeOrigin::root(),
			ServiceKind::Inference,
			Tier::TidePool
		));
		System::assert_last_event(
			Event::ReferencePriceReset { service: ServiceKind::Inference, tier: Tier::TidePool }
				.into(),
		);
		assert_eq!(ceiling(ServiceKind::Inference, Tier::TidePool), Some(300));
		assert_noop!(
			Billing::set_reference_price(
				RuntimeOrigin::signed(ALICE),
				ServiceKind::Inference,
				Tier::TidePool,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Billing::reset_reference_price(
				RuntimeOrigin::signed(ALICE),
				ServiceKind::Inference,
				Tier::TidePool
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn reference_prices_view_lists_every_entry() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Billing::set_reference_price(
			RuntimeOrigin::root(),
			ServiceKind::Rental,
			Tier::BlueSurge,
			Some(9)
		));
		let table = Billing::reference_prices();
		assert_eq!(table.len(), ServiceKind::ALL.len() * Tier::ALL.len());
		for row in &table {
			assert_eq!(row.price, ceiling(row.service, row.tier));
		}
		assert!(table.contains(&ReferencePrice {
			service: ServiceKind::Rental,
			tier: Tier::BlueSurge,
			price: Some(9),
			overridden: true
		}));
		assert_eq!(table.iter().filter(|r| r.overridden).count(), 1);
	});
}
