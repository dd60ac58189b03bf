//! The committed chain specs start real networks that produce and finalize blocks.
//!
//! Each test starts every validator of its spec as a separate `cxmpute-node` process on loopback.
//! Blocks are 6 s apart, so a test takes about a minute.

mod common;

use common::*;
use std::time::Duration;

/// Start `validators` on `chain`, the first as boot node, and wait until all of them see
/// best block >= 3 and finalized >= 2.
fn run_network(chain: &str, validators: Vec<(&str, Vec<String>, Vec<(&str, &str, String)>)>) {
	let ports = free_ports::<8>();
	let mut nodes: Vec<Node> = Vec::new();
	for (i, (name, flags, keys)) in validators.into_iter().enumerate() {
		let bootnodes = nodes.first().map(|n| vec![n.multiaddr()]).unwrap_or_default();
		let ports = (ports[2 * i], ports[2 * i + 1]);
		nodes.push(Node::start(NodeConfig { name, chain, flags, keys, bootnodes, ports }));
	}
	// The boot node sees everyone; the others reach the rest through it (and Kademlia).
	let expected_peers = nodes.len() as u64 - 1;
	wait_until("the boot node has all the others as peers", Duration::from_secs(90), || {
		nodes[0].peers().is_some_and(|p| p >= expected_peers)
			&& nodes.iter().all(|n| n.peers().is_some_and(|p| p >= 1))
	});
	wait_until(
		"every node imports block 3 and finalizes block 2",
		Duration::from_secs(150),
		|| {
			nodes.iter().all(|n| {
				n.best_number().is_some_and(|b| b >= 3)
					&& n.finalized_number().is_some_and(|f| f >= 2)
			})
		},
	);
	for node in &mut nodes {
		assert!(node.is_running(), "{} exited", node.name);
	}
}

#[test]
fn local_spec_four_validators_produce_and_finalize_blocks() {
	let spec = repo_root().join("chain-specs/local.json");
	let spec = spec.to_str().unwrap();
	let validator = |name: &'static str| (name, vec![format!("--{name}")], vec![]);
	run_network(
		spec,
		vec![validator("alice"), validator("bob"), validator("charlie"), validator("dave")],
	);
}

#[test]
fn testnet_spec_validators_with_sample_keys_produce_and_finalize_blocks() {
	let spec = repo_root().join("chain-specs/testnet.json");
	let spec = spec.to_str().unwrap();
	// The sample key file's validators derive from these public, test-only seeds.
	let validator = |name: &'static str, seed: &str| {
		let keys =
			vec![("sr25519", "aura", seed.to_string()), ("ed25519", "gran", seed.to_string())];
		(name, vec![], keys)
	};
	run_network(
		spec,
		vec![
			validator("validator-1", "//CxmputeSampleValidator1"),
			validator("validator-2", "//CxmputeSampleValidator2"),
		],
	);
}

#[test]
fn testnet_chain_needs_a_key_file() {
	let out = std::process::Command::new(node_binary())
		.args(["build-spec", "--chain", "testnet"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("needs its key file"), "unexpected error: {stderr}");
}

#[test]
fn a_broken_key_file_is_a_clear_error() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("keys.json");
	std::fs::write(&path, r#"{"name":"x","id":"x","validators":[],"endowments":[],"stableAsset":{"owner":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}}"#).unwrap();
	let out = std::process::Command::new(node_binary())
		.args(["build-spec", "--chain"])
		.arg(format!("testnet:{}", path.display()))
		.output()
		.unwrap();
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("no validators"), "unexpected error: {stderr}");
}
