"""Judging cells of convention cases (sparse matrices: binsparse, anndata).

Two kinds of implementation meet these cases:
- a Zarr implementation reads the component arrays and the group's attributes like any others; the
  harness assembles the matrix from what it returned (fixtures/sparse.py) and compares it with the
  expected one. A case whose descriptor contradicts its arrays is broken for the convention only:
  the reader must still return the arrays exactly, and the harness's assembly must refuse them.
- a convention implementation (AdapterSpec.conventions) reads through its own API and answers the
  matrix itself (COO triplets on the group node, docs/protocol.md): it passes a broken case only
  by refusing it, like a reject cell. It writes from the matrix alone, so the written store is judged
  by decoding it with the reference decoder and assembling the matrix it holds."""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import Case, GroupNode
from zarr_conformance.fixtures.sparse import ConventionError, assemble, assemble_components, binsparse_header
from zarr_conformance.fixtures.sparse_cases import SparseCase, sparse_case
from zarr_conformance.runners.compare import ExpectedNode, Mismatch, check_read, check_values, load_values
from zarr_conformance.runners.model import Cell, CellResult, Defect, Kind, Status


@cache
def _convention_impls() -> frozenset[str]:
    from zarr_conformance.adapters.registry import discover

    return frozenset(i for i, s in discover().items() if s.conventions)


def node_extras(case: Case, node: Any, kind: Kind, inputs: Path) -> dict[str, Any]:
    """What a request's group node carries beyond path and kind: the convention of its attributes,
    and for a write the matrix itself (COO triplets as .npy files written under `inputs`)."""
    entry = sparse_case(case.id)
    if entry is None or not isinstance(node, GroupNode) or node.path != entry.matrix.group:
        return {}
    extras: dict[str, Any] = {"convention": entry.matrix.convention}
    if kind is Kind.WRITE:
        extras["matrix"] = _matrix_request(entry, inputs)
    return extras


def _matrix_request(entry: SparseCase, inputs: Path) -> dict[str, Any]:
    m = entry.matrix
    by_col = m.format in ("CSC", "DCSC", "COOC")
    major = entry.dense.T if by_col else entry.dense
    r, c = np.nonzero(major)
    rows, cols = (c, r) if by_col else (r, c)  # stored order of the format
    inputs.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, a in (("row", rows.astype(m.index_dtype)), ("col", cols.astype(m.index_dtype)),
                    ("values", entry.dense[rows, cols])):
        target = inputs / f"matrix-{name}.npy"
        if not target.exists():  # writers run in parallel: each writes its own file, then renames it
            partial = inputs / f".matrix-{name}-{threading.get_ident()}.npy"
            np.save(partial, a, allow_pickle=False)
            os.replace(partial, target)
        files[name] = {"npy": str(target)}
    return {"format": m.format, "shape": list(m.shape), "index_dtype": np.dtype(m.index_dtype).str,
            "pointer_dtype": np.dtype(m.pointer_dtype).str, "value_dtype": np.dtype(m.value_dtype).str, **files}


def _fail(cell: Cell, e: Mismatch) -> CellResult:
    return CellResult(cell, Status.FAIL, str(e), defect=e.defect, differences=tuple(d.text for d in e.differences))


def judge(cell: Cell, case: Case, reply: dict[str, Any], spec: AdapterSpec, store: Path,
          oracle: list[ExpectedNode] | None = None) -> CellResult | None:
    """The verdict of a convention case's cell, or None for a case of no convention. `oracle` is what a
    roundtrip's written store holds (the reference decoder's reading of it)."""
    entry = sparse_case(case.id)
    if entry is None or reply.get("unsupported"):
        return None
    if cell.kind is Kind.WRITE:
        return _judge_convention_write(cell, case, entry, reply, store) if spec.conventions else None
    if spec.conventions:
        return _judge_convention_read(cell, entry, reply)
    if not reply.get("ok"):
        return None  # the library raised on plain Zarr arrays: an error like any other
    return _judge_zarr_read(cell, case, entry, reply.get("nodes") or [], oracle)


def _judge_convention_read(cell: Cell, entry: SparseCase, reply: dict[str, Any]) -> CellResult:
    if not reply.get("ok"):
        error = reply.get("error") or {}
        text = f"{error.get('type', 'Error')}: {error.get('message', reply)}"
        if entry.broken:
            return CellResult(cell, Status.PASS, f"rejected: {text}")
        return CellResult(cell, Status.ERROR, text)
    if entry.broken:
        return CellResult(cell, Status.FAIL, f"accepted a descriptor that contradicts its arrays "
                                             f"({entry.case.description}) and returned a matrix",
                          defect=Defect.ACCEPTED)
    group = next((n for n in reply.get("nodes") or [] if n.get("path") == entry.matrix.group), None)
    try:
        if group is None or not isinstance(group.get("matrix"), dict):
            raise Mismatch(f"{entry.matrix.group}: no matrix in the reply")
        got, stored = _matrix_from_reply(group["matrix"])
        _compare(entry, got, expected_stored=int(np.count_nonzero(entry.dense)), stored=stored)
    except Mismatch as e:
        return _fail(cell, e)
    return CellResult(cell, Status.PASS)


