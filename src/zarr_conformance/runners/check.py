"""`check`: any store a user has, read by every implementation, node by node, with a consensus.

No oracle knows this store's values, so the readers vote (runners/check_vote.py): the reference
decoder's answer is the consensus, or without one the answer of more than half of the readers that
returned one. Every array goes to every reader, whatever its data type, codecs or chunk grid: the
reference decoder is one reader among others, and when it cannot read an array it has no vote. A
reader that raises, crashes or hangs is reported as such, and a problem of the harness with one
array is that array's row: the others are checked all the same."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.runners import compare_objects
from zarr_conformance.runners.check_open import open_folder, open_store, refuse_escapes  # noqa: F401 (re-export)
from zarr_conformance.runners.check_vote import Consensus, attribute_difference, value_difference, vote
from zarr_conformance.runners.compare import Mismatch, load_values
from zarr_conformance.runners.escape import foreign_values
from zarr_conformance.runners.events import Listener, NodeChecked, ignore
from zarr_conformance.runners.implementations import Implementation, ready_all, stop_all
from zarr_conformance.runners.model import REFERENCE
from zarr_conformance.runners.npy import UnusableValues, budget
from zarr_conformance.runners.placeholders import SCRATCH, STORE, stable_message
from zarr_conformance.runners.undefined import defined_region
from zarr_conformance.runners.worker import (
    WorkerCrashed,
    WorkerGaveUp,
    WorkerProtocolError,
    WorkerStartFailed,
    WorkerTimedOut,
)


class CheckStatus(StrEnum):
    AGREES = "agrees"
    DIFFERS = "differs"
    NO_CONSENSUS = "no-consensus"  # values returned, but no consensus to hold them against
    ERROR = "error"
    CRASH = "crash"
    TIMEOUT = "timeout"
    UNSUPPORTED = "unsupported"  # the worker declined before calling its library, or the reference
    # decoder does not read this data type or codec (REFERENCE_UNKNOWN): no vote either way
    UNAVAILABLE = "unavailable"  # the implementation could not start on this machine
    SKIPPED = "skipped"  # above --max-megabytes: nobody asked
    READ = "read"  # returned an answer, not voted yet (a harness problem stopped the vote)


# What makes `check` exit 1: a reader asked did not come back with the consensus.
FAILING = frozenset({CheckStatus.DIFFERS, CheckStatus.NO_CONSENSUS, CheckStatus.ERROR, CheckStatus.CRASH,
                     CheckStatus.TIMEOUT, CheckStatus.READ})
UNKNOWN_ITEM_BYTES = 8
# The reference decoder's words for "a codec or data type I do not read" (errors.py): it has no vote,
# and that is no reader's failure. Anything else it raises says the store breaks the spec.
REFERENCE_UNKNOWN = frozenset({"UnknownCodecError", "UnknownDataTypeError"})


@dataclass
class Verdict:
    impl: str
    status: CheckStatus
    message: str = ""
    defects: list[str] = field(default_factory=list)  # what differs from the consensus: values, attributes

    def label(self) -> str:
        return f"{self.status.value} ({', '.join(self.defects)})" if self.defects else self.status.value

    def to_dict(self) -> dict[str, Any]:
        return {"impl": self.impl, "status": self.status.value, "message": self.message, "defects": self.defects}


@dataclass
class NodeCheck:
    path: str
    zarr_format: int
    shape: list[Any]
    dtype: str
    kind: str = "array"
    verdicts: list[Verdict] = field(default_factory=list)
    consensus: str = ""  # how the consensus was reached (or why there is none)
    notes: list[str] = field(default_factory=list)  # assumptions and exclusions worth saying
    problem: str = ""  # the harness could not check this node

    @property
    def failed(self) -> bool:
        """Exit 1: not every reader asked read the consensus, or nobody read the node at all."""
        statuses = {v.status for v in self.verdicts}
        nobody = bool(statuses) and CheckStatus.AGREES not in statuses and statuses != {CheckStatus.SKIPPED}
        return bool(self.problem) or bool(statuses & FAILING) or nobody

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "zarr_format": self.zarr_format, "shape": self.shape,
                "dtype": self.dtype, "consensus": self.consensus, "notes": self.notes, "problem": self.problem,
                "verdicts": [v.to_dict() for v in self.verdicts]}


ArrayCheck = NodeCheck  # the older name


@dataclass
class _Answer:
    values: np.ndarray | None
    attributes: Any


def discover(store: Path) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """The store's format and its arrays: (path, metadata document)."""
    fmt, nodes = discover_nodes(store)
    return fmt, [(path, doc) for path, kind, doc in nodes if kind == "array"]


