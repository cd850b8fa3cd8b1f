"""JavaScript implementations: an npm project in the adapter folder (package.json + package-lock.json),
installed with `npm ci` into the environment cache and run on the host's Node.

The environment `<cache>/envs/<id>-<hash>/` holds node_modules and a copy of the worker and of the
shared js_kit: Node resolves an ES module's bare imports ("zarrita") from the importing file's own
folder upwards (NODE_PATH does not apply to ES modules), so the worker must sit beside node_modules.
The hash covers the manifest, the lockfile, those sources and Node's major version."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, build_lock, worker_memory_mb
from zarr_conformance.adapters.launchers.commands import content_hash, mark_in_use, prune_older, run_command
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import EnvironmentBuildError

READY = ".zc-ready"
KIT = "js_kit"
# What one worker may commit (RLIMIT_DATA); V8's own heap gets half of it (see NodeLauncher.prepare).
NODE_MEMORY_MB = 4096
SOURCE_SUFFIXES = (".mjs", ".js", ".cjs", ".json")


def js_sources(folder: Path) -> list[Path]:
    """The worker's own scripts and the kit's (not the kit's tests): what is copied beside node_modules."""
    own = [p for p in folder.iterdir() if p.is_file() and p.suffix in SOURCE_SUFFIXES
           and p.name not in ("package.json", "package-lock.json")]
    kit = [p for p in (folder.parent / KIT).iterdir() if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    return sorted(own) + sorted(kit)


def environment_key(folder: Path, node_version: str) -> str:
    """What the cached environment depends on: manifest, lockfile, the scripts copied into it, Node."""
    manifests = [folder / "package.json", folder / "package-lock.json"]
    for manifest in manifests:
        if not manifest.is_file():
            raise EnvironmentBuildError(f"{folder.name}: {manifest.name} is missing (npm ci needs both)")
    files = [*manifests, *js_sources(folder)]
    return content_hash(files, *(str(p.relative_to(folder.parent)) for p in files), node_major(node_version))


def node_major(version: str) -> str:
    """'v20.20.2' -> 'node20': a new major can change native builds and module resolution."""
    return "node" + version.lstrip("v").split(".")[0]


def node_version(node: str) -> str:
    return subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout.strip()


def install(spec: AdapterSpec, cache: Path) -> Path:
    """Build (or find) the adapter's environment; returns the worker's path inside it."""
    assert spec.folder is not None
    node, npm = shutil.which("node") or "node", shutil.which("npm") or "npm"
    key = environment_key(spec.folder, node_version(node))
    out = cache / "envs" / f"{spec.id}-{key}"
    worker = out / spec.folder.name / spec.worker[0]
    with build_lock(out.with_suffix(".lock")):
        mark_in_use(out)  # before any pruning: no other run removes it while this one runs
        if not (out / READY).exists():
            if out.exists():
                shutil.rmtree(out)  # a half-built environment from an interrupted build
            (out / spec.folder.name).mkdir(parents=True)
            (out / KIT).mkdir()
            for name in ("package.json", "package-lock.json"):
                shutil.copy2(spec.folder / name, out / name)
            for source in js_sources(spec.folder):
                shutil.copy2(source, out / source.parent.name / source.name)
            # --ignore-scripts: no package's install hooks run; the lockfile pins every version and hash.
            run_command([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                        timeout=1200, log_file=out.with_suffix(".log"), cwd=out)
            if not worker.is_file():
                raise EnvironmentBuildError(f"npm ci finished but {worker} is missing")
            (out / READY).write_text(key)
            prune_older(out)
    return worker


class NodeLauncher(Launcher):
    name = "node"

    def unavailable(self) -> str | None:
        if not shutil.which("node"):
            return "no node on PATH (Debian: apt-get install nodejs)"
        if not shutil.which("npm"):
            return "no npm on PATH (needed for npm ci; Debian: apt-get install npm)"
        return None

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        worker = install(spec, cache)
        node = shutil.which("node") or "node"
        argv = bounded([node, str(worker), *spec.worker[1:]], worker_memory_mb(NODE_MEMORY_MB))
        # The sandbox must see the whole environment: node_modules sits beside the worker's folder.
        return Prepared(launcher=self.name, argv=tuple(argv), cwd=worker.parent, environment=(worker.parents[1],),
                        detail=f"node {node_version(node)}, env {worker.parents[1].name}", memory_limit_mb=None)


def bounded(argv: list[str], megabytes: int) -> list[str]:
    """`argv` (node first) with its memory bounded.

    Not by an address-space limit (RLIMIT_AS, Prepared.memory_limit_mb): V8 reserves far more address
    space than it uses (its pointer-compression cage, WebAssembly guard regions), so under a 4 GiB
    RLIMIT_AS numcodecs' wasm blosc fails with 'WebAssembly.instantiate(): Out of memory', as the JVM
    fails to start. Instead V8 bounds its own heap (--max-old-space-size, half the budget), and the
    typed-array buffers, which live outside that heap, are bounded by RLIMIT_DATA (set by util-linux's
    prlimit, where there is one): it counts committed private memory only, so V8's reservations pass
    and an absurd allocation fails with a RangeError ('Array buffer allocation failed') that the
    library reports like any other error."""
    node, rest = argv[0], argv[1:]
    command = [node, f"--max-old-space-size={megabytes // 2}", *rest]
    prlimit = shutil.which("prlimit")
    return command if prlimit is None else [prlimit, f"--data={megabytes * 1024 * 1024}", "--", *command]


LAUNCHER = NodeLauncher
