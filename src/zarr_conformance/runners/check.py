"""`check`: any store a user has, read by every implementation, array by array, with a consensus.

No oracle knows this store's values, so the implementations vote: readers whose values (and shape
and data type) agree form groups, the largest group is the consensus (on a tie, the one holding
the reference decoder, which reads straight from the spec). Every other reader is told how it
differs. A reader that raises, crashes or hangs is reported as such; one that does not claim the
array's format, data type or codecs is `unsupported`."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import StoreEscapeError, StoreFormatError
from zarr_conformance.fixtures.cases import ArrayNode, Case
from zarr_conformance.fixtures.confine import escapes
from zarr_conformance.fixtures.metadata import node_from_metadata
from zarr_conformance.runners.compare import Mismatch, check_values, differences, load_values
from zarr_conformance.runners.escape import foreign_values
from zarr_conformance.runners.events import Listener, ignore
from zarr_conformance.runners.implementations import Implementation, ready_all, stop_all
from zarr_conformance.runners.model import REFERENCE
from zarr_conformance.runners.npy import UnusableValues, budget
from zarr_conformance.runners.placeholders import SCRATCH, STORE, stable_message
from zarr_conformance.runners.worker import (
    WorkerCrashed,
    WorkerGaveUp,
    WorkerProtocolError,
    WorkerStartFailed,
    WorkerTimedOut,
)


@dataclass
class Verdict:
    impl: str
    status: str  # agrees | differs | error | unsupported | crash | timeout | skipped
    message: str = ""


@dataclass
class ArrayCheck:
    path: str
    zarr_format: int
    shape: list[int]
    dtype: str
    verdicts: list[Verdict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "zarr_format": self.zarr_format, "shape": self.shape, "dtype": self.dtype,
                "verdicts": [v.__dict__ for v in self.verdicts]}


def discover(store: Path) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """The store's format and its arrays: (path, metadata document)."""
    if (store / "zarr.json").is_file():
        fmt, names = 3, ("zarr.json",)
    elif (store / ".zgroup").is_file() or (store / ".zarray").is_file():
        fmt, names = 2, (".zarray",)
    else:
        raise StoreFormatError(f"{store} is not a Zarr store: no zarr.json, .zgroup or .zarray at its root")
    arrays = []
    for name in names:
        for meta in sorted(store.rglob(name)):
            doc = _metadata(meta)
            if fmt == 3 and doc.get("node_type") != "array":
                continue
            rel = meta.parent.relative_to(store).as_posix()
            arrays.append(("" if rel == "." else rel, doc))
    return fmt, arrays


def _metadata(path: Path) -> dict[str, Any]:
    """A metadata document of the store, or a one-line StoreFormatError saying what is wrong with it."""
    try:
        doc = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise StoreFormatError(f"{path}: not valid JSON ({e})") from None
    except OSError as e:
        raise StoreFormatError(f"{path}: cannot read it: {e.strerror or e}") from None
    if not isinstance(doc, dict):
        raise StoreFormatError(f"{path}: a JSON {type(doc).__name__}, not a metadata object")
    return doc


def refuse_escapes(store: Path) -> None:
    """A store that leads out of itself is refused before anything reads it: no reader is asked."""
    found = escapes(store)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise StoreEscapeError(f"{store}: refused, it leads out of itself: {'; '.join(found[:3])}{more}")


def check_store(store: Path, specs: list[AdapterSpec], cache: Path, timeout: float = 120.0,
                max_megabytes: float = 512.0, listener: Listener = ignore) -> list[ArrayCheck]:
    store = store.resolve()
    sandbox.mode()  # a bad $ZARR_CONFORMANCE_SANDBOX stops here, not in every reader
    refuse_escapes(store)
    fmt, arrays = discover(store)
    # check compares arrays; convention-only implementations (binsparse, anndata) read no plain arrays.
    specs = [s for s in specs if not s.conventions]
    scratch = Path(tempfile.mkdtemp(prefix="check-", dir=cache))
    writable_dir(scratch, scratch)
    impls: list[Implementation] = []
    finished = False
    try:
        impls = ready_all(specs, cache, Mounts(read_only=(store,), read_write=(scratch,)), listener)
        checks = [_check_array(store, fmt, path, doc, impls, scratch, timeout, max_megabytes)
                  for path, doc in arrays]
        for verdict in (v for c in checks for v in c.verdicts):
            verdict.message = stable_message(verdict.message, {scratch: SCRATCH, store: STORE})
        finished = True
        return checks
    finally:
        stop_all(impls, graceful=finished)  # a signal (or a bug): no waiting on a polite shutdown
        shutil.rmtree(scratch, ignore_errors=True)


