"""Judging a reader's answer against an oracle: values exactly (NaN-aware, bit-exact otherwise), shape,
data type, fill value, attributes and dimension names, node by node. The judge never stops at the
first difference: every one is listed, each with its defect class, and the worst names the cell.

The oracle is an `ExpectedNode` list: the case itself for golden stores (`expected_from_case`), or the
reference decoder's reading of a written store for roundtrips (`expected_from_store`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.fixtures.cases import ArrayNode, Case, GroupNode
from zarr_conformance.fixtures.fillvalue import same_fill
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners import compare_objects
from zarr_conformance.runners.model import Defect
from zarr_conformance.runners.npy import UnusableValues, budget, load_npy

MAX_SHOWN = 3


@dataclass(frozen=True)
class Difference:
    defect: Defect
    text: str


class Mismatch(Exception):
    """Everything a reader (or writer) got wrong; `defect` is the worst of it."""

    def __init__(self, differences: list[Difference] | str, defect: Defect = Defect.VALUES) -> None:
        if isinstance(differences, str):
            differences = [Difference(defect, differences)]
        self.differences = sorted(differences, key=lambda d: d.defect.rank)
        super().__init__("; ".join(d.text for d in self.differences))

    @property
    def defect(self) -> Defect:
        return self.differences[0].defect


@dataclass(frozen=True)
class ExpectedNode:
    """What a reader must return for one node."""

    path: str
    kind: str
    attributes: Any
    values: np.ndarray | None = None
    shape: tuple[int, ...] = ()
    fill_value: Any = None
    dimension_names: tuple[Any, ...] | None = None
    exact_nan: bool = False  # a hex fill value fixes NaN bits (v3 spec, data types)
    strict_dimension_names: bool = False  # v3: the names are metadata every reader can report
    node: ArrayNode | None = None  # the case's array: strings, bytes and ragged items are judged by kind


def expected_from_case(case: Case) -> list[ExpectedNode]:
    out = []
    for node in case.nodes:
        if isinstance(node, GroupNode):
            out.append(ExpectedNode(node.path, "group", node.attributes))
        else:
            out.append(_expected_array(case, node))
    return out


def _expected_array(case: Case, node: ArrayNode) -> ExpectedNode:
    exact_nan = isinstance(node.fill_value, str) and node.fill_value.startswith("0x")
    return ExpectedNode(node.path, "array", node.attributes, expected_values(case, node.path), tuple(node.shape),
                        node.fill_value, node.dimension_names, exact_nan, case.zarr_format == 3, node)


def expected_from_store(case: Case, decoded: list[dict[str, Any]]) -> list[ExpectedNode]:
    """The oracle of a roundtrip: what the reference decoder read from the written store, i.e. what the
    store holds by the specification, whatever the writer was asked to write."""
    by_path = {n.get("path"): n for n in decoded}
    out = []
    for node in case.nodes:
        got = by_path[node.path]
        if isinstance(node, GroupNode):
            out.append(ExpectedNode(node.path, "group", got.get("attributes")))
            continue
        fill = got.get("fill_value")
        names = got.get("dimension_names")
        out.append(ExpectedNode(node.path, "array", got.get("attributes"), got["values"]["array"],
                                tuple(got["shape"]), fill, tuple(names) if names is not None else None,
                                isinstance(fill, str) and fill.startswith("0x"), case.zarr_format == 3, node))
    return out


def check_read(case: Case, nodes: list[dict[str, Any]], expected: list[ExpectedNode] | None = None) -> None:
    """Raise Mismatch listing every difference between the reply's nodes and the oracle."""
    found = judge(expected if expected is not None else expected_from_case(case), nodes)
    if expected is None and isinstance(nodes, list):
        try:  # the awkward layout: the ragged array assembled from what was read (golden stores)
            compare_objects.check_convention(case, nodes)
        except compare_objects.ObjectMismatch as e:
            found.append(Difference(Defect.VALUES, str(e)))
    if found:
        raise Mismatch(found)


def judge(expected: list[ExpectedNode], nodes: Any) -> list[Difference]:
    if not isinstance(nodes, list):
        return [Difference(Defect.MISSING, f"the reply's nodes are not a list: {_short(nodes)}")]
    got = {n.get("path"): n for n in nodes if isinstance(n, dict)}
    out: list[Difference] = []
    for node in expected:
        label = node.path or "/"
        answer = got.get(node.path)
        if answer is None:
            out.append(Difference(Defect.MISSING, f"{label}: missing from the reply"))
        elif node.kind == "group":
            out += _attributes(label, node.attributes, answer.get("attributes"))
        else:
            out += _array(node, answer, label)
    return out


