"""Rust implementations: a cargo crate in the adapter folder, built once in release mode into the
environment cache and run as a native binary.

The binary lives in `<cache>/envs/<id>-<hash>/`, keyed by the hash of the crate's Cargo.toml and
Cargo.lock, its sources, the shared rust_kit's manifest and sources, and the toolchain's version.
`cargo build --release --locked` builds exactly the pinned dependency versions; the target folder
(`<cache>/cargo-target/<id>/`) is kept apart from the keyed folder, so a changed worker source
recompiles the worker, not zarrs and its C codecs."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, build_lock, worker_memory_mb
from zarr_conformance.adapters.launchers.commands import content_hash, mark_in_use, prune_older, run_command
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import EnvironmentBuildError

KIT = "rust_kit"
# Address space, like Python workers: a native binary keeps to what it allocates (plus thread stacks).
RUST_WORKER_MB = 8192


def cargo_binary() -> str | None:
    """cargo on PATH, else rustup's default place."""
    found = shutil.which("cargo")
    home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo") / "bin" / "cargo"
    return found or (str(home) if home.is_file() else None)


@cache
def toolchain(cargo: str) -> str:
    """`cargo --version`: part of the key, so a new toolchain rebuilds the worker."""
    done = subprocess.run([cargo, "--version"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    return done.stdout.strip() or f"cargo exited {done.returncode}"


def rust_sources(folder: Path) -> list[Path]:
    """Everything the worker binary is built from: the crate's manifests and sources, and the kit's."""
    kit = folder.parent / KIT
    sources = [*folder.glob("src/**/*"), *kit.glob("src/**/*")]
    manifests = [folder / "Cargo.toml", folder / "Cargo.lock", kit / "Cargo.toml"]
    return [*manifests, *sorted(p for p in sources if p.is_file())]


def cache_key(folder: Path, toolchain_version: str) -> str:
    files = rust_sources(folder)
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise EnvironmentBuildError(f"cargo adapter {folder.name}: missing {', '.join(missing)}")
    return content_hash(files, toolchain_version, *(str(p.relative_to(folder.parent)) for p in files))


def build_binary(spec: AdapterSpec, cache_dir: Path, cargo: str) -> Path:
    """Build (or find) the adapter's release binary `spec.worker[0]`."""
    assert spec.folder is not None
    name = spec.worker[0]
    out = cache_dir / "envs" / f"{spec.id}-{cache_key(spec.folder, toolchain(cargo))}"
    binary = out / name
    with build_lock(out.with_suffix(".lock")):
        mark_in_use(out)  # before any pruning: no other run removes it while this one runs
        if not binary.exists():
            target = cache_dir / "cargo-target" / spec.id
            env = {**os.environ, "CARGO_TARGET_DIR": str(target),
                   "PATH": os.pathsep.join((str(Path(cargo).parent), os.environ.get("PATH", "")))}
            run_command([cargo, "build", "--release", "--locked", "--manifest-path", str(spec.folder / "Cargo.toml")],
                        timeout=3600, log_file=out.with_suffix(".log"), env=env)
            built = target / "release" / name
            if not built.is_file():
                raise FileNotFoundError(f"cargo finished but {built} is missing (is [[bin]] name = {name!r}?)")
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy2(built, out / f".{name}.tmp")
            os.replace(out / f".{name}.tmp", binary)  # whole or absent, never half-copied
            prune_older(out)
    return binary


class CargoLauncher(Launcher):
    name = "cargo"

    def unavailable(self) -> str | None:
        if not cargo_binary():
            return "no cargo on PATH or in ~/.cargo/bin (needed to build the Rust worker; install a Rust toolchain)"
        return None

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        cargo = cargo_binary()
        if cargo is None:
            raise EnvironmentBuildError(self.unavailable() or "no cargo")
        binary = build_binary(spec, cache, cargo)
        return Prepared(launcher=self.name, argv=(str(binary), *spec.worker[1:]), cwd=spec.folder,
                        detail=f"binary {binary.parent.name} ({toolchain(cargo)})",
                        memory_limit_mb=worker_memory_mb(RUST_WORKER_MB))


LAUNCHER = CargoLauncher
