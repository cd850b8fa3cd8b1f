#!/usr/bin/env bash
# Everything zarr-conformance needs on a fresh Debian 12 machine (as root), and quick when it is done:
# Debian packages (bubblewrap for the workers' sandbox, netcdf-bin for the ncdump reader, docker.io + debootstrap for the container path,
# chromium for the report's browser test, a JDK, Maven and libblosc for the Java adapters), the harness itself
# (pip, editable, with its test extras), and a running Docker engine.
# The implementations' own environments (venvs, jars, images) are built by the harness on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ncdump >/dev/null || missing+=(netcdf-bin)
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v chromium >/dev/null || missing+=(chromium)
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v node >/dev/null || missing+=(nodejs)   # the node launcher (zarrita-js)
command -v npm >/dev/null || missing+=(npm)       # npm ci; NodeSource's nodejs bundles it
command -v cc >/dev/null || missing+=(gcc)         # zarrs' blosc and zstd crates compile their bundled C
# bwrap: the sandbox every host worker runs in (a hostile store's reader must not reach the host).
command -v bwrap >/dev/null || missing+=(bubblewrap)
# jzarr's blosc goes through JNA to the system's libblosc.so (the unversioned name is in -dev).
ldconfig -p | grep -q 'libblosc\.so ' || missing+=(libblosc-dev)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"  # GitHub's runners: a user with sudo
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
    # Debian's cargo (Rust 1.63) is too old for zarrs (Rust >= 1.91): it comes from rustup.
    echo "setup: no cargo (Rust >= 1.91, from rustup): zarrs will be reported unavailable" >&2
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'
command -v pyenv >/dev/null && pyenv rehash || true

if ! scripts/start-dockerd.sh; then
    echo "setup: no Docker engine could be started; jzarr will run on the host JVM instead" >&2
fi
echo "setup: done"
