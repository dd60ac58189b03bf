//! Hardware detection: GPU through NVML (when `libnvidia-ml` is present), CPU cores, RAM and
//! disk through `sysinfo`.

use std::path::Path;

use serde::Serialize;

/// One GPU as NVML reports it.
#[derive(Clone, Debug, Serialize)]
pub struct Gpu {
	/// Model name.
	pub name: String,
	/// Total memory in MiB.
	pub vram_mb: u32,
	/// Current utilisation in percent, when readable.
	pub utilisation: Option<u32>,
}

/// What the machine has.
#[derive(Clone, Debug, Serialize)]
pub struct Detected {
	/// GPUs (empty without NVML or without NVIDIA GPUs).
	pub gpus: Vec<Gpu>,
	/// Why no GPU was found, if NVML could not be used.
	pub gpu_note: Option<String>,
	/// Logical CPU cores.
	pub cpu_cores: u32,
	/// RAM in MiB.
	pub ram_mb: u32,
	/// Total size of the disk holding `data_dir`, in GB.
	pub disk_gb: u32,
}

/// Reads the GPUs through NVML.
pub fn gpus() -> Result<Vec<Gpu>, String> {
	let nvml = nvml_wrapper::Nvml::init().map_err(|e| format!("NVML unavailable: {e}"))?;
	let n = nvml.device_count().map_err(|e| format!("NVML device count: {e}"))?;
	let mut out = Vec::new();
	for i in 0..n {
		let d = nvml.device_by_index(i).map_err(|e| format!("NVML device {i}: {e}"))?;
		let name = d.name().unwrap_or_else(|_| "NVIDIA GPU".into());
		let vram_mb = d.memory_info().map(|m| (m.total >> 20) as u32).unwrap_or(0);
		let utilisation = d.utilization_rates().ok().map(|u| u.gpu);
		out.push(Gpu { name, vram_mb, utilisation });
	}
	Ok(out)
}

/// Detects the machine; `data_dir` picks the disk.
pub fn detect(data_dir: &Path) -> Detected {
	let (gpus, gpu_note) = match gpus() {
		Ok(g) => (g, None),
		Err(e) => (Vec::new(), Some(e)),
	};
	let mut sys = sysinfo::System::new();
	sys.refresh_memory();
	sys.refresh_cpu();
	let cpu_cores = std::thread::available_parallelism()
		.map(|n| n.get() as u32)
		.unwrap_or_else(|_| sys.cpus().len().max(1) as u32);
	let ram_mb = (sys.total_memory() >> 20) as u32;
	let disks = sysinfo::Disks::new_with_refreshed_list();
	let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
	// The disk with the longest mount point that contains the directory.
	let disk_bytes = disks
		.list()
		.iter()
		.filter(|d| dir.starts_with(d.mount_point()))
		.max_by_key(|d| d.mount_point().as_os_str().len())
		.or_else(|| disks.list().iter().max_by_key(|d| d.total_space()))
		.map(|d| d.total_space())
		.unwrap_or(0);
	Detected {
		gpus,
		gpu_note,
		cpu_cores,
		ram_mb,
		disk_gb: (disk_bytes / 1_000_000_000).max(1) as u32,
	}
}

#[cfg(test)]
mod tests {
	#[test]
	fn detects_something() {
		let d = super::detect(std::path::Path::new("."));
		assert!(d.cpu_cores >= 1 && d.ram_mb >= 1 && d.disk_gb >= 1);
	}
}
