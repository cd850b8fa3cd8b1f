"""Workers that misbehave around the store's edges, by their first argument:

- follow: a naive reader that trusts the store: opens metadata and chunk keys wherever they lead
  (links, separators with '..'); uncompressed int32 only. Shows the judge catching an escape.
- leaky: refuses every read with an error naming the store and its output folder (run-specific paths).
- probe: reads nothing; reports what its sandbox lets it do, as the error message (a JSON object).
- elsewhere: answers with a values file outside its output folder (the store's .zarray)."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import numpy as np
import zc_worker

MODE = sys.argv[1]


def hello() -> dict[str, Any]:
    return {"name": f"hostile-{MODE}", "version": "0"}


def _follow(root: Path, path: str, fmt: int) -> dict[str, Any]:
    node = root / path
    if fmt == 2:
        meta = json.loads((node / ".zarray").read_text())
        separator = meta.get("dimension_separator") or "."
        keys = lambda i, j: f"{i}{separator}{j}"  # noqa: E731
    else:
        meta = json.loads((node / "zarr.json").read_text())
        cke = meta["chunk_key_encoding"]
        separator = (cke.get("configuration") or {}).get("separator", "/")
        prefix = ["c"] if cke["name"] == "default" else []
        keys = lambda i, j: separator.join([*prefix, str(i), str(j)])  # noqa: E731
    shape = meta["shape"]
    chunks = meta.get("chunks") or meta["chunk_grid"]["configuration"]["chunk_shape"]
    fill = meta.get("fill_value") or 0
    out = np.full(shape, fill, dtype="<i4")
    for i in range(-(-shape[0] // chunks[0])):
        for j in range(-(-shape[1] // chunks[1])):
            key = node / keys(i, j)
            if key.exists():
                chunk = np.frombuffer(key.read_bytes(), "<i4").reshape(chunks)
                out[i * chunks[0]:(i + 1) * chunks[0], j * chunks[1]:(j + 1) * chunks[1]] = chunk
    return {"path": path, "kind": "array", "shape": shape, "dtype": "<i4", "fill_value": meta.get("fill_value"),
            "attributes": {}, "dimension_names": None, "values": out}


def _try(action) -> str:
    try:
        action()
        return "yes"
    except Exception as e:  # the probe reports any refusal, whatever its kind
        return f"no ({type(e).__name__})"


def _try_write(path: Path) -> str:
    """Whether `path` can be created; removed again at once (unsandboxed, this would touch the golden store)."""
    outcome = _try(lambda: path.write_text("x"))
    if outcome == "yes":
        path.unlink()
    return outcome


def _probe(request: dict[str, Any]) -> dict[str, Any]:
    store, out = Path(request["store"]), Path(request["out_dir"])
    return {
        "uid": os.getuid(),
        "write_out_dir": _try_write(out / "zc-probe"),
        "write_store": _try_write(store / "zc-probe"),
        "write_tmp": _try_write(Path("/tmp/zc-probe")),
        "tmp_entries": sorted(os.listdir("/tmp")),
        "read_home": _try(lambda: os.listdir(Path.home())),
        "read_root_home": _try(lambda: os.listdir("/root")),
        "write_cwd": _try_write(Path("zc-probe").absolute()),
        "network": _try(lambda: socket.create_connection(("1.1.1.1", 53), timeout=2).close()),
        "resolve": _try(lambda: socket.getaddrinfo("pypi.org", 443)),
        "address_space_limit": __import__("resource").getrlimit(__import__("resource").RLIMIT_AS)[0],
    }


def read(request: dict[str, Any]) -> dict[str, Any]:
    root, fmt = Path(request["store"]), request["zarr_format"]
    if MODE == "leaky":
        raise FileNotFoundError(f"no chunk at {root}/data/0.0 (values would go to {request['out_dir']}/0.npy)")
    if MODE == "probe":
        raise PermissionError(json.dumps(_probe(request)))
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            nodes.append({"path": node["path"], "kind": "group", "attributes": {}})
            continue
        if MODE == "elsewhere":  # reads nothing: points the harness at a file of the store
            elsewhere = str(root / node["path"] / ".zarray")
            nodes.append({"path": node["path"], "kind": "array", "values": {"npy": elsewhere}})
            continue
        answer = _follow(root, node["path"], fmt)
        answer["values"] = zc_worker.save_values(request["out_dir"], i, answer["values"])
        nodes.append(answer)
    return {"nodes": nodes}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read})
