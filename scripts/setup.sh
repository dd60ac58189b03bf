#!/usr/bin/env bash
# Installs what building and testing Cxmpute needs, skipping whatever is already there.
# Safe to run again: every step checks before it installs.
set -euo pipefail

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

missing_apt=()
command -v clang >/dev/null 2>&1 || missing_apt+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 || missing_apt+=(libclang-dev)
command -v protoc >/dev/null 2>&1 || missing_apt+=(protobuf-compiler)
# OpenSSL for litep2p's WebRTC, linked from the system (scripts/env.sh sets OPENSSL_NO_VENDOR).
command -v pkg-config >/dev/null 2>&1 || missing_apt+=(pkg-config)
[ -e /usr/include/openssl/ssl.h ] || missing_apt+=(libssl-dev)
command -v node >/dev/null 2>&1 || missing_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || missing_apt+=(npm)
if [ ${#missing_apt[@]} -gt 0 ]; then
	log "installing apt packages: ${missing_apt[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
	echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
	exit 1
fi
if command -v rustup >/dev/null 2>&1; then
	rustup target list --installed | grep -qx wasm32-unknown-unknown ||
		{ log "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
	rustup component list --installed | grep -q '^rust-src' ||
		{ log "adding the rust-src component"; rustup component add rust-src; }
	rustup component list --installed | grep -q '^rustfmt' ||
		{ log "adding the rustfmt component"; rustup component add rustfmt; }
fi
log "toolchain ready: $(cargo --version), node $(node --version)"
