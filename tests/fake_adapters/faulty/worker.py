"""A deliberately faulty worker: right answers from the reference decoder, except on the fixture
`v2/dtype/int32-le`, where it misbehaves in the way its first argument names. Two modes misbehave in
`hello` instead, told apart by the request id: the harness numbers a handle's requests from 1 across
restarts, so hello 1 is the first start, and hello 3 the restart after the target read (id 2)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import zc_worker

from zarr_conformance.fixtures import decoder, encoder
from zarr_conformance.fixtures.cases import node_from_dict

MODE = sys.argv[1]
TARGET = "v2/dtype/int32-le.zarr"
# The protocol's own stdout, kept before zc_worker.serve points fd 1 at stderr: "garbage" writes here.
PROTOCOL_OUT = os.fdopen(os.dup(1), "wb", buffering=0)


def hello() -> dict[str, Any]:
    return {"name": f"faulty-{MODE}", "version": "0"}


def _requests(stdin: Iterator[str]) -> Iterator[str]:
    """Stdin as serve() sees it, with the hello faults applied on the way."""
    for line in stdin:
        request = json.loads(line) if line.strip() else {}
        if request.get("op") == "hello":
            if (MODE == "crash-hello" and request["id"] == 1) or MODE == "dead":
                os._exit(7)  # crash-hello: the first start dies, a restart is fine; dead: every start dies
            if MODE == "hang-restart" and request["id"] == 3:
                time.sleep(3600)  # the first restart hangs; the one after is fine
        yield line


def read(request: dict[str, Any]) -> dict[str, Any]:
    root, fmt = Path(request["store"]), request["zarr_format"]
    targeted = request["store"].endswith(TARGET)
    if targeted:
        _before_read(request)
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            nodes.append(decoder.read_group(root, node["path"], fmt))
            continue
        meta, values = decoder.read_array(root, node["path"], fmt)
        if targeted and MODE == "wrong":
            values = values + 1  # off by one everywhere: silent corruption
        if targeted and MODE == "dtype":
            values = values.astype("int64")  # the right numbers in the wrong type
            meta["dtype"] = values.dtype.str
        if targeted and MODE == "bad-reply":
            meta = {**meta, "dtype": "not-a-dtype"}  # valid JSON, nonsense protocol
        saved = zc_worker.save_values(request["out_dir"], i, values)
        if targeted:
            _after_save(saved["npy"], values)
        nodes.append({**meta, "values": saved})
    return {"nodes": nodes}


def _before_read(request: dict[str, Any]) -> None:
    if MODE in ("crash", "hang-restart"):
        os._exit(3)
    if MODE == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if MODE == "hang":
        time.sleep(3600)
    if MODE == "noisy":
        print("a library chatting on stdout must not break the protocol")
    if MODE == "garbage":  # a native library scribbling on the real stdout, then stuck: the stream is lost
        PROTOCOL_OUT.write(b"\x00\x01 not a reply \xff\n")
        time.sleep(3600)
    if MODE == "memory":  # allocate until the address-space limit says no (zeros: no real memory used)
        blocks = []
        while True:
            blocks.append(np.zeros(256 * 2**20, dtype=np.uint8))


def _after_save(path: str, values: np.ndarray) -> None:
    if MODE == "partial-npy":  # the file cut short, as by a full disk; the reply still says ok
        size = os.path.getsize(path)
        os.truncate(path, size - values.nbytes // 2)
    if MODE == "lying-npy":  # a header that claims 2**40 elements over a few bytes of data
        with open(path, "wb") as f:
            np.lib.format.write_array_header_1_0(f, {"descr": "<i4", "fortran_order": False, "shape": (2**40,)})
            f.write(values.tobytes())
    if MODE == "exit-mid-write":  # half the values, half a reply, then gone
        os.truncate(path, os.path.getsize(path) // 2)
        PROTOCOL_OUT.write(b'{"id": 2, "ok": true, "nodes": [{"pa')
        os._exit(9)


def write(request: dict[str, Any]) -> dict[str, Any]:
    """The reference encoder's store, except that "huge-shape" makes the target's metadata claim 2**40 rows."""
    nodes = tuple(node_from_dict({k: v for k, v in n.items() if k != "values"}) for n in request["nodes"])
    values = {n["path"]: zc_worker.load_values(n) for n in request["nodes"] if n["kind"] == "array"}
    root = Path(request["store"])
    encoder.write_store(root, request["zarr_format"], nodes, values)
    if MODE == "huge-shape" and root.name == "int32-le.zarr":
        for meta in root.rglob(".zarray"):
            doc = json.loads(meta.read_text())
            meta.write_text(json.dumps({**doc, "shape": [2**40, *doc["shape"][1:]]}))
    return {}


if __name__ == "__main__":
    sys.stdin = _requests(sys.stdin)  # type: ignore[assignment]
    zc_worker.serve({"hello": hello, "read": read, "write": write})
