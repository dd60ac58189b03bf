//! The provider's model store: ONNX files identified by the hash of their bytes.
//!
//! Jobs name a model by the blake2b-256 hash of its `.onnx` file (the same function as
//! Substrate's `blake2_256`, so the chain and the worker agree on ids). The store scans a
//! directory once, hashes every `.onnx` file, and loads sessions lazily on first use; loaded
//! sessions are cached and the load time is kept so metrics can report it.

use std::{
	collections::HashMap,
	fmt,
	io::{IsTerminal, Read},
	path::{Path, PathBuf},
	str::FromStr,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use blake2::{digest::consts::U32, Blake2b, Digest};
use indicatif::{ProgressBar, ProgressStyle};
use ort::session::Session;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

use crate::{
	error::{Result, WorkerError},
	inference::runtime::Runtime,
};

/// blake2b with a 32-byte digest: Substrate's `blake2_256`.
type Blake2b256 = Blake2b<U32>;

/// Name of the tokenizer file looked for next to a model.
pub const TOKENIZER_FILE: &str = "tokenizer.json";

/// Identifier of a model: blake2b-256 of the ONNX file's bytes, shown as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelHash(pub [u8; 32]);

impl ModelHash {
	/// Hashes bytes in memory.
	pub fn of_bytes(bytes: &[u8]) -> Self {
		Self(Blake2b256::digest(bytes).into())
	}

	/// Hashes a file by streaming it (models can be gigabytes), advancing `progress` by bytes read.
	///
	/// # Errors
	/// [`WorkerError::Io`] when the file cannot be read.
	pub fn of_file(path: &Path, progress: Option<&ProgressBar>) -> Result<Self> {
		let mut file = std::fs::File::open(path).map_err(|e| WorkerError::io(path, e))?;
		let mut hasher = Blake2b256::new();
		let mut buf = vec![0u8; 1 << 20];
		loop {
			let n = file.read(&mut buf).map_err(|e| WorkerError::io(path, e))?;
			if n == 0 {
				break;
			}
			hasher.update(&buf[..n]);
			if let Some(pb) = progress {
				pb.inc(n as u64);
			}
		}
		Ok(Self(hasher.finalize().into()))
	}

	/// Lowercase hex, 64 characters.
	pub fn to_hex(&self) -> String {
		hex::encode(self.0)
	}
}

impl fmt::Display for ModelHash {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.to_hex())
	}
}

impl fmt::Debug for ModelHash {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "ModelHash({})", self.to_hex())
	}
}

impl FromStr for ModelHash {
	type Err = WorkerError;

	/// Accepts 64 hex characters, with or without a `0x` prefix (as Polkadot.js prints hashes).
	fn from_str(s: &str) -> Result<Self> {
		let hex_part = s.strip_prefix("0x").unwrap_or(s);
		let mut out = [0u8; 32];
		hex::decode_to_slice(hex_part, &mut out)
			.map_err(|_| WorkerError::InvalidModelHash { hash: s.to_string() })?;
		Ok(Self(out))
	}
}

impl Serialize for ModelHash {
	fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
		s.serialize_str(&self.to_hex())
	}
}

impl<'de> Deserialize<'de> for ModelHash {
	fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
		let s = String::deserialize(d)?;
		s.parse().map_err(serde::de::Error::custom)
	}
}

/// A model found by the scan (not loaded yet).
#[derive(Clone, Debug, Serialize)]
pub struct ModelEntry {
	/// blake2b-256 of the ONNX file.
	pub hash: ModelHash,
	/// Path of the ONNX file.
	pub path: PathBuf,
	/// File size in bytes.
	pub size: u64,
	/// `tokenizer.json` in the same directory, if any.
	pub tokenizer: Option<PathBuf>,
	/// blake2b-256 of that tokenizer file (jobs may pin it too).
	pub tokenizer_hash: Option<ModelHash>,
}

/// A loaded model: an ONNX Runtime session plus what the pipelines need to use it.
pub struct LoadedModel {
	/// The scan entry it came from.
	pub entry: ModelEntry,
	/// The session. `Session::run` needs `&mut`, so concurrent jobs on one model take turns;
	/// callers batch requests to use each turn well.
	pub session: Mutex<Session>,
	/// Tokenizer with padding turned off (the pipelines pad themselves), if one was found.
	pub tokenizer: Option<Tokenizer>,
	/// Time it took to verify the file, create the session and load the tokenizer.
	pub load_time: Duration,
}

