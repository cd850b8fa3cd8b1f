"""The runner must classify a misbehaving worker correctly, and a fault must cost one cell only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_adapters.faulty.specs import faulty
from zarr_conformance.fixtures.catalogue import by_id
from zarr_conformance.runners.model import Kind, Status
from zarr_conformance.runners.run import RunOptions, execute

# The faulty worker misbehaves on the first fixture only; the others must pass after it.
CASES = tuple(by_id(i) for i in ("v2/dtype/int32-le", "v2/dtype/int16-le", "v3/dtype/int32"))


def _statuses(mode: str, cache: Path, timeout: float = 10.0) -> dict[str, tuple[Status, str]]:
    run = execute(RunOptions(specs=[faulty(mode)], cache=cache, kinds={Kind.READ}, cases=CASES, timeout=timeout))
    return {r.cell.fixture: (r.status, r.message) for r in run.results}


@pytest.mark.parametrize(("mode", "status", "words"), [
    ("crash", Status.CRASH, "exit code 3"),
    ("hang", Status.TIMEOUT, "no reply within"),
    ("wrong", Status.FAIL, "values differ"),
    ("dtype", Status.FAIL, "dtype <i8, expected <i4"),
    ("noisy", Status.PASS, ""),
])
def test_fault_is_classified_and_costs_one_cell(mode: str, status: Status, words: str, cache: Path) -> None:
    got = _statuses(mode, cache, timeout=2.0 if mode == "hang" else 20.0)
    target_status, message = got["v2/dtype/int32-le"]
    assert target_status is status, message
    assert words in message
    # The worker was restarted (crash, hang) or kept (wrong values): the next cells still pass.
    assert got["v2/dtype/int16-le"][0] is Status.PASS, got["v2/dtype/int16-le"]
    assert got["v3/dtype/int32"][0] is Status.PASS, got["v3/dtype/int32"]
