//! How many registered provisions offer each service kind and each inference model, so that the
//! matching pallet can refuse a job nothing could ever serve.
//!
//! Every registered provision counts, whatever its state: `Draft`, `Started`, `Running` and
//! `Off` provisions may all (come back and) take work; a deregistered one is gone and does not.

use crate::{pallet::*, ModelId, ServiceKind, ServiceOffer};
use alloc::collections::btree_set::BTreeSet;

impl<T: Config> Pallet<T> {
	/// Count (`add`) or stop counting the offers of one provision: each service kind once,
	/// each inference model once (a model listed twice counts once).
	pub(crate) fn count_offers(services: &[ServiceOffer<T>], add: bool) {
		let step = |n: &mut Option<u32>| {
			let v = n.unwrap_or(0);
			let v = if add { v.saturating_add(1) } else { v.saturating_sub(1) };
			*n = (v > 0).then_some(v);
		};
		let mut models = BTreeSet::new();
		for offer in services {
			ServiceOffers::<T>::mutate_exists(offer.kind, step);
			models.extend(offer.models.iter().copied());
		}
		for model in models {
			ModelOffers::<T>::mutate_exists(model, step);
		}
	}

	/// Whether a registered provision offers `kind` and, when `model` is given, inference on
	/// that model. One storage read.
	pub fn is_offered(kind: ServiceKind, model: Option<&ModelId>) -> bool {
		match model {
			Some(model) => ModelOffers::<T>::contains_key(model),
			None => ServiceOffers::<T>::contains_key(kind),
		}
	}
}
