"""Specs of the voter worker, one per opinion (not registered: tests pass them to `check`)."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.adapters.spec import AdapterSpec

FOLDER = Path(__file__).parent
MODES = ("honest", "off", "attributes", "undefined", "refuse", "blind", "whole", "edge")


def voter(mode: str) -> AdapterSpec:
    assert mode in MODES, mode
    return AdapterSpec(id=f"voter-{mode}", name=f"voter ({mode})", launchers=("python",),
                       worker=("worker.py", mode)).with_folder(FOLDER)
