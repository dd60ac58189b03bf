//! Batching of concurrent requests for one model.
//!
//! A model's session runs one call at a time, so concurrent jobs for the same model take turns.
//! A [`Batcher`] turns those turns into batches: requests queue while the model is busy, and the
//! next run takes everything queued (up to `max_batch`), after waiting at most `window` for
//! stragglers. An idle worker adds at most `window` of latency; a busy one serves a whole queue
//! per run.

use std::{sync::Arc, time::Duration};

use prometheus::Histogram;
use tokio::sync::{mpsc, oneshot};

use crate::error::{Result, WorkerError};

type Job<Req, Resp> = (Req, oneshot::Sender<Result<Resp>>);

/// Runs a batch of requests on the blocking pool: one result per request, in order.
pub type BatchFn<Req, Resp> = Arc<dyn Fn(Vec<Req>) -> Vec<Result<Resp>> + Send + Sync>;

/// Sends requests to one model's batching task.
pub struct Batcher<Req, Resp> {
	tx: mpsc::UnboundedSender<Job<Req, Resp>>,
}

impl<Req, Resp> Clone for Batcher<Req, Resp> {
	fn clone(&self) -> Self {
		Self { tx: self.tx.clone() }
	}
}

impl<Req: Send + 'static, Resp: Send + 'static> Batcher<Req, Resp> {
	/// Starts the batching task on the current Tokio runtime. `sizes` observes each batch's
	/// request count.
	pub fn spawn(
		max_batch: usize,
		window: Duration,
		sizes: Option<Histogram>,
		run: BatchFn<Req, Resp>,
	) -> Self {
		let (tx, rx) = mpsc::unbounded_channel();
		tokio::spawn(batch_task(rx, max_batch.max(1), window, sizes, run));
		Self { tx }
	}

	/// Queues `req` and waits for its result.
	///
	/// # Errors
	/// The request's own error, or [`WorkerError::InvalidInput`] if the batching task is gone.
	pub async fn call(&self, req: Req) -> Result<Resp> {
		let (tx, rx) = oneshot::channel();
		let gone = || WorkerError::InvalidInput("the model's batching task stopped".into());
		self.tx.send((req, tx)).map_err(|_| gone())?;
		rx.await.map_err(|_| gone())?
	}
}

async fn batch_task<Req: Send + 'static, Resp: Send + 'static>(
	mut rx: mpsc::UnboundedReceiver<Job<Req, Resp>>,
	max_batch: usize,
	window: Duration,
	sizes: Option<Histogram>,
	run: BatchFn<Req, Resp>,
) {
	while let Some(first) = rx.recv().await {
		let mut batch = vec![first];
		let until = tokio::time::Instant::now() + window;
		while batch.len() < max_batch {
			// Whatever queued while the previous batch ran is taken at once; then stragglers
			// get until the window closes.
			match rx.try_recv() {
				Ok(job) => batch.push(job),
				Err(_) => match tokio::time::timeout_at(until, rx.recv()).await {
					Ok(Some(job)) => batch.push(job),
					_ => break,
				},
			}
		}
		if let Some(h) = &sizes {
			h.observe(batch.len() as f64);
		}
		let (reqs, replies): (Vec<Req>, Vec<_>) = batch.into_iter().unzip();
		let n = reqs.len();
		let run = run.clone();
		let results = tokio::task::spawn_blocking(move || run(reqs)).await;
		match results {
			Ok(results) if results.len() == n => {
				for (reply, res) in replies.into_iter().zip(results) {
					let _ = reply.send(res);
				}
			},
			Ok(results) => {
				for reply in replies {
					let _ = reply.send(Err(WorkerError::InvalidInput(format!(
						"batch of {n} requests returned {} results",
						results.len()
					))));
				}
			},
			Err(e) => {
				for reply in replies {
					let _ = reply.send(Err(WorkerError::InvalidInput(format!(
						"batch run panicked or was cancelled: {e}"
					))));
				}
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::sync::Mutex;

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn queued_requests_share_a_run_and_get_their_own_results() {
		let runs: Arc<Mutex<Vec<Vec<u32>>>> = Arc::default();
		let seen = runs.clone();
		let h = Histogram::with_opts(prometheus::HistogramOpts::new("b", "b")).unwrap();
		let batcher = Batcher::spawn(
			4,
			Duration::from_millis(20),
			Some(h.clone()),
			Arc::new(move |reqs: Vec<u32>| {
				seen.lock().unwrap().push(reqs.clone());
				// Slow enough that the other callers queue behind the first run.
				std::thread::sleep(Duration::from_millis(50));
				reqs.into_iter()
					.map(|r| {
						if r == 7 {
							Err(WorkerError::InvalidInput("seven".into()))
						} else {
							Ok(r * 10)
						}
					})
					.collect()
			}),
		);
		let calls: Vec<_> = (0..10u32)
			.map(|i| {
				let b = batcher.clone();
				tokio::spawn(async move { (i, b.call(i).await) })
			})
			.collect();
		for c in calls {
			let (i, res) = c.await.unwrap();
			match i {
				7 => assert!(res.is_err(), "its own error"),
				_ => assert_eq!(res.unwrap(), i * 10),
			}
		}
		let runs = runs.lock().unwrap();
		let mut all: Vec<u32> = runs.iter().flatten().copied().collect();
		all.sort();
		assert_eq!(all, (0..10).collect::<Vec<_>>(), "every request ran once");
		assert!(runs.iter().all(|r| r.len() <= 4), "batches are bounded: {runs:?}");
		assert!(runs.len() < 10, "concurrent requests were batched: {runs:?}");
		assert_eq!(h.get_sample_count() as usize, runs.len());
		assert_eq!(h.get_sample_sum() as usize, 10);
	}

	#[tokio::test]
	async fn a_lone_request_waits_at_most_the_window() {
		let batcher = Batcher::spawn(
			8,
			Duration::from_millis(30),
			None,
			Arc::new(|reqs: Vec<u8>| reqs.into_iter().map(Ok).collect()),
		);
		let t = std::time::Instant::now();
		assert_eq!(batcher.call(5).await.unwrap(), 5);
		assert!(t.elapsed() < Duration::from_secs(2));
	}
}
