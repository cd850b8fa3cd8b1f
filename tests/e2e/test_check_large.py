"""`check` on a 2.15 GiB store (opt-in: `pytest -m large`): every process's memory stays bounded by the
sampled boxes, not by the store. The store is benchmarks/bench_check.py's, made once in the cache with
zarr-python 3's own API (float32 noise that does not compress)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_check.py"
READERS = ("reference", "zarr-python", "tensorstore", "zarrs")
BUDGET_MIB = 96  # three boxes of 32 MiB


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_check", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.large
def test_a_2_gib_store_is_sampled_and_every_process_stays_small(tmp_path: Path) -> None:
    store = _bench_module().large_store(24000)
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    assert size > 2 * 10**9  # a store of at least 2 GB on disk
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "zarr_conformance.cli", "check", str(store), "--out", str(out),
                           "--max-megabytes", str(BUDGET_MIB), *[f"--impl={r}" for r in READERS]],
                          capture_output=True, text=True, timeout=1800)
    document = json.loads((out / "check.json").read_text())
    [noise] = [n for n in document["stores"][0]["nodes"] if n["path"] == "noise"]
    assert noise["sample"] and len(noise["sample"]) == 3
    assert {v["impl"]: v["status"] for v in noise["verdicts"]} == dict.fromkeys(READERS, "agrees"), done.stdout[-3000:]
    # Bounded by the boxes: a few copies of one 32 MiB box, never the 2 GiB array.
    assert document["run"]["harness_peak_rss_bytes"] < 600 * 2**20
    for impl in document["implementations"]:
        assert impl["peak_rss_bytes"] is not None and impl["peak_rss_bytes"] < 1024 * 2**20, impl
