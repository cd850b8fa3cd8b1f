"""Worker for z5py (3.0.x): z5py.File, Group.create_group / create_dataset, Dataset[...] through the
C++ core (z5). z5py has no accessor for an array's fill value nor for v3 dimension names, so read
replies leave `fill_value` out and report `dimension_names` as null; the values of missing chunks still
show which fill z5py used."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import z5py
import zc_worker

# v3 blosc "shuffle" names -> z5py's numeric option
BLOSC_SHUFFLE = {"noshuffle": 0, "shuffle": 1, "bitshuffle": 2}
Z5PY = "https://github.com/constantinpape/z5/blob/master/src/python/module/z5py"
DOCS = f"z5py 3.0 Group.create_dataset ({Z5PY}/group.py)"
FILE = f"z5py 3.0 File ({Z5PY}/file.py)"


def hello() -> dict[str, Any]:
    return {"name": "z5py", "version": z5py.__version__,
            "detail": f"numpy {np.__version__}, python {sys.version.split()[0]}"}


def _found(root: z5py.File, node: dict[str, Any]) -> Any:
    """The node as z5py opens it. z5py.File is the root group; an array at the root is asked for as the
    File's child "" (Group.__getitem__ then opens the dataset whose path is the store's own)."""
    return root if node["path"] == "" and node["kind"] == "group" else root[node["path"]]


def read(request: dict[str, Any]) -> dict[str, Any]:
    root = z5py.File(request["store"], mode="r", use_zarr_format=True)
    nodes = []
    for i, node in enumerate(request["nodes"]):
        found = _found(root, node)
        attributes = zc_worker.jsonable(dict(found.attrs.items()))
        if node["kind"] == "group":
            nodes.append({"path": node["path"], "kind": "group", "attributes": attributes})
            continue
        box = zc_worker.region(node, found.shape)
        values = found[... if box is None else box]  # Dataset.__getitem__: z5 reads only the chunks it touches
        nodes.append(zc_worker.array_reply(node, request["out_dir"], i, values, shape=list(found.shape),
                                           dtype=np.asarray(values).dtype.str, attributes=attributes,
                                           dimension_names=None))
    return {"nodes": nodes}


def _v2_compression(node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if node["filters"]:
        raise zc_worker.Unsupported(f"create_dataset has no filters (see {DOCS})")
    config = dict(node["compressor"] or {"id": "raw"})
    name = config.pop("id")
    if name == "blosc":
        config["codec"] = config.pop("cname")
    return name, config


def _v3_compression(node: dict[str, Any]) -> tuple[str, dict[str, Any], list[int] | None]:
    """The request's codec list as create_dataset's (compression, options, shards), or Unsupported:
    the API takes one compressor and a shard shape; bytes is little-endian, no transpose or crc32c."""
    codecs, shards = list(node["codecs"]), None
    if len(codecs) == 1 and codecs[0]["name"] == "sharding_indexed":
        config = codecs[0]["configuration"]
        default_index = [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]
        if config.get("index_location", "end") != "end" or config["index_codecs"] != default_index:
            raise zc_worker.Unsupported(f"create_dataset has no shard index options (see {DOCS})")
        shards, codecs = node["chunks"], list(config["codecs"])
    first = codecs.pop(0) if codecs else {}
    if first.get("name") != "bytes" or first.get("configuration", {}).get("endian", "little") != "little":
        raise zc_worker.Unsupported(f"create_dataset writes little-endian 'bytes' only (see {DOCS})")
    if not codecs:
        return "raw", {}, shards
    if len(codecs) > 1:
        raise zc_worker.Unsupported(f"create_dataset takes one compressor, got {[c['name'] for c in codecs]} "
                                    f"(see {DOCS})")
    name, config = codecs[0]["name"], dict(codecs[0].get("configuration", {}))
    if name == "blosc":
        config = {"codec": config["cname"], "level": config["clevel"],
                  "shuffle": BLOSC_SHUFFLE[config["shuffle"]], "blocksize": config.get("blocksize", 0)}
    if name == "zstd" and config.pop("checksum", False):
        raise zc_worker.Unsupported(f"create_dataset has no zstd checksum option (see {DOCS})")
    return name, config, shards


def write(request: dict[str, Any]) -> dict[str, Any]:
    fmt = request["zarr_format"]
    arrays = [n for n in request["nodes"] if n["kind"] == "array"]
    separators = {n["chunk_key_separator"] for n in arrays} or {"."}
    if len(separators) > 1:
        raise zc_worker.Unsupported(f"z5py sets the chunk key separator per file, the request has several (see {DOCS})")
    separator = separators.pop()
    root = z5py.File(request["store"], mode="w", use_zarr_format=True, zarr_format=fmt,
                     dimension_separator=separator)
    for node in request["nodes"]:
        if node["kind"] == "group":
            group = root if node["path"] == "" else root.create_group(node["path"])
            group.attrs.update(node["attributes"])
            continue
        if node["path"] == "":
            raise zc_worker.Unsupported(f"z5py.File opens the store root as a group and create_dataset makes a "
                                        f"child of it; no API creates an array there (see {FILE})")
        grid = (node.get("chunk_grid") or {}).get("name", "regular")
        if grid != "regular":  # the spec declares it; never write the regular grid of `chunks` instead
            raise zc_worker.Unsupported(f"create_dataset takes a chunk shape only, no {grid} chunk grid (see {DOCS})")
        if node["fill_value"] is None:
            raise zc_worker.Unsupported(f"create_dataset's fillvalue is a number, it has no 'none' (see {DOCS})")
        dtype = np.dtype(node["dtype"])
        if dtype.byteorder == ">":
            raise zc_worker.Unsupported(f"create_dataset writes native byte order only (see {DOCS})")
        options: dict[str, Any] = {}
        if fmt == 3:
            compression, config, shards = _v3_compression(node)
            encoding = node.get("chunk_key_encoding", "default")
            if separator != ("." if encoding == "v2" else "/"):
                raise zc_worker.Unsupported(f"z5py ties the separator to the chunk key encoding (see {DOCS})")
            if node["dimension_names"] is not None:
                raise zc_worker.Unsupported(f"create_dataset has no dimension names (see {DOCS})")
            options = {"shards": shards, "chunk_key_encoding": encoding}
            chunks = node["chunks"] if shards is None else _inner_chunks(node)
        else:
            compression, config = _v2_compression(node)
            chunks = node["chunks"]
        dataset = root.create_dataset(node["path"], shape=tuple(node["shape"]), chunks=tuple(chunks), dtype=dtype,
                                      compression=compression,
                                      fillvalue=zc_worker.fill_from_json(node["fill_value"], dtype),
                                      **options, **config)
        dataset.attrs.update(node["attributes"])
        dataset[...] = zc_worker.load_values(node)
    return {}


def _inner_chunks(node: dict[str, Any]) -> list[int]:
    return node["codecs"][0]["configuration"]["chunk_shape"]


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
