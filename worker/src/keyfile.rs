//! Encrypted sr25519 key files in the Polkadot.js JSON keystore format.
//!
//! The file is what Polkadot.js (`keyring.toJson(password)`) writes and imports: `encoded` is
//! base64 of `salt(32) ‖ N ‖ p ‖ r (u32 LE each) ‖ nonce(24) ‖ secretbox(pkcs8)`, where the
//! secretbox key is the first 32 bytes of `scrypt(password, salt, N=2^15, r=8, p=1)` and
//! `pkcs8 = HEADER ‖ secret(64, ed25519-expanded sr25519) ‖ DIVIDER ‖ public(32)`.
//! `encoding = {content: ["pkcs8","sr25519"], type: ["scrypt","xsalsa20-poly1305"], version: "3"}`.

use std::path::Path;

use base64::Engine;
use crypto_secretbox::{
	aead::{Aead, KeyInit},
	Key, Nonce, XSalsa20Poly1305,
};
use schnorrkel::{ExpansionMode, MiniSecretKey};
use serde::{Deserialize, Serialize};
use subxt::{
	config::{substrate::MultiSignature, Config, SubstrateConfig},
	utils::AccountId32,
};

/// PKCS8 header Polkadot.js puts before the secret key.
const PKCS8_HEADER: [u8; 16] = [48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32];
/// PKCS8 divider between secret and public key.
const PKCS8_DIVIDER: [u8; 5] = [161, 35, 3, 33, 0];
/// Polkadot.js's default scrypt parameters (the only ones its import accepts by default).
const SCRYPT_LOG_N: u8 = 15;
/// scrypt `p`.
const SCRYPT_P: u32 = 1;
/// scrypt `r`.
const SCRYPT_R: u32 = 8;
/// SS58 prefix of the Cxmpute chain (generic Substrate).
pub const SS58_PREFIX: u16 = 42;

/// What can go wrong with a key file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	/// The password does not decrypt the key.
	#[error("wrong password for key file {0}")]
	WrongPassword(String),
	/// The file is not a Polkadot.js sr25519 keystore JSON of a supported version.
	#[error("key file {path}: {reason}")]
	Format {
		/// The file.
		path: String,
		/// What is wrong.
		reason: String,
	},
	/// The file cannot be read or written.
	#[error("key file {path}: {source}")]
	Io {
		/// The file.
		path: String,
		/// Underlying error.
		source: std::io::Error,
	},
	/// A secret URI (`//Alice`, a mnemonic) could not be parsed.
	#[error("invalid secret URI: {0}")]
	BadUri(String),
}

/// The JSON document (Polkadot.js `KeyringPair$Json`).
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct KeyJson {
	/// Base64 of scrypt params, nonce and ciphertext.
	pub encoded: String,
	/// Encoding descriptor.
	pub encoding: KeyEncoding,
	/// SS58 address (prefix 42).
	pub address: String,
	/// Free-form metadata (`name`, `whenCreated`).
	#[serde(default)]
	pub meta: serde_json::Value,
}

/// `encoding` of a key file.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct KeyEncoding {
	/// `["pkcs8", "sr25519"]`.
	pub content: Vec<String>,
	/// `["scrypt", "xsalsa20-poly1305"]`.
	#[serde(rename = "type")]
	pub kind: Vec<String>,
	/// `"3"`.
	pub version: String,
}

/// An sr25519 key pair that signs extrinsics (worker or provider key).
#[derive(Clone)]
pub struct KeyPair(Inner);

/// A key we hold the secret of (exportable), or one derived from a secret URI by subxt-signer.
#[derive(Clone)]
enum Inner {
	/// Generated or decrypted here.
	Own(schnorrkel::Keypair),
	/// From a secret URI (`//Alice`); signs but is not exported.
	Uri(subxt_signer::sr25519::Keypair),
}

impl std::fmt::Debug for KeyPair {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "KeyPair({})", self.ss58())
	}
}

impl KeyPair {
	/// A fresh random key pair.
	pub fn generate() -> Self {
		let mut seed = [0u8; 32];
		getrandom::getrandom(&mut seed).expect("the OS random generator is available");
		Self::from_seed(&seed)
	}

	/// The key pair of a 32-byte mini secret (Substrate's "seed"), ed25519 expansion as in
	/// Substrate and Polkadot.js.
	pub fn from_seed(seed: &[u8; 32]) -> Self {
		let mini = MiniSecretKey::from_bytes(seed).expect("32 bytes are a valid mini secret");
		Self(Inner::Own(mini.expand_to_keypair(ExpansionMode::Ed25519)))
	}