def _array(node: ExpectedNode, answer: dict[str, Any], label: str) -> list[Difference]:
    assert node.values is not None
    out: list[Difference] = []
    objects = node.node is not None and compare_objects.handles(node.node)
    try:
        if objects:  # strings, bytes, ragged: item by item, by kind (runners/compare_objects.py)
            compare_objects.check_values(label, node.node, node.values, answer)
        else:
            values = load_values(answer.get("values"), label, budget(node.values.nbytes))
            out += value_differences(label, node.values, values, node.exact_nan)
    except Mismatch as e:
        out += e.differences
    except compare_objects.ObjectMismatch as e:
        out.append(Difference(Defect.VALUES, str(e)))
    shape = answer.get("shape")
    if not isinstance(shape, list) or shape != list(node.shape):
        out.append(Difference(Defect.SHAPE, f"{label}: shape reported {_short(shape)}, expected {list(node.shape)}"))
    reported = answer.get("dtype")
    if reported is not None and not objects:  # a string kind's reported dtype is checked with its values
        try:
            reported_dtype = np.dtype(reported)
        except (TypeError, ValueError):
            out.append(Difference(Defect.DTYPE, f"{label}: reported dtype {_short(reported)} is no data type"))
        else:
            out += _dtype(label, node.values.dtype, reported_dtype, "reported dtype")
    try:
        # No fill_value key: the library has no accessor for it (z5py); absent chunks' values still show it.
        same = "fill_value" not in answer or (
            compare_objects.same_fill(node.node, node.fill_value, answer["fill_value"]) if objects  # type: ignore[arg-type]
            else same_fill(node.fill_value, answer["fill_value"]))
    except (TypeError, ValueError, OverflowError):
        same = False
    if not same:
        out.append(Difference(Defect.FILL_VALUE, f"{label}: fill_value reported {_short(answer.get('fill_value'))},"
                                                 f" expected {_short(node.fill_value)}"))
    out += _attributes(label, node.attributes, answer.get("attributes"))
    out += _dimension_names(label, node, answer.get("dimension_names"))
    return out


def _dimension_names(label: str, node: ExpectedNode, got: Any) -> list[Difference]:
    if not node.strict_dimension_names:
        return []  # v2 has no such metadata (the xarray convention's _ARRAY_DIMENSIONS is an attribute)
    expected = list(node.dimension_names) if node.dimension_names is not None else None
    if got is None and expected is None:
        return []
    if isinstance(got, list) and expected is None and all(n is None for n in got):
        return []  # [null, null] says "no names" as the absent key does
    if got != expected:
        return [Difference(Defect.DIMENSION_NAMES, f"{label}: dimension_names {_short(got)}, expected "
                                                   f"{_short(expected)}")]
    return []


def _attributes(label: str, expected: Any, got: Any) -> list[Difference]:
    if _canonical(expected) == _canonical(got):
        return []
    if isinstance(expected, dict) and isinstance(got, dict):
        keys = sorted(set(expected) | set(got))
        parts = [f"{k!r}: expected {_short(expected.get(k, '<absent>'))}, got {_short(got.get(k, '<absent>'))}"
                 for k in keys if _canonical(expected.get(k, "<absent>")) != _canonical(got.get(k, "<absent>"))]
        return [Difference(Defect.ATTRIBUTES, f"{label}: attributes differ: " + "; ".join(parts))]
    return [Difference(Defect.ATTRIBUTES, f"{label}: attributes differ: expected {_short(expected)}, "
                                          f"got {_short(got)}")]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=True, default=repr)


