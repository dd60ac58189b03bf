//! One local nonce counter for a key that submits concurrently.
//!
//! Transactions are signed with `next()`; the counter starts from (and, after any submission
//! error, is re-read from) the chain's `system_accountNextIndex`, which counts the pool's
//! pending transactions too.

use std::{future::Future, sync::Arc};

use tokio::sync::Mutex;

/// The counter; `None` means "ask the chain next time".
#[derive(Clone, Default, Debug)]
pub struct NonceManager {
	next: Arc<Mutex<Option<u64>>>,
}

impl NonceManager {
	/// A manager that reads the chain on first use.
	pub fn new() -> Self {
		Self::default()
	}

	/// Reserves the next nonce, fetching it with `fetch` when unknown. While one caller
	/// fetches, others wait, so no two callers get the same nonce.
	pub async fn next<F, Fut, E>(&self, fetch: F) -> Result<u64, E>
	where
		F: FnOnce() -> Fut,
		Fut: Future<Output = Result<u64, E>>,
	{
		let mut guard = self.next.lock().await;
		let nonce = match *guard {
			Some(n) => n,
			None => fetch().await?,
		};
		*guard = Some(nonce + 1);
		Ok(nonce)
	}

	/// Forgets the counter (after a failed submission: stale, future or dropped nonce).
	pub async fn resync(&self) {
		*self.next.lock().await = None;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn counts_up_and_resyncs() {
		let m = NonceManager::new();
		let chain = |n: u64| move || async move { Ok::<u64, ()>(n) };
		assert_eq!(m.next(chain(5)).await, Ok(5));
		assert_eq!(m.next(chain(99)).await, Ok(6)); // local counter, no fetch
		m.resync().await;
		assert_eq!(m.next(chain(3)).await, Ok(3));
		// A failed fetch leaves the counter unknown.
		m.resync().await;
		assert_eq!(m.next(|| async { Err::<u64, &str>("down") }).await, Err("down"));
		assert_eq!(m.next(chain(8)).await, Ok(8));
	}

	#[tokio::test]
	async fn concurrent_callers_get_distinct_nonces() {
		let m = NonceManager::new();
		let mut handles = Vec::new();
		for _ in 0..50 {
			let m = m.clone();
			handles.push(tokio::spawn(async move {
				m.next(|| async {
					tokio::task::yield_now().await;
					Ok::<u64, ()>(100)
				})
				.await
				.unwrap()
			}));
		}
		let mut got: Vec<u64> = Vec::new();
		for h in handles {
			got.push(h.await.unwrap());
		}
		got.sort();
		assert_eq!(got, (100..150).collect::<Vec<_>>());
	}
}
