"""The runner must classify a misbehaving worker correctly, and a fault must cost one cell only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fake_adapters.faulty.specs import faulty
from zarr_conformance.fixtures.catalogue import by_id
from zarr_conformance.runners.model import Kind, Status
from zarr_conformance.runners.run import RunOptions, execute

# The faulty worker misbehaves on the first fixture only; the others must pass after it.
CASES = tuple(by_id(i) for i in ("v2/dtype/int32-le", "v2/dtype/int16-le", "v3/dtype/int32", "v2/dtype/uint8-le"))
TARGET = CASES[0].id


def _statuses(mode: str, cache: Path, timeout: float = 10.0) -> dict[str, tuple[Status, str]]:
    run = execute(RunOptions(specs=[faulty(mode)], cache=cache, kinds={Kind.READ}, cases=CASES, timeout=timeout))
    (impl,) = run.implementations
    assert impl.available, impl.detail
    return {r.cell.fixture: (r.status, r.message) for r in run.results}


@pytest.mark.parametrize(("mode", "status", "words"), [
    ("crash", Status.CRASH, "exit code 3"),
    ("hang", Status.TIMEOUT, "no reply within 2 s"),
    ("wrong", Status.FAIL, "values differ"),
    ("dtype", Status.FAIL, "dtype <i8, expected <i4"),
    ("noisy", Status.PASS, ""),
    ("segfault", Status.CRASH, "SIGSEGV"),
    ("exit-mid-write", Status.CRASH, "worker exited in the middle of a reply"),
    ("garbage", Status.ERROR, "protocol error (adapter bug): faulty-garbage: not a JSON reply"),
    ("partial-npy", Status.ERROR, "values file 1.npy is truncated or its header lies: it claims shape "
                                  "[20, 15] of <i4 (1200 bytes), the file holds 600 bytes"),
    ("lying-npy", Status.ERROR, "claims shape [1099511627776] of <i4 (4,194,304 MiB), more than this answer "
                                "may hold"),
    ("memory", Status.ERROR, "MemoryError"),
    # Valid JSON, nonsense protocol: the judge grades it (a dtype that is no data type) like any answer.
    ("bad-reply", Status.FAIL, "reported dtype \"not-a-dtype\" is no data type"),
    # The first start's hello dies: the implementation stays, its first cell reports it.
    ("crash-hello", Status.CRASH, "while starting the worker (hello): worker exited (exit code 7)"),
])
def test_fault_is_classified_and_costs_one_cell(mode: str, status: Status, words: str, cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # A small address space for the worker, so "memory" hits its limit fast without using real memory.
    monkeypatch.setenv("ZARR_CONFORMANCE_WORKER_MEMORY_MB", "1024")
    got = _statuses(mode, cache, timeout=2.0 if mode == "hang" else 20.0)
    target_status, message = got[TARGET]
    assert target_status is status, message
    assert words in message
    # The worker was restarted (crash, hang, garbage) or kept (wrong values): the next cells still pass.
    for case in CASES[1:]:
        assert got[case.id][0] is Status.PASS, (case.id, got[case.id])


def test_a_hang_in_hello_on_restart_costs_the_cell_timeout_not_more(cache: Path) -> None:
    started = time.monotonic()
    got = _statuses("hang-restart", cache, timeout=2.0)
    elapsed = time.monotonic() - started
    assert got[TARGET][0] is Status.CRASH, got[TARGET]
    status, message = got[CASES[1].id]
    assert status is Status.TIMEOUT, message
    assert "while restarting the worker (hello): no reply within 2 s" in message
    assert [got[c.id][0] for c in CASES[2:]] == [Status.PASS, Status.PASS]
    assert elapsed < 60  # the restart's hello was bounded by the cell timeout, not the 120 s first-start one


def test_a_worker_that_never_starts_is_given_up_after_a_few_tries(cache: Path) -> None:
    """A persistent start failure: the first cells report it as crashes, the rest get an error naming it."""
    got = _statuses("dead", cache)
    assert [got[c.id][0] for c in CASES] == [Status.CRASH] * 3 + [Status.ERROR]
    assert "the worker failed to start 3 times in a row" in got[CASES[3].id][1]
    assert "exit code 7" in got[CASES[3].id][1]


def test_a_written_store_claiming_a_huge_shape_is_a_fail_not_the_harness_out_of_memory(cache: Path) -> None:
    run = execute(RunOptions(specs=[faulty("huge-shape")], cache=cache, kinds={Kind.WRITE}, cases=CASES,
                             timeout=20.0))
    got = {r.cell.fixture: (r.status, r.message) for r in run.results}
    assert got[TARGET] == (Status.FAIL, "data: wrote shape [1099511627776, 15] (asked [20, 15]); the store was not "
                                        "decoded"), got[TARGET]
    assert [got[c.id][0] for c in CASES[1:]] == [Status.PASS] * 3, got


def test_a_launcher_failing_on_restart_costs_one_cell(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The machinery under a restart fails (a container engine gone for a moment): that cell is an error."""
    from zarr_conformance.adapters.launchers.python import PythonLauncher

    real_start, calls = PythonLauncher.start, []

    def flaky_start(self, prepared, mounts):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) == 2:  # the restart after the crash
            raise RuntimeError("engine gone for a moment")
        return real_start(self, prepared, mounts)

    monkeypatch.setattr(PythonLauncher, "start", flaky_start)
    got = _statuses("crash", cache)
    assert got[TARGET][0] is Status.CRASH
    assert got[CASES[1].id] == (Status.ERROR, "could not start the worker: RuntimeError: engine gone for a moment")
    assert [got[c.id][0] for c in CASES[2:]] == [Status.PASS, Status.PASS]
