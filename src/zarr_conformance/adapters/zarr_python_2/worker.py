"""Worker for zarr-python 2 (2.18.x): DirectoryStore, open_group / open_array, zarr.create.

A Zarr v3 write is asked through zarr-python 2's experimental v3 API (the documented environment
variable ZARR_V3_EXPERIMENTAL_API=1, `zarr_version=3`, DirectoryStoreV3), which writes the pre-release
v3 draft ("protocol/core/3.0"); what it writes is judged by the write cell."""

from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("ZARR_V3_EXPERIMENTAL_API", "1")  # read by zarr when it is imported

import numcodecs  # noqa: E402
import numpy as np  # noqa: E402
import zarr  # noqa: E402
import zc_values  # noqa: E402
import zc_worker  # noqa: E402
from zarr.storage import DirectoryStore  # noqa: E402

# The API the v3 declines cite: zarr.create's keywords in 2.18 (compressor, filters, order,
# dimension_separator, storage_transformers; no codec list, no dimension names).
CREATE = "zarr 2.18.7 zarr.creation.create (https://zarr.readthedocs.io/en/v2.18.7/api/creation.html)"
BLOSC_SHUFFLE = {"noshuffle": 0, "shuffle": 1, "bitshuffle": 2}


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
        box = zc_worker.region(node, array.shape)
        values = array[... if box is None else box]  # basic selection: zarr reads only the chunks it touches
        nodes.append(zc_worker.array_reply(
            node, request["out_dir"], i, values, shape=list(array.shape), dtype=np.asarray(values).dtype.str,
            fill_value=zc_worker.fill_to_json(array.fill_value),
            attributes=zc_worker.jsonable(array.attrs.asdict()), dimension_names=None))
    return {"nodes": nodes}


def _codec(config: dict[str, Any] | None) -> Any:
    return None if config is None else numcodecs.get_codec(dict(config))


def write(request: dict[str, Any]) -> dict[str, Any]:
    if request["zarr_format"] == 3:
        return _write_v3(request)
    store = DirectoryStore(request["store"])
    for node in request["nodes"]:
        if node["kind"] == "group":
            group = zarr.open_group(store=store, path=node["path"], mode="a")
            group.attrs.update(node["attributes"])
            continue
        dtype = np.dtype(node["dtype"])
        # `|O` arrays: numcodecs' object codec (VLenUTF8, VLenBytes, VLenArray) is the first filter.
        filters = [_codec(f) for f in node["filters"]] if node["filters"] else None
        fill = _fill(node, dtype)
        array = zarr.create(shape=tuple(node["shape"]), chunks=tuple(node["chunks"]), dtype=dtype,
                            compressor=_codec(node["compressor"]), filters=filters, order=node["order"],
                            fill_value=fill, store=store,
                            path=node["path"], dimension_separator=node["chunk_key_separator"])
        array.attrs.update(node["attributes"])
        array[...] = zc_worker.load_values(node)
    return {}


# --- Zarr v3 through the experimental (draft) v3 API -----------------------------------------------

def _v3_compressor(codec: dict[str, Any]) -> Any:
    """A v3 bytes->bytes codec as the numcodecs compressor zarr 2's v3 API takes."""
    config = codec.get("configuration", {})
    if codec["name"] == "gzip":
        return numcodecs.GZip(level=config["level"])
    if codec["name"] == "zstd":
        return numcodecs.Zstd(level=config["level"], checksum=config.get("checksum", False))
    if codec["name"] == "blosc":
        return numcodecs.Blosc(cname=config["cname"], clevel=config["clevel"],
                               shuffle=BLOSC_SHUFFLE[config["shuffle"]], blocksize=config.get("blocksize", 0))
    raise zc_worker.Unsupported(f"numcodecs {numcodecs.__version__} has no {codec['name']!r} codec for "
                                f"zarr 2's compressor= (see {CREATE})")


def _v3_keywords(node: dict[str, Any]) -> dict[str, Any]:
    """The request's v3 codec list etc. as zarr 2's create keywords, or a decline naming the gap."""
    codecs = list(node["codecs"])
    order, byteorder = "C", "<"
    if codecs and codecs[0]["name"] == "transpose":
        permutation = list(codecs.pop(0)["configuration"]["order"])
        if permutation != list(range(len(node["shape"])))[::-1]:
            raise zc_worker.Unsupported(f"zarr 2's v3 API has order='C'/'F' only, no transpose {permutation} "
                                        f"(see {CREATE})")
        order = "F"
    serializer: dict[str, Any] = codecs.pop(0) if codecs else {"name": "bytes"}
    if serializer["name"] == "sharding_indexed":
        raise zc_worker.Unsupported(f"zarr 2's v3 API has no 'sharding_indexed' codec: sharding is a storage "
                                    "transformer (ShardingStorageTransformer(extension_type, chunks_per_shard)) "
                                    f"with no index_codecs or index_location (see {CREATE})")
    if serializer["name"] != "bytes":  # vlen-utf8, vlen-bytes: the v3 draft has no object codec
        raise zc_worker.Unsupported(f"zarr 2's v3 API has no {serializer['name']!r} codec (its v3 draft has no "
                                    f"object array protocol; see {CREATE})")
    if serializer.get("configuration", {}).get("endian") == "big":
        byteorder = ">"
    if len(codecs) > 1:
        raise zc_worker.Unsupported(f"zarr 2's v3 API takes one compressor, not {[c['name'] for c in codecs]} "
                                    f"(see {CREATE})")
    if node["chunk_key_encoding"] != "default":
        raise zc_worker.Unsupported(f"zarr 2's v3 API has no chunk key encoding choice (see {CREATE})")
    if node["dimension_names"] is not None:
        raise zc_worker.Unsupported(f"zarr 2's v3 API has no dimension names (see {CREATE})")
    dtype = np.dtype(node["dtype"])
    return {"dtype": dtype.newbyteorder(byteorder) if dtype.itemsize > 1 else dtype, "order": order,
            "compressor": _v3_compressor(codecs[0]) if codecs else None}


def _fill(node: dict[str, Any], dtype: np.dtype) -> Any:
    """Text and bytes fills through the value kit (a text fill is no number); numbers through the worker kit."""
    kind = zc_values.kind_of(node)
    return zc_values.fill_from_json(node["fill_value"], kind) if kind else zc_worker.fill_from_json(
        node["fill_value"], dtype)


def _write_v3(request: dict[str, Any]) -> dict[str, Any]:
    from zarr._storage.v3 import DirectoryStoreV3

    arrays = {n["path"]: _v3_keywords(n) for n in request["nodes"] if n["kind"] == "array"}  # declines first
    store = DirectoryStoreV3(request["store"])
    for node in request["nodes"]:
        if node["kind"] == "group":
            group = zarr.open_group(store=store, path=node["path"], mode="a", zarr_version=3)
            group.attrs.update(node["attributes"])
            continue
        keywords = arrays[node["path"]]
        array = zarr.create(shape=tuple(node["shape"]), chunks=tuple(node["chunks"]), store=store,
                            path=node["path"], zarr_version=3, dimension_separator=node["chunk_key_separator"],
                            fill_value=_fill(node, keywords["dtype"]), **keywords)
        array.attrs.update(node["attributes"])
        array[...] = zc_worker.load_values(node)
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
