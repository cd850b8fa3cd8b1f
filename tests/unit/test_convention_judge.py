"""How convention cells are judged (runners/conventions.py), on replies made by hand: a convention
reader passes a broken case only by refusing it, a Zarr reader by returning the arrays exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.fixtures.sparse_cases import sparse_registry
from zarr_conformance.runners.conventions import judge
from zarr_conformance.runners.model import Cell, Kind, Status

ZARR = AdapterSpec(id="z", name="z", launchers=("python",), worker=("w.py",))
CONV = AdapterSpec(id="b", name="b", launchers=("python",), worker=("w.py",), conventions=frozenset({"binsparse"}))
VALID = sparse_registry()["v3/sparse/binsparse-dcsr-i32-u8"]
BROKEN = sparse_registry()["v3/sparse/binsparse-broken-pointers-not-monotone"]


def _zarr_reply(entry) -> dict:
    nodes = [{"path": g.path, "kind": "group", "attributes": g.attributes} for g in entry.case.groups]
    for a in entry.case.arrays:
        values = entry.arrays[a.path.rsplit("/", 1)[-1]]
        nodes.append({"path": a.path, "kind": "array", "shape": list(values.shape), "dtype": values.dtype.str,
                      "fill_value": 0, "attributes": {}, "dimension_names": None, "values": {"array": values}})
    return {"ok": True, "nodes": nodes}


def _matrix_reply(entry, values_shift: int = 0) -> dict:
    arrays = {k: {"array": v + v.dtype.type(values_shift) if k == "values" else v} for k, v in entry.arrays.items()}
    return {"ok": True, "nodes": [{"path": entry.matrix.group, "kind": "group", "attributes": {},
                                   "matrix": {"format": entry.matrix.format, "shape": list(entry.matrix.shape),
                                              "arrays": arrays}}]}


def _cell(entry, reader: str) -> Cell:
    return Cell(Kind.READ, entry.case.id, "reference", reader)


def test_zarr_reader_of_a_broken_case_passes_when_its_arrays_are_exact() -> None:
    result = judge(_cell(BROKEN, "z"), BROKEN.case, _zarr_reply(BROKEN), ZARR, Path("/nonexistent"))
    assert result.status is Status.PASS and "not increasing" in result.message


def test_zarr_reader_of_a_valid_case_passes_and_a_wrong_array_fails() -> None:
    assert judge(_cell(VALID, "z"), VALID.case, _zarr_reply(VALID), ZARR, Path("/x")).status is Status.PASS
    reply = _zarr_reply(VALID)
    node = next(n for n in reply["nodes"] if n["path"].endswith("/indices_1"))
    node["values"] = {"array": node["values"]["array"][::-1].copy()}
    result = judge(_cell(VALID, "z"), VALID.case, reply, ZARR, Path("/x"))
    assert result.status is Status.FAIL and "indices_1" in result.message


@pytest.mark.parametrize("reply, status", [
    ({"ok": False, "error": {"type": "ParseError", "message": "pointers decrease"}}, Status.PASS),
    (_matrix_reply(BROKEN), Status.FAIL),
])
def test_convention_reader_passes_a_broken_case_only_by_refusing_it(reply, status) -> None:
    assert judge(_cell(BROKEN, "b"), BROKEN.case, reply, CONV, Path("/x")).status is status


def test_convention_reader_matrix_is_assembled_and_compared() -> None:
    assert judge(_cell(VALID, "b"), VALID.case, _matrix_reply(VALID), CONV, Path("/x")).status is Status.PASS
    wrong = judge(_cell(VALID, "b"), VALID.case, _matrix_reply(VALID, 1), CONV, Path("/x"))
    assert wrong.status is Status.FAIL and "matrix" in wrong.message
    error = judge(_cell(VALID, "b"), VALID.case, {"ok": False, "error": {"message": "no"}}, CONV, Path("/x"))
    assert error.status is Status.ERROR


def test_non_convention_case_is_left_to_the_ordinary_judge() -> None:
    from zarr_conformance.fixtures.catalogue import by_id

    case = by_id("v3/dtype/int8")
    assert judge(Cell(Kind.READ, case.id, "reference", "z"), case, {"ok": True, "nodes": []}, ZARR, Path("/x")) is None
    assert np.dtype(VALID.matrix.index_dtype).itemsize == 1  # the DCSR case has uint8 indices
