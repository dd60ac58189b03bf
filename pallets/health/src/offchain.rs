//! The offchain worker: probe a page of running provisions over HTTP and submit the signed
//! report as an unsigned `submit_probes`, once per local authority key.

use crate::{pallet::*, ProbeOutcome, ProbeReport, ProvisionId, ProvisionsInspect};
use alloc::{vec, vec::Vec};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{
	offchain::{
		http,
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration, HttpRequestId, HttpRequestStatus, Timestamp,
	},
	traits::Zero,
	RuntimeAppPublic,
};

/// Offchain persistent-storage key of the lock held while probing.
pub const LOCK_KEY: &[u8] = b"cxmpute/health/lock";

/// Offchain persistent-storage key of the cursor into the running provisions.
pub const CURSOR_KEY: &[u8] = b"cxmpute/health/cursor";

/// How long one wait for responses lasts at most, in milliseconds: the resolution of the
/// measured latencies.
pub const POLL_STEP_MS: u64 = 10;

/// A started probe: index in the page, request id, start time.
type Started = (usize, HttpRequestId, Timestamp);

impl<T: Config> Pallet<T> {
	/// Offchain worker entry point for block `now`.
	///
	/// Does nothing unless `now` is a multiple of `ProbeInterval`, the keystore holds a key of a
	/// current authority, and no other run of this worker holds the lock. Then, per such key,
	/// probes the next page of running provisions and submits the signed report.
	pub(crate) fn do_offchain_worker(now: BlockNumberFor<T>) {
		let interval = T::ProbeInterval::get();
		if interval.is_zero() || !(now % interval).is_zero() {
			return;
		}
		let keys = Self::local_authority_keys();
		if keys.is_empty() {
			log::trace!(target: crate::LOG_TARGET, "no local authority key: not probing");
			return;
		}
		// The lock expires on its own should this run die: one round per key plus a second.
		let expiry =
			T::HttpTimeoutMs::get().saturating_mul(keys.len() as u64).saturating_add(1_000);
		let mut lock = StorageLock::<Time>::with_deadline(LOCK_KEY, Duration::from_millis(expiry));
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: crate::LOG_TARGET, "another worker is probing: skipping");
			return;
		};
		for key in keys {
			let page = Self::next_page();
			if page.is_empty() {
				log::trace!(target: crate::LOG_TARGET, "no running provision to probe");
				return;
			}
			let outcomes = Self::probe_all(&page);
			Self::send_report(key, now, page.into_iter().zip(outcomes).collect());
		}
	}

	/// The local keys of `AuthorityId` that are in the current authority set.
	pub(crate) fn local_authority_keys() -> Vec<T::AuthorityId> {
		let authorities = T::Authorities::get();
		T::AuthorityId::all().into_iter().filter(|key| authorities.contains(key)).collect()
	}

	/// The next page of at most `ProbesPerRound` distinct running provisions, advancing the
	/// cursor in offchain storage (cleared when the page reached the end, so the next page
	/// starts over).
	pub(crate) fn next_page() -> Vec<ProvisionId> {
		let mut cursor_ref = StorageValueRef::persistent(CURSOR_KEY);
		let cursor = cursor_ref.get::<ProvisionId>().ok().flatten();
		let limit = T::ProbesPerRound::get();
		let (mut page, next) = T::Provisions::running_page(cursor, limit);
		match next {
			Some(next) => cursor_ref.set(&next),
			None => cursor_ref.clear(),
		}
		page.truncate(limit as usize);
		let mut seen = alloc::collections::btree_set::BTreeSet::new();
		page.retain(|id| seen.insert(*id));
		page
	}

	/// Probe the health endpoint of each of `provisions` at once and wait for all of them with
	/// one deadline (`HttpTimeoutMs` from now). The outcome of each is its latency in ms when
	/// it answered `2xx` before the deadline, else `None` (no or non-UTF-8 endpoint, request
	/// error, other status, deadline reached). Latencies are measured with
	/// `sp_io::offchain::timestamp` at a resolution of [`POLL_STEP_MS`].
	pub fn probe_all(provisions: &[ProvisionId]) -> Vec<ProbeOutcome> {
		let timeout = T::HttpTimeoutMs::get();
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(timeout));
		let mut outcomes: Vec<ProbeOutcome> = vec![None; provisions.len()];
		let mut pending: Vec<Started> = Vec::new();
		for (index, provision) in provisions.iter().enumerate() {
			let Some(endpoint) = T::Provisions::health_endpoint(provision) else { continue };
			let Ok(url) = core::str::from_utf8(&endpoint) else { continue };
			let started = sp_io::offchain::timestamp();
			match http::Request::get(url).deadline(deadline).send() {
				Ok(request) => pending.push((index, request.id, started)),
				Err(error) => log::debug!(
					target: crate::LOG_TARGET,
					"probing {provision:?} failed to start: {error:?}"
				),
			}
		}
		// Bounded even if the clock does not move.
		let mut rounds = timeout / POLL_STEP_MS + 2;
		while !pending.is_empty() && rounds > 0 {
			rounds -= 1;
			let step =
				sp_io::offchain::timestamp().add(Duration::from_millis(POLL_STEP_MS)).min(deadline);
			let ids: Vec<HttpRequestId> = pending.iter().map(|(_, id, _)| *id).collect();
			let statuses = sp_io::offchain::http_response_wait(&ids, Some(step));
			let at = sp_io::offchain::timestamp();
			let mut still = Vec::new();
			for ((index, id, started), status) in pending.into_iter().zip(statuses) {
				match status {
					HttpRequestStatus::Finished(code)
						if (200..300).contains(&code) && at <= deadline =>
					{
						let latency = at.diff(&started).millis();
						if let Some(outcome) = outcomes.get_mut(index) {
							*outcome = Some(u32::try_from(latency).unwrap_or(u32::MAX));
						}
					},
					HttpRequestStatus::DeadlineReached if at < deadline => {
						still.push((index, id, started))
					},
					_ => {},
				}
			}
			pending = still;
		}
		outcomes
	}

	/// Sign the report of `key`'s `results` at block `now` and submit it as an unsigned
	/// `submit_probes`. Failures are logged.
	pub(crate) fn send_report(
		key: T::AuthorityId,
		now: BlockNumberFor<T>,
		results: Vec<(ProvisionId, ProbeOutcome)>,
	) {
		let report = ProbeReport {
			authority: key.clone(),
			block_number: now,
			results: BoundedVec::truncate_from(results),
		};
		let Some(signature) = key.sign(&Self::signing_payload(&report)) else {
			log::warn!(target: crate::LOG_TARGET, "signing the report with {key:?} failed");
			return;
		};
		let count = report.results.len();
		let xt = T::create_bare(Call::submit_probes { report, signature }.into());
		match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
			Ok(()) => log::debug!(
				target: crate::LOG_TARGET,
				"submitted {count} probes from {key:?} at block {now:?}"
			),
			Err(()) => log::warn!(
				target: crate::LOG_TARGET,
				"submitting the probes from {key:?} failed"
			),
		}
	}
}
