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
from collections.abc import Iterator
from contextlib import contextmanager
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
from zarr_conformance.runners.check_open import OpenedStore, open_folder, open_store, refuse_escapes  # noqa: F401 (re-export)
from zarr_conformance.runners.check_sample import box_bytes, sample_boxes
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
    seconds: float = 0.0  # wall time of the request, reply and loading the answer

    def label(self) -> str:
        return f"{self.status.value} ({', '.join(self.defects)})" if self.defects else self.status.value

    def to_dict(self) -> dict[str, Any]:
        return {"impl": self.impl, "status": self.status.value, "message": self.message, "defects": self.defects,
                "seconds": round(self.seconds, 4)}


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
    sample: list[list[list[int]]] | None = None  # the boxes read, when the array was sampled
    seconds: float = 0.0  # wall time of every reader and the vote

    @property
    def failed(self) -> bool:
        """Exit 1: not every reader asked read the consensus, or nobody read the node at all."""
        statuses = {v.status for v in self.verdicts}
        nobody = bool(statuses) and CheckStatus.AGREES not in statuses and statuses != {CheckStatus.SKIPPED}
        return bool(self.problem) or bool(statuses & FAILING) or nobody

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "zarr_format": self.zarr_format, "shape": self.shape,
                "dtype": self.dtype, "consensus": self.consensus, "notes": self.notes, "problem": self.problem,
                "sample": self.sample, "failed": self.failed, "seconds": round(self.seconds, 4),
                "verdicts": [v.to_dict() for v in self.verdicts]}


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


@contextmanager
def ready_readers(specs: list[AdapterSpec], cache: Path, stores: list[Path], listener: Listener = ignore,
                  forced_launchers: dict[str, str] | None = None) -> Iterator[tuple[list[Implementation], Path]]:
    """The readers started once for every store of a run (all of them mounted read-only, since a
    sandbox's mounts are fixed when its worker starts) and a scratch folder; stopped at the end."""
    sandbox.mode()  # a bad $ZARR_CONFORMANCE_SANDBOX stops here, not in every reader
    # check compares arrays; convention-only implementations (binsparse, anndata) read no plain arrays.
    specs = [s for s in specs if not s.conventions]
    scratch = Path(tempfile.mkdtemp(prefix="check-", dir=cache))
    writable_dir(scratch, scratch)
    impls: list[Implementation] = []
    finished = False
    try:
        impls = ready_all(specs, cache, Mounts(read_only=tuple(stores), read_write=(scratch,)), listener,
                          forced_launchers)
        yield impls, scratch
        finished = True
    finally:
        stop_all(impls, graceful=finished)  # a signal (or a bug): no waiting on a polite shutdown
        shutil.rmtree(scratch, ignore_errors=True)


def check_store(store: Path, specs: list[AdapterSpec], cache: Path, timeout: float = 120.0,
                max_megabytes: float = 512.0, listener: Listener = ignore, sample_seed: int = 0) -> list[NodeCheck]:
    """One store, its readers started for it alone (several stores: runners/check_run.py)."""
    sandbox.mode()
    holder = unpack_holder(cache)
    try:
        opened = open_store(store.resolve(), holder / "store")  # zip, consolidated, implicit groups, NCZarr, drafts
        with ready_readers(specs, cache, [opened.folder], listener) as (impls, scratch):
            return check_nodes(opened, impls, scratch, timeout, max_megabytes, sample_seed, listener, store.resolve())
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def unpack_holder(cache: Path) -> Path:
    """A folder in the cache for a zip store's unpacked copy (its `store`, made only for a zip): outside
    every reader's writable scratch, so the readers mount it read-only; open to them as the sandbox's
    unprivileged user."""
    holder = Path(tempfile.mkdtemp(prefix="check-", suffix="-unpacked", dir=cache))
    holder.chmod(0o755)
    return holder