impl fmt::Debug for LoadedModel {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("LoadedModel")
			.field("entry", &self.entry)
			.field("has_tokenizer", &self.tokenizer.is_some())
			.field("load_time", &self.load_time)
			.finish()
	}
}

impl LoadedModel {
	/// Short name for messages: the first 16 hex characters of the hash.
	pub fn short_name(&self) -> String {
		self.entry.hash.to_hex()[..16].to_string()
	}

	/// The tokenizer or an error saying the pipeline needs one.
	///
	/// # Errors
	/// [`WorkerError::ModelSignature`] when the model directory has no `tokenizer.json`.
	pub fn require_tokenizer(&self, pipeline: &'static str) -> Result<&Tokenizer> {
		self.tokenizer.as_ref().ok_or_else(|| WorkerError::ModelSignature {
			model: self.entry.hash.to_hex(),
			pipeline,
			reason: format!(
				"no {TOKENIZER_FILE} next to {} (needed for text input)",
				self.entry.path.display()
			),
		})
	}
}

/// How [`ModelStore::get`] obtained the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LoadInfo {
	/// True when the session was already loaded.
	pub cached: bool,
	/// Time the load took (the original load's time when cached).
	pub load_time: Duration,
}

/// One cache slot per model, so loading one model does not block lookups of others.
type Slot = Arc<Mutex<Option<Arc<LoadedModel>>>>;

/// Models on disk, loaded on demand.
pub struct ModelStore {
	runtime: Runtime,
	dir: PathBuf,
	entries: HashMap<ModelHash, ModelEntry>,
	loaded: Mutex<HashMap<ModelHash, Slot>>,
}

impl fmt::Debug for ModelStore {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("ModelStore")
			.field("dir", &self.dir)
			.field("models", &self.entries.len())
			.finish()
	}
}

impl ModelStore {
	/// Scans `dir` (recursively) for `.onnx` files and hashes them.
	///
	/// A progress bar is drawn on stderr when it is a terminal (hashing gigabytes takes a while).
	///
	/// # Errors
	/// [`WorkerError::ModelDirMissing`] or an I/O error while reading.
	pub fn open(runtime: Runtime, dir: impl Into<PathBuf>) -> Result<Self> {
		let dir = dir.into();
		if !dir.is_dir() {
			return Err(WorkerError::ModelDirMissing { path: dir });
		}
		let mut files = Vec::new();
		collect_onnx_files(&dir, &mut files)?;
		files.sort();
		let mut sizes = Vec::with_capacity(files.len());
		for f in &files {
			sizes.push(std::fs::metadata(f).map_err(|e| WorkerError::io(f, e))?.len());
		}
		let total: u64 = sizes.iter().sum();
		let progress = if std::io::stderr().is_terminal() {
			let pb = ProgressBar::new(total);
			if let Ok(style) = ProgressStyle::with_template(
				"hashing models {bar:30} {bytes}/{total_bytes} ({eta}) {msg}",
			) {
				pb.set_style(style);
			}
			pb
		} else {
			ProgressBar::hidden()
		};
		let mut entries = HashMap::new();
		for (path, size) in files.into_iter().zip(sizes) {
			progress.set_message(
				path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
			);
			let hash = ModelHash::of_file(&path, Some(&progress))?;
			let tokenizer = path.parent().map(|p| p.join(TOKENIZER_FILE)).filter(|p| p.is_file());
			let tokenizer_hash = match &tokenizer {
				Some(t) => Some(ModelHash::of_file(t, None)?),
				None => None,
			};
			tracing::debug!(%hash, path = %path.display(), size, "found model");
			if let Some(prev) = entries.get(&hash) {
				let prev: &ModelEntry = prev;
				tracing::info!(%hash, first = %prev.path.display(), dup = %path.display(), "same model twice; keeping the first");
				continue;
			}
			entries.insert(hash, ModelEntry { hash, path, size, tokenizer, tokenizer_hash });
		}
		progress.finish_and_clear();
		tracing::info!(dir = %dir.display(), models = entries.len(), "model store scanned");
		Ok(Self { runtime, dir, entries, loaded: Mutex::new(HashMap::new()) })
	}

	/// The directory that was scanned.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// The runtime sessions are created with.
	pub fn runtime(&self) -> &Runtime {
		&self.runtime
	}

