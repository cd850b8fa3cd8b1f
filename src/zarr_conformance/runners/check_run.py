"""One `check` run over several stores: the readers start once, and each store is checked in turn.

An argument is a store, or a folder that is none but holds stores below it: those are found (a store
found is not searched further; links are not followed). Every store is opened first (runners/check.py
`open_store`), so a bad one (not a store, malformed metadata, leading out of itself) is that store's
one-line error and costs no reader anything; the good ones are all mounted read-only for the
sandboxed workers, which start once for the run. The run also measures itself: wall time per store,
and the peak resident memory of the harness and of each worker (read from /proc before it stops)."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import StoreFormatError
from zarr_conformance.runners.check import NodeCheck, OpenedStore, check_nodes, open_store, ready_readers, unpack_holder
from zarr_conformance.runners.check_zip import is_zip
from zarr_conformance.runners.events import Listener, ignore

# What makes a folder a store: its root metadata document.
STORE_MARKERS = ("zarr.json", ".zgroup", ".zarray")
# A folder named like a store but without a root document is one store whose groups are implicit
# (runners/check_open.py), not a folder of stores: the name is what its maker meant it to be.
STORE_SUFFIXES = (".zarr", ".zr3", ".zr2")


@dataclass
class StoreCheck:
    path: str  # as the user named it, or as found below a folder they named
    nodes: list[NodeCheck] = field(default_factory=list)
    error: str = ""  # bad input: nothing of this store was asked
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(n.failed for n in self.nodes)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "error": self.error, "failed": self.failed, "seconds": round(self.seconds, 3),
                "nodes": [n.to_dict() for n in self.nodes]}


@dataclass
class CheckRun:
    inputs: list[str]
    found: dict[str, int]  # a folder named that is not a store -> how many stores were found below it
    stores: list[StoreCheck]
    implementations: list[dict[str, Any]]  # Implementation.to_dict() and the worker's peak_rss_bytes
    harness_peak_rss_bytes: int
    started_at: str
    finished_at: str
    seconds: float
    options: dict[str, Any]  # timeout, max_megabytes
    ready_seconds: float = 0.0  # opening the stores and getting every reader ready (built, started, hello)
    platform: str = ""

    @property
    def failed(self) -> bool:
        return any(s.failed for s in self.stores)


def is_store(path: Path) -> bool:
    """A zip, a folder with a root metadata document, or a folder named *.zarr (implicit groups)."""
    if is_zip(path):
        return True
    return path.is_dir() and (any((path / name).is_file() for name in STORE_MARKERS)
                              or path.suffix.lower() in STORE_SUFFIXES)


def find_stores(path: Path) -> list[Path]:
    """`path` itself when it is a store; else every store below it, in name order, not descending into
    a store once found (its groups are its own) and never through a link."""
    if is_store(path) or not path.is_dir():
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        here = Path(root)
        if is_store(here):
            found.append(here)
            dirs.clear()
        else:
            dirs.sort()
            found += [here / f for f in files if f.lower().endswith(".zip") and is_zip(here / f)]
    return sorted(found)


def check_run(paths: list[Path], specs: list[AdapterSpec], cache: Path, timeout: float = 120.0,
              max_megabytes: float = 512.0, listener: Listener = ignore,
              forced_launchers: dict[str, str] | None = None, sample_seed: int = 0,
              on_store: Callable[[StoreCheck], None] = lambda _: None) -> CheckRun:
    """Every store named or found. A single bad input raises (the CLI's one line and exit 2); among
    several, it is that store's error and the others are checked. `on_store` hears of each store as
    soon as it is done, in order."""
    started_at, started = _now(), time.monotonic()
    targets, found = _targets(paths)
    opened: list[tuple[StoreCheck, OpenedStore | None]] = []
    with ExitStack() as stack:
        holder = unpack_holder(cache)  # zips are unpacked here, removed with the run
        stack.callback(shutil.rmtree, holder, ignore_errors=True)
        for n, target in enumerate(targets):
            try:
                opened.append((StoreCheck(str(target)), _open(target, holder / str(n))))
            except StoreFormatError as e:  # StoreEscapeError too
                if len(targets) == 1:
                    raise
                opened.append((StoreCheck(str(target), error=str(e)), None))
        good = [o.folder for _, o in opened if o is not None]
        impls, scratch = (stack.enter_context(ready_readers(specs, cache, good, listener, forced_launchers))
                          if good else ([], cache))  # nothing to read: no worker is started
        ready_seconds = time.monotonic() - started
        for result, store in opened:
            if store is not None:
                begun = time.monotonic()
                result.nodes = check_nodes(store, impls, scratch, timeout, max_megabytes, sample_seed, listener,
                                           Path(result.path).resolve())
                result.seconds = time.monotonic() - begun
            on_store(result)
    # Read after the workers stopped: each one's peak was taken just before its stop.
    implementations = [{**i.to_dict(), "peak_rss_bytes": i.handle.peak_rss if i.handle else None} for i in impls]
    return CheckRun(inputs=[str(p) for p in paths], found=found, stores=[r for r, _ in opened],
                    implementations=implementations, harness_peak_rss_bytes=harness_peak_rss(),
                    started_at=started_at, finished_at=_now(), seconds=time.monotonic() - started,
                    ready_seconds=ready_seconds,
                    options={"timeout": timeout, "max_megabytes": max_megabytes, "sample_seed": sample_seed},
                    platform=_platform())


def _open(target: Path, unpack_into: Path) -> OpenedStore:
    """A store named or found, opened (a zip unpacked into `unpack_into`)."""
    return open_store(target.resolve(), unpack_into)


def _targets(paths: list[Path]) -> tuple[list[Path], dict[str, int]]:
    targets: list[Path] = []
    found: dict[str, int] = {}
    seen: set[Path] = set()
    for path in paths:
        stores = find_stores(path)
        if stores != [path]:
            found[str(path)] = len(stores)
        # A folder with no store below it stays itself: opening it says what is wrong with it.
        for store in stores or [path]:
            if store.resolve() not in seen:
                seen.add(store.resolve())
                targets.append(store)
    return targets, found


def harness_peak_rss() -> int:
    """The harness process's own peak resident set in bytes (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _platform() -> str:
    return f"{platform.system()} {platform.machine()}, python {platform.python_version()}"
