//! Prometheus metrics served at `/metrics`.

use prometheus::{
	Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
	Registry, TextEncoder,
};

/// The worker's metrics.
#[derive(Clone)]
pub struct Metrics {
	registry: Registry,
	/// Jobs by outcome: `accepted`, `completed`, `failed`, `reported_failed`.
	pub jobs: IntCounterVec,
	/// Jobs currently running.
	pub running: IntGauge,
	/// Seconds from accept to result.
	pub job_latency: Histogram,
	/// Seconds to load a model.
	pub model_load: Histogram,
	/// 1 while connected to the chain.
	pub chain_connected: IntGauge,
	/// 1 while the worker takes new jobs (from the run loop's start until shutdown begins).
	pub accepting_jobs: IntGauge,
	/// Last finalized block seen.
	pub finalized_block: IntGauge,
	/// GPU utilisation in percent, per GPU index (NVML only).
	pub gpu_utilisation: IntGaugeVec,
	/// Transactions by call and outcome.
	pub transactions: IntCounterVec,
	/// Requests per model run, by pipeline (`embeddings`, `generation`).
	pub batch_size: HistogramVec,
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}

impl Metrics {
	/// Registers every metric in a fresh registry.
	pub fn new() -> Self {
		let registry =
			Registry::new_custom(Some("cxmpute_worker".into()), None).expect("valid prefix");
		let jobs = IntCounterVec::new(Opts::new("jobs_total", "Jobs by outcome"), &["state"])
			.expect("valid metric");
		let running = IntGauge::new("jobs_running", "Jobs running now").expect("valid metric");
		let job_latency = Histogram::with_opts(
			HistogramOpts::new("job_seconds", "Seconds from accept to result")
				.buckets(vec![0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0]),
		)
		.expect("valid metric");
		let model_load = Histogram::with_opts(
			HistogramOpts::new("model_load_seconds", "Seconds to load a model")
				.buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
		)
		.expect("valid metric");
		let chain_connected =
			IntGauge::new("chain_connected", "1 while connected to the chain").expect("valid");
		let accepting_jobs =
			IntGauge::new("accepting_jobs", "1 while the worker takes new jobs").expect("valid");
		let finalized_block =
			IntGauge::new("finalized_block", "Last finalized block seen").expect("valid");
		let gpu_utilisation = IntGaugeVec::new(
			Opts::new("gpu_utilisation_percent", "GPU utilisation (NVML)"),
			&["gpu"],
		)
		.expect("valid metric");
		let transactions = IntCounterVec::new(
			Opts::new("transactions_total", "Transactions by call and outcome"),
			&["call", "outcome"],
		)
		.expect("valid metric");
		let batch_size = HistogramVec::new(
			HistogramOpts::new("batch_requests", "Jobs served by one model run, by pipeline")
				.buckets(vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]),
			&["pipeline"],
		)
		.expect("valid metric");
		for m in [
			Box::new(jobs.clone()) as Box<dyn prometheus::core::Collector>,
			Box::new(running.clone()),
			Box::new(job_latency.clone()),
			Box::new(model_load.clone()),
			Box::new(chain_connected.clone()),
			Box::new(accepting_jobs.clone()),
			Box::new(finalized_block.clone()),
			Box::new(gpu_utilisation.clone()),
			Box::new(transactions.clone()),
			Box::new(batch_size.clone()),
		] {
			registry.register(m).expect("unique metric names");
		}
		Self {
			registry,
			jobs,
			running,
			job_latency,
			model_load,
			chain_connected,
			accepting_jobs,
			finalized_block,
			gpu_utilisation,
			transactions,
			batch_size,
		}
	}

	/// The Prometheus text exposition of every metric (GPU utilisation refreshed first).
	pub fn render(&self) -> String {
		if let Ok(gpus) = crate::hardware::gpus() {
			for (i, g) in gpus.iter().enumerate() {
				if let Some(u) = g.utilisation {
					self.gpu_utilisation.with_label_values(&[&i.to_string()]).set(u as i64);
				}
			}
		}
		let mut buf = Vec::new();
		TextEncoder::new()
			.encode(&self.registry.gather(), &mut buf)
			.expect("text encoding cannot fail");
		String::from_utf8(buf).expect("Prometheus text is UTF-8")
	}
}

#[cfg(test)]
mod tests {
	#[test]
	fn renders_text() {
		let m = super::Metrics::new();
		m.jobs.with_label_values(&["completed"]).inc();
		m.job_latency.observe(0.3);
		let text = m.render();
		assert!(text.contains("cxmpute_worker_jobs_total{state=\"completed\"} 1"));
		assert!(text.contains("cxmpute_worker_job_seconds_bucket"));
	}
}