	/// All models found, sorted by path.
	pub fn entries(&self) -> Vec<&ModelEntry> {
		let mut v: Vec<_> = self.entries.values().collect();
		v.sort_by(|a, b| a.path.cmp(&b.path));
		v
	}

	/// Looks up a model's scan entry.
	///
	/// # Errors
	/// [`WorkerError::UnknownModel`] when no file has this hash.
	pub fn entry(&self, hash: &ModelHash) -> Result<&ModelEntry> {
		self.entries.get(hash).ok_or_else(|| WorkerError::UnknownModel { hash: hash.to_hex() })
	}

	/// Returns the loaded model, loading it on first use.
	///
	/// The file is hashed again before loading: a model replaced on disk after the scan must
	/// not be run under the old hash (the provider is paid for running exactly that model).
	///
	/// # Errors
	/// Unknown hash, file changed or unreadable, ONNX Runtime rejecting the model, bad tokenizer.
	pub fn get(&self, hash: &ModelHash) -> Result<(Arc<LoadedModel>, LoadInfo)> {
		let entry = self.entry(hash)?;
		let slot = {
			let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
			loaded.entry(*hash).or_default().clone()
		};
		let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
		if let Some(model) = slot.as_ref() {
			return Ok((model.clone(), LoadInfo { cached: true, load_time: model.load_time }));
		}
		let model = Arc::new(self.load(entry)?);
		*slot = Some(model.clone());
		let info = LoadInfo { cached: false, load_time: model.load_time };
		Ok((model, info))
	}

	/// Drops a loaded session (frees its memory); the next `get` loads it again.
	pub fn unload(&self, hash: &ModelHash) -> bool {
		let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
		loaded.remove(hash).is_some()
	}

	fn load(&self, entry: &ModelEntry) -> Result<LoadedModel> {
		let start = Instant::now();
		let now = ModelHash::of_file(&entry.path, None)?;
		if now != entry.hash {
			return Err(WorkerError::InvalidModel {
				path: entry.path.clone(),
				reason: format!(
					"file changed since the scan (hash now {now}, was {}); rescan the model store",
					entry.hash
				),
			});
		}
		let session = self.runtime.session_from_file(&entry.path)?;
		let tokenizer = match &entry.tokenizer {
			Some(path) => Some(load_tokenizer(path)?),
			None => None,
		};
		let load_time = start.elapsed();
		tracing::info!(hash = %entry.hash, path = %entry.path.display(), ?load_time, "model loaded");
		Ok(LoadedModel { entry: entry.clone(), session: Mutex::new(session), tokenizer, load_time })
	}
}

/// Loads a tokenizer and turns padding off: the pipelines pad batches themselves.
///
/// # Errors
/// [`WorkerError::Tokenizer`] when the file cannot be parsed.
pub fn load_tokenizer(path: &Path) -> Result<Tokenizer> {
	let mut tokenizer = Tokenizer::from_file(path)
		.map_err(|e| WorkerError::Tokenizer { path: path.to_path_buf(), reason: e.to_string() })?;
	tokenizer.with_padding(None);
	Ok(tokenizer)
}

fn collect_onnx_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
	let rd = std::fs::read_dir(dir).map_err(|e| WorkerError::io(dir, e))?;
	for item in rd {
		let item = item.map_err(|e| WorkerError::io(dir, e))?;
		let path = item.path();
		let ty = item.file_type().map_err(|e| WorkerError::io(&path, e))?;
		if ty.is_dir() {
			collect_onnx_files(&path, out)?;
		} else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("onnx")) {
			// `metadata` follows symlinks, so linked model files count too.
			if std::fs::metadata(&path).map(|m| m.is_file()).unwrap_or(false) {
				out.push(path);
			}
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hash_matches_known_blake2b_256_vector() {
		// blake2b-256("abc"), as Substrate's blake2_256 computes it.
		assert_eq!(
			ModelHash::of_bytes(b"abc").to_hex(),
			"bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
		);
	}

	#[test]
	fn hash_parses_with_and_without_prefix() {
		let h = ModelHash::of_bytes(b"model");
		assert_eq!(h.to_hex().parse::<ModelHash>().unwrap(), h);
		assert_eq!(format!("0x{h}").parse::<ModelHash>().unwrap(), h);
		assert!(matches!("zz".parse::<ModelHash>(), Err(WorkerError::InvalidModelHash { .. })));
	}
}
