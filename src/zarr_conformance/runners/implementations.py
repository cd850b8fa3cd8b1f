"""Getting every implementation ready in parallel: pick a launcher, build its environment, start its
worker, ask hello. An implementation that can't be had is reported unavailable with the reason."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from zarr_conformance.adapters.launchers import Launcher, get_launcher
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.sources import source_of
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import HarnessError
from zarr_conformance.runners.events import ImplementationReady, Listener
from zarr_conformance.runners.worker import WorkerCrashed, WorkerHandle, WorkerProtocolError, WorkerTimedOut

log = logging.getLogger(__name__)


@dataclass
class Implementation:
    spec: AdapterSpec
    launcher: str = ""
    available: bool = False
    name: str = ""
    version: str = ""
    detail: str = ""
    handle: WorkerHandle | None = None
    disabled: dict[str, str] | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.spec.id, "name": self.name or self.spec.name, "version": self.version,
                                  "launcher": self.launcher, "available": self.available, "detail": self.detail}
        source = source_of(self.spec)
        if source is not None:  # --impl ID@VERSION or --impl-source: what ran instead of the pinned release
            out["source"] = source.label()
        return out


def choose_launcher(spec: AdapterSpec, forced: str | None = None) -> tuple[Launcher | None, str]:
    """The first launcher of the spec's preference list that can run here (or the forced one)."""
    reasons = []
    for name in ([forced] if forced else list(spec.launchers)):
        launcher = get_launcher(name)
        why = launcher.unavailable()
        if why is None:
            return launcher, ""
        reasons.append(f"{name}: {why}")
    return None, "; ".join(reasons)


def _ready(spec: AdapterSpec, cache: Path, mounts: Mounts, forced: str | None) -> Implementation:
    impl = Implementation(spec)
    launcher, why = choose_launcher(spec, forced)
    if launcher is None:
        impl.detail = f"no launcher can run it: {why}"
        return impl
    impl.launcher = launcher.name
    try:
        prepared = launcher.prepare(spec, cache)
        handle = WorkerHandle(spec.id, launcher, prepared, mounts)
        hello = handle.start()
    except (HarnessError, OSError, LookupError, RuntimeError, WorkerCrashed, WorkerTimedOut,
            WorkerProtocolError) as e:
        log.warning("%s unavailable: %s", spec.id, e)
        impl.detail = f"{type(e).__name__}: {e}"
        return impl
    impl.available, impl.handle = True, handle
    impl.name, impl.version = hello.get("name", spec.name), str(hello.get("version", ""))
    impl.disabled = hello.get("disabled") or {}
    impl.detail = "; ".join(x for x in (hello.get("detail", ""), prepared.detail) if x)
    return impl


def ready_all(specs: list[AdapterSpec], cache: Path, mounts: Mounts, listener: Listener,
              forced_launchers: dict[str, str] | None = None) -> list[Implementation]:
    forced_launchers = forced_launchers or {}

    def one(spec: AdapterSpec) -> Implementation:
        impl = _ready(spec, cache, mounts, forced_launchers.get(spec.id))
        source = source_of(spec)
        origin = f", from {source.label()}" if source else ""
        listener(ImplementationReady(spec.id, impl.available, impl.detail if not impl.available else
                                     f"{impl.name} {impl.version} ({impl.launcher}{origin})"))
        return impl

    with ThreadPoolExecutor(max_workers=max(1, len(specs))) as pool:
        return list(pool.map(one, specs))


def stop_all(impls: list[Implementation]) -> None:
    for impl in impls:
        if impl.handle is not None:
            impl.handle.stop()
            impl.handle.launcher.stop_all()
