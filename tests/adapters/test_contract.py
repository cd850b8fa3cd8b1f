"""The same generic suite against every registered adapter: hello answers, capabilities parse, a trivial
read and write are right, and a bad request gets an error reply, not a dead worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.runners import expectations as expect
from zarr_conformance.runners.cells import CellContext, Scratch, run_cell
from zarr_conformance.runners.implementations import choose_launcher
from zarr_conformance.runners.model import Cell, Kind, Outcome, Status
from zarr_conformance.runners.worker import WorkerHandle

SPECS = list(registry.discover().values())
TRIVIAL = ("v2/compressor/none", "v3/codec/none")
EXPECTATIONS = expect.load(Path(__file__).parents[2] / "expectations", [s.id for s in SPECS])


@pytest.fixture(scope="module", params=SPECS, ids=lambda s: s.id)
def worker(request: pytest.FixtureRequest, cache: Path, tmp_path_factory) -> Iterator[tuple[AdapterSpec, WorkerHandle,
                                                                                            CellContext, Path]]:
    spec: AdapterSpec = request.param
    built = golden.build(catalogue(), cache)
    scratch = tmp_path_factory.mktemp(spec.id)
    writable_dir(scratch, scratch)
    launcher, why = choose_launcher(spec)
    assert launcher is not None, f"{spec.id}: no launcher can run here: {why}"
    handle = WorkerHandle(spec.id, launcher, launcher.prepare(spec, cache),
                          Mounts(read_only=(built.root,), read_write=(scratch,)))
    handle.start()
    ctx = CellContext(built, Scratch(scratch), timeout=120.0, disabled={spec.id: handle.hello.get("disabled") or {}})
    yield spec, handle, ctx, scratch
    handle.stop()
    launcher.stop_all()


def test_hello_names_the_implementation(worker) -> None:
    spec, handle, _, _ = worker
    assert handle.hello["ok"] is True
    assert handle.hello.get("name") and str(handle.hello.get("version", "")).strip()
    assert isinstance(handle.hello.get("disabled", {}), dict)


def test_capabilities_parse(worker) -> None:
    spec = worker[0]
    assert spec.reads is not None or spec.writes is not None
    for role in (spec.reads, spec.writes):
        if role is not None:
            assert role.formats <= {2, 3} and role.formats


def _trivial(spec: AdapterSpec, kind: Kind):
    role = spec.writes if kind is Kind.WRITE else spec.reads
    if role is None:
        pytest.skip(f"{spec.id} does not {kind.value}")
    if spec.conventions:  # a convention implementation: the first valid case of its convention
        return next(c for c in catalogue() if spec.covers(c, writing=True) and not role.refuses(c))
    return next(c for c in catalogue() if c.id in TRIVIAL and not role.refuses(c))


@pytest.mark.parametrize("kind", [Kind.READ, Kind.WRITE], ids=lambda k: k.value)
def test_trivial_cell_is_as_expected(worker, kind: Kind) -> None:
    """The trivial cell passes, or ends exactly as the adapter's expectations file says it does."""
    spec, handle, ctx, scratch = worker
    case = _trivial(spec, kind)
    cell = Cell(kind, case.id, "reference" if kind is Kind.READ else spec.id, spec.id if kind is Kind.READ else None)
    # As the runner does: the sandboxed worker (nobody, when the harness is root) writes in these folders.
    out = writable_dir(scratch / "out" / kind.value, scratch)
    writable_dir(ctx.scratch.store_of(spec.id, case.id).parent, scratch)
    result = expect.apply(run_cell(cell, case, spec, handle, ctx, out), EXPECTATIONS)
    assert result.status in (Status.PASS, Status.FAIL, Status.ERROR), result.message
    assert result.outcome is Outcome.EXPECTED, f"{result.status.value}: {result.message}"
    assert handle.restarts == 0


def test_bad_request_gets_an_error_reply_and_the_worker_lives(worker, tmp_path: Path) -> None:
    spec, handle, _, _ = worker
    if spec.reads is None:
        pytest.skip("not a reader")
    reply = handle.request({"op": "read", "store": str(tmp_path / "no-such-store"), "zarr_format": 2,
                            "nodes": [{"path": "data", "kind": "array"}], "out_dir": str(tmp_path)}, 60)
    assert reply["ok"] is False and (reply.get("error") or reply.get("unsupported"))
    unknown = handle.request({"op": "dance"}, 60)
    assert unknown["ok"] is False and "error" in unknown
    again = handle.request({"op": "hello"}, 60)
    assert again["ok"] is True and handle.restarts == 0
