"""Running one cell on its worker and turning what happened into a status, never trusting an exit code.

Every read-side cell (read, reject, the reader of a roundtrip) asks the library, whatever its
adapter declares; only a write outside what the library's API can express is `unsupported` unasked."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.adapters.worker_kit import zc_values
from zarr_conformance.fixtures.cases import Case, GroupNode
from zarr_conformance.fixtures.golden import GoldenSet
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners import conventions
from zarr_conformance.runners.compare import (
    Difference,
    Mismatch,
    check_read,
    expected_from_case,
    expected_from_store,
    judge,
)
from zarr_conformance.runners.escape import escape_evidence, foreign_values
from zarr_conformance.runners.model import Cell, CellResult, Defect, Kind, Status
from zarr_conformance.runners.npy import UnusableValues
from zarr_conformance.runners.worker import (
    WorkerCrashed,
    WorkerGaveUp,
    WorkerHandle,
    WorkerProtocolError,
    WorkerStartFailed,
    WorkerTimedOut,
)
from zarr_conformance.runners.written import WrittenStore, judge_written

log = logging.getLogger(__name__)


@dataclass
class Scratch:
    """The run's scratch space: input values for writers, written stores, per-cell output folders."""

    root: Path
    written: dict[tuple[str, str], threading.Event] = field(default_factory=dict)
    produced: dict[tuple[str, str], str] = field(default_factory=dict)  # (writer, case) -> write status
    # (writer, case) -> the reference decoder's reading of the written store: the roundtrip oracle
    oracle: dict[tuple[str, str], WrittenStore] = field(default_factory=dict)
    _inputs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (case, path) -> value ref
    _stores: dict[tuple[str, str], Path] = field(default_factory=dict)  # (writer, case) -> store_of
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store_of(self, writer: str, case_id: str) -> Path:
        found = self._stores.get((writer, case_id))  # asked several times per cell: joined once
        if found is None:
            found = self._stores[(writer, case_id)] = self.root / "written" / writer / f"{case_id}.zarr"
        return found

    def input_values(self, case: Case, path: str) -> dict[str, Any]:
        """The values a writer is given, in the protocol's value form (zc_values.py: .npy, or json /
        bytes_b64 / ragged for strings, bytes and ragged data)."""
        with self._lock:
            if (case.id, path) not in self._inputs:  # written once, then kept: every writer gets the same
                folder = self.root / "inputs" / case.id / (path.replace("/", "__") or "_root")
                folder.mkdir(parents=True, exist_ok=True)
                ref = zc_values.to_ref(expected_values(case, path), str(folder), "values")
                (folder / "values.json").write_text(json.dumps(ref))
                self._inputs[(case.id, path)] = json.loads(json.dumps(ref))  # as a reader of the file sees it
            return self._inputs[(case.id, path)]

    def write_done(self, writer: str, case_id: str) -> threading.Event:
        with self._lock:
            done = self.written.get((writer, case_id))
            if done is None:  # made only when missing: an Event is not cheap, and this is asked per cell
                done = self.written[(writer, case_id)] = threading.Event()
            return done


TWIN_DEFECTS = (Defect.VALUES, Defect.MISSING, Defect.SHAPE, Defect.DTYPE)


@dataclass
class CellContext:
    golden: GoldenSet
    scratch: Scratch
    timeout: float
    disabled: dict[str, dict[str, str]]  # impl -> codec -> reason (from hello)
    twins: dict[str, Case] = field(default_factory=dict)  # broken case id -> its valid twin


def run_cell(cell: Cell, case: Case, spec: AdapterSpec, handle: WorkerHandle | None, ctx: CellContext,
             out_dir: Path) -> CellResult:
    started = time.perf_counter()
    try:
        result = _run(cell, case, spec, handle, ctx, out_dir)
    except Exception as e:  # noqa: BLE001 - one cell's judge failing must not end the run
        tail = "".join(traceback.format_exception(e)[-3:]).strip()
        result = CellResult(cell, Status.ERROR, f"harness fault (a bug of zarr-conformance): {tail}",
                            harness_fault=True)
    result.duration_s = time.perf_counter() - started
    return result


