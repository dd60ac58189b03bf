//! The worker's HTTP server: `/health` (what the validators' offchain probes call: a `GET`
//! answered `2xx` within their timeout counts as up), `/metrics` (Prometheus text) and
//! `/results/<hex hash>` (stored outputs by content hash).
//!
//! `/health` answers `200` only while the worker can serve jobs: connected to the chain and
//! taking jobs. Before the run loop starts, while reconnecting and once shutdown has begun it
//! answers `503` with the same JSON body, so probes see the provision as down.

use std::{net::SocketAddr, sync::Arc};

use axum::{
	extract::{Path, State},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::get,
	Router,
};

use crate::{metrics::Metrics, results::ResultStore};

/// What the handlers read.
#[derive(Clone)]
pub struct HttpState {
	/// Metrics to render.
	pub metrics: Metrics,
	/// Stored outputs.
	pub results: ResultStore,
	/// Provision id (hex) for `/health`.
	pub provision: Arc<String>,
}

/// The router (exposed for tests).
pub fn router(state: HttpState) -> Router {
	Router::new()
		.route("/health", get(health))
		.route("/metrics", get(metrics))
		.route("/results/{hash}", get(result))
		.with_state(state)
}

async fn health(State(s): State<HttpState>) -> Response {
	let connected = s.metrics.chain_connected.get() == 1;
	let accepting = s.metrics.accepting_jobs.get() == 1;
	let (code, status) = match (connected, accepting) {
		(true, true) => (StatusCode::OK, "ok"),
		(false, _) => (StatusCode::SERVICE_UNAVAILABLE, "chain disconnected"),
		(true, false) => (StatusCode::SERVICE_UNAVAILABLE, "not taking jobs"),
	};
	let body = serde_json::json!({
		"status": status,
		"provision": *s.provision,
		"chain_connected": s.metrics.chain_connected.get() == 1,
		"running_jobs": s.metrics.running.get(),
	});
	(code, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn metrics(State(s): State<HttpState>) -> Response {
	let text = tokio::task::spawn_blocking(move || s.metrics.render()).await.unwrap_or_default();
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

async fn result(State(s): State<HttpState>, Path(hash): Path<String>) -> Response {
	match s.results.get(&hash) {
		Some(bytes) => {
			([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
		},
		None => (StatusCode::NOT_FOUND, "no such result\n").into_response(),
	}
}

/// Binds `addr` and serves until `shutdown` resolves.
pub async fn serve(
	addr: SocketAddr,
	state: HttpState,
	shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
	let listener = tokio::net::TcpListener::bind(addr).await?;
	tracing::info!(%addr, "HTTP server listening");
	Ok(tokio::spawn(async move {
		if let Err(e) = axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
		{
			tracing::error!(%e, "HTTP server stopped");
		}
	}))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn serves_health_metrics_and_results() {
		let dir = std::env::temp_dir().join(format!("cxw-http-{}", std::process::id()));
		let results = ResultStore::open(&dir).unwrap();
		let hash = hex::encode(results.put(b"output bytes").unwrap());
		let metrics = Metrics::new();
		let state =
			HttpState { metrics: metrics.clone(), results, provision: Arc::new("0xab".into()) };
		let (tx, rx) = tokio::sync::oneshot::channel::<()>();
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let addr = listener.local_addr().unwrap();
		drop(listener);
		let handle = serve(addr, state, async move {
			let _ = rx.await;
		})
		.await
		.unwrap();
		let base = format!("http://{addr}");
		let client = reqwest::Client::new();
		let health = || async {
			let h = client.get(format!("{base}/health")).send().await.unwrap();
			(h.status(), h.text().await.unwrap())
		};
		// Not up until connected and taking jobs; down again on disconnect or shutdown.
		let (code, body) = health().await;
		assert_eq!(code, reqwest::StatusCode::SERVICE_UNAVAILABLE);
		assert!(body.contains("chain disconnected"), "{body}");
		metrics.chain_connected.set(1);
		assert_eq!(health().await.0, reqwest::StatusCode::SERVICE_UNAVAILABLE);
		metrics.accepting_jobs.set(1);
		let (code, body) = health().await;
		assert_eq!(code, reqwest::StatusCode::OK);
		assert!(body.contains("\"provision\":\"0xab\""), "{body}");
		metrics.chain_connected.set(0);
		assert_eq!(health().await.0, reqwest::StatusCode::SERVICE_UNAVAILABLE);
		let m = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
		assert!(m.contains("cxmpute_worker_chain_connected"));
		let r = client.get(format!("{base}/results/{hash}")).send().await.unwrap();
		assert_eq!(r.bytes().await.unwrap().as_ref(), b"output bytes");
		let missing =
			client.get(format!("{base}/results/{}", "0".repeat(64))).send().await.unwrap();
		assert_eq!(missing.status(), reqwest::StatusCode::NOT_FOUND);
		tx.send(()).unwrap();
		handle.await.unwrap();
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
