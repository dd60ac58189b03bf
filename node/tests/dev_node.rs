//! `cxmpute-node --dev` authors and finalizes alone and serves Prometheus metrics.

mod common;

use common::*;
use std::{
	process::{Command, Stdio},
	time::Duration,
};

#[test]
fn dev_node_finalizes_and_serves_prometheus_metrics() {
	let [rpc_port, p2p_port, prometheus_port] = free_ports::<3>();
	let mut child = Command::new(node_binary())
		.args(["--dev", "--tmp", "--no-telemetry", "--rpc-port", &rpc_port.to_string()])
		.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
		.args(["--prometheus-port", &prometheus_port.to_string()])
		.stdout(Stdio::null())
		.stderr(Stdio::null())
		.spawn()
		.expect("start cxmpute-node --dev");
	let result = std::panic::catch_unwind(|| {
		let finalized = || {
			let metrics = http_get(prometheus_port, "/metrics")?;
			metrics
				.lines()
				.find(|l| l.starts_with("substrate_block_height{status=\"finalized\""))?
				.rsplit(' ')
				.next()?
				.parse::<u64>()
				.ok()
		};
		wait_until("metrics report finalized block >= 2", Duration::from_secs(120), || {
			finalized().is_some_and(|n| n >= 2)
		});
		let metrics = http_get(prometheus_port, "/metrics").unwrap();
		for name in ["substrate_block_height", "substrate_sub_txpool", "substrate_build_info"] {
			assert!(metrics.contains(name), "metric {name} missing");
		}
	});
	let _ = child.kill();
	let _ = child.wait();
	if let Err(panic) = result {
		std::panic::resume_unwind(panic);
	}
}