def _run(cell: Cell, case: Case, spec: AdapterSpec, handle: WorkerHandle | None, ctx: CellContext,
         out_dir: Path) -> CellResult:
    if cell.kind is Kind.WRITE:
        refusal = spec.writes.refuses(case) if spec.writes else "role not declared"
        if refusal:
            return CellResult(cell, Status.UNSUPPORTED, refusal, declared=True)
        # A codec the worker found unusable at run time is its own claim: matched by expectations.
        disabled = spec.writes.refuses(case, ctx.disabled.get(spec.id)) if spec.writes else None
        if disabled:
            return CellResult(cell, Status.UNSUPPORTED, disabled)
    if handle is None:
        return CellResult(cell, Status.ERROR, "implementation unavailable (see its entry in implementations)")
    written: WrittenStore | None = None
    if cell.kind is Kind.ROUNDTRIP:
        ctx.scratch.write_done(cell.writer, case.id).wait()
        write_status = ctx.scratch.produced.get((cell.writer, case.id))
        if write_status not in (Status.PASS.value, Status.FAIL.value):
            return CellResult(cell, Status.SKIP, f"{cell.writer} produced no store (its write cell: {write_status})")
        written = ctx.scratch.oracle.get((cell.writer, case.id))
    store = _store(cell, case, ctx)
    reply = _ask(handle, _request(cell, case, store, ctx, out_dir), ctx.timeout)
    if isinstance(reply, CellResult):
        reply.cell = cell
        return reply
    foreign = foreign_values(reply.get("nodes") or [], out_dir) if reply.get("ok") else None
    if foreign:  # the harness would read a file of the worker's choosing, anywhere on the host
        return CellResult(cell, Status.ERROR, foreign)
    if cell.kind is Kind.ROUNDTRIP and written is not None and written.decoded is None and not reply.get("unsupported"):
        # No oracle: the store is not what the spec allows. The writer is charged in its write cell.
        said = f"the reader raised {_error_text(reply)}" if not reply.get("ok") else "the reader returned values"
        return CellResult(cell, Status.SKIP, f"not judged: {cell.writer}'s store is not conforming "
                                             f"({written.rejection}); {said}", worker_s=reply.get("_worker_s", 0.0))
    oracle = expected_from_store(case, written.decoded) if written and written.decoded is not None else None
    try:
        result = (conventions.judge(cell, case, reply, spec, ctx.scratch.store_of(cell.writer, case.id), oracle)
                  or _judge(cell, case, reply, ctx, written))
    except UnusableValues as e:  # an answer the harness cannot safely read: the cell's error, not the run's end
        result = CellResult(cell, Status.ERROR, f"answer not judged: {e}")
    except MemoryError:
        result = CellResult(cell, Status.ERROR, "answer not judged: the harness ran out of memory loading it")
    result.worker_s = reply.get("_worker_s", 0.0)
    if cell.kind is Kind.REJECT and result.status is Status.PASS:
        result = _check_twin(result, case, handle, ctx, out_dir)
    return result


def _ask(handle: WorkerHandle, request: dict[str, Any], timeout: float) -> dict[str, Any] | CellResult:
    placeholder = Cell(Kind.READ, "", "", None)
    asked = time.perf_counter()
    try:
        reply = handle.request(request, timeout)
    except WorkerCrashed as e:
        return CellResult(placeholder, Status.CRASH, str(e))
    except WorkerTimedOut as e:
        return CellResult(placeholder, Status.TIMEOUT, str(e))
    except WorkerProtocolError as e:
        return CellResult(placeholder, Status.ERROR, f"protocol error (adapter bug): {e}")
    except (WorkerGaveUp, WorkerStartFailed) as e:
        return CellResult(placeholder, Status.ERROR, str(e))
    reply["_worker_s"] = time.perf_counter() - asked
    return reply


def _store(cell: Cell, case: Case, ctx: CellContext) -> Path:
    if cell.kind in (Kind.READ, Kind.REJECT):
        return ctx.golden.store(case)
    return ctx.scratch.store_of(cell.writer, case.id)


def _request(cell: Cell, case: Case, store: Path, ctx: CellContext, out_dir: Path) -> dict[str, Any]:
    if cell.kind is Kind.WRITE:
        if store.exists():
            shutil.rmtree(store)
        store.parent.mkdir(parents=True, exist_ok=True)
        nodes = []
        inputs = ctx.scratch.root / "inputs" / case.id
        for node in case.nodes:
            if isinstance(node, GroupNode):
                nodes.append({"path": node.path, "kind": "group", "attributes": node.attributes,
                              **conventions.node_extras(case, node, cell.kind, inputs)})
            else:
                values = ctx.scratch.input_values(case, node.path)
                nodes.append({**node.request(), "values": values})
        return {"op": "write", "store": str(store), "zarr_format": case.zarr_format, "nodes": nodes}
    out_dir.mkdir(parents=True, exist_ok=True)
    return {"op": "read", "store": str(store), "zarr_format": case.zarr_format, "out_dir": str(out_dir),
            "nodes": [{"path": n.path, "kind": n.kind, **conventions.node_extras(case, n, cell.kind, out_dir)}
                      for n in case.nodes]}


