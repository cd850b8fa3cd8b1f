"""`check`'s vote: which readers read the same thing, and which answer is the consensus.

Answers are the same when the matrix would call them the same: equal shape, the same dtype kind and
size (byte order is storage), values bit for bit with any NaN equal to any NaN; strings and bytes
item by item whatever their width; attributes as canonical JSON (NaN equal to NaN). The consensus is
the answer the reference decoder gave (it reads straight from the spec); without one, the answer of
more than half of the readers that returned one, and of at least two. Otherwise there is none."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from zarr_conformance.runners import compare_objects
from zarr_conformance.runners.compare import differences, first_true
from zarr_conformance.runners.model import REFERENCE

AGREES_MEANS = ("agrees = read the consensus: the values (same shape, same dtype kind and size, every value "
                "bit for bit with any NaN equal to any NaN; strings item by item) and attributes that the "
                "reference decoder read, or when it read nothing, that more than half (and at least two) of "
                "the readers that returned values read; values the spec leaves undefined (absent chunks of a "
                "v2 array whose fill_value is null) are left out. Exit 0 only when every reader asked agrees.")

T = TypeVar("T")


class NotComparable(Exception):
    """Two answers of another shape or data type: no value-by-value comparison."""


def differing(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise "not the same value" of two answers of one shape (NotComparable otherwise)."""
    if a.shape != b.shape:
        raise NotComparable(f"shape {list(b.shape)} where the consensus has {list(a.shape)}")
    if a.dtype.kind in "USO" and b.dtype.kind in "USO":  # text and bytes: by item, whatever the width
        return compare_objects.differences(a.astype(object), b.astype(object))
    if a.dtype.newbyteorder("=") != b.dtype.newbyteorder("="):
        raise NotComparable(f"dtype {b.dtype.str} where the consensus has {a.dtype.str}")
    if a.dtype.names:  # structured: a record differs when any of its fields does
        out = np.zeros(a.shape, dtype=bool)
        for name in a.dtype.names:
            field = differing(a[name], b[name])
            out |= field.reshape(a.shape + (-1,)).any(axis=-1) if field.ndim > a.ndim else field
        return out
    if a.dtype.kind in "mMV":  # dates, durations, opaque bytes: the bits (so NaT equals NaT)
        native = a.dtype.newbyteorder("=")
        left = np.ascontiguousarray(a, dtype=native).reshape(a.shape + (1,)).view("u1")
        right = np.ascontiguousarray(b, dtype=native).reshape(a.shape + (1,)).view("u1")
        return (left != right).any(axis=-1)
    return differences(a, b)


def value_difference(consensus: np.ndarray, got: np.ndarray, defined: np.ndarray | None) -> str | None:
    """How `got` differs from the consensus within the defined region, or None when it does not."""
    try:
        wrong = differing(consensus, got)
    except NotComparable as e:
        return str(e)
    if defined is not None and defined.shape == wrong.shape:  # (another shape: the metadata's grid is moot)
        wrong &= defined
    else:
        defined = None
    count = int(wrong.sum())
    if not count:
        return None
    first = first_true(wrong, 1)[0] if wrong.ndim else ()
    total = int(defined.sum()) if defined is not None else consensus.size
    return (f"{count} of {total} values differ; first at {first}: {_show(got[first])} where the consensus "
            f"has {_show(consensus[first])}")


def attribute_difference(consensus: Any, got: Any) -> str | None:
    if canonical(consensus) == canonical(got):
        return None
    if isinstance(consensus, dict) and isinstance(got, dict):
        keys = [k for k in sorted(set(consensus) | set(got), key=str)
                if canonical(consensus.get(k, "<absent>")) != canonical(got.get(k, "<absent>"))]
        shown = "; ".join(f"{k!r}: {_short(got.get(k, '<absent>'))} where the consensus has "
                          f"{_short(consensus.get(k, '<absent>'))}" for k in keys[:3])
        return f"attributes differ in {len(keys)} key(s): {shown}"
    return f"attributes {_short(got)} where the consensus has {_short(consensus)}"


def canonical(value: Any) -> str:
    """Attributes as one text: NaN is written NaN, so NaN equals NaN (as Zarr's JSON holds them)."""
    return json.dumps(value, sort_keys=True, allow_nan=True, default=repr)


@dataclass
class Consensus:
    members: list[str]  # the readers holding the consensus answer; empty when there is none
    how: str  # one sentence for the output


def vote(answers: dict[str, T], same: Callable[[T, T], bool], reference_said: str) -> Consensus:
    """Group identical answers and pick the consensus (module docstring). `reference_said` tells why
    the reference decoder has no answer, for the sentence."""
    groups: list[list[str]] = []
    for impl, answer in answers.items():
        home = next((g for g in groups if same(answers[g[0]], answer)), None)
        if home is None:
            groups.append([impl])
        else:
            home.append(impl)
    if REFERENCE in answers:
        group = next(g for g in groups if REFERENCE in g)
        others = [i for i in group if i != REFERENCE]
        shared = f", shared by {_names(others)}" if others else ", no other reader read the same"
        return Consensus(group, f"the reference decoder's answer{shared}")
    n = len(answers)
    if not n:
        return Consensus([], "no consensus: no reader returned values")
    big = max(groups, key=len)
    if len(big) >= 2 and len(big) * 2 > n:
        return Consensus(big, f"the answer of {len(big)} of the {n} readers that returned one ({_names(big)}); "
                              f"the reference decoder {reference_said}")
    if n == 1:
        return Consensus([], f"no consensus: only {big[0]} returned values, nothing confirms them (the "
                             f"reference decoder {reference_said})")
    return Consensus([], f"no consensus: {n} readers gave {len(groups)} different answers, none held by more "
                         f"than half (the reference decoder {reference_said})")


def _names(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def _show(value: Any) -> str:
    text = repr(value.item() if isinstance(value, np.generic) and value.dtype.kind not in "mMV" else value)
    return text if len(text) <= 80 else text[:77] + "..."


def _short(value: Any, n: int = 120) -> str:
    text = canonical(value)
    return text if len(text) <= n else text[:n] + "..."
