//! Rebuild when the runtime metadata changes: the chain client is generated from it by the
//! `subxt` macro, which cargo does not know reads the file.

fn main() {
	println!("cargo:rerun-if-changed=artifacts/cxmpute.scale");
}