def _error_text(reply: dict[str, Any]) -> str:
    error = reply.get("error") or {}
    return f"{error.get('type', 'Error')}: {error.get('message', reply)}"


def _fail(cell: Cell, differences: list[Difference], prefix: str = "") -> CellResult:
    mismatch = Mismatch(differences)
    return CellResult(cell, Status.FAIL, prefix + str(mismatch), defect=mismatch.defect,
                      differences=tuple(d.text for d in mismatch.differences))


def _judge(cell: Cell, case: Case, reply: dict[str, Any], ctx: CellContext,
           written: WrittenStore | None) -> CellResult:
    if reply.get("unsupported"):
        return CellResult(cell, Status.UNSUPPORTED, f"declined: {reply['unsupported']}")
    if not reply.get("ok") and (reply.get("error") or {}).get("type") == "LibraryCrash":
        return CellResult(cell, Status.CRASH, _error_text(reply))  # a library run as a child process died
    if not reply.get("ok"):
        if cell.kind is Kind.REJECT:
            return CellResult(cell, Status.PASS, f"rejected: {_error_text(reply)}")
        return CellResult(cell, Status.ERROR, _error_text(reply))
    if cell.kind is Kind.REJECT:
        escaped = escape_evidence(case, reply.get("nodes") or [])
        if escaped:
            return CellResult(cell, Status.FAIL, escaped, defect=Defect.ESCAPE, differences=(escaped,))
        return CellResult(cell, Status.FAIL, f"accepted a broken store ({case.description}) and returned values",
                          defect=Defect.ACCEPTED,
                          differences=(f"returned values for a store that must be refused: {case.description}",))
    if cell.kind is Kind.WRITE:
        store = ctx.scratch.store_of(cell.writer, case.id)
        verdict = judge_written(case, store)
        ctx.scratch.oracle[(cell.writer, case.id)] = verdict
        if verdict.differences:
            return _fail(cell, verdict.differences)
        return CellResult(cell, Status.PASS)
    expected = expected_from_store(case, written.decoded) if written and written.decoded is not None else None
    try:
        check_read(case, reply.get("nodes") or [], expected)
    except Mismatch as e:
        return _fail(cell, e.differences)
    return CellResult(cell, Status.PASS)


def _check_twin(result: CellResult, case: Case, handle: WorkerHandle, ctx: CellContext, out_dir: Path) -> CellResult:
    """A refusal counts only if the reader reads the same store uncorrupted."""
    twin = ctx.twins.get(case.id)
    if twin is None:
        return result
    twin_dir = writable_dir(out_dir / "twin", out_dir)  # the sandboxed worker (not root) writes there
    read = Cell(Kind.READ, twin.id, result.cell.writer, result.cell.reader)
    reply = _ask(handle, _request(read, twin, ctx.golden.store(twin), ctx, twin_dir), ctx.timeout)
    answered = isinstance(reply, dict) and reply.get("ok")
    foreign = foreign_values(reply.get("nodes") or [], twin_dir) if answered else None  # type: ignore[union-attr]
    if isinstance(reply, CellResult):
        why = f"{reply.status.value}: {reply.message}"
    elif foreign:
        why = foreign
    elif reply.get("unsupported") or not reply.get("ok"):
        why = reply.get("unsupported") or _error_text(reply)
    else:
        # The twin tests whether the reader can read this data at all: its values, not its metadata.
        found = [d for d in judge(expected_from_case(twin), reply.get("nodes") or []) if d.defect in TWIN_DEFECTS]
        if not found:
            return result
        why = "misread: " + "; ".join(d.text for d in found)
    return CellResult(result.cell, Status.ERROR, f"refused the broken store ({result.message}), but fails its "
                                                 f"valid twin too ({why}): the refusal says nothing about the "
                                                 f"corruption", worker_s=result.worker_s)

