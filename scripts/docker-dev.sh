#!/usr/bin/env bash
# Starts a private Docker engine for the worker's container tests and imports an offline busybox
# image as cxmpute/busybox:local. Safe to run again: it reuses a running engine and the image.
#
#   scripts/docker-dev.sh               # then export the DOCKER_HOST it prints
#   scripts/docker-dev.sh stop          # stops the engine this script started
#
# No systemd here, so dockerd is started by hand (see shared/notes/containers.md): no iptables,
# no bridge (jobs run with network "none" anyway), state under $CXMPUTE_DOCKER_DIR
# (default $HOME/.cache/cxmpute/docker). Needs root or sudo for apt and dockerd.
set -euo pipefail

log() { printf '\033[1;34m[docker-dev]\033[0m %s\n' "$*"; }

RUN="${CXMPUTE_DOCKER_DIR:-$HOME/.cache/cxmpute/docker}"
SOCK="$RUN/docker.sock"
IMAGE="cxmpute/busybox:local"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DOCKER_HOST="unix://$SOCK"

if [ "${1:-}" = "stop" ]; then
	if [ -s "$RUN/dockerd.pid" ] && kill -0 "$(cat "$RUN/dockerd.pid")" 2>/dev/null; then
		log "stopping dockerd (pid $(cat "$RUN/dockerd.pid"))"
		$SUDO kill "$(cat "$RUN/dockerd.pid")"
	else
		log "no dockerd of ours is running"
	fi
	exit 0
fi

# 1. Packages: the Debian engine (dockerd, containerd, runc) and a static busybox for the image.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing apt packages: ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	log "docker.io and busybox-static already installed"
fi

# 2. The engine.
answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
mkdir -p "$RUN"
if answers; then
	log "dockerd already answers on $SOCK ($(docker version --format '{{.Server.Version}}'))"
else
	if [ -s "$RUN/dockerd.pid" ] && ! kill -0 "$(cat "$RUN/dockerd.pid")" 2>/dev/null; then
		rm -f "$RUN/dockerd.pid" # left by an engine that died
	fi
	start() { # start STORAGE_DRIVER: launch dockerd detached, wait up to 30 s for it to answer
		log "starting dockerd (storage $1), socket $SOCK, log $RUN/dockerd.log"
		# setsid: the engine outlives this script and the shell that ran it.
		$SUDO setsid dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver="$1" \
			--host="unix://$SOCK" --data-root="$RUN/root" --exec-root="$RUN/exec" \
			--pidfile="$RUN/dockerd.pid" >>"$RUN/dockerd.log" 2>&1 </dev/null &
		local pid=$!
		for _ in $(seq 1 300); do
			answers && return 0
			kill -0 "$pid" 2>/dev/null || return 1
			sleep 0.1
		done
		return 1
	}
	# overlay2 is fast; vfs works on any filesystem (e.g. when the data root is itself on overlayfs).
	if ! start overlay2; then
		log "overlay2 failed (tail of the log below); retrying with vfs"
		tail -n 5 "$RUN/dockerd.log" >&2 || true
		[ -s "$RUN/dockerd.pid" ] && $SUDO kill "$(cat "$RUN/dockerd.pid")" 2>/dev/null || true
		sleep 1
		start vfs || {
			echo "dockerd did not start; see $RUN/dockerd.log" >&2
			tail -n 20 "$RUN/dockerd.log" >&2 || true
			exit 1
		}
	fi
	log "dockerd answers: server $(docker version --format '{{.Server.Version}}')"
fi
# A non-root user needs access to the socket dockerd created as root.
[ "$(id -u)" -ne 0 ] && $SUDO chown "$(id -u)" "$SOCK"

# 3. Offline image: a busybox-static root file system, imported (no registry needed).
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
	log "image $IMAGE already present"
else
	log "building $IMAGE from busybox-static"
	ROOTFS="$(mktemp -d)"
	trap 'rm -rf "$ROOTFS"' EXIT
	mkdir -p "$ROOTFS/bin" "$ROOTFS/tmp" "$ROOTFS/etc" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev"
	chmod 1777 "$ROOTFS/tmp"
	cp /bin/busybox "$ROOTFS/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
	done
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$ROOTFS/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
	tar -C "$ROOTFS" -cf - . | docker import -c 'ENV PATH=/bin' - "$IMAGE" >/dev/null
	log "imported $IMAGE ($(docker image inspect --format '{{.Id}}' "$IMAGE"))"
fi

echo "export DOCKER_HOST=$DOCKER_HOST"
