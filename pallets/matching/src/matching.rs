//! Matching queued jobs to provisions in `on_initialize`: candidate collection, the
//! health-weighted draw among near-equal offers, and pre-emption of Spot runs.

use crate::{
	pallet::*, weights::WeightInfo, HealthInspect, Job, JobClass, JobId, JobService, Outcome,
	ProvisionId, ProvisionsInspect, RunState, Tier, Timeout, UnitPrice,
};
use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};
use cxmpute_primitives::compute::{HardwareSummary, ModelId, ServiceKind};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::{traits::Saturating, Permill};

/// An eligible provision for one job.
pub(crate) struct Candidate<AccountId> {
	/// The provision.
	pub id: ProvisionId,
	/// Its price per unit.
	pub price: UnitPrice,
	/// Its provider.
	pub provider: AccountId,
	/// Its current worker key.
	pub worker: AccountId,
	/// Free slots.
	pub free: u32,
	/// A Spot job it runs that a Priority job may pre-empt (only when `free == 0`).
	pub victim: Option<JobId>,
	/// Draw weight: `1 + uptime` in parts per million (unmeasured: 50%).
	pub weight: u64,
}

/// What matching learns about a provision, read at most once per block.
struct Facts<AccountId> {
	running: bool,
	hardware: Option<HardwareSummary>,
	provider: Option<AccountId>,
	worker: Option<AccountId>,
	capacity: u32,
	weight: u64,
}

/// Provision data the hook has read this block. Pools and provisions do not change while the
/// hook runs, so every job matched in a block shares one read of each pool and provision;
/// only the in-flight lists (which matching itself changes) are read per job.
pub(crate) struct MatchCache<AccountId> {
	pools: BTreeMap<(ServiceKind, Tier), Vec<(ProvisionId, UnitPrice)>>,
	facts: BTreeMap<ProvisionId, Facts<AccountId>>,
	offers: BTreeMap<(ProvisionId, ModelId), bool>,
	/// In-flight lists as stored, kept in step with every change matching makes.
	inflight: BTreeMap<ProvisionId, Vec<(JobId, JobClass)>>,
	/// The candidate sets (service kind, model) already paid for this block.
	loaded: BTreeSet<(ServiceKind, Option<ModelId>)>,
	/// Whether a registered provision offers each candidate set looked at this block.
	offered: BTreeMap<(ServiceKind, Option<ModelId>), bool>,
}

impl<AccountId> Default for MatchCache<AccountId> {
	fn default() -> Self {
		Self {
			pools: BTreeMap::new(),
			facts: BTreeMap::new(),
			offers: BTreeMap::new(),
			inflight: BTreeMap::new(),
			loaded: BTreeSet::new(),
			offered: BTreeMap::new(),
		}
	}
}

/// The weight of matching: `cold` for reading one candidate set (every pool and provision a
/// job of one service and model can look at) and `warm` for each run matched from read data,
/// both from the `match_jobs` benchmark (`n` jobs sharing one candidate set).
pub(crate) fn match_weights<T: Config>() -> (Weight, Weight) {
	let one = <T as Config>::WeightInfo::match_jobs(1, crate::WEIGHT_PROVISIONS);
	let two = <T as Config>::WeightInfo::match_jobs(2, crate::WEIGHT_PROVISIONS);
	let warm = two.saturating_sub(one);
	(one.saturating_sub(warm), warm)
}

/// The most `match_job` may cost for one job: a fresh candidate set and every run, each
/// pre-empting a Spot run.
pub(crate) fn worst_match<T: Config>() -> Weight {
	let (cold, warm) = match_weights::<T>();
	cold.saturating_add(warm.saturating_mul(2 * u64::from(crate::MaxRunsOf::<T>::get())))
}

