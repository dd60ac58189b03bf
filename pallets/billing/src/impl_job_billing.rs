//! [`JobBilling`] for the pallet: the matching pallet's view of the money.

use crate::{pallet::*, Admission, EscrowPart, JobBilling, JobId, ServiceKind};
use sp_arithmetic::Permill;
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> JobBilling<T::AccountId> for Pallet<T> {
	fn admit(
		job: JobId,
		signer: &T::AccountId,
		service: ServiceKind,
		escrow: u128,
		max_tokens: u64,
	) -> Result<Admission<T::AccountId>, DispatchError> {
		Self::do_admit(job, signer, service, escrow, max_tokens)
	}

	fn top_up(job: JobId, amount: u128) -> DispatchResult {
		Self::do_top_up(job, amount)
	}

	fn fund_from_treasury(job: JobId, amount: u128) -> DispatchResult {
		Self::do_fund_from_treasury(job, amount)
	}

	fn pay(job: JobId, part: EscrowPart, provider: &T::AccountId, amount: u128) -> DispatchResult {
		Self::do_pay(job, part, provider, amount)
	}

	fn close(job: JobId, service: ServiceKind, tokens_used: u64) -> Result<u128, DispatchError> {
		Self::do_close(job, service, tokens_used)
	}

	fn escrowed(job: JobId, part: EscrowPart) -> u128 {
		Self::escrowed_in(job, part)
	}

	fn spot_discount() -> Permill {
		SpotDiscount::<T>::get()
	}
}
