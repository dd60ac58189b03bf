//! The chain client: subxt with static types generated from `artifacts/cxmpute.scale`
//! (`scripts/worker-metadata.sh` refreshes it from a dev node).
//!
//! - [`Chain::connect`] connects (retrying with exponential backoff) and checks that the
//!   node's metadata still has the calls, storage entries and constants the worker uses, with
//!   the same shapes ([`Chain::check_compat`]); a mismatch is a hard error.
//! - [`Chain::submit`] signs with the local nonce counter ([`NonceManager`]) so several
//!   transactions can be in the pool at once; any submission error resyncs the counter.
//! - Reads happen at the latest **finalized** block.

use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Duration,
};

use subxt::{
	config::DefaultExtrinsicParamsBuilder, tx::Payload, utils::AccountId32, OnlineClient,
	SubstrateConfig,
};
use tokio::sync::RwLock;

use crate::{keyfile::KeyPair, nonce::NonceManager, Result, WorkerError};

/// Static interface generated from the chain's metadata.
#[subxt::subxt(
	runtime_metadata_path = "artifacts/cxmpute.scale",
	derive_for_all_types = "Clone",
	// The config names services as the runtime does (`kind = "Embeddings"`).
	derive_for_type(
		path = "cxmpute_primitives::compute::ServiceKind",
		derive = "serde::Deserialize, PartialEq, Eq"
	)
)]
pub mod api {}

pub use api::runtime_types::{
	cxmpute_primitives::{compute::ServiceKind, provider::JobUsage},
	pallet_cxmpute_matching::types::{
		DataInput, JobService, Payload as ChainPayload, ResultInput, RunState,
	},
	pallet_cxmpute_provisions::types::{HardwareInput, ProvisionState, ServiceInput},
};

/// The chain's job record.
pub type Job = api::runtime_types::pallet_cxmpute_matching::types::Job;
/// The chain's provision record.
pub type Provision = api::runtime_types::pallet_cxmpute_provisions::types::Provision;
/// Events of a finalized transaction.
pub type TxEvents = subxt::extrinsics::ExtrinsicEvents<SubstrateConfig>;

/// Chain constants the worker schedules by.
#[derive(Clone, Copy, Debug)]
pub struct ChainParams {
	/// Blocks after the last heartbeat after which a provision goes off.
	pub heartbeat_timeout: u32,
	/// Blocks a worker has to accept an assignment.
	pub accept_window: u32,
	/// Items per batch call.
	pub max_batch: u32,
	/// Largest inline output, in bytes.
	pub max_output_len: u32,
	/// Longest result URI, in bytes.
	pub max_uri_len: u32,
	/// Block time in milliseconds.
	pub block_ms: u64,
}

/// A connection plus the signing key and its nonce counter.
pub struct Chain {
	url: String,
	inner: RwLock<Conn>,
	signer: KeyPair,
	nonce: NonceManager,
	connected: AtomicBool,
	/// Constants read at connection time.
	pub params: ChainParams,
}

/// One live connection.
#[derive(Clone)]
struct Conn {
	client: OnlineClient<SubstrateConfig>,
	rpc: subxt::rpcs::RpcClient,
}

/// Wraps an error as [`WorkerError::Chain`] with what the worker was doing.
fn cerr<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> WorkerError + '_ {
	move |e| WorkerError::Chain(format!("{what}: {e}"))
}

impl Chain {
	/// Connects to `url` (retrying with backoff up to `attempts` times; 0 = forever), checks
	/// the metadata and reads the constants.
	pub async fn connect(url: &str, signer: KeyPair, attempts: u32) -> Result<Arc<Self>> {
		let conn = Self::open(url, attempts).await?;
		let params = Self::check_compat(&conn.client).await?;
		Ok(Arc::new(Self {
			url: url.into(),
			inner: RwLock::new(conn),
			signer,
			nonce: NonceManager::new(),
			connected: AtomicBool::new(true),
			params,
		}))
	}

	/// Opens a connection, with exponential backoff (1 s doubling to 30 s).
	async fn open(url: &str, attempts: u32) -> Result<Conn> {
		let mut delay = Duration::from_secs(1);
		let mut tried = 0;
		loop {
			tried += 1;
			let res = async {
				let rpc =
					subxt::rpcs::RpcClient::from_insecure_url(url).await.map_err(cerr(url))?;
				let client = OnlineClient::<SubstrateConfig>::from_rpc_client(rpc.clone())
					.await
					.map_err(cerr(url))?;
				Ok::<_, WorkerError>(Conn { client, rpc })
			}
			.await;
			match res {
				Ok(conn) => return Ok(conn),
				Err(e) if attempts != 0 && tried >= attempts => return Err(e),
				Err(e) => {
					tracing::warn!(%e, retry_in = ?delay, "cannot connect to the chain");
					tokio::time::sleep(delay).await;
					delay = (delay * 2).min(Duration::from_secs(30));
				},
			}
		}
	}

