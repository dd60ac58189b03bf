//! Base points per tier and per specialised service, and how awards are stored.

use super::mock::*;
use crate::{Event, IgnoreReason, JobUsage, ServiceKind, Tier};

/// The milli-points one job of `service` with `usage` earns on a fresh `tier` provision
/// (unmeasured health, neutral demand).
fn points_for(tier: Tier, service: ServiceKind, usage: JobUsage) -> u128 {
	let id = provision(7, tier);
	job(id, service, usage);
	let points = Rewards::points_of(0, 7);
	crate::PointsOf::<Test>::remove(0, 7);
	crate::EpochPoints::<Test>::remove(0);
	points
}

#[test]
fn per_request_points_follow_the_tier_table() {
	ExtBuilder::default().build_and_execute(|| {
		// (tier, expected milli-points)
		let table = [
			(Tier::TidePool, 1_000),
			(Tier::BlueSurge, 3_000),
			(Tier::OpenOcean, 7_000),
			(Tier::MarianaDepth, 15_000),
		];
		for service in [
			ServiceKind::Inference,
			ServiceKind::Container,
			ServiceKind::Serverless,
			ServiceKind::Rental,
		] {
			for (tier, expected) in table {
				assert_eq!(
					points_for(tier, service, JobUsage::default()),
					expected,
					"{service:?} on {tier:?}"
				);
			}
		}
	});
}

#[test]
fn specialised_services_are_paid_pro_rata_and_round_down() {
	ExtBuilder::default().build_and_execute(|| {
		let tts = |s| JobUsage { audio_seconds: s, ..Default::default() };
		let pages = |p| JobUsage { pages: p, ..Default::default() };
		let tokens = |i, o| JobUsage { input_tokens: i, output_tokens: o, ..Default::default() };
		// (service, usage, expected milli-points, description)
		let cases: [(ServiceKind, JobUsage, u128, &str); 12] = [
			(ServiceKind::TextToSpeech, tts(60), 2_000, "one minute: 2 points"),
			(ServiceKind::TextToSpeech, tts(90), 3_000, "a minute and a half"),
			(ServiceKind::TextToSpeech, tts(1), 33, "one second: 2000/60 rounded down"),
			(ServiceKind::TextToSpeech, tts(59), 1_966, "59 s rounds down"),
			(ServiceKind::WebScraping, pages(1), 500, "one page: half a point"),
			(ServiceKind::WebScraping, pages(3), 1_500, "three pages"),
			(ServiceKind::Embeddings, tokens(1_000, 0), 1_000, "1K input tokens"),
			(ServiceKind::Embeddings, tokens(1_000, 500), 1_500, "input plus output"),
			(ServiceKind::Embeddings, tokens(1, 0), 1, "one token: one milli-point"),
			(ServiceKind::Embeddings, tokens(0, 2_999), 2_999, "output only"),
			(
				ServiceKind::Embeddings,
				tokens(u64::MAX, u64::MAX),
				36_893_488_147_419_103_230,
				"2^65 - 2 tokens",
			),
			(ServiceKind::WebScraping, pages(u32::MAX), 500 * u32::MAX as u128, "many pages"),
		];
		for (service, usage, expected, desc) in cases {
			for tier in Tier::ALL {
				assert_eq!(points_for(tier, service, usage), expected, "{desc} on {tier:?}");
			}
		}
	});
}

#[test]
fn awards_add_up_per_provider_and_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		let a = provision(1, Tier::BlueSurge);
		let b = provision(2, Tier::OpenOcean);
		events();
		jobs(a, 2);
		job(b, ServiceKind::WebScraping, JobUsage { pages: 2, ..Default::default() });
		assert_eq!(Rewards::points_of(0, 1), 6_000);
		assert_eq!(Rewards::points_of(0, 2), 1_000);
		assert_eq!(crate::EpochPoints::<Test>::get(0), 7_000);
		System::assert_last_event(
			Event::<Test>::PointsAwarded {
				epoch: 0,
				provider: 2,
				provision: b,
				service: ServiceKind::WebScraping,
				points: 1_000,
			}
			.into(),
		);
	});
}

#[test]
fn unknown_provision_is_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		let id = provision_id(99);
		job(id, ServiceKind::Inference, JobUsage::default());
		assert_eq!(crate::EpochPoints::<Test>::get(0), 0);
		assert_eq!(crate::PointsOf::<Test>::iter().count(), 0);
		System::assert_last_event(
			Event::<Test>::JobIgnored {
				provision: id,
				service: ServiceKind::Inference,
				reason: IgnoreReason::UnknownProvision,
			}
			.into(),
		);
	});
}

#[test]
fn zero_usage_earns_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let id = provision(1, Tier::MarianaDepth);
		for service in
			[ServiceKind::TextToSpeech, ServiceKind::WebScraping, ServiceKind::Embeddings]
		{
			job(id, service, JobUsage::default());
			System::assert_last_event(
				Event::<Test>::JobIgnored {
					provision: id,
					service,
					reason: IgnoreReason::NoPoints,
				}
				.into(),
			);
		}
		assert!(!crate::PointsOf::<Test>::contains_key(0, 1));
	});
}

#[test]
fn overflowing_awards_are_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		let id = provision(1, Tier::MarianaDepth);
		crate::EpochPoints::<Test>::insert(0, u128::MAX);
		crate::PointsOf::<Test>::insert(0, 2, u128::MAX);
		job(id, ServiceKind::Inference, JobUsage::default());
		System::assert_last_event(
			Event::<Test>::JobIgnored {
				provision: id,
				service: ServiceKind::Inference,
				reason: IgnoreReason::Overflow,
			}
			.into(),
		);
		assert!(!crate::PointsOf::<Test>::contains_key(0, 1));
		crate::EpochPoints::<Test>::remove(0);
		crate::PointsOf::<Test>::remove(0, 2);
	});
}

#[test]
fn pure_base_points_match_the_pallet() {
	let params = crate::RewardParams::default();
	let usage = JobUsage { audio_seconds: 30, ..Default::default() };
	assert_eq!(
		crate::base_points(&params, Tier::TidePool, ServiceKind::TextToSpeech, &usage),
		Ok(1_000)
	);
	assert_eq!(
		crate::base_points(&params, Tier::OpenOcean, ServiceKind::Rental, &usage),
		Ok(7_000)
	);
}
