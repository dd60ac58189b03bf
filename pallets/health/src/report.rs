//! Checking and recording probe reports.

use crate::{
	aggregate, pallet::*, ProbeReportFor, ProvisionId, ProvisionsInspect, SIGNING_CONTEXT,
	TAG_PREFIX,
};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use codec::Encode;
use frame_support::{
	pallet_prelude::{
		InvalidTransaction, TransactionValidity, TransactionValidityError, ValidTransaction,
	},
	traits::Get,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	RuntimeAppPublic,
};

/// `InvalidTransaction::Custom` code of [`Error::EmptyReport`].
pub const INVALID_EMPTY: u8 = 1;
/// `InvalidTransaction::Custom` code of [`Error::DuplicateProvision`].
pub const INVALID_DUPLICATE: u8 = 2;

impl<T: Config> Pallet<T> {
	/// The bytes an authority signs for `report`: `(SIGNING_CONTEXT, report).encode()`.
	pub fn signing_payload(report: &ProbeReportFor<T>) -> Vec<u8> {
		(SIGNING_CONTEXT, report).encode()
	}

	/// Check `report` and its `signature` at the current block, cheapest checks first.
	///
	/// # Errors
	/// - `EmptyReport`: no result;
	/// - `DuplicateProvision`: a provision appears twice;
	/// - `ReportFromFuture`: `block_number` is after the current block;
	/// - `ReportTooOld`: `block_number + MaxReportAge` is before the current block;
	/// - `NotAuthority`: the key is not in `Authorities`;
	/// - `StaleReport`: the authority's last accepted report is at or after `block_number`;
	/// - `InvalidSignature`: the signature does not verify.
	pub fn check_report(
		report: &ProbeReportFor<T>,
		signature: &<T::AuthorityId as RuntimeAppPublic>::Signature,
	) -> Result<(), Error<T>> {
		if report.results.is_empty() {
			return Err(Error::<T>::EmptyReport);
		}
		let mut seen = BTreeSet::new();
		if !report.results.iter().all(|(id, _)| seen.insert(*id)) {
			return Err(Error::<T>::DuplicateProvision);
		}
		let now = frame_system::Pallet::<T>::block_number();
		if report.block_number > now {
			return Err(Error::<T>::ReportFromFuture);
		}
		if now.saturating_sub(report.block_number) > T::MaxReportAge::get() {
			return Err(Error::<T>::ReportTooOld);
		}
		if !T::Authorities::get().contains(&report.authority) {
			return Err(Error::<T>::NotAuthority);
		}
		if let Some(last) = Self::last_report_of(&report.authority) {
			if report.block_number <= last {
				return Err(Error::<T>::StaleReport);
			}
		}
		if !report.authority.verify(&Self::signing_payload(report), signature) {
			return Err(Error::<T>::InvalidSignature);
		}
		Ok(())
	}

	/// The block of the last accepted report of `authority`.
	pub fn last_report_of(authority: &T::AuthorityId) -> Option<BlockNumberFor<T>> {
		LastReports::<T>::get().iter().find(|(who, _)| who == authority).map(|(_, at)| *at)
	}

	/// `ValidateUnsigned` of `submit_probes`: [`Self::check_report`], then a transaction that
	/// provides `(authority, block_number)` and lives until the report gets too old.
	pub(crate) fn validate_report(
		report: &ProbeReportFor<T>,
		signature: &<T::AuthorityId as RuntimeAppPublic>::Signature,
	) -> TransactionValidity {
		Self::check_report(report, signature).map_err(Self::invalid)?;
		let now = frame_system::Pallet::<T>::block_number();
		let age = now.saturating_sub(report.block_number);
		let left: u64 = T::MaxReportAge::get().saturating_sub(age).unique_saturated_into();
		ValidTransaction::with_tag_prefix(TAG_PREFIX)
			.priority(T::UnsignedPriority::get())
			.and_provides((report.authority.clone(), report.block_number))
			.longevity(left.max(1))
			.propagate(true)
			.build()
	}