	/// Replaces the connection after an error (backoff, forever) and re-checks the metadata:
	/// a runtime upgrade that changed what the worker uses stops it.
	pub async fn reconnect(&self) -> Result<()> {
		self.connected.store(false, Ordering::SeqCst);
		let conn = Self::open(&self.url, 0).await?;
		Self::check_compat(&conn.client).await?;
		*self.inner.write().await = conn;
		self.nonce.resync().await;
		self.connected.store(true, Ordering::SeqCst);
		tracing::info!(url = %self.url, "reconnected to the chain");
		Ok(())
	}

	/// Whether the last connection attempt succeeded and no error has been seen since.
	pub fn is_connected(&self) -> bool {
		self.connected.load(Ordering::SeqCst)
	}

	/// Marks the connection as broken (the caller will [`Chain::reconnect`]).
	pub fn mark_disconnected(&self) {
		self.connected.store(false, Ordering::SeqCst);
	}

	/// The current client.
	pub async fn client(&self) -> OnlineClient<SubstrateConfig> {
		self.inner.read().await.client.clone()
	}

	/// The signing key.
	pub fn signer(&self) -> &KeyPair {
		&self.signer
	}

	/// Checks the calls, storage and constants the worker uses against the node's metadata
	/// and reads the constants.
	///
	/// # Errors
	/// [`WorkerError::ChainIncompatible`] listing every mismatch.
	pub async fn check_compat(client: &OnlineClient<SubstrateConfig>) -> Result<ChainParams> {
		let at = client.at_current_block().await.map_err(cerr("reading the finalized block"))?;
		let bad = compat_problems(at.metadata_ref());
		if !bad.is_empty() {
			return Err(WorkerError::ChainIncompatible(bad.join("; ")));
		}
		let c = api::constants();
		let consts = at.constants();
		let get = |name: &str, r: std::result::Result<u32, subxt::error::ConstantError>| {
			r.map_err(|e| WorkerError::ChainIncompatible(format!("constant {name}: {e}")))
		};
		let min_period = consts
			.entry(c.timestamp().minimum_period())
			.map_err(|e| WorkerError::ChainIncompatible(format!("Timestamp.MinimumPeriod: {e}")))?;
		Ok(ChainParams {
			heartbeat_timeout: get(
				"Provisions.HeartbeatTimeout",
				consts.entry(c.provisions().heartbeat_timeout()),
			)?,
			accept_window: get(
				"Matching.AcceptWindow",
				consts.entry(c.matching().accept_window()),
			)?,
			max_batch: get("Matching.MaxBatch", consts.entry(c.matching().max_batch()))?,
			max_output_len: get(
				"Matching.MaxOutputLen",
				consts.entry(c.matching().max_output_len()),
			)?,
			max_uri_len: get("Matching.MaxUriLen", consts.entry(c.matching().max_uri_len()))?,
			block_ms: (min_period * 2).max(1),
		})
	}

	/// The next nonce of the signer, from the pool-aware `system_accountNextIndex`.
	async fn chain_nonce(&self) -> Result<u64> {
		let rpc = self.inner.read().await.rpc.clone();
		rpc.request::<u64>("system_accountNextIndex", subxt::rpcs::rpc_params![self.signer.ss58()])
			.await
			.map_err(cerr("system_accountNextIndex"))
	}

	/// Signs `call` with the next local nonce, submits it and waits until it is finalized.
	/// Returns its events; a dispatch error is an error. Any failure resyncs the nonce.
	pub async fn submit<P: Payload>(&self, call: &P, what: &str) -> Result<TxEvents> {
		self.submit_with(call, what, || {}).await
	}

	/// [`Chain::submit`], calling `in_pool` once the node accepted the transaction into its
	/// pool (its nonce is then taken: later transactions of this key come after it).
	pub async fn submit_with<P: Payload>(
		&self,
		call: &P,
		what: &str,
		in_pool: impl FnOnce(),
	) -> Result<TxEvents> {
		let res = self.submit_inner(call, what, in_pool).await;
		if res.is_err() {
			self.nonce.resync().await;
		}
		res
	}