def discover_nodes(store: Path) -> tuple[int, list[tuple[str, str, dict[str, Any]]]]:
    """The store's format and its groups and arrays: (path, "group" | "array", metadata document), however
    they are recorded (runners/check_open.py)."""
    opened = open_folder(store)
    return opened.zarr_format, opened.nodes


def check_store(store: Path, specs: list[AdapterSpec], cache: Path, timeout: float = 120.0,
                max_megabytes: float = 512.0, listener: Listener = ignore) -> list[NodeCheck]:
    store = store.resolve()
    sandbox.mode()  # a bad $ZARR_CONFORMANCE_SANDBOX stops here, not in every reader
    # check compares arrays; convention-only implementations (binsparse, anndata) read no plain arrays.
    specs = [s for s in specs if not s.conventions]
    scratch = Path(tempfile.mkdtemp(prefix="check-", dir=cache))
    writable_dir(scratch, scratch)
    unpacked = scratch.with_name(f"{scratch.name}-store")  # a zip's copy: beside scratch, so read-only to readers
    impls: list[Implementation] = []
    finished = False
    try:
        opened = open_store(store, unpacked)  # zip, consolidated, implicit groups, NCZarr, drafts
        fmt, nodes, original, store = opened.zarr_format, opened.nodes, store, opened.folder
        impls = ready_all(specs, cache, Mounts(read_only=(store,), read_write=(scratch,)), listener)
        checks = []
        for index, (path, kind, doc) in enumerate(nodes, 1):
            check = _new_check(fmt, path, kind, doc)
            check.notes.extend(opened.notes.get(path, []))
            started = time.monotonic()
            try:
                _check_node(check, store, doc, impls, scratch, timeout, max_megabytes)
            except Exception as e:  # noqa: BLE001 -- this node's fate is its own; the others go on
                check.problem = f"harness could not check it: {type(e).__name__}: {e}"
            checks.append(check)
            listener(NodeChecked(index, len(nodes), path, fmt, kind, tuple(check.shape), check.dtype,
                                 len(check.verdicts), time.monotonic() - started))
        places = {scratch: SCRATCH, store: STORE, original: STORE}
        for check in checks:
            check.problem = stable_message(check.problem, places)
            check.consensus = stable_message(check.consensus, places)
            for verdict in check.verdicts:
                verdict.message = stable_message(verdict.message, places)
        finished = True
        return checks
    finally:
        stop_all(impls, graceful=finished)  # a signal (or a bug): no waiting on a polite shutdown
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(unpacked, ignore_errors=True)


def _new_check(fmt: int, path: str, kind: str, doc: dict[str, Any]) -> NodeCheck:
    """The node as its raw metadata describes it: nothing here may fail, whatever the document holds."""
    if kind == "group":
        return NodeCheck(path, fmt, [], "", kind="group")
    shape = doc.get("shape")
    dtype = doc.get("dtype", doc.get("data_type"))
    return NodeCheck(path, fmt, shape if isinstance(shape, list) else [], dtype if isinstance(dtype, str)
                     else json.dumps(dtype, default=str))


