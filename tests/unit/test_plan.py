from __future__ import annotations

from zarr_conformance.adapters.spec import AdapterSpec, Role
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.plan import plan
from zarr_conformance.runners.run import with_required_writes


def _spec(impl: str, writes: bool = True) -> AdapterSpec:
    return AdapterSpec(id=impl, name=impl, launchers=("python",), worker=("w.py",),
                       writes=Role() if writes else None)


def test_matrix_shape() -> None:
    cases = catalogue()
    specs = [_spec("reference"), _spec("a"), _spec("b", writes=False)]
    cells = plan(cases, specs)
    positive = [c for c in cases if not c.must_reject]
    count = {k: sum(1 for c in cells if c.kind is k) for k in Kind}
    assert count[Kind.READ] == 3 * len(positive)
    assert count[Kind.WRITE] == 2 * len(positive)
    assert count[Kind.ROUNDTRIP] == 1 * 3 * len(positive)  # writer a only: reference's store is the golden one
    assert count[Kind.REJECT] == 3 * (len(cases) - len(positive))


def test_pattern_and_required_writes() -> None:
    cells = plan(catalogue(), [_spec("reference"), _spec("a")], {Kind.ROUNDTRIP}, "v3/sharding/index-start")
    assert [c.test_id for c in cells] == ["a->reference-v3/sharding/index-start", "a->a-v3/sharding/index-start"]
    full = with_required_writes(cells)
    assert [c.kind for c in full] == [Kind.WRITE, Kind.ROUNDTRIP, Kind.ROUNDTRIP]


def test_no_roundtrips_of_a_write_the_writers_api_cannot_express() -> None:
    v2_writer = AdapterSpec(id="a", name="a", launchers=("python",), worker=("w.py",),
                            writes=Role(formats=frozenset({2}), cite={"formats": "https://example.org/api"}))
    cells = plan(catalogue(), [_spec("reference"), v2_writer])
    roundtrips = [c for c in cells if c.kind is Kind.ROUNDTRIP]
    assert roundtrips and all(c.fixture.startswith("v2/") for c in roundtrips)
    # Its v3 write cells are still there: they say "unsupported", with the citation.
    assert any(c.kind is Kind.WRITE and c.fixture.startswith("v3/") for c in cells)
    # Reads are never pruned: the v2-only writer still reads every v3 fixture.
    assert any(c.kind is Kind.READ and c.reader == "a" and c.fixture.startswith("v3/") for c in cells)