def check_nodes(opened: OpenedStore, impls: list[Implementation], scratch: Path, timeout: float,
                max_megabytes: float, sample_seed: int = 0, listener: Listener = ignore,
                original: Path | None = None) -> list[NodeCheck]:
    """Every node of one store, asked of every ready reader in turn; a NodeChecked event after each."""
    store = opened.folder
    checks = []
    for index, (path, kind, doc) in enumerate(opened.nodes, 1):
        started = time.monotonic()
        check = _new_check(opened.zarr_format, path, kind, doc)
        check.notes.extend(opened.notes.get(path, []))
        try:
            _check_node(check, store, doc, impls, scratch, timeout, max_megabytes, sample_seed)
        except Exception as e:  # noqa: BLE001 -- this node's fate is its own; the others go on
            check.problem = f"harness could not check it: {type(e).__name__}: {e}"
        check.seconds = time.monotonic() - started
        checks.append(check)
        listener(NodeChecked(index, len(opened.nodes), path, opened.zarr_format, kind, tuple(check.shape),
                             check.dtype, len(check.verdicts), check.seconds))
    places = {scratch: SCRATCH, store: STORE, **({original: STORE} if original else {})}
    for check in checks:
        check.problem = stable_message(check.problem, places)
        check.consensus = stable_message(check.consensus, places)
        for verdict in check.verdicts:
            verdict.message = stable_message(verdict.message, places)
    return checks


def _new_check(fmt: int, path: str, kind: str, doc: dict[str, Any]) -> NodeCheck:
    """The node as its raw metadata describes it: nothing here may fail, whatever the document holds."""
    if kind == "group":
        return NodeCheck(path, fmt, [], "", kind="group")
    shape = doc.get("shape")
    dtype = doc.get("dtype", doc.get("data_type"))
    return NodeCheck(path, fmt, shape if isinstance(shape, list) else [], dtype if isinstance(dtype, str)
                     else json.dumps(dtype, default=str))