def _check_node(check: NodeCheck, store: Path, doc: dict[str, Any], impls: list[Implementation],
                scratch: Path, timeout: float, max_megabytes: float) -> None:
    limit = 0
    if check.kind == "array":
        item, note = item_size(check.zarr_format, doc)
        if note:
            check.notes.append(note)
        size = _element_count(doc.get("shape")) * item
        if size > max_megabytes * 2**20:
            check.verdicts = [Verdict(i.spec.id, CheckStatus.SKIPPED, f"{size / 2**20:.0f} MiB > --max-megabytes "
                                                                       f"{max_megabytes:g}") for i in impls]
            return
        limit = budget(size)
    answers: dict[str, _Answer] = {}
    for impl in impls:
        verdict, answer = _read(impl, store, check, scratch / impl.spec.id, timeout, limit)
        check.verdicts.append(verdict)
        if answer is not None:
            answers[impl.spec.id] = answer
    _vote(check, store, doc, answers)


def _element_count(shape: Any) -> int:
    if isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape):
        return math.prod(shape)
    return 0  # a shape no reader can honour: they will say so; there is nothing to weigh


_V3_SIZES = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2, "int32": 4, "uint32": 4,
             "float32": 4, "int64": 8, "uint64": 8, "float64": 8, "complex64": 8, "complex128": 16,
             "numpy.datetime64": 8, "numpy.timedelta64": 8}


