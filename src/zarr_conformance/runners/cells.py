"""Running one cell on its worker and turning what happened into a status, never trusting an exit code."""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.fixtures.cases import Case, GroupNode
from zarr_conformance.fixtures.golden import GoldenSet
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners.compare import Mismatch, check_read
from zarr_conformance.runners.escape import DEFECT as ESCAPE
from zarr_conformance.runners.escape import escape_evidence, foreign_values
from zarr_conformance.runners.model import Cell, CellResult, Kind, Status
from zarr_conformance.runners.worker import WorkerCrashed, WorkerHandle, WorkerProtocolError, WorkerTimedOut
from zarr_conformance.runners.written import check_written


@dataclass
class Scratch:
    """The run's scratch space: input values for writers, written stores, per-cell output folders."""

    root: Path
    written: dict[tuple[str, str], threading.Event] = field(default_factory=dict)
    produced: dict[tuple[str, str], str] = field(default_factory=dict)  # (writer, case) -> write status
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store_of(self, writer: str, case_id: str) -> Path:
        return self.root / "written" / writer / f"{case_id}.zarr"

    def input_values(self, case: Case, path: str) -> Path:
        target = self.root / "inputs" / case.id / (path.replace("/", "__") or "_root") / "values.npy"
        with self._lock:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                np.save(target, expected_values(case, path), allow_pickle=False)
        return target

    def write_done(self, writer: str, case_id: str) -> threading.Event:
        with self._lock:
            return self.written.setdefault((writer, case_id), threading.Event())


@dataclass
class CellContext:
    golden: GoldenSet
    scratch: Scratch
    timeout: float
    disabled: dict[str, dict[str, str]]  # impl -> codec -> reason (from hello)


def run_cell(cell: Cell, case: Case, spec: AdapterSpec, handle: WorkerHandle | None, ctx: CellContext,
             out_dir: Path) -> CellResult:
    started = time.perf_counter()
    result = _run(cell, case, spec, handle, ctx, out_dir)
    result.duration_s = time.perf_counter() - started
    return result


def _run(cell: Cell, case: Case, spec: AdapterSpec, handle: WorkerHandle | None, ctx: CellContext,
         out_dir: Path) -> CellResult:
    role = spec.writes if cell.kind is Kind.WRITE else spec.reads
    refusal = role.refuses(case, ctx.disabled.get(spec.id)) if role else "role not declared"
    if refusal:
        return CellResult(cell, Status.UNSUPPORTED, refusal)
    if handle is None:
        return CellResult(cell, Status.ERROR, "implementation unavailable (see its entry in implementations)")
    if cell.kind is Kind.ROUNDTRIP:
        ctx.scratch.write_done(cell.writer, case.id).wait()
        write_status = ctx.scratch.produced.get((cell.writer, case.id))
        if write_status not in (Status.PASS.value, Status.FAIL.value):
            return CellResult(cell, Status.SKIP, f"{cell.writer} produced no store (its write cell: {write_status})")
    request = _request(cell, case, ctx, out_dir)
    asked = time.perf_counter()
    try:
        reply = handle.request(request, ctx.timeout)
    except WorkerCrashed as e:
        return CellResult(cell, Status.CRASH, str(e))
    except WorkerTimedOut as e:
        return CellResult(cell, Status.TIMEOUT, str(e))
    except WorkerProtocolError as e:
        return CellResult(cell, Status.ERROR, f"protocol error (adapter bug): {e}")
    answered = time.perf_counter()
    foreign = foreign_values(reply.get("nodes") or [], out_dir) if reply.get("ok") else None
    if foreign:
        return CellResult(cell, Status.ERROR, foreign)
    result = _judge(cell, case, reply, ctx)
    result.worker_s = answered - asked
    return result


def _request(cell: Cell, case: Case, ctx: CellContext, out_dir: Path) -> dict[str, Any]:
    if cell.kind is Kind.WRITE:
        store = ctx.scratch.store_of(cell.writer, case.id)
        if store.exists():
            shutil.rmtree(store)
        store.parent.mkdir(parents=True, exist_ok=True)
        nodes = []
        for node in case.nodes:
            if isinstance(node, GroupNode):
                nodes.append({"path": node.path, "kind": "group", "attributes": node.attributes})
            else:
                values = ctx.scratch.input_values(case, node.path)
                nodes.append({**node.request(), "values": {"npy": str(values)}})
        return {"op": "write", "store": str(store), "zarr_format": case.zarr_format, "nodes": nodes}
    store = ctx.golden.store(case) if cell.kind in (Kind.READ, Kind.REJECT) else ctx.scratch.store_of(
        cell.writer, case.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {"op": "read", "store": str(store), "zarr_format": case.zarr_format, "out_dir": str(out_dir),
            "nodes": [{"path": n.path, "kind": n.kind} for n in case.nodes]}


def _error_text(reply: dict[str, Any]) -> str:
    error = reply.get("error") or {}
    return f"{error.get('type', 'Error')}: {error.get('message', reply)}"


def _judge(cell: Cell, case: Case, reply: dict[str, Any], ctx: CellContext) -> CellResult:
    if reply.get("unsupported"):
        return CellResult(cell, Status.UNSUPPORTED, f"declined: {reply['unsupported']}")
    if not reply.get("ok"):
        if cell.kind is Kind.REJECT:
            return CellResult(cell, Status.PASS, f"rejected: {_error_text(reply)}")
        return CellResult(cell, Status.ERROR, _error_text(reply))
    if cell.kind is Kind.REJECT:
        escaped = escape_evidence(case, reply.get("nodes") or [])
        if escaped:
            return CellResult(cell, Status.FAIL, escaped, defect=ESCAPE)
        return CellResult(cell, Status.FAIL, f"accepted a broken store ({case.description}) and returned values")
    try:
        if cell.kind is Kind.WRITE:
            check_written(case, ctx.scratch.store_of(cell.writer, case.id))
        else:
            check_read(case, reply.get("nodes") or [])
    except Mismatch as e:
        return CellResult(cell, Status.FAIL, str(e))
    return CellResult(cell, Status.PASS)
