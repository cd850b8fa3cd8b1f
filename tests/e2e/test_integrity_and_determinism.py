"""A golden store changed before the run stops the run before any cell, on the record; and two runs
of the same selection write the same results.json but for timings and timestamps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fake_adapters.hostile.specs import hostile
from zarr_conformance.adapters import registry
from zarr_conformance.paths import cache_dir
from zarr_conformance.reports import results_json
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.run import RunOptions, execute


def _cli(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zarr_conformance.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "CI": "1", "ZARR_CONFORMANCE_CACHE": str(cache)})


def test_a_golden_store_changed_before_the_run_is_found_before_any_cell(tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # its own golden stores: the shared ones are never touched
    args = ("run", "--impl", "reference", "--kind", "read", "-k", "v2/dtype/int32-le")
    first = _cli(*args, "--out", "first", cwd=tmp_path, cache=cache)
    assert first.returncode == 0, first.stderr
    [root] = (cache / "fixtures").iterdir()
    victim = root / "v2/dtype/int32-le.zarr/data/.zarray"
    victim.chmod(0o644)
    victim.write_text(victim.read_text().replace('"<i4"', '"<i8"'))

    second = _cli(*args, "--out", "second", cwd=tmp_path, cache=cache)
    assert second.returncode == 2, second.stdout + second.stderr
    assert "changed since they were built; no cell was run" in second.stderr
    document = results_json.read(tmp_path / "second" / "results.json")
    assert document["golden_changes"] == {"at_start": ["changed: v2/dtype/int32-le.zarr/data/.zarray"],
                                          "at_end": ["changed: v2/dtype/int32-le.zarr/data/.zarray"]}
    assert document["results"] == []
    assert results_json.read(tmp_path / "first" / "results.json")["golden_changes"] == {"at_start": [], "at_end": []}


def _without_timings(document: dict) -> dict:
    document = json.loads(json.dumps(document))
    for key in ("started_at", "finished_at"):
        document["run"].pop(key)
    for result in document["results"]:
        result.pop("duration_s")
    return document


def test_two_runs_write_the_same_results() -> None:
    """The leaky worker's errors name the store and its output folder: the scratch folder's random name
    and the cache's location must not reach results.json."""
    def once() -> dict:
        options = RunOptions(specs=[registry.discover()["reference"], hostile("leaky")], cache=cache_dir(),
                             kinds={Kind.READ, Kind.REJECT}, pattern="v2/reject/*")
        return results_json.to_document(execute(options))

    first, second = once(), once()
    messages = [r["message"] for r in first["results"] if r["reader"] == "hostile-leaky"]
    assert messages and all("<scratch>/out/hostile-leaky/" in m and "<fixtures>/v2/reject/" in m for m in messages)
    assert str(cache_dir()) not in json.dumps(first["results"])
    assert _without_timings(first) == _without_timings(second)
