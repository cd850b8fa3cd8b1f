#!/bin/sh
# Start a local Docker engine for the container launcher, when none is answering yet.
#
# Idempotent: exits 0 at once when `docker info` already works. Otherwise starts dockerd in the
# background with the vfs storage driver (works on any filesystem, no overlay module needed) and no
# networking at all (no bridge, no iptables rules): the harness runs every container with network
# "none". Waits until the engine answers; on timeout prints the tail of the log and exits 1.
#
# Usage (as root): scripts/start-dockerd.sh        env: DOCKERD_LOG, DOCKERD_TIMEOUT (seconds)
set -eu

LOG="${DOCKERD_LOG:-/var/log/zarr-conformance-dockerd.log}"
TIMEOUT="${DOCKERD_TIMEOUT:-60}"

if docker info >/dev/null 2>&1; then
    echo "docker engine already running"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "no dockerd on PATH: apt-get install -y docker.io" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "dockerd must be started as root" >&2
    exit 1
fi

PIDFILE=/var/run/docker.pid

# A live dockerd: the pid file's process exists, is dockerd, and is not a zombie (a killed engine
# whose parent is gone may linger as one where nothing reaps it, and `kill -0` still succeeds).
engine_alive() {
    pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dockerd" ] || return 1
    state="$(sed 's/^[^)]*) \(.\).*/\1/' "/proc/$pid/stat")"
    [ "$state" != "Z" ]
}

if engine_alive; then
    echo "dockerd (pid $(cat "$PIDFILE")) is running but not answering yet; waiting"
else
    rm -f "$PIDFILE"
    mkdir -p "$(dirname "$LOG")"
    echo "starting dockerd (log: $LOG)"
    # setsid: the engine outlives this shell and the caller's session.
    setsid dockerd \
        --storage-driver=vfs \
        --iptables=false --ip6tables=false --bridge=none \
        --pidfile="$PIDFILE" \
        >>"$LOG" 2>&1 </dev/null &
fi

waited=0
until docker info >/dev/null 2>&1; do
    if [ "$waited" -ge "$TIMEOUT" ]; then
        echo "docker engine did not answer within ${TIMEOUT} s; last lines of $LOG:" >&2
        tail -n 30 "$LOG" >&2 || true
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
echo "docker engine ready after ${waited} s"
