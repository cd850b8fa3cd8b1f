"""Judging strings, bytes and ragged values (and the awkward layout) against the oracle, exactly:
every element compared, the count of differing ones and the first few reported with their index.

compare.py calls three hooks: `handles(node)` / `check_values(...)` for an array's values and dtype,
`same_fill(...)` for its fill value, and `check_convention(...)` once per case (awkward assembly)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from zarr_conformance.adapters.worker_kit import zc_values
from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import ragged, strings
from zarr_conformance.fixtures.cases import ArrayNode, Case

MAX_SHOWN = 3
_ITEM_TYPE = {"string": str, "fixed-utf32": str, "bytes": bytes, "fixed-bytes": bytes, "vlen-array": np.ndarray}


class ObjectMismatch(AssertionError):
    """Raised with one line for the report; compare.py turns it into its own Mismatch."""


def handles(node: ArrayNode) -> bool:
    return strings.node_kind(node) is not None


def load(ref: Any, shape: Any, label: str) -> np.ndarray:
    if not isinstance(ref, dict):
        raise ObjectMismatch(f"{label}: no values in the reply")
    if "array" in ref:  # in-process answers (the reference decoder judging a write)
        return np.asarray(ref["array"])
    try:
        return zc_values.from_ref(ref, shape)
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ObjectMismatch(f"{label}: values unreadable: {type(e).__name__}: {e}") from None


def check_values(label: str, node: ArrayNode, expected: np.ndarray, answer: dict[str, Any]) -> None:
    """Values (every element, exactly) and the reported dtype of a string-like array."""
    kind = strings.node_kind(node)
    assert kind is not None
    got = load(answer.get("values"), answer.get("shape", list(node.shape)), label)
    if got.shape != expected.shape:
        raise ObjectMismatch(f"{label}: values have shape {list(got.shape)}, expected {list(expected.shape)}")
    _check_reported_dtype(label, kind, expected.dtype, answer.get("dtype"))
    exp_flat, got_flat = expected.reshape(-1), got.reshape(-1)
    wrong = [i for i in range(exp_flat.size) if not _same_item(kind, exp_flat[i], got_flat[i])]
    if wrong:
        shown = "; ".join(f"{_index(i, expected.shape)}: expected {_show(exp_flat[i])}, got {_show(got_flat[i])}"
                          for i in wrong[:MAX_SHOWN])
        raise ObjectMismatch(f"{label}: {len(wrong)} of {exp_flat.size} {strings.KIND_NAMES.get(kind, kind)} "
                             f"values differ; {shown}")


def _check_reported_dtype(label: str, kind: str, expected: np.dtype, reported: Any) -> None:
    """A fixed-length type must come back as that type and width; a variable-length one as any
    string/object type (the in-memory type is the library's business), never as a number."""
    try:
        got = np.dtype(reported) if isinstance(reported, str) else None
    except TypeError:
        got = None  # a library type name numpy does not know ("string", "String[]", ...)
    if got is None:
        return
    if kind in ("fixed-bytes", "fixed-utf32"):
        if got.kind != expected.kind or got.itemsize != expected.itemsize:
            raise ObjectMismatch(f"{label}: reported dtype {got.str}, expected {expected.str}")
    elif got.kind not in "OTSU":
        raise ObjectMismatch(f"{label}: reported dtype {got.str} for {kind} values")


def _same_item(kind: str, expected: Any, got: Any) -> bool:
    want = _ITEM_TYPE[kind]
    if want is str:
        if not isinstance(got, str):
            return False
        # fixed-length UTF-32: trailing U+0000 is padding (zarr-extensions fixed_length_utf32).
        return (str(expected).rstrip("\0") == got.rstrip("\0")) if kind == "fixed-utf32" else expected == got
    if want is bytes:
        if not isinstance(got, (bytes, np.bytes_)):
            return False
        # fixed-length bytes: numpy drops trailing NULs, so a reader's padding is not a difference.
        return bytes(expected).rstrip(b"\0") == bytes(got).rstrip(b"\0") if kind == "fixed-bytes" else (
            bytes(expected) == bytes(got))
    if not isinstance(got, np.ndarray) or got.ndim != 1:
        return False
    if got.size == 0 and expected.size == 0:
        return True  # an empty item has no element whose type could differ
    if got.dtype.newbyteorder("=") != expected.dtype.newbyteorder("="):
        return False
    e = np.ascontiguousarray(expected, dtype=expected.dtype.newbyteorder("="))
    g = np.ascontiguousarray(got, dtype=e.dtype)
    if e.shape != g.shape:
        return False
    if e.dtype.kind != "f":
        return bool((e == g).all())
    bits = f"u{e.dtype.itemsize}"
    return bool(((e.view(bits) == g.view(bits)) | (np.isnan(e) & np.isnan(g))).all())


def _index(i: int, shape: tuple[int, ...]) -> str:
    return str(tuple(int(x) for x in np.unravel_index(i, shape))) if shape else "()"


def _show(v: Any) -> str:
    if isinstance(v, np.ndarray):
        text = f"{v.dtype.str}{v.tolist()!r}"
    elif isinstance(v, (str, bytes, np.bytes_, np.str_)):
        text = repr(v) if len(v) <= 40 else f"{v[:20]!r}...({len(v)} long)"
    else:
        text = f"{type(v).__name__} {v!r}"
    return text if len(text) <= 120 else text[:117] + "..."


def same_fill(node: ArrayNode, expected: Any, got: Any) -> bool:
    """Fill values of a string-like array: equal when they decode to the same value (a bytes fill
    may be given as base64 or as a list of byte values)."""
    kind = strings.node_kind(node)
    try:
        e = strings.decode_fill(expected, kind or "", node.np_dtype)
        g = strings.decode_fill(got, kind or "", node.np_dtype)
    except (StoreFormatError, ValueError, TypeError):
        return expected == got
    if e is None and expected is not None:
        return True  # a '|O' fill of 0 (zarr-python 2's default) defines nothing to compare against
    if isinstance(e, np.ndarray) or isinstance(g, np.ndarray):
        return isinstance(e, np.ndarray) and isinstance(g, np.ndarray) and np.array_equal(e, g)
    return type(e) is type(g) and e == g


def check_convention(case: Case, nodes: list[dict[str, Any]]) -> None:
    """The awkward layout: assemble the ragged array from the buffers and the form/length the reader
    returned, and compare it with the items the case was built from."""
    if case.feature != "ragged/awkward":
        return
    got = {n.get("path"): n for n in nodes}
    for group in case.groups:
        if group.attributes.get("encoding-type") != "awkward-array":
            continue
        label = group.path or "/"
        attrs = (got.get(group.path) or {}).get("attributes") or {}
        try:
            form = json.loads(attrs["form"])
            length = int(attrs["length"])
            buffers = {p.rpartition("/")[2]: load(n.get("values"), n.get("shape"), p)
                       for p, n in got.items() if p and p.startswith(group.path + "/") and n.get("kind") == "array"}
            items = ragged.from_buffers(form, length, buffers)
        except (KeyError, TypeError, ValueError) as e:
            raise ObjectMismatch(f"{label}: the awkward array cannot be assembled from what was read: "
                                 f"{type(e).__name__}: {e}") from None
        expected, _ = ragged.case_data(case.id, group.attributes["form"], group.attributes["length"])
        found = ragged.first_difference(expected, items)
        if found:
            raise ObjectMismatch(f"{label}: the assembled awkward array differs at {found}")


def differences(expected: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Element-wise "not the same item" of two object arrays of one shape (the kind taken from the
    items): for `check`, where no case says what the array holds."""
    flat_e, flat_g = expected.reshape(-1), got.reshape(-1)
    out = np.zeros(flat_e.size, dtype=bool)
    for i, (e, g) in enumerate(zip(flat_e, flat_g, strict=True)):
        kind = "string" if isinstance(e, str) else "bytes" if isinstance(e, (bytes, np.bytes_)) else (
            "vlen-array" if isinstance(e, np.ndarray) else None)
        out[i] = (not _same_item(kind, e, g)) if kind else not (type(e) is type(g) and e == g)
    return out.reshape(expected.shape)
