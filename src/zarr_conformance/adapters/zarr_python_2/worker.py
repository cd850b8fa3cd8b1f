"""Worker for zarr-python 2 (2.18.x): DirectoryStore, open_group / open_array, zarr.create."""

from __future__ import annotations

import sys
from typing import Any

import numcodecs
import numpy as np
import zarr
import zc_values
import zc_worker
from zarr.storage import DirectoryStore


def hello() -> dict[str, Any]:
    return {"name": "zarr-python 2", "version": zarr.__version__,
            "detail": f"numcodecs {numcodecs.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}"}


def read(request: dict[str, Any]) -> dict[str, Any]:
    store = DirectoryStore(request["store"])
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            group = zarr.open_group(store=store, path=node["path"], mode="r")
            attributes = zc_worker.jsonable(group.attrs.asdict())
            nodes.append({"path": node["path"], "kind": "group", "attributes": attributes})
            continue
        array = zarr.open_array(store=store, path=node["path"], mode="r")
        values = array[...]
        nodes.append({
            "path": node["path"], "kind": "array", "shape": list(array.shape), "dtype": np.asarray(values).dtype.str,
            "fill_value": zc_worker.fill_to_json(array.fill_value),
            "attributes": zc_worker.jsonable(array.attrs.asdict()), "dimension_names": None,
            "values": zc_worker.save_values(request["out_dir"], i, values),
        })
    return {"nodes": nodes}


def _codec(config: dict[str, Any] | None) -> Any:
    return None if config is None else numcodecs.get_codec(dict(config))


def write(request: dict[str, Any]) -> dict[str, Any]:
    store = DirectoryStore(request["store"])
    for node in request["nodes"]:
        if node["kind"] == "group":
            group = zarr.open_group(store=store, path=node["path"], mode="a")
            group.attrs.update(node["attributes"])
            continue
        dtype = np.dtype(node["dtype"])
        # `|O` arrays: numcodecs' object codec (VLenUTF8, VLenBytes, VLenArray) is the first filter.
        filters = [_codec(f) for f in node["filters"]] if node["filters"] else None
        kind = zc_values.kind_of(node)
        fill = (zc_values.fill_from_json(node["fill_value"], kind) if kind
                else zc_worker.fill_from_json(node["fill_value"], dtype))
        array = zarr.create(shape=tuple(node["shape"]), chunks=tuple(node["chunks"]), dtype=dtype,
                            compressor=_codec(node["compressor"]), filters=filters, order=node["order"],
                            fill_value=fill, store=store,
                            path=node["path"], dimension_separator=node["chunk_key_separator"])
        array.attrs.update(node["attributes"])
        array[...] = zc_worker.load_values(node)
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
