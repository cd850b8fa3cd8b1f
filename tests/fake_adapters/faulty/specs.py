"""Specs of the faulty worker, one per fault (not registered: tests pass them to the runner)."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.adapters.spec import AdapterSpec, Role

FOLDER = Path(__file__).parent
MODES = ("crash", "hang", "wrong", "dtype", "noisy", "crash-hello", "hang-restart", "segfault", "garbage",
         "memory", "partial-npy", "lying-npy", "exit-mid-write", "dead", "huge-shape", "bad-reply")


def faulty(mode: str) -> AdapterSpec:
    assert mode in MODES, mode
    return AdapterSpec(id=f"faulty-{mode}", name=f"faulty ({mode})", launchers=("python",),
                       worker=("worker.py", mode),
                       writes=Role() if mode == "huge-shape" else None).with_folder(FOLDER)
