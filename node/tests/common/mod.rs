//! Starts real `cxmpute-node` processes on loopback and talks to them over JSON-RPC.

#![allow(dead_code)]

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// The node binary Cargo built for these tests.
pub fn node_binary() -> PathBuf {
	PathBuf::from(env!("CARGO_BIN_EXE_cxmpute-node"))
}

/// The repository root (for `chain-specs/`).
pub fn repo_root() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("node/ has a parent; qed").into()
}

/// `N` distinct ports nobody listens on right now (all held until every one is picked, so the
/// OS cannot hand out the same port twice).
pub fn free_ports<const N: usize>() -> [u16; N] {
	let listeners: Vec<TcpListener> =
		(0..N).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
	core::array::from_fn(|i| listeners[i].local_addr().unwrap().port())
}

/// `GET http://127.0.0.1:{port}{path}`: the body of a 200 answer, `None` otherwise.
pub fn http_get(port: u16, path: &str) -> Option<String> {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
	stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
	write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
		.ok()?;
	let mut response = String::new();
	stream.read_to_string(&mut response).ok()?;
	let (head, body) = response.split_once("\r\n\r\n")?;
	head.starts_with("HTTP/1.1 200").then(|| body.to_string())
}

/// A running node; killed when dropped, and its log printed if the test failed.
pub struct Node {
	pub name: String,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub peer_id: String,
	child: Child,
	log: PathBuf,
	_base: tempfile::TempDir,
}

/// How to start one node.
pub struct NodeConfig<'a> {
	pub name: &'a str,
	pub chain: &'a str,
	/// Extra flags, such as `--alice`.
	pub flags: Vec<String>,
	/// `(scheme, key type, suri)` to insert into the keystore before starting.
	pub keys: Vec<(&'a str, &'a str, String)>,
	pub bootnodes: Vec<String>,
	/// JSON-RPC and p2p ports, from one `free_ports` call for the whole network.
	pub ports: (u16, u16),
}

impl Node {
	pub fn start(config: NodeConfig<'_>) -> Node {
		let base = tempfile::tempdir().unwrap();
		let base_path = base.path().to_str().unwrap().to_string();
		for (scheme, key_type, suri) in &config.keys {
			let status = Command::new(node_binary())
				.args(["key", "insert", "--base-path", &base_path, "--chain", config.chain])
				.args(["--scheme", scheme, "--key-type", key_type, "--suri", suri])
				.status()
				.unwrap();
			assert!(status.success(), "key insert failed for {}", config.name);
		}
		// A fixed node key gives a known peer id for the others' --bootnodes.
		let node_key_file = base.path().join("node-key");
		let status = Command::new(node_binary())
			.args(["key", "generate-node-key", "--file"])
			.arg(&node_key_file)
			.stderr(Stdio::null())
			.status()
			.unwrap();
		assert!(status.success(), "generate-node-key failed");
		let out = Command::new(node_binary())
			.args(["key", "inspect-node-key", "--file"])
			.arg(&node_key_file)
			.output()
			.unwrap();
		let peer_id = String::from_utf8(out.stdout).unwrap().trim().to_string();

		let (rpc_port, p2p_port) = config.ports;
		let log = base.path().join("node.log");
		let log_file = std::fs::File::create(&log).unwrap();
		let mut cmd = Command::new(node_binary());
		cmd.args(["--chain", config.chain, "--base-path", &base_path, "--validator"])
			.args(["--name", config.name, "--rpc-port", &rpc_port.to_string()])
			// Loopback only: peers never learn (or dial) another interface's address.
			.arg("--listen-addr")
			.arg(format!("/ip4/127.0.0.1/tcp/{p2p_port}"))
			.arg("--node-key-file")
			.arg(&node_key_file)
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns", "--allow-private-ip"])
			.args(&config.flags)
			.stdout(Stdio::null())
			.stderr(log_file);
		for b in &config.bootnodes {
			cmd.args(["--bootnodes", b]);
		}
		let child = cmd.spawn().expect("start cxmpute-node");
		Node { name: config.name.into(), rpc_port, p2p_port, peer_id, child, log, _base: base }
	}

	/// This node's address for `--bootnodes`.
	pub fn multiaddr(&self) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, self.peer_id)
	}

	/// One JSON-RPC call over HTTP; `None` while the node is not answering yet.
	pub fn rpc(&self, method: &str, params: &str) -> Option<serde_json::Value> {
		let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
		let mut stream = TcpStream::connect(("127.0.0.1", self.rpc_port)).ok()?;
		stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
		write!(
			stream,
			// The RPC server only accepts a Host header naming its own address and port.
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
			self.rpc_port,
			body.len()
		)
		.ok()?;
		let mut reader = BufReader::new(stream);
		let mut line = String::new();
		let mut content_length = None;
		loop {
			line.clear();
			reader.read_line(&mut line).ok()?;
			let header = line.trim_end();
			if header.is_empty() {
				break;
			}
			if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
				content_length = v.trim().parse::<usize>().ok();
			}
		}
		let mut buf = vec![0; content_length?];
		reader.read_exact(&mut buf).ok()?;
		let reply: serde_json::Value = serde_json::from_slice(&buf).ok()?;
		reply.get("result").cloned()
	}

	/// Best block number.
	pub fn best_number(&self) -> Option<u64> {
		let header = self.rpc("chain_getHeader", "[]")?;
		parse_hex(header.get("number")?.as_str()?)
	}

	/// Finalized block number.
	pub fn finalized_number(&self) -> Option<u64> {
		let hash = self.rpc("chain_getFinalizedHead", "[]")?;
		let header = self.rpc("chain_getHeader", &format!("[{hash}]"))?;
		parse_hex(header.get("number")?.as_str()?)
	}

	/// Number of connected peers.
	pub fn peers(&self) -> Option<u64> {
		self.rpc("system_health", "[]")?.get("peers")?.as_u64()
	}

	/// The node's log so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		matches!(self.child.try_wait(), Ok(None))
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		if std::thread::panicking() {
			let log = self.log();
			let tail: Vec<&str> = log.lines().rev().take(40).collect();
			eprintln!("--- last lines of {}'s log ---", self.name);
			for line in tail.into_iter().rev() {
				eprintln!("{line}");
			}
		}
	}
}

fn parse_hex(s: &str) -> Option<u64> {
	u64::from_str_radix(s.trim_start_matches("0x"), 16).ok()
}

/// Poll `check` every second until it holds or `timeout` passes; panics with `what` on timeout.
pub fn wait_until(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
	let start = Instant::now();
	while start.elapsed() < timeout {
		if check() {
			return;
		}
		std::thread::sleep(Duration::from_secs(1));
	}
	panic!("timed out after {timeout:?} waiting until {what}");
}
