"""Judging a reader's answer against the oracle: values exactly (NaN-aware, bit-exact otherwise),
then shape, data type, fill value, attributes and dimension names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.fixtures.cases import ArrayNode, Case, GroupNode
from zarr_conformance.fixtures.fillvalue import same_fill
from zarr_conformance.fixtures.values import expected_values
from zarr_conformance.runners import compare_objects

MAX_SHOWN = 3


class Mismatch(Exception):
    """What a reader got wrong, as one line for the report."""


def check_read(case: Case, nodes: list[dict[str, Any]]) -> None:
    """Raise Mismatch on the first node that differs from the oracle."""
    got = {n.get("path"): n for n in nodes}
    for node in case.nodes:
        answer = got.get(node.path)
        label = node.path or "/"
        if answer is None:
            raise Mismatch(f"{label}: missing from the reply")
        if isinstance(node, GroupNode):
            _check_attributes(label, node.attributes, answer.get("attributes"))
        else:
            _check_array(case, node, answer, label)
    _objects(compare_objects.check_convention, case, nodes)  # hook: the awkward layout, assembled


def _check_attributes(label: str, expected: dict[str, Any], got: Any) -> None:
    if _canonical(expected) != _canonical(got):
        raise Mismatch(f"{label}: attributes differ: expected {_short(expected)}, got {_short(got)}")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=True)


def _short(value: Any, n: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= n else text[:n] + "..."


def _objects(check: Any, *args: Any) -> None:
    try:
        check(*args)
    except compare_objects.ObjectMismatch as e:
        raise Mismatch(str(e)) from None


def _check_array(case: Case, node: ArrayNode, answer: dict[str, Any], label: str) -> None:
    expected = expected_values(case, node.path)
    strings = compare_objects.handles(node)  # hook: strings, bytes, ragged (runners/compare_objects.py)
    if strings:
        _objects(compare_objects.check_values, label, node, expected, answer)
    else:
        values = load_values(answer.get("values"), label)
        # Values first: a wrong value is the finding that matters most. A hex fill value fixes the exact
        # bit pattern (v3 spec, fill_value of floats), so then NaN payloads must match too.
        exact_nan = isinstance(node.fill_value, str) and node.fill_value.startswith("0x")
        check_values(label, expected, values, exact_nan)
    if list(answer.get("shape", [])) != list(node.shape):
        raise Mismatch(f"{label}: shape reported {answer.get('shape')}, expected {list(node.shape)}")
    if not strings:
        _check_dtype(label, expected.dtype, np.dtype(answer.get("dtype", values.dtype.str)), "reported dtype")
    fill_ok = (compare_objects.same_fill(node, node.fill_value, answer.get("fill_value")) if strings
               else same_fill(node.fill_value, answer.get("fill_value")))
    if not fill_ok:
        raise Mismatch(f"{label}: fill_value reported {answer.get('fill_value')!r}, expected {node.fill_value!r}")
    _check_attributes(label, node.attributes, answer.get("attributes"))
    names = answer.get("dimension_names")
    if names is not None and node.dimension_names is not None and list(names) != list(node.dimension_names):
        raise Mismatch(f"{label}: dimension_names {names}, expected {list(node.dimension_names)}")


def load_values(ref: Any, label: str) -> np.ndarray:
    if not isinstance(ref, dict):
        raise Mismatch(f"{label}: no values in the reply")
    if "npy" in ref:
        try:
            return np.load(Path(ref["npy"]), allow_pickle=False)
        except (OSError, ValueError) as e:
            raise Mismatch(f"{label}: values file unreadable: {e}") from None
    if "array" in ref:  # in-process answers (the reference decoder judging a write)
        return ref["array"]
    if "json" in ref:
        return np.asarray(ref["json"])
    if "bytes_b64" in ref or "ragged" in ref:  # hook: the object forms (docs/protocol.md, "Values")
        try:
            return compare_objects.load(ref, None, label)
        except compare_objects.ObjectMismatch as e:
            raise Mismatch(str(e)) from None
    raise Mismatch(f"{label}: values neither npy nor json: {list(ref)}")


def _check_dtype(label: str, expected: np.dtype, got: np.dtype, what: str) -> None:
    # Byte order is storage, not meaning: '>i4' and '<i4' hold the same values.
    if expected.newbyteorder("=") != got.newbyteorder("="):
        raise Mismatch(f"{label}: {what} {got.str}, expected {expected.str}")


def check_values(label: str, expected: np.ndarray, got: np.ndarray, exact_nan: bool = False) -> None:
    if got.shape != expected.shape:
        raise Mismatch(f"{label}: values have shape {list(got.shape)}, expected {list(expected.shape)}")
    _check_dtype(label, expected.dtype, got.dtype, "values dtype")
    differs = differences(expected, got.astype(expected.dtype.newbyteorder("="), copy=False), exact_nan)
    if differs.any():
        where = np.argwhere(differs)
        shown = ", ".join(f"{tuple(int(i) for i in w)}: expected {_show(expected[tuple(w)])}, "
                          f"got {_show(got[tuple(w)])}" for w in where[:MAX_SHOWN])
        raise Mismatch(f"{label}: {int(differs.sum())} of {expected.size} values differ; {shown}")


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
        return expected != got
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
