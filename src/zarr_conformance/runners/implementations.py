"""Getting every implementation ready in parallel: pick a launcher, build its environment, start its
worker, ask hello. An implementation that can't be had is reported unavailable with the reason."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from zarr_conformance.adapters.launchers import Launcher, get_launcher
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.sources import source_of
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import HarnessError
from zarr_conformance.runners.events import ImplementationReady, Listener
from zarr_conformance.runners.worker import (
    WorkerCrashed,
    WorkerHandle,
    WorkerIncompatible,
    WorkerProtocolError,
    WorkerStartFailed,
    WorkerTimedOut,
)

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
        if not self.version and self.handle is not None and self.handle.hello:  # a deferred first start
            self.name, self.version = self.handle.hello.get("name", ""), str(self.handle.hello.get("version", ""))
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
    except (HarnessError, OSError, LookupError, RuntimeError) as e:
        log.warning("%s unavailable: %s", spec.id, e)
        impl.detail = f"{type(e).__name__}: {e}"
        return impl
    try:
        hello = handle.start()
    except (HarnessError, OSError, LookupError, RuntimeError, WorkerIncompatible, WorkerStartFailed) as e:
        log.warning("%s unavailable: %s", spec.id, e)  # a refusing hello or a failing launcher: for good
        impl.detail = f"{type(e).__name__}: {e}"
        return impl
    except (WorkerCrashed, WorkerTimedOut, WorkerProtocolError) as e:
        # Maybe a one-off: the first cell reports it, the next one starts the worker afresh.
        log.warning("%s: the first start failed (charged to its first cell): %s", spec.id, e)
        handle.defer(e)
        hello = {"detail": f"the first start failed ({type(e).__name__}), see its first cell"}
    impl.available, impl.handle = True, handle
    impl.name, impl.version = hello.get("name", spec.name), str(hello.get("version", ""))
    impl.disabled = handle.disabled
    confinement = handle.channel.confinement if handle.channel else ""  # sandboxed or not, said loudly
    impl.detail = "; ".join(x for x in (hello.get("detail", ""), prepared.detail, confinement) if x)
    return impl


def ready_all(specs: list[AdapterSpec], cache: Path, mounts: Mounts, listener: Listener,
              forced_launchers: dict[str, str] | None = None) -> list[Implementation]:
    """Every implementation made ready, one thread each. On a signal in the main thread the workers
    already started are stopped at once; threads still building an environment are daemons, so the
    process need not wait for them, and whatever they start afterwards they stop themselves."""
    forced_launchers = forced_launchers or {}
    ready: dict[str, Implementation] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()
    cancelled = False

    def one(spec: AdapterSpec) -> None:
        try:
            impl = _ready(spec, cache, mounts, forced_launchers.get(spec.id))
        except BaseException as e:  # a harness bug: raised in the main thread below
            errors.append(e)
            return
        with lock:
            if cancelled:
                stop_all([impl], graceful=False)
                return
            ready[spec.id] = impl
        source = source_of(spec)
        origin = f", from {source.label()}" if source else ""
        listener(ImplementationReady(spec.id, impl.available, impl.detail if not impl.available else
                                     f"{impl.name} {impl.version} ({impl.launcher}{origin})"))

    threads = [threading.Thread(target=one, args=(s,), name=f"ready-{s.id}", daemon=True) for s in specs]
    for t in threads:
        t.start()
    try:
        for t in threads:
            t.join()
    except BaseException:  # Interrupted, KeyboardInterrupt
        with lock:
            cancelled = True
            started = list(ready.values())
        stop_all(started, graceful=False)
        raise
    if errors:
        raise errors[0]
    return [ready[s.id] for s in specs]


def stop_all(impls: list[Implementation], graceful: bool = True) -> None:
    """Stop every worker and release what their launchers started (containers). The workers are
    stopped side by side: each may take seconds to exit after its shutdown request, and one after
    the other that was most of a run's closing time."""
    handles = [impl.handle for impl in impls if impl.handle is not None]
    errors: list[BaseException] = []

    def stop(handle: WorkerHandle) -> None:
        try:
            handle.stop(graceful)
        except BaseException as e:  # raised below, in the caller's thread
            errors.append(e)

    threads = [threading.Thread(target=stop, args=(h,), name=f"stop-{h.impl_id}") for h in handles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for handle in handles:
        handle.launcher.stop_all()
    if errors:
        raise errors[0]


def abort_all(impls: list[Implementation]) -> None:
    """On a signal, from the main thread: no more restarts, and every waiting request returns now."""
    for impl in impls:
        if impl.handle is not None:
            impl.handle.abort()