def _short(value: Any, n: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= n else text[:n] + "..."


def load_values(ref: Any, label: str, limit: int | None = None) -> np.ndarray:
    """The values of a reply; an .npy file is loaded only within `limit` bytes (npy.budget of the
    oracle's size), and one the harness cannot trust raises UnusableValues (runners/npy.py)."""
    if not isinstance(ref, dict):
        raise Mismatch(f"{label}: no values in the reply", Defect.MISSING)
    if "npy" in ref:
        try:
            return load_npy(Path(str(ref["npy"])), limit)
        except UnusableValues as e:
            raise UnusableValues(f"{label}: {e}") from None
    if "array" in ref:  # in-process answers (the reference decoder judging a write)
        return np.asarray(ref["array"])
    if "json" in ref:
        try:
            return np.asarray(ref["json"])
        except (TypeError, ValueError) as e:
            raise Mismatch(f"{label}: json values unusable: {e}", Defect.VALUES) from None
    if "bytes_b64" in ref or "ragged" in ref:  # the object forms (docs/protocol.md, "Values")
        try:
            return compare_objects.load(ref, None, label)
        except compare_objects.ObjectMismatch as e:
            raise Mismatch(str(e), Defect.VALUES) from None
    raise Mismatch(f"{label}: values neither npy nor json: {_short(list(ref))}", Defect.VALUES)


def _dtype(label: str, expected: np.dtype, got: np.dtype, what: str) -> list[Difference]:
    # Byte order is storage, not meaning: '>i4' and '<i4' hold the same values.
    if expected.newbyteorder("=") != got.newbyteorder("="):
        return [Difference(Defect.DTYPE, f"{label}: {what} {got.str}, expected {expected.str}")]
    return []


def value_differences(label: str, expected: np.ndarray, got: np.ndarray, exact_nan: bool = False) -> list[Difference]:
    """Every way `got` differs from `expected`: shape, data type, and each wrong value (a few shown)."""
    if got.shape != expected.shape:
        return [Difference(Defect.SHAPE, f"{label}: values have shape {list(got.shape)}, "
                                         f"expected {list(expected.shape)}")]
    out = _dtype(label, expected.dtype, got.dtype, "values dtype")
    if out:
        # Still say whether the numbers are right: a widened type holding the right values is
        # a dtype defect only; a different type holding other numbers is a values defect too.
        try:
            common = np.result_type(expected.dtype, got.dtype)
            differs = differences(expected.astype(common), got.astype(common), exact_nan)
        except (TypeError, ValueError):
            return out
    else:
        differs = differences(expected, got.astype(expected.dtype.newbyteorder("="), copy=False), exact_nan)
    if differs.any():
        shown = ", ".join(f"{w}: expected {_show(expected[w])}, got {_show(got[w])}"
                          for w in first_true(differs, MAX_SHOWN))
        out.append(Difference(Defect.VALUES, f"{label}: {int(differs.sum())} of {expected.size} values differ; "
                                             f"{shown}"))
    return out


def first_true(mask: np.ndarray, n: int) -> list[tuple[int, ...]]:
    """The indices of the first `n` true elements (C order), without listing all of them: a wrong
    answer of a large array may differ everywhere, and np.argwhere would hold every index at once."""
    flat = mask.reshape(-1)
    found: list[tuple[int, ...]] = []
    at = 0
    while len(found) < n and at < flat.size:
        step = int(np.argmax(flat[at:]))
        if not flat[at + step]:
            break
        found.append(tuple(int(i) for i in np.unravel_index(at + step, mask.shape)))
        at += step + 1
    return found


def check_values(label: str, expected: np.ndarray, got: np.ndarray, exact_nan: bool = False) -> None:
    found = value_differences(label, expected, got, exact_nan)
    if found:
        raise Mismatch(found)


def _show(value: np.generic) -> str:
    """A value for a message: NaNs with their bits, since two NaNs may differ only in payload."""
    if isinstance(value, np.floating) and np.isnan(value):
        bits = np.array(value).astype(value.dtype.newbyteorder(">")).view(f">u{value.dtype.itemsize}")[()]
        return f"nan(0x{int(bits):0{value.dtype.itemsize * 2}x})"
    return repr(value.item()) if isinstance(value, np.generic) else repr(value)


def differences(expected: np.ndarray, got: np.ndarray, exact_nan: bool = False) -> np.ndarray:
    """Element-wise "not the same value". Floats compare bit for bit (so -0.0 differs from 0.0), except
    that any NaN equals any NaN: the spec fixes no NaN payload unless a hex fill value gives one."""
    if expected.dtype == object or got.dtype == object:  # hook: strings, bytes, ragged items
        return compare_objects.differences(expected, got)
    if expected.dtype.kind not in "fc":
        return np.asarray(expected != got)
    e = np.ascontiguousarray(expected, dtype=expected.dtype.newbyteorder("="))
    g = np.ascontiguousarray(got, dtype=e.dtype)
    if e.dtype.kind == "c":  # real and imaginary parts as a trailing axis of floats
        part = f"f{e.dtype.itemsize // 2}"
        e, g = e.view(part).reshape(e.shape + (2,)), g.view(part).reshape(g.shape + (2,))
    width = f"u{e.dtype.itemsize}"
    out = e.view(width) != g.view(width)
    if not exact_nan:
        out &= ~(np.isnan(e) & np.isnan(g))
    return out.any(axis=-1) if expected.dtype.kind == "c" else out
