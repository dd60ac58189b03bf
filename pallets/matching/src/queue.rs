//! Class queues: `head..tail` counters per class with entries in `QueuedJobs` (`O(1)` push and
//! pop; dequeuing from the middle leaves a hole the hook skips).

use crate::{pallet::*, Job, JobClass, JobId};

impl<T: Config> Pallet<T> {
	/// Push `id` at the tail of its class queue, unless it is queued already.
	pub(crate) fn enqueue(id: JobId, job: &mut Job<T>) {
		if job.queued.is_some() {
			return;
		}
		let pos = Queues::<T>::mutate(job.class, |q| {
			let pos = q.tail;
			q.tail = q.tail.saturating_add(1);
			pos
		});
		QueuedJobs::<T>::insert(job.class, pos, id);
		job.queued = Some(pos);
	}

	/// Take `id` out of its class queue (leaving a hole), if queued.
	pub(crate) fn dequeue(job: &mut Job<T>) {
		if let Some(pos) = job.queued.take() {
			QueuedJobs::<T>::remove(job.class, pos);
		}
	}

	/// Pop the head of `class`'s queue: `None` when empty, `Some((pos, None))` for a hole.
	pub(crate) fn pop(class: JobClass) -> Option<(u64, Option<JobId>)> {
		let mut bounds = Queues::<T>::get(class);
		if bounds.head >= bounds.tail {
			return None;
		}
		let pos = bounds.head;
		bounds.head = bounds.head.saturating_add(1);
		Queues::<T>::insert(class, bounds);
		Some((pos, QueuedJobs::<T>::take(class, pos)))
	}
}