impl<T: Config> Pallet<T> {
	/// Pop queue entries, Priority first, then Standard, then Spot, each entry at most once
	/// per block and at most `MaxMatchesPerBlock` in all, and match them while `budget` allows
	/// a job's worst case; returns the weight used.
	pub(crate) fn do_match_queued(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		let (cold, warm) = match_weights::<T>();
		let worst = worst_match::<T>();
		let mut used = T::DbWeight::get().reads(3);
		let mut left = T::MaxMatchesPerBlock::get();
		let mut cache = MatchCache::default();
		for class in [JobClass::Priority, JobClass::Standard, JobClass::Spot] {
			let bounds = Queues::<T>::get(class);
			let mut n = bounds.tail.saturating_sub(bounds.head);
			while n > 0 && left > 0 && used.saturating_add(worst).all_lte(budget) {
				n = n.saturating_sub(1);
				left = left.saturating_sub(1);
				// Popping a hole costs a read and a write, less than one matched run.
				used = used.saturating_add(warm);
				let Some((pos, entry)) = Self::pop(class) else { break };
				let Some(id) = entry else { continue };
				let Some(mut job) = Jobs::<T>::get(id) else { continue };
				if job.queued != Some(pos) {
					continue;
				}
				job.queued = None;
				let pending = job.runs.iter().filter(|r| r.state == RunState::Pending).count();
				if cache.loaded.insert(Self::candidate_set(&job)) {
					used = used.saturating_add(cold);
				}
				used = used.saturating_add(warm.saturating_mul(pending.saturating_sub(1) as u64));
				// A Priority run may pre-empt a Spot run: reading, resetting and re-queueing the
				// victim's job costs about what matching a run does, so charge it again.
				if job.class == JobClass::Priority {
					used = used.saturating_add(warm.saturating_mul(pending as u64));
				}
				Self::match_job(id, &mut job, now, &mut cache);
				if job.has_pending() {
					// Nothing will ever serve it once no registered provision offers its
					// service or model (the last one was deregistered): close it now rather
					// than at its deadline.
					let set = Self::candidate_set(&job);
					let offered = *cache.offered.entry(set).or_insert_with(|| {
						used = used.saturating_add(T::DbWeight::get().reads(1));
						T::Provisions::is_offered(set.0, set.1.as_ref())
					});
					if !offered {
						let winner = Self::partial_winner(&job);
						Self::close_job(id, job, Outcome::Unservable, winner, 0);
						used = used.saturating_add(<T as Config>::WeightInfo::process_timeout());
						continue;
					}
					Self::enqueue(id, &mut job);
				}
				Jobs::<T>::insert(id, job);
			}
		}
		used
	}

	/// The candidate set a job draws from: its service kind and, for inference, its model.
	fn candidate_set(job: &Job<T>) -> (ServiceKind, Option<ModelId>) {
		let model = match &job.spec.service {
			JobService::Inference { model } => Some(*model),
			_ => None,
		};
		(job.spec.service.kind(), model)
	}

	/// Assign the pending runs of `job` to distinct providers; returns how many were assigned.
	pub(crate) fn match_job(
		id: JobId,
		job: &mut Job<T>,
		now: BlockNumberFor<T>,
		cache: &mut MatchCache<T::AccountId>,
	) -> u32 {
		let pending: Vec<u32> = job
			.runs
			.iter()
			.enumerate()
			.filter(|(_, r)| r.state == RunState::Pending)
			.map(|(i, _)| i as u32)
			.collect();
		if pending.is_empty() {
			return 0;
		}
		let mut candidates = Self::candidates(id, job, cache);
		let mut used: Vec<T::AccountId> =
			job.runs.iter().filter_map(|r| r.state.provider().cloned()).collect();
		let band = Params::<T>::get().near_equal_band;
		let mut assigned = 0;
		for r in pending {
			let Some(i) = Self::pick(id, r, job.class, &candidates, &used, band) else { break };
			let Some(c) = candidates.get_mut(i) else { break };
			if c.free == 0 {
				let Some(victim) = c.victim.take() else { break };
				if !Self::preempt(victim, &c.id, id) {
					continue;
				}
				if let Some(list) = cache.inflight.get_mut(&c.id) {
					list.retain(|(j, _)| *j != victim);
				}
				c.free = 1;
			}
			let due = now.saturating_add(T::AcceptWindow::get());
			let Ok(timeout_at) = Self::schedule_timeout(due, id, Timeout::Accept(r)) else {
				break;
			};
			let pushed = InFlight::<T>::mutate(c.id, |v| v.try_push((id, job.class)).is_ok());
			if !pushed {
				break;
			}
			if let Some(list) = cache.inflight.get_mut(&c.id) {
				list.push((id, job.class));
			}
			TotalInFlight::<T>::mutate(|n| *n = n.saturating_add(1));
			if let Some(run) = job.runs.get_mut(r as usize) {
				run.state = RunState::Assigned {
					provision: c.id,
					provider: c.provider.clone(),
					price: c.price,
					timeout_at,
				};
			}
			Self::deposit_event(Event::Assigned {
				job: id,
				run: r,
				provision: c.id,
				worker: c.worker.clone(),
				price: c.price,
			});
			used.push(c.provider.clone());
			c.free = c.free.saturating_sub(1);
			assigned += 1;
		}
		assigned
	}

