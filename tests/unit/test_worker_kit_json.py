"""The Python worker kit's JSON: attributes keep NaN as numbers, odd fill values have a JSON form, and a
reply that cannot be written is an error reply, not a dead worker."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from zarr_conformance.adapters.launchers.python import KIT

WORKER = """
import zc_worker
zc_worker.serve({"hello": lambda: {"name": "x", "version": "0"}, "read": lambda request: {"odd": object()}})
"""


@pytest.fixture
def zc_worker(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The kit as workers import it: its modules are top-level there (zc_worker imports zc_values)."""
    monkeypatch.syspath_prepend(str(KIT))
    import zc_worker

    return zc_worker


def test_attributes_keep_nan_and_infinity_as_numbers(zc_worker: ModuleType) -> None:
    got = zc_worker.jsonable({"a": np.float32("nan"), "b": [float("inf")], "c": np.int64(3)})
    assert math.isnan(got["a"]) and got["b"] == [math.inf] and got["c"] == 3
    assert json.dumps(got) == '{"a": NaN, "b": [Infinity], "c": 3}'


def test_fill_values_of_dates_durations_and_records(zc_worker: ModuleType) -> None:
    assert zc_worker.fill_to_json(np.datetime64("NaT", "ns")) == "NaT"
    assert zc_worker.fill_to_json(np.datetime64(5, "s")) == 5
    assert zc_worker.fill_to_json(np.timedelta64(7, "s")) == 7  # an np.integer, but not int()-able
    record = np.zeros(1, dtype=[("a", "<i2")])[0]
    assert zc_worker.fill_to_json(record) == "AAA="


def test_a_reply_that_is_not_json_is_an_error_reply(tmp_path: Path) -> None:
    script = tmp_path / "w.py"
    script.write_text(WORKER)
    requests = '{"id": 1, "op": "read"}\n{"id": 2, "op": "hello"}\n'
    done = subprocess.run([sys.executable, str(script)], input=requests, capture_output=True, text=True,
                          env={"PYTHONPATH": str(KIT)}, timeout=60)
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["id"] == 1 and first["ok"] is False and first["error"]["type"] == "WorkerReplyError"
    assert second["ok"] is True  # the worker lives on