	/// From a secret URI: `//Alice`, `//Eve//worker-1`, a mnemonic with optional junctions, or a
	/// `0x` 32-byte seed.
	pub fn from_uri(uri: &str) -> Result<Self, KeyError> {
		let parsed: subxt_signer::SecretUri =
			uri.parse().map_err(|e| KeyError::BadUri(format!("{e}")))?;
		let pair = subxt_signer::sr25519::Keypair::from_uri(&parsed)
			.map_err(|e| KeyError::BadUri(format!("{e}")))?;
		Ok(Self(Inner::Uri(pair)))
	}

	/// The 32-byte public key (= the account id).
	pub fn public(&self) -> [u8; 32] {
		match &self.0 {
			Inner::Own(pair) => pair.public.to_bytes(),
			Inner::Uri(pair) => pair.public_key().0,
		}
	}

	/// The account id.
	pub fn account(&self) -> AccountId32 {
		AccountId32(self.public())
	}

	/// The SS58 address (prefix 42).
	pub fn ss58(&self) -> String {
		ss58_encode(&self.public(), SS58_PREFIX)
	}

	/// Signs `message` in Substrate's `substrate` signing context.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		match &self.0 {
			Inner::Own(pair) => {
				let ctx = schnorrkel::signing_context(b"substrate");
				pair.sign(ctx.bytes(message)).to_bytes()
			},
			Inner::Uri(pair) => pair.sign(message).0,
		}
	}

	/// Encrypts the key pair into a Polkadot.js keystore JSON with `password`.
	///
	/// # Errors
	/// `Format` for keys from a secret URI (keep the URI instead).
	pub fn to_json(&self, password: &str, name: &str) -> Result<KeyJson, KeyError> {
		let Inner::Own(pair) = &self.0 else {
			return Err(KeyError::Format {
				path: "<secret uri>".into(),
				reason: "keys from a secret URI are not exported".into(),
			});
		};
		let mut salt = [0u8; 32];
		let mut nonce = [0u8; 24];
		getrandom::getrandom(&mut salt).expect("the OS random generator is available");
		getrandom::getrandom(&mut nonce).expect("the OS random generator is available");
		let key = derive_key(password, &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P);
		let mut plain = Vec::with_capacity(117);
		plain.extend_from_slice(&PKCS8_HEADER);
		plain.extend_from_slice(&pair.secret.to_ed25519_bytes());
		plain.extend_from_slice(&PKCS8_DIVIDER);
		plain.extend_from_slice(&self.public());
		let cipher = XSalsa20Poly1305::new(&key);
		let sealed = cipher
			.encrypt(Nonce::from_slice(&nonce), plain.as_slice())
			.expect("secretbox encryption of a short message cannot fail");
		let mut encoded = Vec::with_capacity(68 + sealed.len());
		encoded.extend_from_slice(&salt);
		encoded.extend_from_slice(&(1u32 << SCRYPT_LOG_N).to_le_bytes());
		encoded.extend_from_slice(&SCRYPT_P.to_le_bytes());
		encoded.extend_from_slice(&SCRYPT_R.to_le_bytes());
		encoded.extend_from_slice(&nonce);
		encoded.extend_from_slice(&sealed);
		let when = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or(0);
		Ok(KeyJson {
			encoded: base64::engine::general_purpose::STANDARD.encode(encoded),
			encoding: KeyEncoding {
				content: vec!["pkcs8".into(), "sr25519".into()],
				kind: vec!["scrypt".into(), "xsalsa20-poly1305".into()],
				version: "3".into(),
			},
			address: self.ss58(),
			meta: serde_json::json!({ "name": name, "whenCreated": when }),
		})
	}

	/// Decrypts a keystore JSON; `path` only names the file in errors.
	pub fn from_json(json: &KeyJson, password: &str, path: &str) -> Result<Self, KeyError> {
		let format = |reason: &str| KeyError::Format { path: path.into(), reason: reason.into() };
		let e = &json.encoding;
		if e.version != "3"
			|| !e.content.iter().any(|c| c == "pkcs8")
			|| !e.content.iter().any(|c| c == "sr25519")
			|| !e.kind.iter().any(|c| c == "scrypt")
			|| !e.kind.iter().any(|c| c == "xsalsa20-poly1305")
		{
			return Err(format("not an sr25519 pkcs8/scrypt/xsalsa20-poly1305 v3 keystore"));
		}
		let data = base64::engine::general_purpose::STANDARD
			.decode(&json.encoded)
			.map_err(|_| format("`encoded` is not base64"))?;
		if data.len() < 68 + 16 {
			return Err(format("`encoded` is too short"));
		}
		let u32_at =
			|i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
		let (n, p, r) = (u32_at(32), u32_at(36), u32_at(40));
		// Only Polkadot.js's allowed parameter sets: others could make scrypt eat the machine.
		const ALLOWED: [(u32, u32, u32); 6] = [
			(1 << 13, 10, 8),
			(1 << 14, 5, 8),
			(1 << 15, 3, 8),
			(1 << 15, 1, 8),
			(1 << 16, 2, 8),
			(1 << 17, 1, 8),
		];
		if !ALLOWED.contains(&(n, p, r)) {
			return Err(format(&format!("unsupported scrypt parameters N={n} p={p} r={r}")));
		}
		let key = derive_key(password, &data[..32], n.trailing_zeros() as u8, r, p);
		let cipher = XSalsa20Poly1305::new(&key);
		let plain = cipher
			.decrypt(Nonce::from_slice(&data[44..68]), &data[68..])
			.map_err(|_| KeyError::WrongPassword(path.into()))?;
		if plain.len() != 117 || plain[..16] != PKCS8_HEADER || plain[80..85] != PKCS8_DIVIDER {
			return Err(format("decrypted content is not a pkcs8 sr25519 key"));
		}
		let secret = schnorrkel::SecretKey::from_ed25519_bytes(&plain[16..80])
			.map_err(|_| format("invalid secret key"))?;
		let pair = Self(Inner::Own(schnorrkel::Keypair { public: secret.to_public(), secret }));
		if pair.public()[..] != plain[85..117] {
			return Err(format("public key does not match the secret key"));
		}
		if pair.ss58() != json.address && ss58_decode(&json.address) != Some(pair.public()) {
			return Err(format("address does not match the key"));
		}
		Ok(pair)
	}

	/// Reads and decrypts a key file.
	pub fn load(path: &Path, password: &str) -> Result<Self, KeyError> {
		let name = path.display().to_string();
		let text = std::fs::read_to_string(path)
			.map_err(|source| KeyError::Io { path: name.clone(), source })?;
		let json: KeyJson = serde_json::from_str(&text)
			.map_err(|e| KeyError::Format { path: name.clone(), reason: e.to_string() })?;
		Self::from_json(&json, password, &name)
	}

	/// Encrypts and writes a key file (mode 0600 on Unix); refuses to overwrite.
	pub fn save(&self, path: &Path, password: &str, name: &str) -> Result<(), KeyError> {
		let p = path.display().to_string();
		let json = serde_json::to_string_pretty(&self.to_json(password, name)?)
			.expect("a key file serialises");
		let mut opts = std::fs::OpenOptions::new();
		opts.write(true).create_new(true);
		#[cfg(unix)]
		{
			use std::os::unix::fs::OpenOptionsExt;
			opts.mode(0o600);
		}
		use std::io::Write;
		let mut f = opts.open(path).map_err(|source| KeyError::Io { path: p.clone(), source })?;
		f.write_all(json.as_bytes()).map_err(|source| KeyError::Io { path: p, source })
	}
}

