"""The worker side of the protocol (docs/protocol.md) for Python workers.

Runs inside each implementation's own venv, so it needs nothing but the standard library and numpy.
A worker module defines `hello()`, `read(request)` and `write(request)` and calls `serve(...)`."""

from __future__ import annotations

import base64
import json
import math
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import zc_values

PROTOCOL_VERSION = 1  # docs/protocol.md; the harness refuses a worker that speaks another


class LibraryCrash(RuntimeError):
    """The library ran in a child process of the worker (a command-line tool) and that process died:
    the cell's status is `crash`, as if the worker itself had died, while the worker lives on."""


class Unsupported(Exception):
    """Raise before calling the library: the request is outside what the implementation documents."""


def serve(handlers: dict[str, Callable[..., dict[str, Any]]]) -> None:
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        reply, stop = _handle(line, handlers)
        # NaN and Infinity travel as JSON literals: attributes as Zarr writes them may hold them.
        try:
            text = json.dumps(reply)
        except (TypeError, ValueError) as e:  # the worker's fault, one cell's: the worker lives on
            text = json.dumps({"id": reply.get("id"), "ok": False, "error": {
                "type": "WorkerReplyError", "message": f"the worker could not write its reply as JSON: {e}"}})
        proto.write(text + "\n")
        proto.flush()
        if stop:
            return


def _handle(line: str, handlers: dict[str, Callable[..., dict[str, Any]]]) -> tuple[dict[str, Any], bool]:
    try:
        request = json.loads(line)
        rid, op = request.get("id"), request["op"]
    except Exception as e:  # noqa: BLE001 - a bad line gets an error reply, the worker lives on
        return {"id": None, "ok": False, "error": {"type": type(e).__name__, "message": f"bad request: {e}"}}, False
    if op == "shutdown":
        return {"id": rid, "ok": True}, True
    if op not in handlers:
        return {"id": rid, "ok": False, "error": {"type": "UnknownOp", "message": f"unknown op {op!r}"}}, False
    try:
        result = handlers[op](request) if op != "hello" else {**handlers[op](), "protocol": PROTOCOL_VERSION}
        return {"id": rid, "ok": True, **result}, False
    except Unsupported as e:
        return {"id": rid, "ok": False, "unsupported": str(e)}, False
    except BaseException as e:  # noqa: BLE001 - whatever the library raised is the cell's answer
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        tb = traceback.extract_tb(e.__traceback__)
        where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
        return {"id": rid, "ok": False, "error": {"type": type(e).__name__, "message": f"{e}{where}"}}, False


def save_values(out_dir: str, index: int, values: np.ndarray) -> dict[str, Any]:
    """The values as the protocol carries them: .npy, or json / bytes_b64 / ragged (zc_values.py)."""
    return zc_values.to_ref(values, out_dir, str(index))


def region(node: dict[str, Any], shape: Any) -> tuple[slice, ...] | None:
    """A read node's `region` (docs/protocol.md, "Region reads") as the tuple of slices a library's
    partial-read API takes, checked against the array's `shape`; None when the node asks for the whole
    array. A 0-d array's region `[]` is `()`, which reads its one element."""
    if "region" not in node:
        return None
    box, shape = node["region"], [int(n) for n in shape]
    ok = isinstance(box, list) and len(box) == len(shape) and all(
        isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in r)
        and 0 <= r[0] <= r[1] <= n for r, n in zip(box, shape, strict=True))
    if not ok:
        raise ValueError(f"region {box!r} is not a [start, stop] box inside the array's shape {shape}")
    return tuple(slice(a, b) for a, b in box)


def array_reply(node: dict[str, Any], out_dir: str, index: int, values: Any, **fields: Any) -> dict[str, Any]:
    """An array node of a read reply: path and kind, the fields given (shape: the whole array's), the
    values saved, and the request's `region` repeated when it asked for one."""
    reply = {"path": node["path"], "kind": "array", **fields}
    if "region" in node:
        reply["region"] = node["region"]
    reply["values"] = save_values(out_dir, index, values)
    return reply


def load_values(node: dict[str, Any]) -> np.ndarray:
    """A write request's values: numeric arrays from .npy; strings, bytes, ragged as object arrays."""
    return zc_values.from_ref(node["values"], node.get("shape"))


def fill_to_json(value: Any) -> Any:
    """A library's fill value -> JSON, v3 style ("NaN", "Infinity", "-Infinity")."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, np.bytes_)):
        return base64.b64encode(bytes(value)).decode("ascii")  # as v3 `bytes` and v2 `|S` spell it
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, np.ndarray):
        value = value[()] if value.shape == () else value.tolist()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.datetime64, np.timedelta64)):  # v3 numpy.datetime64: the count, or "NaT"
        return "NaT" if np.isnat(value) else int(value.astype("int64"))  # (timedelta64 is an np.integer)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.floating) and np.isnan(value) and _nan_payload(value):
        return _hex(value)  # a NaN with a payload: only the hex form keeps its bits (v3 spec)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    if isinstance(value, (complex, np.complexfloating)):
        return [fill_to_json(value.real), fill_to_json(value.imag)]
    if isinstance(value, np.void):  # a structured or opaque scalar: its bytes, as v2 spells them
        return base64.b64encode(value.tobytes()).decode("ascii")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _hex(value: np.floating) -> str:
    bits = np.array(value).view(f"u{value.dtype.itemsize}")[()]
    return f"0x{int(bits):0{value.dtype.itemsize * 2}x}"


def _nan_payload(value: np.floating) -> bool:
    """Whether a NaN differs from the canonical quiet NaN of its width."""
    return _hex(value) != _hex(value.dtype.type(math.nan))


def fill_from_json(value: Any, dtype: np.dtype) -> Any:
    """JSON fill value of a write request -> numpy scalar of `dtype`. A v3 hex string is the exact
    bit pattern (a NaN payload included); a complex is [real, imaginary]."""
    if value is None:
        return None
    if dtype.kind == "c" and isinstance(value, list):
        part = np.dtype(f"f{dtype.itemsize // 2}")
        return dtype.type(complex(fill_from_json(value[0], part), fill_from_json(value[1], part)))
    if isinstance(value, str) and value.startswith("0x") and dtype.kind == "f":
        return np.array(int(value, 16), dtype=f"u{dtype.itemsize}").view(dtype.newbyteorder("="))[()]
    if isinstance(value, str):
        return dtype.type({"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value])
    return np.array(value).astype(dtype)[()]


def jsonable(value: Any) -> Any:
    """Attributes as a library hands them back (numpy scalars, tuples) -> plain JSON values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (float, np.floating)):
        return float(value)  # NaN and Infinity stay numbers: they travel as JSON literals
    if isinstance(value, np.generic):
        return fill_to_json(value)
    return value
