"""Worker for anndata: a convention implementation (docs/conventions.md).

read: the group node marked `convention: anndata` is read by `anndata.io.read_elem`, which dispatches
on its encoding-type (csr_matrix / csc_matrix) and returns a SciPy sparse matrix; it is answered as
that matrix's own arrays (indptr, indices, data as CSR/CSC), which the harness assembles.
write: the request's matrix, as a SciPy csr/csc matrix with the asked index and value dtypes, is
written by `anndata.io.write_elem` into the parent group."""

from __future__ import annotations

import sys
from typing import Any

import anndata
import numpy as np
import scipy
import scipy.sparse as sp
import zarr
import zc_worker
from anndata.io import read_elem, write_elem
from zarr.storage import LocalStore


def hello() -> dict[str, Any]:
    return {"name": "anndata", "version": anndata.__version__,
            "detail": f"zarr {zarr.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, "
                      f"python {sys.version.split()[0]}"}


def read(request: dict[str, Any]) -> dict[str, Any]:
    store = LocalStore(request["store"], read_only=True)
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node.get("convention") != "anndata":
            continue  # a convention implementation answers for the convention's group only
        group = zarr.open_group(store=store, path=node["path"], mode="r", zarr_format=request["zarr_format"])
        matrix = read_elem(group)
        if not sp.issparse(matrix):
            raise TypeError(f"read_elem returned {type(matrix).__name__}, not a sparse matrix")
        if matrix.format not in ("csr", "csc"):
            raise TypeError(f"read_elem returned a {matrix.format} matrix, not csr or csc")
        out = request["out_dir"]
        arrays = {"pointers_to_1": matrix.indptr, "indices_1": matrix.indices, "values": matrix.data}
        nodes.append({"path": node["path"], "kind": "group", "attributes": zc_worker.jsonable(dict(group.attrs)),
                      "matrix": {"format": matrix.format.upper(), "shape": [int(s) for s in matrix.shape],
                                 "arrays": {k: zc_worker.save_values(out, f"{i}-{k}", np.asarray(v))
                                            for k, v in arrays.items()}}})
    if not nodes:
        raise ValueError("no group of the anndata convention in the request")
    return {"nodes": nodes}


def _scipy_matrix(matrix: dict[str, Any]) -> Any:
    rows, cols = (np.load(matrix[k]["npy"]) for k in ("row", "col"))
    values = np.load(matrix["values"]["npy"]).astype(matrix["value_dtype"])
    coo = sp.coo_matrix((values, (rows, cols)), shape=tuple(matrix["shape"]))
    out = coo.tocsr() if matrix["format"] == "CSR" else coo.tocsc()
    out.indices = out.indices.astype(matrix["index_dtype"])
    out.indptr = out.indptr.astype(matrix["pointer_dtype"])
    return out


def write(request: dict[str, Any]) -> dict[str, Any]:
    store = LocalStore(request["store"])
    fmt = request["zarr_format"]
    for node in request["nodes"]:
        if node["kind"] != "group":
            continue  # the component arrays are anndata's to write, from the matrix
        if "matrix" not in node:
            zarr.open_group(store=store, path=node["path"], mode="a", zarr_format=fmt).attrs.update(node["attributes"])
            continue
        parent_path, _, name = node["path"].rpartition("/")
        parent = zarr.open_group(store=store, path=parent_path, mode="a", zarr_format=fmt)
        write_elem(parent, name, _scipy_matrix(node["matrix"]))
    return {}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read, "write": write})
