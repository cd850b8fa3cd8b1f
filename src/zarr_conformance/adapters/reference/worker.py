"""Worker for the reference codec: the harness's own encoder and decoder behind the protocol."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zc_worker

from zarr_conformance import __version__
from zarr_conformance.fixtures import decoder, encoder
from zarr_conformance.fixtures.cases import node_from_dict


def hello() -> dict[str, Any]:
    return {"name": "zarr-conformance reference codec", "version": __version__,
            "detail": f"encoder version {encoder.ENCODER_VERSION}"}


def read(request: dict[str, Any]) -> dict[str, Any]:
    root, fmt = Path(request["store"]), request["zarr_format"]
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            nodes.append(decoder.read_group(root, node["path"], fmt))
        else:
            meta, values = decoder.read_array(root, node["path"], fmt, node.get("region"))
            nodes.append(zc_worker.array_reply(node, request["out_dir"], i, values, **meta))
    return {"nodes": nodes}


def write(request: dict[str, Any]) -> dict[str, Any]:
    nodes = tuple(node_from_dict({k: v for k, v in n.items() if k != "values"}) for n in request["nodes"])
    values = {n["path"]: zc_worker.load_values(n) for n in request["nodes"] if n["kind"] == "array"}
    root = Path(request["store"])
    if root.exists():
        raise FileExistsError(f"{root} exists; a write creates a new store")
    encoder.write_store(root, request["zarr_format"], nodes, values)
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
