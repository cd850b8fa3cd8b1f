"""The harness's own interpreter: for the reference adapter, whose worker is part of this package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, worker_memory_mb
from zarr_conformance.adapters.spec import AdapterSpec

KIT = Path(__file__).parents[1] / "worker_kit"
# The same address-space cap as venv workers: the reference decoder reading a hostile store (an absurd
# shape) must cost one worker, not the machine.
PYTHON_WORKER_MB = 8192


def worker_env(extra_path: Path | None = None) -> dict[str, str]:
    """The environment of a Python worker: the kit importable, nothing of the caller's PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (KIT, extra_path) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class PythonLauncher(Launcher):
    name = "python"

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        assert spec.folder is not None
        src = Path(__file__).parents[3]  # the folder holding the zarr_conformance package
        argv = (sys.executable, str(spec.folder / spec.worker[0]), *spec.worker[1:])
        return Prepared(launcher=self.name, argv=argv, env=worker_env(src),
                        detail=f"python {sys.version.split()[0]}",
                        memory_limit_mb=worker_memory_mb(PYTHON_WORKER_MB))


LAUNCHER = PythonLauncher
