"""The judge's own faults (issue: verdicts from what each library does): every mismatch is listed and
graded, bad answers are one cell's verdict, roundtrips are judged against what the store holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode, Case, GroupNode
from zarr_conformance.fixtures.catalogue import by_id
from zarr_conformance.fixtures.encoder import write_store
from zarr_conformance.fixtures.fillvalue import same_fill
from zarr_conformance.fixtures.negative import valid_twin
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners import cells
from zarr_conformance.runners.compare import Mismatch, check_read, expected_from_store
from zarr_conformance.runners.model import Cell, Defect, Kind, Status
from zarr_conformance.runners.written import judge_written

V3_LE = {"name": "bytes", "configuration": {"endian": "little"}}


def _v3_case(**kw: Any) -> Case:
    node = ArrayNode(**{"path": "data", "shape": (4, 3), "chunks": (2, 2), "dtype": "<i4", "fill_value": 0,
                        "codecs": (V3_LE,), **kw})
    return Case("v3/test/judge", 3, (GroupNode("", {"title": "t"}), node), "test")


def _v2_case(**kw: Any) -> Case:
    node = ArrayNode(**{"path": "data", "shape": (4, 3), "chunks": (2, 2), "dtype": "<i4", "fill_value": 0,
                        "compressor": {"id": "zlib", "level": 1}, "chunk_key_separator": ".", **kw})
    return Case("v2/test/judge", 2, (GroupNode("", {}), node), "test")


def _answer(case: Case, values: np.ndarray | None = None, **override: Any) -> list[dict[str, Any]]:
    node = case.arrays[0]
    values = expected_values(case, node.path) if values is None else values
    array = {"path": node.path, "kind": "array", "shape": list(node.shape), "dtype": values.dtype.str,
             "fill_value": node.fill_value, "attributes": node.attributes,
             "dimension_names": list(node.dimension_names) if node.dimension_names else None,
             "values": {"array": values}, **override}
    return [{"path": "", "kind": "group", "attributes": case.nodes[0].attributes}, array]


def test_every_mismatch_is_listed_and_the_worst_names_the_cell() -> None:
    case = _v3_case()
    answer = _answer(case, expected_values(case, "data") + 1)
    answer[0]["attributes"] = {"title": "t", "extra": 1}  # a root group's extra attribute comes first
    with pytest.raises(Mismatch) as e:
        check_read(case, answer)
    defects = [d.defect for d in e.value.differences]
    assert defects == [Defect.VALUES, Defect.ATTRIBUTES]
    assert e.value.defect is Defect.VALUES


def test_a_bogus_answer_is_a_verdict_not_a_harness_crash() -> None:
    case = _v3_case()
    answer = _answer(case, dtype="<q9", fill_value="banana", shape="x")
    with pytest.raises(Mismatch) as e:
        check_read(case, answer)
    assert {d.defect for d in e.value.differences} == {Defect.DTYPE, Defect.FILL_VALUE, Defect.SHAPE}
    with pytest.raises(Mismatch) as e:
        check_read(case, "not a list")  # type: ignore[arg-type]
    assert e.value.defect is Defect.MISSING


def test_an_empty_answer_is_missing() -> None:
    with pytest.raises(Mismatch) as e:
        check_read(_v3_case(), [])
    assert e.value.defect is Defect.MISSING


def test_integer_fill_values_compare_exactly() -> None:
    assert not same_fill(2**64 - 1000, 2**64 - 1)  # the same float64, different uint64
    assert same_fill(2**64 - 1, 2**64 - 1)
    assert same_fill(0, 0.0)
    assert not same_fill(True, 1)


def test_dropped_dimension_names_fail_in_v3() -> None:
    case = _v3_case(dimension_names=("y", "x"))
    with pytest.raises(Mismatch) as e:
        check_read(case, _answer(case, dimension_names=None))
    assert e.value.defect is Defect.DIMENSION_NAMES
    check_read(_v3_case(), _answer(_v3_case(), dimension_names=[None, None]))  # no names, said another way


def test_decoder_requires_what_the_specs_require(tmp_path: Path) -> None:
    v3 = _v3_case(codecs=({"name": "bytes"},))
    write_store(tmp_path / "v3", 3, v3.nodes, {"data": expected_values(v3, "data")})
    with pytest.raises(StoreFormatError, match="without 'endian'"):
        decoder.read_array(tmp_path / "v3", "data", 3)
    for key in ("compressor", "order", "filters", "fill_value"):
        v2 = _v2_case()
        store = tmp_path / f"v2-{key}"
        write_store(store, 2, v2.nodes, {"data": expected_values(v2, "data")})
        meta = json.loads((store / "data" / ".zarray").read_text())
        del meta[key]
        (store / "data" / ".zarray").write_text(json.dumps(meta))
        with pytest.raises(StoreFormatError, match=f"required key '{key}'"):
            decoder.read_array(store, "data", 2)


def test_a_writers_corrupt_chunk_is_its_write_cells_verdict(tmp_path: Path) -> None:
    case = _v2_case()
    write_store(tmp_path, 2, case.nodes, {"data": expected_values(case, "data")})
    (tmp_path / "data" / "0.0").write_bytes(b"not zlib at all")
    verdict = judge_written(case, tmp_path)
    assert verdict.decoded is None
    assert [d.defect for d in verdict.differences] == [Defect.INVALID_STORE]
    assert "error" in verdict.rejection.lower()


def _f_order_written_as_c(tmp_path: Path) -> tuple[Case, Path]:
    """A writer's bug: metadata says order F, chunks are laid out in C order."""
    case = by_id("v2/order/F-int32")
    as_c = Case(case.id, 2, tuple(n if isinstance(n, GroupNode) else
                                  ArrayNode(**{**n.__dict__, "order": "C"}) for n in case.nodes), case.feature)
    node = case.arrays[0]
    write_store(tmp_path, 2, as_c.nodes, {node.path: expected_values(case, node.path)})
    meta_path = tmp_path / node.path / ".zarray"
    meta = json.loads(meta_path.read_text())
    meta["order"] = "F"
    meta_path.write_text(json.dumps(meta))
    return case, tmp_path