def _matrix_from_reply(matrix: dict[str, Any]) -> tuple[np.ndarray, int]:
    """The matrix a convention reader answered (its format, shape and named arrays) -> dense, and the
    number of values it stores."""
    arrays = matrix.get("arrays")
    if not isinstance(arrays, dict):
        raise Mismatch("matrix: no arrays in the reply")
    parts = {k: load_values(v, f"matrix {k}") for k, v in arrays.items()}
    try:
        dense = assemble_components(str(matrix.get("format")), matrix.get("shape"), parts)
    except ConventionError as e:
        raise Mismatch(f"matrix: the implementation returned no valid {matrix.get('format')} matrix: {e}") from None
    return dense, len(parts["values"])


def _compare(entry: SparseCase, got: np.ndarray, expected_stored: int | None = None, stored: int | None = None) -> None:
    if got.shape != entry.dense.shape:
        raise Mismatch(f"matrix: shape {list(got.shape)}, expected {list(entry.dense.shape)}")
    check_values("matrix", entry.dense, got)
    if expected_stored is not None and stored != expected_stored:
        raise Mismatch(f"matrix: {stored} stored values, expected {expected_stored}")


def _arrays_of(group: str, nodes: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    prefix = f"{group}/"
    return {n["path"][len(prefix):]: load_values(n.get("values"), n["path"])
            for n in nodes if n.get("kind") == "array" and str(n.get("path", "")).startswith(prefix)}


def _judge_zarr_read(cell: Cell, case: Case, entry: SparseCase, nodes: list[dict[str, Any]],
                     oracle: list[ExpectedNode] | None) -> CellResult:
    from_convention_writer = cell.kind is Kind.ROUNDTRIP and cell.writer in _convention_impls()
    try:
        if not from_convention_writer:  # the store holds exactly the case's arrays and attributes
            check_read(case, nodes, oracle)
        group = next((n for n in nodes if n.get("path") == entry.matrix.group), None)
        if group is None:
            raise Mismatch(f"{entry.matrix.group}: missing from the reply")
        try:
            arrays = _arrays_of(entry.matrix.group, nodes)
            dense = assemble(entry.matrix.convention, group.get("attributes") or {}, arrays)
        except ConventionError as e:
            if entry.broken and not from_convention_writer:
                return CellResult(cell, Status.PASS, f"arrays read exactly; the harness refuses the matrix "
                                                     f"they form, as intended: {e}")
            raise Mismatch(f"the arrays and attributes read do not form a valid {entry.matrix.convention} "
                           f"matrix: {e}") from None
        if entry.broken:  # cannot happen when the arrays were read exactly: a harness bug
            raise RuntimeError(f"{case.id}: the broken descriptor was assembled into a matrix")
        _compare(entry, dense)
    except Mismatch as e:
        return _fail(cell, e)
    return CellResult(cell, Status.PASS)


def _judge_convention_write(cell: Cell, case: Case, entry: SparseCase, reply: dict[str, Any],
                            store: Path) -> CellResult | None:
    if not reply.get("ok"):
        return None
    try:
        if not store.is_dir():
            raise Mismatch(f"the writer reported success but {store} does not exist")
        try:
            nodes = decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])
        except Exception as e:  # noqa: BLE001 - whatever the store does to the decoder is the writer's fault
            raise Mismatch(f"the reference decoder rejects the store: {type(e).__name__}: {e}",
                           Defect.INVALID_STORE) from None
        group = next(n for n in nodes if n["path"] == entry.matrix.group)
        attrs = group.get("attributes") or {}
        try:
            dense = assemble(entry.matrix.convention, attrs, _arrays_of(entry.matrix.group, nodes))
            written_format = (binsparse_header(attrs)["format"] if entry.matrix.convention == "binsparse"
                              else {"csr_matrix": "CSR", "csc_matrix": "CSC"}[attrs["encoding-type"]])
        except ConventionError as e:
            raise Mismatch(f"the written group is no valid {entry.matrix.convention} matrix: {e}") from None
        if {"COO": "COOR"}.get(written_format, written_format) != {"COO": "COOR"}.get(entry.matrix.format,
                                                                                      entry.matrix.format):
            raise Mismatch(f"wrote format {written_format}, asked {entry.matrix.format}", Defect.METADATA)
        _compare(entry, dense)
    except Mismatch as e:
        return _fail(cell, e)
    return CellResult(cell, Status.PASS)
