"""Every host worker runs under an address-space cap, the reference worker too: a hostile store's absurd
shape must cost one worker (a MemoryError, a crash), never the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers import get_launcher
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.runners.worker import WorkerHandle


def test_the_reference_worker_runs_with_an_address_space_limit(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZARR_CONFORMANCE_WORKER_MEMORY_MB", "3000")
    launcher = get_launcher("python")
    prepared = launcher.prepare(registry.discover()["reference"], cache)
    assert prepared.memory_limit_mb == 3000
    handle = WorkerHandle("reference", launcher, prepared, Mounts())
    handle.start()
    try:
        pid = handle.channel.proc.pid  # type: ignore[union-attr]
        limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
    finally:
        handle.stop()
    soft, hard = next(line for line in limits if line.startswith("Max address space")).split()[3:5]
    assert soft == hard == str(3000 * 2**20)