/// Derives the 32-byte secretbox key with scrypt.
fn derive_key(password: &str, salt: &[u8], log_n: u8, r: u32, p: u32) -> Key {
	let params = scrypt::Params::new(log_n, r, p, 32).expect("allowed scrypt parameters");
	let mut key = Key::default();
	scrypt::scrypt(password.as_bytes(), salt, &params, &mut key).expect("32-byte output");
	key
}

/// SS58 encoding of a 32-byte account with a one-byte prefix (< 64).
pub fn ss58_encode(public: &[u8; 32], prefix: u16) -> String {
	let mut data = vec![prefix as u8];
	data.extend_from_slice(public);
	let hash = blake2_512(&[b"SS58PRE", data.as_slice()].concat());
	data.extend_from_slice(&hash[..2]);
	bs58_encode(&data)
}

/// Decodes an SS58 address of a 32-byte account with a one-byte prefix; `None` if invalid.
pub fn ss58_decode(address: &str) -> Option<[u8; 32]> {
	let data = bs58_decode(address)?;
	if data.len() != 35 || data[0] >= 64 {
		return None;
	}
	let hash = blake2_512(&[b"SS58PRE", &data[..33]].concat());
	if hash[..2] != data[33..35] {
		return None;
	}
	data[1..33].try_into().ok()
}

fn blake2_512(data: &[u8]) -> [u8; 64] {
	use blake2::Digest;
	blake2::Blake2b512::digest(data).into()
}

