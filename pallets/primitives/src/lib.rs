//! # Cxmpute primitives
//!
//! Types and glue traits shared by the Cxmpute pallets (and, later, the off-chain worker). The
//! crate is `no_std`, depends on no pallet, and holds no storage: pallets couple to each other
//! through the traits defined here rather than through supertraits or each other's storage.
//!
//! ## Modules
//!
//! - [`oracle`]: asset ids, the price type and the [`PriceProvider`]/[`TwapProvider`] traits
//!   that the oracle and the dex implement and the DeFi pallets consume.
//!
//! - [`compute`]: tiers, service kinds, provision ids and the [`StakeGate`]/[`ProvisionsInspect`]
//!   traits between the provisions pallet, staking and matching.
//!
//! - [`jobs`]: job ids and classes, metering of usage into billable units, and the
//!   [`JobBilling`]/[`PriceCeiling`] traits between matching, billing and provisions.
//!
//! - [`provider`]: slashing, measured health, job usage and utilisation: the
//!   [`ProviderSlashing`], [`HealthInspect`], [`OnJobCompleted`] and [`NetworkUtilisation`]
//!   traits between provisions, staking, health probes, rewards and the job market.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod compute;
pub mod jobs;
pub mod oracle;
pub mod provider;

pub use compute::{
	HardwareSummary, ModelId, ProvisionId, ProvisionsInspect, ServiceKind, StakeGate, Tier,
	UnitPrice,
};
pub use jobs::{
	job_cost, metered_units, Admission, EscrowPart, JobBilling, JobClass, JobId, PriceCeiling,
};

pub use oracle::{AssetId, Price, PriceError, PriceProvider, PriceSource, TwapProvider};
pub use provider::{
	HealthInspect, HealthStats, JobUsage, NetworkUtilisation, OnJobCompleted, ProviderSlashing,
	SlashReason,
};
