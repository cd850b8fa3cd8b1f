"""Worker for the binsparse Python package: a convention implementation (docs/conventions.md).

read: the group node marked `convention: binsparse` is parsed by the package itself
(`BinsparseTensor.parse(ZarrBinsparseContainer(group))`) and answered as the parsed tensor: its format,
shape and arrays, which the harness assembles (docs/protocol.md, "matrix"). write: the request's matrix becomes the
package's tensor class of the asked format, serialized by `tensor.serialize(ZarrBinsparseContainer(group))`."""

from __future__ import annotations

import sys
from typing import Any

import binsparse
import numpy as np
import scipy  # noqa: F401 - listed in hello; the package's conversions use it
import zarr
import zc_worker
from zarr.storage import LocalStore


def hello() -> dict[str, Any]:
    return {"name": "binsparse", "version": binsparse.__version__ if hasattr(binsparse, "__version__") else _dist(),
            "detail": f"zarr {zarr.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, "
                      f"python {sys.version.split()[0]}"}


def _dist() -> str:
    from importlib.metadata import version

    return version("binsparse")


_FIELDS = {"CSR": ("pointers_to_1", "indices_1", "values"), "CSC": ("pointers_to_1", "indices_1", "values"),
           "DCSR": ("indices_0", "pointers_to_1", "indices_1", "values"),
           "DCSC": ("indices_0", "pointers_to_1", "indices_1", "values"),
           "COO": ("indices_0", "indices_1", "values"), "COOR": ("indices_0", "indices_1", "values"),
           "COOC": ("indices_0", "indices_1", "values")}


def _matrix(tensor: Any, out: str, i: int) -> dict[str, Any]:
    """The parsed tensor as the protocol's matrix: its format, shape and the arrays the package parsed."""
    fields = _FIELDS.get(tensor.format)
    if fields is None:
        raise zc_worker.Unsupported(f"binsparse format {tensor.format!r} has no matrix form in the protocol "
                                    "(see docs/protocol.md, Conventions: CSR, CSC, DCSR, DCSC, COO, COOC)")
    return {"format": tensor.format, "shape": [int(s) for s in tensor.shape],
            "arrays": {f: zc_worker.save_values(out, f"{i}-{f}", np.asarray(getattr(tensor, f))) for f in fields}}


def read(request: dict[str, Any]) -> dict[str, Any]:
    store = LocalStore(request["store"], read_only=True)
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node.get("convention") != "binsparse":
            continue  # a convention implementation answers for the convention's group only
        group = zarr.open_group(store=store, path=node["path"], mode="r", zarr_format=request["zarr_format"])
        tensor = binsparse.BinsparseTensor.parse(binsparse.ZarrBinsparseContainer(group))
        nodes.append({"path": node["path"], "kind": "group", "attributes": zc_worker.jsonable(dict(group.attrs)),
                      "matrix": _matrix(tensor, request["out_dir"], i)})
    if not nodes:
        raise ValueError("no group of the binsparse convention in the request")
    return {"nodes": nodes}


def _tensor(matrix: dict[str, Any]) -> Any:
    """The request's COO triplets as the package's tensor of the asked format, with the asked dtypes."""
    fmt, shape = matrix["format"], tuple(matrix["shape"])
    rows, cols = (np.load(matrix[k]["npy"]) for k in ("row", "col"))
    values = np.load(matrix["values"]["npy"]).astype(matrix["value_dtype"])
    idx, ptr = np.dtype(matrix["index_dtype"]), np.dtype(matrix["pointer_dtype"])
    by_col = fmt in ("CSC", "DCSC", "COOC")
    major, minor = (cols, rows) if by_col else (rows, cols)
    order = np.lexsort((minor, major))
    major, minor, values = major[order], minor[order], values[order]
    n = len(values)
    if fmt in ("COO", "COOR", "COOC"):
        cls = {"COO": binsparse.COOMatrix, "COOR": binsparse.COORMatrix, "COOC": binsparse.COOCMatrix}[fmt]
        return cls(shape, n, indices_0=major.astype(idx), indices_1=minor.astype(idx), values=values)
    counts = np.bincount(major, minlength=shape[1] if by_col else shape[0])
    if fmt in ("DCSR", "DCSC"):
        nonempty = np.flatnonzero(counts)
        cls = binsparse.DCSRMatrix if fmt == "DCSR" else binsparse.DCSCMatrix
        return cls(shape, n, indices_0=nonempty.astype(idx),
                   pointers_to_1=np.concatenate([[0], np.cumsum(counts[nonempty])]).astype(ptr),
                   indices_1=minor.astype(idx), values=values)
    cls = binsparse.CSRMatrix if fmt == "CSR" else binsparse.CSCMatrix
    return cls(shape, n, pointers_to_1=np.concatenate([[0], np.cumsum(counts)]).astype(ptr),
               indices_1=minor.astype(idx), values=values)


def write(request: dict[str, Any]) -> dict[str, Any]:
    store = LocalStore(request["store"])
    fmt = request["zarr_format"]
    for node in request["nodes"]:
        if node["kind"] != "group":
            continue  # the component arrays are the package's to write, from the matrix
        group = zarr.open_group(store=store, path=node["path"], mode="a", zarr_format=fmt)
        if "matrix" not in node:
            group.attrs.update(node["attributes"])
            continue
        _tensor(node["matrix"]).serialize(binsparse.ZarrBinsparseContainer(group))
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
