"""The value forms of the protocol (docs/protocol.md, "Values"), both directions, for Python workers
and for the harness itself (standard library + numpy only, so it runs in every venv):

- `{"npy": path}`: fixed-size types, numpy `S`/`U` strings included;
- `{"json": nested lists}`: text, one JSON string per element (Unicode scalar values);
- `{"bytes_b64": nested lists}`: byte strings, one standard base64 string (RFC 4648, padded) per element;
- `{"ragged": {"shape": [...], "data": {"npy": path}, "offsets": {"npy": path}}}`: one 1-D item per
  element, elements in C order, item i = data[offsets[i]:offsets[i + 1]] (offsets int64, n + 1 long).

Inside Python the values of the last three are object arrays of str, bytes and 1-D ndarrays."""

from __future__ import annotations

import base64
import os
from typing import Any

import numpy as np


def to_ref(values: Any, folder: str, stem: str) -> dict[str, Any]:
    """Values -> the form that carries them exactly (writing .npy files into `folder`)."""
    values = np.asarray(values)
    if values.dtype.kind == "T":  # numpy's StringDType (zarr-python 3's in-memory strings)
        values = values.astype(object)
    if values.dtype != object:
        path = os.path.join(folder, f"{stem}.npy")
        np.save(path, values, allow_pickle=False)
        return {"npy": path}
    items = values.reshape(-1)
    if items.size and all(isinstance(v, (bytes, np.bytes_)) for v in items):
        return {"bytes_b64": _nested(values, lambda v: base64.b64encode(bytes(v)).decode("ascii"))}
    if items.size and all(isinstance(v, (np.ndarray, list, tuple)) for v in items):
        return {"ragged": _ragged(values, folder, stem)}
    return {"json": _nested(values, _json_item)}


def _json_item(v: Any) -> Any:
    """A text element; whatever else a library put in a text array travels as its JSON value."""
    if isinstance(v, str):
        return v
    if v is None or isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, np.generic):
        return v.item() if not isinstance(v, np.bytes_) else {"bytes_b64": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, bytes):
        return {"bytes_b64": base64.b64encode(v).decode("ascii")}
    return repr(v)


def _nested(values: np.ndarray, convert: Any) -> Any:
    if values.ndim == 0:
        return convert(values[()])
    flat = [convert(v) for v in values.reshape(-1)]
    return _fold(flat, values.shape)


def _fold(flat: list[Any], shape: tuple[int, ...]) -> Any:
    for n in reversed(shape[1:]):
        flat = [flat[i:i + n] for i in range(0, len(flat), n)] if n else [[] for _ in range(len(flat))]
    return flat


def _ragged(values: np.ndarray, folder: str, stem: str) -> dict[str, Any]:
    items = [np.asarray(v).reshape(-1) for v in values.reshape(-1)]
    dtypes = {v.dtype.str for v in items if v.size} or {items[0].dtype.str}
    if len(dtypes) > 1:
        raise TypeError(f"ragged items of several dtypes {sorted(dtypes)}: no single data array carries them")
    data = np.concatenate(items).astype(dtypes.pop(), copy=False) if items else np.zeros(0)
    offsets = np.cumsum([0] + [v.size for v in items]).astype("<i8")
    np.save(os.path.join(folder, f"{stem}.data.npy"), data, allow_pickle=False)
    np.save(os.path.join(folder, f"{stem}.offsets.npy"), offsets, allow_pickle=False)
    return {"shape": list(values.shape), "data": {"npy": os.path.join(folder, f"{stem}.data.npy")},
            "offsets": {"npy": os.path.join(folder, f"{stem}.offsets.npy")}}


def from_ref(ref: dict[str, Any], shape: Any = None) -> np.ndarray:
    """A value form -> numpy values (object arrays for json, bytes_b64 and ragged)."""
    if "npy" in ref:
        return np.load(ref["npy"], allow_pickle=False)
    if "json" in ref:
        return _unfold(ref["json"], shape, lambda v: v)
    if "bytes_b64" in ref:
        return _unfold(ref["bytes_b64"], shape,
                       lambda v: base64.b64decode(v, validate=True) if isinstance(v, str) else v)
    if "ragged" in ref:
        return _from_ragged(ref["ragged"])
    raise ValueError(f"Expected a value form npy, json, bytes_b64 or ragged. Got keys {sorted(ref)} instead.")


def _unfold(nested: Any, shape: Any, convert: Any) -> np.ndarray:
    """Nested lists -> an object array; `shape` (when known) settles what nesting alone cannot
    (a 0-d array, an axis of length 0)."""
    if shape is None:
        shape = _shape_of(nested)
    shape = tuple(shape)
    flat = _flatten(nested, len(shape))
    if len(flat) != int(np.prod(shape)):
        raise ValueError(f"nested values hold {len(flat)} elements, the shape {list(shape)} needs "
                         f"{int(np.prod(shape))}")
    out = np.empty(len(flat), dtype=object)
    for i, v in enumerate(flat):
        out[i] = convert(v)
    return out.reshape(shape)


def _shape_of(nested: Any) -> tuple[int, ...]:
    shape = []
    while isinstance(nested, list):
        shape.append(len(nested))
        if not nested:
            break
        nested = nested[0]
    return tuple(shape)


def _flatten(nested: Any, depth: int) -> list[Any]:
    if depth == 0:
        return [nested]
    if not isinstance(nested, list):
        raise ValueError(f"expected a nested list {depth} levels deep, got {type(nested).__name__}")
    return [x for part in nested for x in _flatten(part, depth - 1)]


def _from_ragged(ref: dict[str, Any]) -> np.ndarray:
    shape = tuple(ref["shape"])
    data = np.load(ref["data"]["npy"], allow_pickle=False).reshape(-1)
    offsets = np.load(ref["offsets"]["npy"], allow_pickle=False).astype(np.int64).reshape(-1)
    n = int(np.prod(shape))
    if offsets.size != n + 1 or offsets[0] != 0 or (np.diff(offsets) < 0).any() or offsets[-1] != data.size:
        raise ValueError(f"ragged offsets must start at 0, never decrease, end at the data length "
                         f"({data.size}) and number {n + 1}; got {offsets.size} offsets")
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = data[offsets[i]:offsets[i + 1]]
    return out.reshape(shape)


# --- what a write request asks for ----------------------------------------------------------------

OBJECT_CODECS = {"vlen-utf8": "string", "vlen-bytes": "bytes", "vlen-array": "vlen-array"}


def kind_of(node: dict[str, Any]) -> str | None:
    """"string", "bytes", "vlen-array", "fixed-bytes", "fixed-utf32", or None for numeric arrays.
    v3 names the first two as the data type; v2 stores `|O` with the object codec as first filter."""
    dtype = node["dtype"]
    if dtype in ("string", "bytes"):
        return dtype
    kind = np.dtype(dtype).kind
    if kind == "O":
        return OBJECT_CODECS.get(((node.get("filters") or [{}])[0] or {}).get("id"), "object")
    return {"S": "fixed-bytes", "U": "fixed-utf32"}.get(kind)


def fill_from_json(value: Any, kind: str) -> Any:
    """A string-like fill value of a request -> str / bytes (v3 `bytes`: base64 or a list of bytes;
    v2 `|S`: base64) / None."""
    if value is None or kind in ("string", "fixed-utf32", "vlen-array"):
        return value
    if isinstance(value, list):
        return bytes(value)
    return base64.b64decode(value, validate=True)
