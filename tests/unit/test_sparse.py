"""The harness's side of the sparse conventions: every valid case's arrays assemble into its matrix,
every broken one is refused, for the reason it was broken; and the planner gives convention-only
implementations their convention's cases only."""

from __future__ import annotations

import numpy as np
import pytest

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.fixtures.sparse import ConventionError, assemble, assemble_components
from zarr_conformance.fixtures.sparse_cases import sparse_registry
from zarr_conformance.runners.model import Kind
from zarr_conformance.runners.plan import plan

ENTRIES = list(sparse_registry().values())
REASONS = {"shape-too-small": "outside", "nnz-mismatch": "number_of_stored_values", "pointers-not-monotone":
           "not increasing", "offset-past-end": "ends at", "unsorted-indices": "not sorted",
           "data-types": "data_types"}


def _group_attrs(entry):
    return next(n for n in entry.case.groups if n.path == entry.matrix.group).attributes


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.broken], ids=lambda e: e.case.id)
def test_valid_case_assembles_to_its_matrix(entry) -> None:
    dense = assemble(entry.matrix.convention, _group_attrs(entry), dict(entry.arrays))
    assert dense.dtype == entry.dense.dtype and np.array_equal(dense, entry.dense)
    assert np.count_nonzero(entry.dense[1]) == 0 and np.count_nonzero(entry.dense[:, 2]) == 0


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.broken], ids=lambda e: e.case.id)
def test_broken_case_is_refused_for_its_reason(entry) -> None:
    with pytest.raises(ConventionError, match=REASONS[entry.broken]):
        assemble(entry.matrix.convention, _group_attrs(entry), dict(entry.arrays))


def test_spec_example_csr_assembles() -> None:
    # The spec's ISO example's structure (values given explicitly): rows 0..4 of a 5 x 5 matrix.
    arrays = {"pointers_to_1": np.array([0, 1, 3, 3, 5, 6], dtype="u8"),
              "indices_1": np.array([3, 1, 4, 1, 2, 3], dtype="u8"), "values": np.full(6, 7, dtype="i1")}
    dense = assemble_components("CSR", [5, 5], arrays)
    assert dense[0, 3] == 7 and dense[1, 4] == 7 and not dense[2].any() and np.count_nonzero(dense) == 6


def test_dcsr_pointers_must_not_repeat() -> None:
    arrays = {"indices_0": np.array([0, 2], dtype="u4"), "pointers_to_1": np.array([0, 0, 1], dtype="u4"),
              "indices_1": np.array([1], dtype="u4"), "values": np.ones(1)}
    with pytest.raises(ConventionError, match="strictly"):
        assemble_components("DCSR", [3, 3], arrays)


def test_the_catalogue_has_both_conventions_both_formats_and_broken_cases() -> None:
    assert {e.matrix.convention for e in ENTRIES} == {"binsparse", "anndata"}
    assert {e.case.zarr_format for e in ENTRIES} == {2, 3}
    assert {"CSR", "CSC", "COO", "COOC", "DCSR", "DCSC"} <= {e.matrix.format for e in ENTRIES}
    assert len(ENTRIES) >= 10 and sum(1 for e in ENTRIES if e.broken) >= 4


def test_convention_only_implementations_get_their_convention_only() -> None:
    zarr_impl = AdapterSpec(id="z", name="z", launchers=("python",), worker=("w.py",))
    conv = AdapterSpec(id="b", name="b", launchers=("python",), worker=("w.py",), conventions=frozenset({"binsparse"}))
    cells = plan(catalogue(), [zarr_impl, conv])
    mine = [c for c in cells if "b" in (c.reader, c.writer)]
    assert mine and all(sparse_registry()[c.fixture].matrix.convention == "binsparse" for c in mine)
    broken = {e.case.id for e in ENTRIES if e.broken}
    assert not [c for c in mine if c.kind is Kind.WRITE and c.fixture in broken]
    assert any(c.kind is Kind.READ and c.fixture in broken for c in mine)
    assert len([c for c in cells if c.reader == "z" and c.kind is Kind.READ]) == len(
        [c for c in catalogue() if not c.must_reject])