def test_roundtrips_are_judged_against_what_the_store_holds(tmp_path: Path) -> None:
    case, store = _f_order_written_as_c(tmp_path)
    verdict = judge_written(case, store)
    assert verdict.decoded is not None
    assert verdict.differences[0].defect is Defect.VALUES  # the writer is charged in its write cell
    oracle = expected_from_store(case, verdict.decoded)
    node = case.arrays[0]
    # A reader that ignores `order` "repairs" the store: it returns what the writer meant, and fails.
    meant = _answer(case, expected_values(case, node.path))
    meant = [meant[0], {**meant[1], "path": node.path}]
    with pytest.raises(Mismatch) as e:
        check_read(case, meant, oracle)
    assert e.value.defect is Defect.VALUES
    # A reader that follows the spec returns what the store holds, and passes.
    spec_reading = [n if n["kind"] == "group" else {**n, "values": {"array": n["values"]["array"]}}
                    for n in verdict.decoded]
    check_read(case, spec_reading, oracle)


class _Handle:
    """Answers read requests from a table of store suffix -> reply."""

    def __init__(self, replies: dict[str, dict[str, Any]]) -> None:
        self.replies, self.asked = replies, []

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        self.asked.append(payload["store"])
        return next(dict(r) for k, r in self.replies.items() if payload["store"].endswith(k))


def _reject_ctx(tmp_path: Path, case: Case) -> cells.CellContext:
    from zarr_conformance.fixtures import golden

    twin = valid_twin(case)
    gold = golden.build((case, twin), tmp_path / "cache")
    return cells.CellContext(gold, cells.Scratch(tmp_path / "scratch"), 10.0, {}, {case.id: twin})


def test_a_refusal_counts_only_if_the_valid_twin_is_read(tmp_path: Path) -> None:
    case = by_id("v2/reject/bad-json")
    ctx = _reject_ctx(tmp_path, case)
    spec = type("Spec", (), {"id": "x", "writes": None})()
    cell = Cell(Kind.REJECT, case.id, "reference", "x")
    refuse = {"ok": False, "error": {"type": "ValueError", "message": "nope"}}
    refuses_all = _Handle({".zarr": refuse})
    result = cells.run_cell(cell, case, spec, refuses_all, ctx, tmp_path / "out")  # type: ignore[arg-type]
    assert result.status is Status.ERROR and "valid twin" in result.message
    assert refuses_all.asked[-1].endswith("~twin.zarr")

    twin = ctx.twins[case.id]
    twin_nodes = [{"path": "", "kind": "group", "attributes": {}}] + [
        {**_answer(twin)[1], "values": {"array": expected_values(twin, "data")}}]
    reads_twin = _Handle({"~twin.zarr": {"ok": True, "nodes": twin_nodes}, ".zarr": refuse})
    result = cells.run_cell(cell, case, spec, reads_twin, ctx, tmp_path / "out")  # type: ignore[arg-type]
    assert result.status is Status.PASS, result.message


def test_a_judge_fault_is_one_cells_harness_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = by_id("v2/reject/bad-json")
    ctx = _reject_ctx(tmp_path, case)
    spec = type("Spec", (), {"id": "x", "writes": None})()

    def broken(*args: Any, **kw: Any) -> None:
        raise RuntimeError("a bug in the judge")

    monkeypatch.setattr(cells, "_judge", broken)
    result = cells.run_cell(Cell(Kind.REJECT, case.id, "reference", "x"), case, spec,  # type: ignore[arg-type]
                            _Handle({".zarr": {"ok": True, "nodes": []}}), ctx, tmp_path / "out")
    assert result.status is Status.ERROR and result.harness_fault
    assert "a bug in the judge" in result.message


def test_schema_lists_every_defect() -> None:
    from zarr_conformance.reports.results_json import schema

    listed = schema()["properties"]["results"]["items"]["properties"]["defect"]["enum"]
    assert set(listed) == {d.value for d in Defect} | {None}
