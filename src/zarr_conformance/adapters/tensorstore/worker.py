"""Worker for TensorStore: arrays through its `zarr` (v2) and `zarr3` drivers, with its futures.

TensorStore has no group API and its v2 driver does not read or write `.zattrs`: group nodes and v2
array attributes are read and written by this worker as plain JSON files (README.md says so)."""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import tensorstore as ts
import zc_worker

DRIVER = {2: "zarr", 3: "zarr3"}


def hello() -> dict[str, Any]:
    return {"name": "TensorStore", "version": version("tensorstore"),
            "detail": f"numpy {np.__version__}, python {sys.version.split()[0]}"}


def _kvstore(store: str, path: str) -> dict[str, Any]:
    node_dir = Path(store, *path.split("/")) if path else Path(store)
    return {"driver": "file", "path": str(node_dir) + "/"}


# --- worker-side JSON for what TensorStore does not cover -----------------------------------------

def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def _group_attributes(store: str, path: str, fmt: int) -> dict[str, Any]:
    node = Path(store, *path.split("/")) if path else Path(store)
    if fmt == 2:
        if not (node / ".zgroup").exists():
            raise FileNotFoundError(f"no .zgroup at {node}")
        return _json(node / ".zattrs")
    doc = json.loads((node / "zarr.json").read_text())
    if doc.get("node_type") != "group":
        raise ValueError(f"{node / 'zarr.json'} is not a group")
    return doc.get("attributes", {})


def _write_group(store: str, path: str, fmt: int, attributes: dict[str, Any]) -> None:
    node = Path(store, *path.split("/")) if path else Path(store)
    node.mkdir(parents=True, exist_ok=True)
    if fmt == 2:
        (node / ".zgroup").write_text(json.dumps({"zarr_format": 2}))
        if attributes:
            (node / ".zattrs").write_text(json.dumps(attributes))
    else:
        (node / "zarr.json").write_text(json.dumps({"zarr_format": 3, "node_type": "group",
                                                    "attributes": attributes}))


# --- arrays through TensorStore -------------------------------------------------------------------

def _box(store: ts.TensorStore, box: tuple[slice, ...]) -> ts.TensorStore:
    """The view of a region read: TensorStore indexes in its index domain's own coordinates, which need
    not start at 0, so the box (counted from 0, as the protocol counts) is moved to the domain's origin.
    The box covers the array's own dimensions, the leading ones; dimensions TensorStore adds after them
    (a v2 '|S<n>' array's innermost byte dimension) are left whole, as numpy leaves unindexed ones."""
    return store[tuple(slice(origin + b.start, origin + b.stop)
                       for origin, b in zip(store.domain.inclusive_min[:len(box)], box, strict=True))]


def _read_array(request: dict[str, Any], index: int, node: dict[str, Any]) -> dict[str, Any]:
    fmt, path = request["zarr_format"], node["path"]
    store = ts.open({"driver": DRIVER[fmt], "kvstore": _kvstore(request["store"], path)},
                    open=True, read=True).result()
    metadata = store.spec(retain_context=False).to_json().get("metadata", {})
    box = zc_worker.region(node, metadata.get("shape", store.shape))  # the region counts the array's dimensions
    values = (store if box is None else _box(store, box)).read().result()  # a view reads only its chunks
    if fmt == 2:  # the zarr driver has no attributes: .zattrs read by the worker
        attributes = _json(Path(_kvstore(request["store"], path)["path"]) / ".zattrs")
    else:
        attributes = metadata.get("attributes", {})
    names = metadata.get("dimension_names") if fmt == 3 else None
    return zc_worker.array_reply(node, request["out_dir"], index, values, shape=list(store.shape),
                                 dtype=values.dtype.str, fill_value=zc_worker.fill_to_json(store.fill_value),
                                 attributes=zc_worker.jsonable(attributes), dimension_names=names)


def read(request: dict[str, Any]) -> dict[str, Any]:
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            attributes = _group_attributes(request["store"], node["path"], request["zarr_format"])
            nodes.append({"path": node["path"], "kind": "group", "attributes": attributes})
        else:
            nodes.append(_read_array(request, i, node))
    return {"nodes": nodes}


def _metadata(node: dict[str, Any], fmt: int) -> dict[str, Any]:
    """The array's metadata exactly as the request gives it, in TensorStore's spec form."""
    if fmt == 2:
        return {"zarr_format": 2, "shape": node["shape"], "chunks": node["chunks"], "dtype": node["dtype"],
                "fill_value": node["fill_value"], "order": node["order"], "filters": node["filters"],
                "compressor": node["compressor"], "dimension_separator": node["chunk_key_separator"]}
    # The request's grid as it is (the driver refuses one it lacks), never the regular grid in its place.
    grid = node.get("chunk_grid") or {"name": "regular", "configuration": {"chunk_shape": node["chunks"]}}
    meta = {"zarr_format": 3, "node_type": "array", "shape": node["shape"],
            "data_type": _v3_name(node["dtype"]), "chunk_grid": grid,
            "chunk_key_encoding": {"name": node["chunk_key_encoding"],
                                   "configuration": {"separator": node["chunk_key_separator"]}},
            "fill_value": node["fill_value"], "codecs": node["codecs"], "attributes": node["attributes"]}
    if node.get("dimension_names") is not None:
        meta["dimension_names"] = node["dimension_names"]
    return meta


_KINDS = {"i": "int", "u": "uint", "f": "float", "c": "complex"}


def _v3_name(dtype: str) -> Any:
    if dtype in ("string", "bytes"):  # zarr-extensions data types, named as the request names them
        return dtype
    d = np.dtype(dtype)
    if d.kind == "U":
        return {"name": "fixed_length_utf32", "configuration": {"length_bytes": d.itemsize}}
    return "bool" if d.kind == "b" else f"{_KINDS[d.kind]}{d.itemsize * 8}"


def write(request: dict[str, Any]) -> dict[str, Any]:
    fmt = request["zarr_format"]
    for node in request["nodes"]:
        if node["kind"] == "group":
            _write_group(request["store"], node["path"], fmt, node["attributes"])
            continue
        kvstore = _kvstore(request["store"], node["path"])
        spec = {"driver": DRIVER[fmt], "kvstore": kvstore, "metadata": _metadata(node, fmt)}
        store = ts.open(spec, create=True, open=False).result()
        store.write(zc_worker.load_values(node)).result()
        if fmt == 2 and node["attributes"]:  # the zarr driver writes no .zattrs
            Path(kvstore["path"], ".zattrs").write_text(json.dumps(node["attributes"]))
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