def _check_array(store: Path, fmt: int, path: str, doc: dict[str, Any], impls: list[Implementation],
                 scratch: Path, timeout: float, max_megabytes: float) -> ArrayCheck:
    try:
        node = node_from_metadata(fmt, path, doc)
    except (KeyError, TypeError, ValueError) as e:
        check = ArrayCheck(path, fmt, list(doc.get("shape", [])), str(doc.get("dtype", doc.get("data_type"))))
        check.verdicts = [Verdict(i.spec.id, "skipped", f"metadata not understood: {e}") for i in impls]
        return check
    check = ArrayCheck(path, fmt, list(node.shape), node.dtype)
    megabytes = float(np.prod(node.shape, dtype=float)) * node.np_dtype.itemsize / 2**20
    if megabytes > max_megabytes:
        check.verdicts = [Verdict(i.spec.id, "skipped", f"{megabytes:.0f} MiB > --max-megabytes {max_megabytes:g}")
                          for i in impls]
        return check
    case = Case(id=f"check:{path}", zarr_format=fmt, nodes=(node,), feature="check")
    answers: dict[str, np.ndarray] = {}
    for impl in impls:
        verdict, values = _read(impl, store, fmt, case, node, scratch / impl.spec.id, timeout)
        check.verdicts.append(verdict)
        if values is not None:
            answers[impl.spec.id] = values
    _vote(check, answers)
    return check


def _read(impl: Implementation, store: Path, fmt: int, case: Case, node: ArrayNode, out: Path,
          timeout: float) -> tuple[Verdict, np.ndarray | None]:
    impl_id = impl.spec.id
    refusal = impl.spec.reads.refuses(case, impl.disabled) if impl.spec.reads else "not a reader"
    if refusal or impl.handle is None:
        return Verdict(impl_id, "unsupported", refusal or f"unavailable: {impl.detail}"), None
    writable_dir(out, out.parent)
    request = {"op": "read", "store": str(store), "zarr_format": fmt, "out_dir": str(out),
               "nodes": [{"path": node.path, "kind": "array"}]}
    try:
        reply = impl.handle.request(request, timeout)
    except WorkerCrashed as e:
        return Verdict(impl_id, "crash", str(e)), None
    except WorkerTimedOut as e:
        return Verdict(impl_id, "timeout", str(e)), None
    except WorkerProtocolError as e:
        return Verdict(impl_id, "error", f"protocol error: {e}"), None
    except (WorkerGaveUp, WorkerStartFailed) as e:
        return Verdict(impl_id, "error", str(e)), None
    if reply.get("unsupported"):
        return Verdict(impl_id, "unsupported", f"declined: {reply['unsupported']}"), None
    if not reply.get("ok"):
        error = reply.get("error") or {}
        return Verdict(impl_id, "error", f"{error.get('type')}: {error.get('message')}"), None
    foreign = foreign_values(reply.get("nodes") or [], out)
    if foreign:
        return Verdict(impl_id, "error", foreign), None
    try:
        values = load_values((reply.get("nodes") or [{}])[0].get("values"), node.path or "/",
                             budget(math.prod(node.shape) * node.np_dtype.itemsize))
    except (Mismatch, UnusableValues) as e:
        return Verdict(impl_id, "error", str(e)), None
    except (AttributeError, TypeError, IndexError, KeyError, ValueError) as e:  # JSON of the wrong shape
        return Verdict(impl_id, "error", f"a malformed reply ({type(e).__name__}: {e})"), None
    return Verdict(impl_id, "agrees"), values


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """The matrix's own notion of "the same values" (shape, dtype kind and size, bits)."""
    try:
        check_values("", a, b)
    except Mismatch:
        return False
    return True


def _vote(check: ArrayCheck, answers: dict[str, np.ndarray]) -> None:
    groups: list[list[str]] = []
    for impl, values in answers.items():
        home = next((g for g in groups if _same(answers[g[0]], values)), None)
        if home is None:
            groups.append([impl])
        else:
            home.append(impl)
    if not groups:
        return
    consensus = max(groups, key=lambda g: (len(g), REFERENCE in g))
    reference = answers[consensus[0]]
    for verdict in check.verdicts:
        if verdict.status != "agrees" or verdict.impl in consensus:
            continue
        values = answers[verdict.impl]
        verdict.status = "differs"
        if values.shape != reference.shape or values.dtype.newbyteorder("=") != reference.dtype.newbyteorder("="):
            verdict.message = (f"shape {list(values.shape)} dtype {values.dtype.str} where {', '.join(consensus)} "
                               f"read shape {list(reference.shape)} dtype {reference.dtype.str}")
        else:
            n = int(differences(reference, values.astype(reference.dtype.newbyteorder("="))).sum())
            verdict.message = f"{n} of {reference.size} values differ from {', '.join(consensus)}"
    if len(consensus) == 1 and len(answers) > 1:
        for verdict in check.verdicts:
            if verdict.impl == consensus[0]:
                verdict.message = "no majority: every reader read something else"
