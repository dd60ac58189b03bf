//! Outputs kept on disk and served by content hash (`/results/<hex>`).
//!
//! An output too large to go on chain inline is written to `<data_dir>/results/<hex>` where
//! `hex` is the blake2b-256 of its bytes; the chain gets `Remote { hash, uri }` with that hash
//! and `<public_url>/results/<hex>`, so a reader can check what it downloads.

use std::path::{Path, PathBuf};

use crate::{canonical::blake2_256, Result, WorkerError};

/// The on-disk store.
#[derive(Clone, Debug)]
pub struct ResultStore {
	dir: PathBuf,
}

impl ResultStore {
	/// Opens (creating) `<data_dir>/results`.
	pub fn open(data_dir: &Path) -> Result<Self> {
		let dir = data_dir.join("results");
		std::fs::create_dir_all(&dir).map_err(|e| WorkerError::io(&dir, e))?;
		Ok(Self { dir })
	}

	/// Stores `bytes` (atomically: temp file then rename) and returns their hash.
	pub fn put(&self, bytes: &[u8]) -> Result<[u8; 32]> {
		let hash = blake2_256(bytes);
		let path = self.dir.join(hex::encode(hash));
		if !path.exists() {
			let tmp = self.dir.join(format!(".{}.{}", hex::encode(hash), std::process::id()));
			std::fs::write(&tmp, bytes).map_err(|e| WorkerError::io(&tmp, e))?;
			std::fs::rename(&tmp, &path).map_err(|e| WorkerError::io(&path, e))?;
		}
		Ok(hash)
	}

	/// The stored bytes of `hex_hash`; `None` for malformed or unknown hashes.
	pub fn get(&self, hex_hash: &str) -> Option<Vec<u8>> {
		let hex_hash = hex_hash.strip_prefix("0x").unwrap_or(hex_hash).to_ascii_lowercase();
		if hex_hash.len() != 64 || !hex_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
			return None;
		}
		std::fs::read(self.dir.join(hex_hash)).ok()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn put_get_and_reject_bad_names() {
		let dir = std::env::temp_dir().join(format!("cxw-results-{}", std::process::id()));
		let store = ResultStore::open(&dir).unwrap();
		let h = store.put(b"hello").unwrap();
		assert_eq!(h, blake2_256(b"hello"));
		assert_eq!(store.put(b"hello").unwrap(), h); // idempotent
		assert_eq!(store.get(&hex::encode(h)).unwrap(), b"hello");
		assert_eq!(store.get(&format!("0x{}", hex::encode(h).to_uppercase())).unwrap(), b"hello");
		assert!(store.get("../../etc/passwd").is_none());
		assert!(store.get(&"0".repeat(64)).is_none());
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