	async fn submit_inner<P: Payload>(
		&self,
		call: &P,
		what: &str,
		in_pool: impl FnOnce(),
	) -> Result<TxEvents> {
		let client = self.client().await;
		let nonce = self.nonce.next(|| self.chain_nonce()).await?;
		let params =
			DefaultExtrinsicParamsBuilder::<SubstrateConfig>::new().nonce(nonce).mortal(64).build();
		let mut txs = client.transactions().await.map_err(cerr(what))?;
		let progress =
			txs.sign_and_submit_then_watch(call, &self.signer, params).await.map_err(|e| {
				self.mark_if_disconnected(&e.to_string());
				WorkerError::Chain(format!("{what}: {e}"))
			})?;
		in_pool();
		progress.wait_for_finalized_success().await.map_err(cerr(what))
	}

	fn mark_if_disconnected(&self, msg: &str) {
		let m = msg.to_ascii_lowercase();
		if m.contains("restart") || m.contains("connection") || m.contains("closed") {
			self.mark_disconnected();
		}
	}

	/// The provision `id` at the finalized block.
	pub async fn provision(&self, id: [u8; 32]) -> Result<Option<Provision>> {
		let at = self.client().await.at_current_block().await.map_err(cerr("provision"))?;
		let v = at
			.storage()
			.try_fetch(api::storage().provisions().provisions(), (id,))
			.await
			.map_err(cerr("Provisions.Provisions"))?;
		v.map(|v| v.decode().map_err(cerr("decoding a provision"))).transpose()
	}

	/// The provision the key `worker` serves.
	pub async fn provision_of_worker(&self, worker: &AccountId32) -> Result<Option<[u8; 32]>> {
		let at =
			self.client().await.at_current_block().await.map_err(cerr("provision_of_worker"))?;
		let v = at
			.storage()
			.try_fetch(api::storage().provisions().provision_of_worker(), (*worker,))
			.await
			.map_err(cerr("Provisions.ProvisionOfWorker"))?;
		v.map(|v| v.decode().map_err(cerr("decoding ProvisionOfWorker"))).transpose()
	}

	/// The in-flight jobs of `provision` with their records, at the finalized block, and that
	/// block's number.
	pub async fn in_flight(&self, provision: [u8; 32]) -> Result<(u64, Vec<(u64, Option<Job>)>)> {
		let at = self.client().await.at_current_block().await.map_err(cerr("in_flight"))?;
		let number = at.block_number();
		let storage = at.storage();
		let list = storage
			.try_fetch(api::storage().matching().in_flight(), (provision,))
			.await
			.map_err(cerr("Matching.InFlight"))?;
		let ids: Vec<u64> = match list {
			Some(v) => v
				.decode()
				.map_err(cerr("decoding InFlight"))?
				.0
				.into_iter()
				.map(|(j, _)| j)
				.collect(),
			None => Vec::new(),
		};
		let mut out = Vec::with_capacity(ids.len());
		for id in ids {
			let job = storage
				.try_fetch(api::storage().matching().jobs(), (id,))
				.await
				.map_err(cerr("Matching.Jobs"))?
				.map(|v| v.decode().map_err(cerr("decoding a job")))
				.transpose()?;
			out.push((id, job));
		}
		Ok((number, out))
	}

	/// The job `id` at the finalized block.
	pub async fn job(&self, id: u64) -> Result<Option<Job>> {
		let at = self.client().await.at_current_block().await.map_err(cerr("job"))?;
		at.storage()
			.try_fetch(api::storage().matching().jobs(), (id,))
			.await
			.map_err(cerr("Matching.Jobs"))?
			.map(|v| v.decode().map_err(cerr("decoding a job")))
			.transpose()
	}
}