def item_size(zarr_format: int, doc: dict[str, Any]) -> tuple[int, str]:
    """Bytes per element for the --max-megabytes limit, best effort: (size, a note when assumed)."""
    assumed = (UNKNOWN_ITEM_BYTES, f"item size unknown for this data type: {UNKNOWN_ITEM_BYTES} bytes per "
                                   f"element assumed for --max-megabytes")
    try:
        if zarr_format == 2:
            size = np.dtype(_v2_dtype(doc["dtype"])).itemsize
            return (size, "") if size and np.dtype(_v2_dtype(doc["dtype"])).kind != "O" else assumed
        data_type = doc["data_type"]
        name = data_type if isinstance(data_type, str) else data_type["name"]
        if name in _V3_SIZES:
            return _V3_SIZES[name], ""
        if isinstance(name, str) and name.startswith("r") and name[1:].isdigit():
            return max(int(name[1:]) // 8, 1), ""
        if name == "fixed_length_utf32":
            return int(data_type["configuration"]["length_bytes"]), ""
    except (KeyError, TypeError, ValueError):
        pass
    return assumed


def _v2_dtype(spec: Any) -> Any:
    """A v2 dtype as numpy takes it: structured fields are JSON lists, numpy wants tuples."""
    if isinstance(spec, list):
        return [tuple([f[0], _v2_dtype(f[1]), *[tuple(x) for x in f[2:]]]) for f in spec]
    return spec


def _read(impl: Implementation, store: Path, check: NodeCheck, out: Path, timeout: float,
          limit: int) -> tuple[Verdict, _Answer | None]:
    """Ask one reader for one node: every reader is asked, whatever it declares."""
    impl_id = impl.spec.id
    if impl.spec.reads is None:
        return Verdict(impl_id, CheckStatus.UNSUPPORTED, "not a reader"), None
    if impl.handle is None:
        return Verdict(impl_id, CheckStatus.UNAVAILABLE, impl.detail), None
    writable_dir(out, out.parent)
    request = {"op": "read", "store": str(store), "zarr_format": check.zarr_format, "out_dir": str(out),
               "nodes": [{"path": check.path, "kind": check.kind}]}
    try:
        reply = impl.handle.request(request, timeout)
    except WorkerCrashed as e:
        return Verdict(impl_id, CheckStatus.CRASH, str(e)), None
    except WorkerTimedOut as e:
        return Verdict(impl_id, CheckStatus.TIMEOUT, str(e)), None
    except WorkerProtocolError as e:
        return Verdict(impl_id, CheckStatus.ERROR, f"protocol error: {e}"), None
    except (WorkerGaveUp, WorkerStartFailed) as e:
        return Verdict(impl_id, CheckStatus.ERROR, str(e)), None
    if reply.get("unsupported"):
        return Verdict(impl_id, CheckStatus.UNSUPPORTED, f"declined: {reply['unsupported']}"), None
    if not reply.get("ok"):
        error = reply.get("error") or {}
        said = f"{error.get('type')}: {error.get('message')}"
        if impl_id == REFERENCE and error.get("type") in REFERENCE_UNKNOWN:
            return Verdict(impl_id, CheckStatus.UNSUPPORTED, f"no vote, it does not read this: {said}"), None
        status = CheckStatus.CRASH if error.get("type") == "LibraryCrash" else CheckStatus.ERROR
        return Verdict(impl_id, status, said), None
    foreign = foreign_values(reply.get("nodes") or [], out)
    if foreign:
        return Verdict(impl_id, CheckStatus.ERROR, foreign), None
    try:
        node = (reply.get("nodes") or [{}])[0]
        values = None if check.kind == "group" else _values(node, check.path or "/", limit)
        return Verdict(impl_id, CheckStatus.READ), _Answer(values, node.get("attributes"))
    except (Mismatch, UnusableValues, compare_objects.ObjectMismatch) as e:
        return Verdict(impl_id, CheckStatus.ERROR, str(e)), None
    except (AttributeError, TypeError, IndexError, KeyError, ValueError) as e:  # JSON of the wrong shape
        return Verdict(impl_id, CheckStatus.ERROR, f"a malformed reply ({type(e).__name__}: {e})"), None


def _values(node: dict[str, Any], label: str, limit: int) -> np.ndarray:
    ref = node.get("values")
    if isinstance(ref, dict) and "npy" not in ref:  # text, bytes, ragged: object arrays, item by item
        return compare_objects.load(ref, node.get("shape"), label)
    return load_values(ref, label, limit)


def _vote(check: NodeCheck, store: Path, doc: dict[str, Any], answers: dict[str, _Answer]) -> None:
    reference = next((v for v in check.verdicts if v.impl == REFERENCE), None)
    said = "was not asked" if reference is None else f"read nothing: {reference.status.value}" + (
        f", {reference.message.splitlines()[0][:200]}" if reference.message else "")
    attributes = vote({k: a.attributes for k, a in answers.items()},
                      lambda x, y: attribute_difference(x, y) is None, said)
    values: Consensus | None = None
    defined = None
    if check.kind == "array":
        defined, note = defined_region(store, check.path, check.zarr_format, doc)
        if note:
            check.notes.append(note)
        arrays = {k: a.values for k, a in answers.items() if a.values is not None}
        values = vote(arrays, lambda x, y: value_difference(x, y, defined) is None, said)
    if values is None:
        check.consensus = f"attributes: {attributes.how}"
    elif values.members == attributes.members:
        check.consensus = f"values and attributes: {values.how}"
    else:
        check.consensus = f"values: {values.how}; attributes: {attributes.how}"
    for verdict in check.verdicts:
        answer = answers.get(verdict.impl)
        if answer is None:
            continue
        said_parts, unsettled = [], []
        for what, outcome, held in (("values", values, answer.values), ("attributes", attributes, None)):
            if outcome is None:
                continue
            if not outcome.members:
                unsettled.append(what)
                continue
            if verdict.impl in outcome.members:
                continue
            first = answers[outcome.members[0]]
            why = (value_difference(first.values, held, defined) if what == "values"  # type: ignore[arg-type]
                   else attribute_difference(first.attributes, answer.attributes))
            verdict.defects.append(what)
            said_parts.append(f"{why} (consensus: {', '.join(outcome.members)})")
        if verdict.defects:
            verdict.status, verdict.message = CheckStatus.DIFFERS, "; ".join(said_parts)
        elif unsettled:
            verdict.status = CheckStatus.NO_CONSENSUS
            verdict.message = f"no consensus on {' and '.join(unsettled)} to compare with"
        else:
            verdict.status = CheckStatus.AGREES
