//! [`OnJobCompleted`] for the pallet: the job market reports successful jobs.

use crate::{pallet::*, JobUsage, OnJobCompleted, ProvisionId, ServiceKind};

/// Awards points for the job; see `Pallet::do_job_completed`. The caller should charge
/// [`crate::WeightInfo::on_job_completed`] for it.
impl<T: Config> OnJobCompleted for Pallet<T> {
	fn on_job_completed(provision: &ProvisionId, service: ServiceKind, usage: &JobUsage) {
		Self::do_job_completed(provision, service, usage)
	}
}