/// Every call, storage entry and constant the worker uses that is missing from `metadata` or
/// has a different shape than in the metadata the worker was generated from.
pub fn compat_problems(metadata: &subxt::Metadata) -> Vec<String> {
	use subxt::{constants::Address as _, storage::Address as _};
	let mut bad = Vec::new();
	let mut check = |kind: &str,
	                 pallet: &str,
	                 name: &str,
	                 ours: Option<[u8; 32]>,
	                 theirs: Option<Option<[u8; 32]>>| {
		match (ours, theirs.flatten()) {
			(None, _) => {},
			(Some(a), Some(b)) if a == b => {},
			(Some(_), Some(_)) => bad.push(format!("{kind} {pallet}.{name} has changed")),
			(Some(_), None) => bad.push(format!("{kind} {pallet}.{name} is missing")),
		}
	};
	let tx = api::transactions();
	fn details<P: Payload>(p: P) -> Option<(String, String, [u8; 32])> {
		p.validation_details().map(|d| (d.pallet_name.into(), d.call_name.into(), d.hash))
	}
	let calls = [
		details(tx.matching().accept_jobs(vec![])),
		details(tx.matching().submit_results(vec![])),
		details(tx.matching().report_failures(vec![])),
		details(tx.provisions().heartbeat([0; 32])),
		details(tx.provisions().register_provision(
			hardware_input(Default::default()),
			vec![],
			vec![],
			None,
			1,
		)),
		details(tx.provisions().set_services([0; 32], vec![])),
		details(tx.provisions().authorize_worker([0; 32], AccountId32([0; 32]))),
		details(tx.provisions().start_provision([0; 32])),
	];
	for (pallet, call, hash) in calls.into_iter().flatten() {
		let theirs = metadata.pallet_by_name(&pallet).map(|p| p.call_hash(&call));
		check("call", &pallet, &call, Some(hash), theirs);
	}
	let st = api::storage();
	let mut entry = |pallet: &str, name: &str, ours: Option<[u8; 32]>| {
		let theirs = metadata.pallet_by_name(pallet).map(|p| p.storage_hash(name));
		check("storage", pallet, name, ours, theirs);
	};
	let a = st.matching().jobs();
	entry(a.pallet_name(), a.entry_name(), a.validation_hash());
	let a = st.matching().in_flight();
	entry(a.pallet_name(), a.entry_name(), a.validation_hash());
	let a = st.provisions().provisions();
	entry(a.pallet_name(), a.entry_name(), a.validation_hash());
	let a = st.provisions().provision_of_worker();
	entry(a.pallet_name(), a.entry_name(), a.validation_hash());
	let c = api::constants();
	for a in [
		c.provisions().heartbeat_timeout(),
		c.matching().accept_window(),
		c.matching().max_batch(),
		c.matching().max_output_len(),
		c.matching().max_uri_len(),
	] {
		let theirs =
			metadata.pallet_by_name(a.pallet_name()).map(|p| p.constant_hash(a.constant_name()));
		check("constant", a.pallet_name(), a.constant_name(), a.validation_hash(), theirs);
	}
	let a = c.timestamp().minimum_period();
	let theirs =
		metadata.pallet_by_name(a.pallet_name()).map(|p| p.constant_hash(a.constant_name()));
	check("constant", a.pallet_name(), a.constant_name(), a.validation_hash(), theirs);
	bad
}

/// Detected or configured hardware, as the chain's call argument.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Hardware {
	/// GPU model (empty without a GPU).
	pub gpu_model: String,
	/// VRAM in MiB.
	pub vram_mb: u32,
	/// CPU cores.
	pub cpu_cores: u32,
	/// RAM in MiB.
	pub ram_mb: u32,
	/// Disk in GB.
	pub disk_gb: u32,
	/// Region.
	pub region: String,
}

/// `Hardware` as the chain's `HardwareInput`.
pub fn hardware_input(h: Hardware) -> HardwareInput {
	HardwareInput {
		gpu_model: h.gpu_model.into_bytes(),
		vram_mb: h.vram_mb,
		cpu_cores: h.cpu_cores,
		ram_mb: h.ram_mb,
		disk_gb: h.disk_gb,
		region: h.region.into_bytes(),
	}
}

/// The run of `job` that `provision` holds in flight, with its index and whether it is
/// accepted (`Some((run, accepted))`).
pub fn our_run(job: &Job, provision: &[u8; 32]) -> Option<(u32, bool)> {
	job.runs.0.iter().enumerate().find_map(|(i, run)| match &run.state {
		RunState::Assigned { provision: p, .. } if p == provision => Some((i as u32, false)),
		RunState::Accepted { provision: p, .. } if p == provision => Some((i as u32, true)),
		_ => None,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::{
		codec::{Decode, Encode},
		frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed},
	};

	const ARTIFACT: &[u8] = include_bytes!("../artifacts/cxmpute.scale");

	#[test]
	fn the_artifact_is_compatible() {
		let md = subxt::Metadata::decode_from(ARTIFACT).unwrap();
		assert_eq!(compat_problems(&md), Vec::<String>::new());
	}

	#[test]
	fn a_changed_call_is_reported() {
		let mut prefixed = RuntimeMetadataPrefixed::decode(&mut &ARTIFACT[..]).unwrap();
		let RuntimeMetadata::V14(v14) = &mut prefixed.1 else { panic!("expected metadata V14") };
		let calls = v14
			.pallets
			.iter()
			.find(|p| p.name == "Matching")
			.unwrap()
			.calls
			.as_ref()
			.unwrap()
			.ty
			.id;
		let ty = v14.types.types.iter_mut().find(|t| t.id == calls).unwrap();
		let scale_info::TypeDef::Variant(v) = &mut ty.ty.type_def else {
			panic!("calls are an enum")
		};
		v.variants.retain(|v| v.name != "accept_jobs");
		let md = subxt::Metadata::decode_from(&prefixed.encode()).unwrap();
		assert_eq!(compat_problems(&md), vec!["call Matching.accept_jobs is missing".to_string()]);
	}
}
