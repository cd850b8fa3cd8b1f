"""Worker for zarr-python 3, driven through its asynchronous API (zarr.api.asynchronous)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import numcodecs
import numpy as np
import zarr
import zarr.api.asynchronous as za
import zc_values
import zc_worker
from zarr.core.dtype import VariableLengthBytes, VariableLengthUTF8
from zarr.storage import LocalStore

LOOP = asyncio.new_event_loop()
# Rectilinear chunk grids are behind this flag in zarr-python 3.4 ("experimental and disabled by
# default"): with it off, every rectilinear store would be refused by the flag, not by the reader.
zarr.config.set({"array.rectilinear_chunks": True})


def hello() -> dict[str, Any]:
    return {"name": "zarr-python", "version": zarr.__version__,
            "detail": f"numcodecs {numcodecs.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, "
                      "config array.rectilinear_chunks=True"}


async def _read(request: dict[str, Any]) -> dict[str, Any]:
    store = await LocalStore.open(request["store"], read_only=True)
    fmt = request["zarr_format"]
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            group = await za.open_group(store=store, path=node["path"], mode="r", zarr_format=fmt)
            nodes.append({"path": node["path"], "kind": "group", "attributes": zc_worker.jsonable(dict(group.attrs))})
            continue
        array = await za.open_array(store=store, path=node["path"], mode="r", zarr_format=fmt)
        box = zc_worker.region(node, array.shape)
        values = await array.getitem(... if box is None else box)  # a region: zarr reads only its chunks
        names = getattr(array.metadata, "dimension_names", None)
        nodes.append(zc_worker.array_reply(
            node, request["out_dir"], i, values, shape=list(array.shape), dtype=np.asarray(values).dtype.str,
            fill_value=zc_worker.fill_to_json(array.metadata.fill_value),
            attributes=zc_worker.jsonable(dict(array.attrs)),
            dimension_names=list(names) if names is not None else None))
    return {"nodes": nodes}


async def _write(request: dict[str, Any]) -> dict[str, Any]:
    store = await LocalStore.open(request["store"])
    fmt = request["zarr_format"]
    for node in request["nodes"]:
        if node["kind"] == "group":
            await za.group(store=store, path=node["path"], zarr_format=fmt, attributes=node["attributes"])
            continue
        dtype, fill = _dtype_and_fill(node)
        chunks = _edges(node["chunk_grid"], node["shape"]) if node.get("chunk_grid") else tuple(node["chunks"])
        common = dict(shape=tuple(node["shape"]), chunks=chunks, dtype=dtype,
                      fill_value=fill, store=store, path=node["path"], zarr_format=fmt, attributes=node["attributes"])
        if fmt == 2:
            array = await za.create(**common, order=node["order"], compressor=node["compressor"],
                                    filters=node["filters"], dimension_separator=node["chunk_key_separator"])
        else:
            array = await za.create(**common, codecs=node["codecs"], dimension_names=node["dimension_names"],
                                    chunk_key_encoding=(node["chunk_key_encoding"], node["chunk_key_separator"]))
        await array.setitem(..., zc_worker.load_values(node))
    return {}


def _edges(grid: dict[str, Any], shape: list[int]) -> list[list[int]]:
    """A rectilinear `chunk_grid` -> the per-dimension edge lists create() takes for it: an integer
    step repeated over the axis, [value, count] pairs run out, explicit lengths kept."""
    if grid.get("name") != "rectilinear":
        raise zc_worker.Unsupported(f"chunk grid {grid.get('name')!r}: zarr.create takes regular chunks or "
                                    "rectilinear edge lists only (see https://zarr.readthedocs.io/en/stable/"
                                    "api/zarr/create/)")
    out = []
    for spec, extent in zip(grid["configuration"]["chunk_shapes"], shape, strict=True):
        if isinstance(spec, int):
            out.append([spec] * -(-extent // spec))
            continue
        edges: list[int] = []
        for item in spec:
            edges += [item[0]] * item[1] if isinstance(item, list) else [item]
        out.append(edges)
    return out


def _dtype_and_fill(node: dict[str, Any]) -> tuple[Any, Any]:
    """Numbers by numpy dtype; text and bytes by zarr's own data types (zarr.core.dtype), which
    write `string` / `|O` + vlen-utf8 and vlen-bytes; fixed-length ones by numpy S/U dtypes."""
    kind = zc_values.kind_of(node)
    if kind is None:
        dtype = np.dtype(node["dtype"])
        return dtype, zc_worker.fill_from_json(node["fill_value"], dtype)
    fill = zc_values.fill_from_json(node["fill_value"], kind)
    if kind == "string":
        return VariableLengthUTF8(), fill
    if kind == "bytes":
        return VariableLengthBytes(), fill
    # vlen-array has no zarr 3 data type: asking with numpy's object dtype lets zarr say so.
    return np.dtype(node["dtype"]), fill


def read(request: dict[str, Any]) -> dict[str, Any]:
    return LOOP.run_until_complete(_read(request))


def write(request: dict[str, Any]) -> dict[str, Any]:
    return LOOP.run_until_complete(_write(request))


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
