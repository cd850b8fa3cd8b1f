"""The golden stores: every one decodes back to the oracle's values; broken ones are refused; the
manifest notices any change."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import decoder, golden
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners.compare import Mismatch, check_read


@pytest.fixture(scope="module")
def built(cache: Path) -> golden.GoldenSet:
    return golden.build(catalogue(), cache)


def _read_case(store: Path, case) -> list[dict]:
    return decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])


@pytest.mark.parametrize("case", [c for c in catalogue() if not c.must_reject], ids=lambda c: c.id)
def test_golden_store_decodes_to_expected_values(case, built: golden.GoldenSet) -> None:
    check_read(case, _read_case(built.store(case), case))


@pytest.mark.parametrize("case", [c for c in catalogue() if c.must_reject], ids=lambda c: c.id)
def test_negative_store_is_refused(case, built: golden.GoldenSet) -> None:
    with pytest.raises((StoreFormatError, Exception)) as info:
        _read_case(built.store(case), case)
    assert not isinstance(info.value, Mismatch)


def test_catalogue_is_large_enough_and_varied() -> None:
    cases = catalogue()
    assert len(cases) >= 25
    assert {c.zarr_format for c in cases} == {2, 3}
    assert any(c.arrays and c.arrays[0].sharding for c in cases)
    assert any(c.arrays and c.arrays[0].missing_chunks for c in cases)
    assert any(a.order == "F" for c in cases for a in c.arrays)
    assert any(a.chunk_grid and a.sharding for c in cases for a in c.arrays)  # rectilinear shards
    assert any(c.must_reject and c.feature == "grid/rectilinear" for c in cases)
    assert {c.feature for c in cases} >= {"sparse/binsparse", "sparse/anndata", "grid/rectilinear"}


def test_rectilinear_store_has_chunks_of_their_declared_sizes(built: golden.GoldenSet) -> None:
    # v3/grid/explicit: row edges [1, 2, 17], column edges [5, 5, 5], int32, bytes + gzip
    import gzip

    store = built.store(next(c for c in catalogue() if c.id == "v3/grid/explicit")) / "data"
    sizes = {k: len(gzip.decompress((store / "c" / k[0] / k[1]).read_bytes())) for k in ("00", "10", "22")}
    assert sizes == {"00": 1 * 5 * 4, "10": 2 * 5 * 4, "22": 17 * 5 * 4}


def test_missing_chunks_read_as_fill_value() -> None:
    case = next(c for c in catalogue() if c.id == "v2/fill/missing-chunks-nan")
    values = expected_values(case, "data")
    assert np.isnan(values[0:6, 0:4]).all()  # chunk (0, 0) is absent
    assert not np.isnan(values[6:12, 4:8]).all()


def test_manifest_notices_a_changed_file(built: golden.GoldenSet, tmp_path: Path) -> None:
    copy = golden.GoldenSet(tmp_path / "g", built.digest, built.cases)
    shutil.copytree(built.root, copy.root, symlinks=True)  # hostile stores hold links: copy them as links
    for p in copy.root.rglob("*"):
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert golden.verify(copy) == []
    victim = copy.root / "v2/dtype/int32-le.zarr/data/.zarray"
    victim.write_text(victim.read_text().replace('"C"', '"F"'))
    assert golden.verify(copy) == ["changed: v2/dtype/int32-le.zarr/data/.zarray"]


def test_case_roundtrips_through_dict() -> None:
    from zarr_conformance.fixtures.cases import Case

    for case in catalogue():
        assert Case.from_dict(case.to_dict()) == case