	/// The transaction-pool error of a report error.
	fn invalid(error: Error<T>) -> TransactionValidityError {
		match error {
			Error::<T>::EmptyReport => InvalidTransaction::Custom(INVALID_EMPTY),
			Error::<T>::DuplicateProvision => InvalidTransaction::Custom(INVALID_DUPLICATE),
			Error::<T>::ReportFromFuture => InvalidTransaction::Future,
			Error::<T>::ReportTooOld | Error::<T>::StaleReport => InvalidTransaction::Stale,
			Error::<T>::NotAuthority => InvalidTransaction::BadSigner,
			Error::<T>::InvalidSignature => InvalidTransaction::BadProof,
			_ => InvalidTransaction::Call,
		}
		.into()
	}

	/// Check `report` again (the block may differ from validation time), record its outcomes
	/// and recompute the health of each probed running provision.
	///
	/// Returns the weight witness `(results, most windows read for one provision)`.
	///
	/// # Errors
	/// Those of [`Self::check_report`].
	pub(crate) fn do_submit_probes(
		report: ProbeReportFor<T>,
		signature: &<T::AuthorityId as RuntimeAppPublic>::Signature,
	) -> Result<(u32, u32), Error<T>> {
		Self::check_report(&report, signature)?;
		let mut authorities = T::Authorities::get().into_inner();
		authorities.sort();

		// Remember the report; forget authorities that left the set.
		LastReports::<T>::mutate(|last| {
			last.retain(|(who, _)| authorities.binary_search(who).is_ok());
			match last.iter_mut().find(|(who, _)| *who == report.authority) {
				Some(entry) => entry.1 = report.block_number,
				None => {
					// Cannot fail: `last` now holds only current authorities, the reporter is
					// not among them, and there are at most `MaxAuthorities` authorities.
					if last.try_push((report.authority.clone(), report.block_number)).is_err() {
						log::error!(target: crate::LOG_TARGET, "LastReports full");
					}
				},
			}
		});

		let window_len = T::Window::get() as usize;
		let mut skipped = BoundedVec::<ProvisionId, T::ProbesPerRound>::new();
		let mut count = 0u32;
		let mut most_windows = 0u32;
		for (provision, outcome) in report.results.iter() {
			if !T::Provisions::is_running(provision) {
				// Cannot fail: `skipped` is as long as `results` at most.
				let _ = skipped.try_push(*provision);
				continue;
			}
			ProbesOf::<T>::mutate(provision, &report.authority, |window| {
				let window = window.get_or_insert_with(Default::default);
				if window.len() >= window_len && !window.is_empty() {
					window.remove(0);
				}
				// Cannot fail: one was removed when the window was full.
				let _ = window.try_push(*outcome);
			});
			let (stats, read) = Self::recompute(provision, &authorities);
			most_windows = most_windows.max(read);
			count = count.saturating_add(1);
			Self::deposit_event(Event::HealthUpdated { provision: *provision, stats });
		}
		Self::deposit_event(Event::ProbesRecorded {
			authority: report.authority,
			at: report.block_number,
			count,
			skipped,
		});
		Ok((report.results.len() as u32, most_windows))
	}

	/// Recompute and store the health of `provision` from its windows, deleting windows of
	/// keys not in `authorities` (sorted ascending) and empty ones.
	///
	/// Returns the stats and how many windows were read.
	pub(crate) fn recompute(
		provision: &ProvisionId,
		authorities: &[T::AuthorityId],
	) -> (crate::HealthStats, u32) {
		let windows: Vec<_> = ProbesOf::<T>::iter_prefix(provision).collect();
		let read = windows.len() as u32;
		let mut kept = Vec::with_capacity(windows.len());
		for (authority, window) in windows {
			if window.is_empty() || authorities.binary_search(&authority).is_err() {
				ProbesOf::<T>::remove(provision, &authority);
			} else {
				kept.push(window);
			}
		}
		let stats = aggregate::combine(kept.iter().map(|window| &window[..]));
		if stats.reporters == 0 {
			HealthOf::<T>::remove(provision);
		} else {
			HealthOf::<T>::insert(provision, stats);
		}
		(stats, read)
	}
}
