"""The same generic suite against every registered adapter: hello answers, capabilities parse, a trivial
read and write are right, and a bad request gets an error reply, not a dead worker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import ALL_GRIDS, AdapterSpec
from zarr_conformance.fixtures import golden
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.runners import compare_objects
from zarr_conformance.runners import expectations as expect
from zarr_conformance.runners.cells import CellContext, Scratch, run_cell
from zarr_conformance.runners.check_vote import value_difference
from zarr_conformance.runners.compare import load_values
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


def test_a_grid_the_writer_does_not_claim_is_never_written_as_the_regular_grid(worker) -> None:
    """docs/protocol.md (write, chunk_grid): a worker asked for a chunk grid its spec leaves out declines it
    or lets the library refuse it; it never writes the regular grid of `chunks` in its place."""
    spec, handle, ctx, scratch = worker
    role = spec.writes
    if role is None or spec.conventions or 3 not in role.formats or role.grids == ALL_GRIDS:
        pytest.skip(f"{spec.id} claims every chunk grid it can be asked for")
    case = next(c for c in catalogue() if c.id == "v3/grid/explicit")
    asked_anyway = replace(spec, writes=replace(role, grids=ALL_GRIDS))  # past the spec, to the worker
    other_gap = asked_anyway.writes.refuses(case)
    if other_gap:
        pytest.skip(f"{spec.id} cannot write {case.id} for another reason: {other_gap}")
    out = writable_dir(scratch / "out" / "grid", scratch)
    writable_dir(ctx.scratch.store_of(spec.id, case.id).parent, scratch)
    result = run_cell(Cell(Kind.WRITE, case.id, spec.id, None), case, asked_anyway, handle, ctx, out)
    assert result.status in (Status.UNSUPPORTED, Status.ERROR), \
        f"{spec.id} wrote a rectilinear-grid request ({result.status.value}): {result.message}"


# Region reads (docs/protocol.md "Region reads"): the box a library reads must be the same box of its own
# whole-array answer, whatever that answer is worth (the matrix judges that). Boxes cut chunks unevenly.
REGION_CASES = ("v2/compressor/none", "v2/order/F-int32", "v2/fill/missing-chunks-nan", "v2/string/vlen-utf8",
                "v3/shape/3d-partial", "v3/sharding/index-end", "v3/grid/explicit", "v3/string/vlen-utf8",
                "v2/shape/scalar", "v2/ragged/vlen-array-int32", "v3/string/vlen-bytes",
                "v3/ragged/awkward-record")  # box [6, 15) of 20 in chunks of 7: starts mid-chunk, spans chunk 1
# Library bugs in region reads, each a strict xfail: it must fail until the library is fixed.
REGION_BUGS = {
    ("zarr-java", "v3/ragged/awkward-record"):
        "zarr-java 0.0.9 returns fill values for a chunk a box spans whole when the box starts mid-chunk "
        "(IndexingUtils.computeProjection sizes it chunk - selOffset % chunk); adapters/zarr_java/README.md",
}
# Readers whose library has no partial read, with the documentation that shows it.
NO_REGION_READS = {
    "netcdf-c-cli": "ncdump prints whole variables: its options select variables (-v), not index ranges "
                    "(https://docs.unidata.ucar.edu/nug/current/netcdf_utilities_guide.html#ncdump_guide)",
}


def _box(shape: list[int]) -> list[list[int]]:
    return [[n // 3, n - n // 4] for n in shape]


def _region_values(node: dict, shape: list[int], label: str):
    ref = node["values"]
    if isinstance(ref, dict) and "npy" not in ref:
        return compare_objects.load(ref, shape, label)
    return load_values(ref, label)


@pytest.mark.parametrize("case_id", REGION_CASES)
def test_region_read_is_the_same_box_of_the_whole_read(worker, case_id: str, request) -> None:
    spec, handle, ctx, scratch = worker
    if (spec.id, case_id) in REGION_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=REGION_BUGS[(spec.id, case_id)]))
    if spec.reads is None or spec.conventions:
        pytest.skip(f"{spec.id} reads no plain arrays")
    case = next(c for c in catalogue() if c.id == case_id)
    array = case.arrays[0]
    out = writable_dir(scratch / "region" / case_id.replace("/", "_"), scratch)
    request = {"op": "read", "store": str(ctx.golden.store(case)), "zarr_format": case.zarr_format,
               "out_dir": str(out)}
    whole = handle.request({**request, "nodes": [{"path": array.path, "kind": "array"}]}, 120)
    if not whole.get("ok") or not whole.get("nodes"):
        pytest.skip(f"{spec.id} does not read {case_id} whole: "
                    f"{whole.get('error') or whole.get('unsupported') or 'no node in its answer'}")
    full = _region_values(whole["nodes"][0], list(array.shape), case_id)
    box = _box(list(array.shape))
    part = handle.request({**request, "nodes": [{"path": array.path, "kind": "array", "region": box}]}, 120)
    if part.get("unsupported"):
        assert spec.id in NO_REGION_READS, f"{spec.id} declined a region read: {part['unsupported']}"
        return
    assert spec.id not in NO_REGION_READS, f"{spec.id} reads regions now: drop it from NO_REGION_READS"
    assert part.get("ok"), f"{spec.id} read {case_id} whole but not the box {box}: {part.get('error')}"
    node = part["nodes"][0]
    assert node.get("region") == box and node.get("shape") == list(array.shape)
    got = _region_values(node, [b - a for a, b in box], case_id)
    want = full[tuple(slice(a, b) for a, b in box)]
    assert value_difference(want, got, None) is None, f"{spec.id} {case_id} box {box}: " \
                                                      f"{value_difference(want, got, None)}"
