"""A deliberately faulty worker: right answers from the reference decoder, except on the fixture
`v2/dtype/int32-le`, where it misbehaves in the way its first argument names."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import zc_worker

from zarr_conformance.fixtures import decoder

MODE = sys.argv[1]
TARGET = "v2/dtype/int32-le.zarr"


def hello() -> dict[str, Any]:
    return {"name": f"faulty-{MODE}", "version": "0"}


def read(request: dict[str, Any]) -> dict[str, Any]:
    root, fmt = Path(request["store"]), request["zarr_format"]
    targeted = request["store"].endswith(TARGET)
    if targeted and MODE == "crash":
        os._exit(3)
    if targeted and MODE == "hang":
        time.sleep(3600)
    if targeted and MODE == "noisy":
        print("a library chatting on stdout must not break the protocol")
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
        nodes.append({**meta, "values": zc_worker.save_values(request["out_dir"], i, values)})
    return {"nodes": nodes}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read})
