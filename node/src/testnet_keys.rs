//! The testnet key file: validators' public keys, endowments and the stable asset's issuer,
//! chosen by the operators rather than derived from dev seeds.
//!
//! ```json
//! {
//!   "name": "Cxmpute Testnet", "id": "cxmpute_testnet", "bootNodes": [],
//!   "validators": [{ "account": "5G..", "aura": "5G..", "grandpa": "5F.." }],
//!   "endowments": [{ "account": "5G..", "cxm": 1000000 }],
//!   "stableAsset": { "owner": "5G..", "holders": [{ "account": "5G..", "usd": 1000 }] }
//! }
//! ```
//! Keys are SS58 addresses; `aura` is an sr25519 key and `grandpa` an ed25519 key. Amounts are
//! whole CXM and whole US dollars.

use cxmpute_runtime::{
	genesis_config_presets::{GenesisStableAsset, GenesisValidator, TestnetGenesis, STABLE_UNIT},
	AccountId, Balance, EXISTENTIAL_DEPOSIT, UNIT,
};
use sc_network::config::MultiaddrWithPeerId;
use serde::Deserialize;
use sp_core::crypto::Ss58Codec;
use std::{collections::BTreeSet, path::Path};

/// The key file as written by operators.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestnetKeyFile {
	/// Human-readable chain name.
	pub name: String,
	/// Chain id (also names the database folder).
	pub id: String,
	/// Boot nodes as multiaddresses with peer ids.
	#[serde(default)]
	pub boot_nodes: Vec<String>,
	/// Genesis validators.
	pub validators: Vec<ValidatorEntry>,
	/// Native-token endowments.
	pub endowments: Vec<EndowmentEntry>,
	/// The USD stable asset.
	pub stable_asset: StableAssetEntry,
}

/// One validator's account and session keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorEntry {
	/// Validator account (SS58).
	pub account: String,
	/// Aura key, sr25519 (SS58).
	pub aura: String,
	/// GRANDPA key, ed25519 (SS58).
	pub grandpa: String,
}

/// An account and its CXM at genesis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndowmentEntry {
	/// Account (SS58).
	pub account: String,
	/// Whole CXM.
	pub cxm: u64,
}

/// The stable asset's issuer and holders.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StableAssetEntry {
	/// Issuer and admin (SS58).
	pub owner: String,
	/// Initial holders.
	#[serde(default)]
	pub holders: Vec<StableHolderEntry>,
}

/// A stable-asset holder at genesis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StableHolderEntry {
	/// Account (SS58).
	pub account: String,
	/// Whole US dollars.
	pub usd: u64,
}

fn parse<T: Ss58Codec>(what: &str, value: &str) -> Result<T, String> {
	T::from_ss58check(value).map_err(|e| format!("{what} {value:?} is not a valid SS58 key: {e:?}"))
}

impl TestnetKeyFile {
	/// Read and parse the key file.
	pub fn load(path: &Path) -> Result<Self, String> {
		let text = std::fs::read_to_string(path)
			.map_err(|e| format!("cannot read testnet key file {}: {e}", path.display()))?;
		Self::parse(&text).map_err(|e| format!("testnet key file {}: {e}", path.display()))
	}

	/// Parse key-file JSON.
	pub fn parse(text: &str) -> Result<Self, String> {
		serde_json::from_str(text).map_err(|e| e.to_string())
	}

	/// The boot nodes, checked.
	pub fn boot_nodes(&self) -> Result<Vec<MultiaddrWithPeerId>, String> {
		self.boot_nodes
			.iter()
			.map(|b| b.parse().map_err(|e| format!("boot node {b:?}: {e}")))
			.collect()
	}

	/// Check the file and turn it into the runtime's testnet genesis.
	///
	/// # Errors
	/// No validators, a duplicate validator account or key, a bad SS58 key, an endowment below
	/// the existential deposit, or an amount that overflows.
	pub fn into_genesis(self) -> Result<TestnetGenesis, String> {
		if self.validators.is_empty() {
			return Err("the key file lists no validators".into());
		}
		let mut seen = [BTreeSet::new(), BTreeSet::new(), BTreeSet::new()];
		let mut validators = Vec::with_capacity(self.validators.len());
		for v in &self.validators {
			for (i, (what, key)) in
				[("account", &v.account), ("aura key", &v.aura), ("grandpa key", &v.grandpa)]
					.into_iter()
					.enumerate()
			{
				if !seen[i].insert(key.clone()) {
					return Err(format!("validator {what} {key} appears twice"));
				}
			}
			validators.push(GenesisValidator {
				account: parse::<AccountId>("validator account", &v.account)?,
				aura: parse::<sp_core::sr25519::Public>("aura key", &v.aura)?.into(),
				grandpa: parse::<sp_core::ed25519::Public>("grandpa key", &v.grandpa)?.into(),
			});
		}
		let amount = |whole: u64, unit: Balance, what: &str| -> Result<Balance, String> {
			Balance::from(whole).checked_mul(unit).ok_or_else(|| format!("{what} overflows"))
		};
		let mut endowed = BTreeSet::new();
		let mut endowments = Vec::with_capacity(self.endowments.len());
		for e in &self.endowments {
			if !endowed.insert(e.account.clone()) {
				return Err(format!("{} is endowed twice", e.account));
			}
			let balance = amount(e.cxm, UNIT, "endowment")?;
			if balance < EXISTENTIAL_DEPOSIT {
				return Err(format!("endowment of {} is below the existential deposit", e.account));
			}
			endowments.push((parse::<AccountId>("endowed account", &e.account)?, balance));
		}
		let holders = self
			.stable_asset
			.holders
			.iter()
			.map(|h| {
				Ok((
					parse::<AccountId>("stable-asset holder", &h.account)?,
					amount(h.usd, STABLE_UNIT, "stable-asset holding")?,
				))
			})
			.collect::<Result<Vec<_>, String>>()?;
		Ok(TestnetGenesis {
			validators,
			endowments,
			stable_asset: GenesisStableAsset {
				owner: parse::<AccountId>("stable-asset owner", &self.stable_asset.owner)?,
				holders,
			},
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const SAMPLE: &str = include_str!("../../chain-specs/testnet-keys.sample.json");

	#[test]
	fn sample_key_file_parses() {
		let genesis = TestnetKeyFile::parse(SAMPLE).unwrap().into_genesis().unwrap();
		assert_eq!(genesis.validators.len(), 2);
		assert!(!genesis.endowments.is_empty());
	}

	#[test]
	fn bad_key_files_give_clear_errors() {
		let cases = [
			(
				r#"{"name":"x","id":"x","validators":[],"endowments":[],"stableAsset":{"owner":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}}"#,
				"no validators",
			),
			(
				r#"{"name":"x","id":"x","validators":[{"account":"nope","aura":"a","grandpa":"g"}],"endowments":[],"stableAsset":{"owner":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}}"#,
				"not a valid SS58",
			),
			(r#"{"name":"x","id":"x","extra":1}"#, "unknown field"),
		];
		for (json, expected) in cases {
			let err = TestnetKeyFile::parse(json).and_then(|k| k.into_genesis().map(|_| ()));
			let err = err.expect_err(json);
			assert!(err.contains(expected), "{err:?} should mention {expected:?}");
		}
	}
}