const B58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn bs58_encode(data: &[u8]) -> String {
	let zeros = data.iter().take_while(|b| **b == 0).count();
	let mut digits: Vec<u8> = Vec::new();
	for &byte in data {
		let mut carry = byte as u32;
		for d in digits.iter_mut() {
			carry += (*d as u32) << 8;
			*d = (carry % 58) as u8;
			carry /= 58;
		}
		while carry > 0 {
			digits.push((carry % 58) as u8);
			carry /= 58;
		}
	}
	let mut s = String::with_capacity(zeros + digits.len());
	s.extend(std::iter::repeat_n('1', zeros));
	s.extend(digits.iter().rev().map(|d| B58[*d as usize] as char));
	s
}

fn bs58_decode(s: &str) -> Option<Vec<u8>> {
	let zeros = s.bytes().take_while(|b| *b == b'1').count();
	let mut bytes: Vec<u8> = Vec::new();
	for c in s.bytes() {
		let mut carry = B58.iter().position(|x| *x == c)? as u32;
		for b in bytes.iter_mut() {
			carry += (*b as u32) * 58;
			*b = (carry & 0xff) as u8;
			carry >>= 8;
		}
		while carry > 0 {
			bytes.push((carry & 0xff) as u8);
			carry >>= 8;
		}
	}
	let mut out = vec![0u8; zeros];
	out.extend(bytes.iter().rev());
	Some(out)
}

/// Signs extrinsics for subxt.
impl subxt::tx::Signer<SubstrateConfig> for KeyPair {
	fn account_id(&self) -> <SubstrateConfig as Config>::AccountId {
		self.account()
	}

	fn sign(&self, payload: &[u8]) -> <SubstrateConfig as Config>::Signature {
		MultiSignature::Sr25519(KeyPair::sign(self, payload))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn round_trip_and_wrong_password() {
		let pair = KeyPair::from_seed(&[7u8; 32]);
		let json = pair.to_json("correct horse", "w").unwrap();
		let back = KeyPair::from_json(&json, "correct horse", "mem").unwrap();
		assert_eq!(back.public(), pair.public());
		assert_eq!(json.address, pair.ss58());
		assert!(matches!(
			KeyPair::from_json(&json, "wrong", "mem"),
			Err(KeyError::WrongPassword(_))
		));
		// Signatures of the decrypted key verify under the original public key.
		let sig = back.sign(b"msg");
		let public = schnorrkel::PublicKey::from_bytes(&pair.public()).unwrap();
		let ok = public.verify_simple(
			b"substrate",
			b"msg",
			&schnorrkel::Signature::from_bytes(&sig).unwrap(),
		);
		assert!(ok.is_ok());
	}

	#[test]
	fn file_round_trip_refuses_overwrite() {
		let dir = std::env::temp_dir().join(format!("cxw-key-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("k.json");
		let _ = std::fs::remove_file(&path);
		let pair = KeyPair::generate();
		pair.save(&path, "pw", "w").unwrap();
		assert!(matches!(pair.save(&path, "pw", "w"), Err(KeyError::Io { .. })));
		assert_eq!(KeyPair::load(&path, "pw").unwrap().public(), pair.public());
		std::fs::remove_dir_all(&dir).unwrap();
	}

	#[test]
	fn decrypts_a_polkadot_js_export() {
		// Bob's dev key exported by Polkadot.js with password "whoisbob" (subxt-signer's vector).
		let json = r#"{"encoded":"J2FFcPHAY11Pmq/38eqbwfUv9OPitYJs+oYgahBvlagAAAIAAQAAAAgAAAB5o0DwXCWDblsH+9pc++RaBO4fpHBHzUirHFHFE9yS3sDzgAIQjhgvPqJ3ODrMR2gy7vk0VZg1fyirIvmsrfjGbWnOI8YU0joX0tYytroyWaykFKtZJMmE0pNKcJ5dJmDxscbK53Ac+7ld2UdH07yKPXxmPuYNNw3vKx8cg9CdQgifKfzQxHnC+EUpOoHPLwGlHsFEYtIlQtngqd9n","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"5CfWTDh7XxJ2yrayqQ2aJnnZAH5v5XaF1oJFfH5QCpbfP9v8","meta":{}}"#;
		let json: KeyJson = serde_json::from_str(json).unwrap();
		let pair = KeyPair::from_json(&json, "whoisbob", "bob").unwrap();
		assert_eq!(pair.ss58(), "5CfWTDh7XxJ2yrayqQ2aJnnZAH5v5XaF1oJFfH5QCpbfP9v8");
	}

	#[test]
	fn uri_keys_match_substrate() {
		// Alice's well-known address.
		assert_eq!(
			KeyPair::from_uri("//Alice").unwrap().ss58(),
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
	}
}
