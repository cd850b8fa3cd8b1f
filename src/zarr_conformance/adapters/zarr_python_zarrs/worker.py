"""Worker for zarr-python 3 with the zarrs codec pipeline: zarr-python's own worker
(../zarr_python/worker.py, loaded from its file, not copied), with `codec_pipeline.path` set to
zarrs' pipeline before any array is opened. hello proves the switch took effect."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import zarr
import zarrs
import zc_worker
from zarr.registry import get_pipeline_class

PIPELINE = "zarrs.ZarrsCodecPipeline"


def _zarr_python_worker() -> Any:
    path = Path(__file__).resolve().parents[1] / "zarr_python" / "worker.py"
    spec = importlib.util.spec_from_file_location("zarr_python_worker", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load zarr-python's worker from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hello() -> dict[str, Any]:
    reply = BASE.hello()
    pipeline = get_pipeline_class()
    active = f"{pipeline.__module__}.{pipeline.__qualname__}"
    configured = zarr.config.get("codec_pipeline.path")
    if configured != PIPELINE or not active.startswith("zarrs.") or "zarrs" not in sys.modules:
        raise RuntimeError(f"the zarrs codec pipeline is not active: zarr uses {active}")
    return {**reply, "name": "zarr-python+zarrs",
            "detail": f"codec pipeline {active} (zarrs-python {zarrs.__version__}); {reply['detail']}"}


zarr.config.set({"codec_pipeline.path": PIPELINE})
BASE = _zarr_python_worker()

if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": BASE.read, "write": BASE.write})