	/// The eligible provisions for `job`, cheapest first: at most `MaxCandidates` pool entries
	/// per tier at or above the job's minimum tier.
	pub(crate) fn candidates(
		id: JobId,
		job: &Job<T>,
		cache: &mut MatchCache<T::AccountId>,
	) -> Vec<Candidate<T::AccountId>> {
		let kind = job.spec.service.kind();
		let req = job.spec.requirements;
		let slot_bound = T::MaxJobsPerProvision::get();
		let mut out = Vec::new();
		for tier in Tier::ALL.iter().filter(|t| **t >= req.min_tier) {
			let pool = cache
				.pools
				.entry((kind, *tier))
				.or_insert_with(|| T::Provisions::cheapest(kind, *tier, T::MaxCandidates::get()));
			for (pid, price) in pool.iter() {
				let (pid, price) = (*pid, *price);
				if price > job.max_unit_price {
					break;
				}
				let facts = cache.facts.entry(pid).or_insert_with(|| Facts {
					running: T::Provisions::is_running(&pid),
					hardware: T::Provisions::hardware_of(&pid),
					provider: T::Provisions::provider_of(&pid),
					worker: T::Provisions::worker_of(&pid),
					capacity: T::Provisions::capacity(&pid).unwrap_or(0),
					weight: u64::from(
						T::Health::health_of(&pid)
							.map(|h| h.uptime)
							.unwrap_or(Permill::from_percent(50))
							.deconstruct(),
					)
					.saturating_add(1),
				});
				if !facts.running {
					continue;
				}
				let Some(hw) = facts.hardware else { continue };
				if hw.vram_mb < req.min_vram_mb
					|| hw.cpu_cores < req.min_cpu_cores
					|| hw.ram_mb < req.min_ram_mb
				{
					continue;
				}
				let (Some(provider), Some(worker)) = (facts.provider.clone(), facts.worker.clone())
				else {
					continue;
				};
				let (capacity, weight) = (facts.capacity.min(slot_bound), facts.weight);
				if let JobService::Inference { model } = &job.spec.service {
					let offered = *cache
						.offers
						.entry((pid, *model))
						.or_insert_with(|| T::Provisions::offers_model(&pid, model));
					if !offered {
						continue;
					}
				}
				let inflight = cache
					.inflight
					.entry(pid)
					.or_insert_with(|| InFlight::<T>::get(pid).into_inner());
				if inflight.iter().any(|(j, _)| *j == id) {
					continue;
				}
				let free = capacity.saturating_sub(inflight.len() as u32);
				let victim = if free == 0 && job.class == JobClass::Priority && capacity > 0 {
					inflight.iter().find(|(_, c)| *c == JobClass::Spot).map(|(j, _)| *j)
				} else {
					None
				};
				if free == 0 && victim.is_none() {
					continue;
				}
				out.push(Candidate { id: pid, price, provider, worker, free, victim, weight });
			}
		}
		out.sort_by_key(|c| c.price);
		out
	}

	/// Choose a candidate for run `run`: among those with a free slot and a provider not yet
	/// used by the job, the offers priced within `band` of the cheapest, drawn by weight. A
	/// Priority job without such an offer gets the cheapest one with a Spot victim.
	pub(crate) fn pick(
		id: JobId,
		run: u32,
		class: JobClass,
		candidates: &[Candidate<T::AccountId>],
		used: &[T::AccountId],
		band: Permill,
	) -> Option<usize> {
		let eligible: Vec<usize> = candidates
			.iter()
			.enumerate()
			.filter(|(_, c)| c.free > 0 && !used.contains(&c.provider))
			.map(|(i, _)| i)
			.collect();
		if let Some(first) = eligible.first() {
			let cheapest = candidates[*first].price;
			let limit = cheapest.saturating_add(band.mul_floor(cheapest));
			let near: Vec<usize> =
				eligible.into_iter().filter(|i| candidates[*i].price <= limit).collect();
			let total: u64 =
				near.iter().fold(0u64, |acc, i| acc.saturating_add(candidates[*i].weight));
			let mut draw = Self::random(id, run, b"pick") % total.max(1);
			for i in near.iter() {
				let w = candidates[*i].weight;
				if draw < w {
					return Some(*i);
				}
				draw = draw.saturating_sub(w);
			}
			return near.last().copied();
		}
		if class == JobClass::Priority {
			return candidates
				.iter()
				.position(|c| c.free == 0 && c.victim.is_some() && !used.contains(&c.provider));
		}
		None
	}

	/// Put the Spot job `victim`'s run on `provision` back to pending and its job back in the
	/// queue, freeing the slot for `by`; `false` if there was no such run.
	fn preempt(victim: JobId, provision: &ProvisionId, by: JobId) -> bool {
		let Some(mut job) = Jobs::<T>::get(victim) else { return false };
		let Some(r) = job
			.runs
			.iter()
			.position(|run| run.state.in_flight() && run.state.provision() == Some(provision))
		else {
			return false;
		};
		Self::free_slot(provision, victim);
		if let Some(run) = job.runs.get_mut(r) {
			run.state = RunState::Pending;
		}
		Self::enqueue(victim, &mut job);
		Jobs::<T>::insert(victim, job);
		Self::deposit_event(Event::Preempted { job: victim, provision: *provision, by });
		true
	}

	/// Remove `job` from `provision`'s in-flight runs.
	pub(crate) fn free_slot(provision: &ProvisionId, job: JobId) {
		let mut removed = false;
		InFlight::<T>::mutate_exists(provision, |entries| {
			if let Some(v) = entries {
				let before = v.len();
				v.retain(|(j, _)| *j != job);
				removed = v.len() < before;
				if v.is_empty() {
					*entries = None;
				}
			}
		});
		if removed {
			TotalInFlight::<T>::mutate(|n| *n = n.saturating_sub(1));
		}
	}
}