def _check_node(check: NodeCheck, store: Path, doc: dict[str, Any], impls: list[Implementation],
                scratch: Path, timeout: float, max_megabytes: float, seed: int = 0) -> None:
    if check.kind == "group":
        _vote(check, store, doc, _ask_all(check, store, impls, scratch, timeout, 0), None)
        return
    item, note = item_size(check.zarr_format, doc)
    if note:
        check.notes.append(note)
    size = _element_count(doc.get("shape")) * item
    if size <= max_megabytes * 2**20:
        _vote(check, store, doc, _ask_all(check, store, impls, scratch, timeout, budget(size)), None)
        return
    shape = doc.get("shape")
    if not (isinstance(shape, list) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        check.verdicts = [Verdict(i.spec.id, CheckStatus.SKIPPED, f"{size / 2**20:.0f} MiB > --max-megabytes "
                                                                   f"{max_megabytes:g}") for i in impls]
        return
    _check_sampled(check, store, doc, impls, scratch, timeout, max_megabytes, item, seed)


def _check_sampled(check: NodeCheck, store: Path, doc: dict[str, Any], impls: list[Implementation], scratch: Path,
                   timeout: float, max_megabytes: float, item: int, seed: int) -> None:
    """An array above --max-megabytes: every reader reads the same sampled boxes (check_sample.py), each
    box is voted on like a whole array, and a reader's verdict is its worst over the boxes."""
    boxes = sample_boxes(check.shape, item, max_megabytes * 2**20, check.path, seed)
    check.sample = boxes
    read = sum(box_bytes(b, item) for b in boxes)
    check.notes.append(f"{_element_count(check.shape) * item / 2**20:.0f} MiB > --max-megabytes {max_megabytes:g}: "
                       f"sampled, every reader read the same {len(boxes)} boxes ({read / 2**20:.1f} MiB), "
                       f"chosen from the array's path and --sample-seed {seed}: {boxes}")
    parts = []
    for box in boxes:
        part = NodeCheck(check.path, check.zarr_format, check.shape, check.dtype)
        answers = _ask_all(part, store, impls, scratch, timeout, budget(box_bytes(box, item)), box)
        _vote(part, store, doc, answers, box)
        parts.append((box, part))
    check.verdicts = [_worst(impl.spec.id, [(box, part.verdicts[n]) for box, part in parts])
                      for n, impl in enumerate(impls)]
    check.consensus = "; ".join(f"box {box}: {part.consensus}" for box, part in parts)
    for _, part in parts:
        check.notes += [n for n in part.notes if n not in check.notes]


# A reader's verdict over sampled boxes is its worst box's: what goes wrong anywhere is the finding.
_SEVERITY = [CheckStatus.DIFFERS, CheckStatus.CRASH, CheckStatus.TIMEOUT, CheckStatus.ERROR, CheckStatus.READ,
             CheckStatus.NO_CONSENSUS, CheckStatus.UNSUPPORTED, CheckStatus.UNAVAILABLE, CheckStatus.SKIPPED,
             CheckStatus.AGREES]


def _worst(impl: str, per_box: list[tuple[list[list[int]], Verdict]]) -> Verdict:
    box, worst = min(per_box, key=lambda bv: _SEVERITY.index(bv[1].status))
    defects = sorted({d for _, v in per_box for d in v.defects})
    seconds = sum(v.seconds for _, v in per_box)
    if worst.status is CheckStatus.AGREES:
        return Verdict(impl, CheckStatus.AGREES, f"agrees on all {len(per_box)} sampled boxes", seconds=seconds)
    alike = sum(v.status is worst.status for _, v in per_box)
    return Verdict(impl, worst.status, f"box {box} ({alike} of {len(per_box)} boxes {worst.status.value}): "
                                       f"{worst.message}", defects, seconds=seconds)


def _ask_all(check: NodeCheck, store: Path, impls: list[Implementation], scratch: Path, timeout: float,
             limit: int, box: list[list[int]] | None = None) -> dict[str, _Answer]:
    """Every reader asked for the node (or its box): their verdicts so far, and the answers to vote on.
    Answers equal to one already held share its array, so memory grows with the distinct answers only."""
    answers: dict[str, _Answer] = {}
    for impl in impls:
        started = time.monotonic()
        verdict, answer = _read(impl, store, check, scratch / impl.spec.id, timeout, limit, box)
        verdict.seconds = time.monotonic() - started
        check.verdicts.append(verdict)
        if answer is None:
            continue
        if answer.values is not None:
            answer.values = next((a.values for a in answers.values() if a.values is not None
                                  and value_difference(a.values, answer.values, None) is None), answer.values)
        answers[impl.spec.id] = answer
    return answers


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
          limit: int, box: list[list[int]] | None = None) -> tuple[Verdict, _Answer | None]:
    """Ask one reader for one node: every reader is asked, whatever it declares."""
    impl_id = impl.spec.id
    if impl.spec.reads is None:
        return Verdict(impl_id, CheckStatus.UNSUPPORTED, "not a reader"), None
    if impl.handle is None:
        return Verdict(impl_id, CheckStatus.UNAVAILABLE, impl.detail), None
    writable_dir(out, out.parent)
    asked = {"path": check.path, "kind": check.kind, **({"region": box} if box is not None else {})}
    request = {"op": "read", "store": str(store), "zarr_format": check.zarr_format, "out_dir": str(out),
               "nodes": [asked]}
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
        shape = [b - a for a, b in box] if box is not None else node.get("shape")
        values = None if check.kind == "group" else _values(node, check.path or "/", limit, shape)
        return Verdict(impl_id, CheckStatus.READ), _Answer(values, node.get("attributes"))
    except (Mismatch, UnusableValues, compare_objects.ObjectMismatch) as e:
        return Verdict(impl_id, CheckStatus.ERROR, str(e)), None
    except (AttributeError, TypeError, IndexError, KeyError, ValueError) as e:  # JSON of the wrong shape
        return Verdict(impl_id, CheckStatus.ERROR, f"a malformed reply ({type(e).__name__}: {e})"), None


def _values(node: dict[str, Any], label: str, limit: int, shape: Any) -> np.ndarray:
    ref = node.get("values")
    if isinstance(ref, dict) and "npy" not in ref:  # text, bytes, ragged: object arrays, item by item
        return compare_objects.load(ref, shape, label)
    return load_values(ref, label, limit)


def _vote(check: NodeCheck, store: Path, doc: dict[str, Any], answers: dict[str, _Answer],
          box: list[list[int]] | None) -> None:
    reference = next((v for v in check.verdicts if v.impl == REFERENCE), None)
    said = "was not asked" if reference is None else f"read nothing: {reference.status.value}" + (
        f", {reference.message.splitlines()[0][:200]}" if reference.message else "")
    attributes = vote({k: a.attributes for k, a in answers.items()},
                      lambda x, y: attribute_difference(x, y) is None, said)
    values: Consensus | None = None
    defined = None
    if check.kind == "array":
        defined, note = defined_region(store, check.path, check.zarr_format, doc, box)
        if note:
            check.notes.append(note)
        arrays = {k: a.values for k, a in answers.items() if a.values is not None}
        values = vote(arrays, lambda x, y: x is y or value_difference(x, y, defined) is None, said)
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
