"""Specs of the hostile-test workers (not registered: tests pass them to the runner)."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.adapters.spec import AdapterSpec, Role

FOLDER = Path(__file__).parent
MODES = ("follow", "leaky", "probe", "elsewhere")


def hostile(mode: str) -> AdapterSpec:
    return AdapterSpec(id=f"hostile-{mode}", name=f"hostile ({mode})", launchers=("python",),
                       worker=("worker.py", mode), reads=Role(), writes=None).with_folder(FOLDER)
