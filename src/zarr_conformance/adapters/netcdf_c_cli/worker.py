"""Worker for netCDF-C's `ncdump` (Debian netcdf-bin): runs it on `file://<store>#mode=zarr,file`
and parses the CDL it prints (cdl.py). Read-only: ncdump writes nothing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from typing import Any

import numpy as np
import zc_worker

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdl  # noqa: E402

TIMEOUT = 50  # seconds, under the harness's default cell timeout
# ncdump's options (getopt "b:cd:f:g:hikl:n:p:stv:xwKL:X:" in ncdump/ncdump.c, netCDF-C main) select
# variables (-v) and groups (-g), never an index range: it prints whole variables.
ANONYMOUS = re.compile(r"_(Anonymous_Dim|zdim)_\d+$")
RESERVED = ("_FillValue", "_NCProperties", "_nczarr", "_NCZARR", "_ARRAY_DIMENSIONS")


def _ncdump() -> str:
    exe = shutil.which("ncdump")
    if exe is None:
        raise FileNotFoundError("ncdump not found: apt-get install netcdf-bin")
    return exe


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def hello() -> dict[str, Any]:
    exe = _ncdump()
    done = _run([exe])  # no arguments: usage, ending "netcdf library version X of <date> $"
    m = re.search(r"netcdf library version (\S+)", done.stdout + done.stderr)
    if not m:
        raise RuntimeError(f"{exe} printed no library version: {(done.stdout + done.stderr)[-300:]}")
    return {"name": "ncdump (netCDF-C)", "version": m.group(1),
            "detail": f"{exe}, numpy {np.__version__}, python {sys.version.split()[0]}"}


def _dump(store: str, variables: list[str]) -> str:
    argv = [_ncdump(), "-p", "9,17"]
    argv += ["-v", ",".join(variables)] if variables else ["-h"]
    argv.append(f"file://{store}#mode=zarr,file")
    done = _run(argv)
    if done.returncode < 0:
        raise zc_worker.LibraryCrash(f"ncdump killed by {signal.Signals(-done.returncode).name}: {' '.join(argv)}: "
                                     f"{done.stderr.strip()[-400:]}")
    if done.returncode != 0:
        raise RuntimeError(f"ncdump exit code {done.returncode}: {' '.join(argv)}: {done.stderr.strip()[-400:]}")
    return done.stdout


def _array(groups: dict[str, cdl.Group], path: str, index: int, out_dir: str) -> dict[str, Any] | None:
    parent, _, name = path.rpartition("/")
    if parent not in groups or name not in groups[parent].variables:
        return None  # ncdump printed a dataset without it: the judge reports the array missing
    group, var = groups[parent], groups[parent].variables[name]
    shape = tuple(group.dimension_size(d, groups) for d in var.dimensions)
    # ncdump prints `_` for the _FillValue attribute's value, or else netCDF's default fill.
    fill = var.attributes.get("_FillValue", cdl.DEFAULT_FILL.get(var.type))
    values = cdl.values(var, shape, fill)
    attributes = {k: v for k, v in var.attributes.items() if not k.startswith(RESERVED)}
    dims: list[str | None] = [None if ANONYMOUS.match(d) else d for d in var.dimensions]
    names = None if all(n is None for n in dims) else dims
    if names is not None and all(n is not None for n in names):
        attributes["_ARRAY_DIMENSIONS"] = names  # netCDF dimensions of the v2 xarray convention, mapped back
    return {"path": path, "kind": "array", "shape": list(shape), "dtype": values.dtype.str,
            "fill_value": zc_worker.fill_to_json(fill), "attributes": attributes, "dimension_names": names,
            "values": zc_worker.save_values(out_dir, index, values)}


def read(request: dict[str, Any]) -> dict[str, Any]:
    if any("region" in n for n in request["nodes"]):
        raise zc_worker.Unsupported("region read: ncdump prints whole variables: its options select variables (-v) "
                                    "and groups (-g), not index ranges (see https://docs.unidata.ucar.edu/nug/"
                                    "current/netcdf_utilities_guide.html#ncdump_guide)")
    # A root array has no variable name: asking `-v ""` would be the worker's fault, not ncdump's.
    arrays = [n["path"] for n in request["nodes"] if n["kind"] == "array" and n["path"]]
    groups = cdl.parse(_dump(request["store"], arrays))
    if "" not in groups:
        raise ValueError("ncdump printed no netcdf dataset")
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            if node["path"] in groups:  # else: absent from what ncdump printed, and reported missing
                attributes = {k: v for k, v in groups[node["path"]].attributes.items()
                              if not k.startswith(RESERVED)}
                nodes.append({"path": node["path"], "kind": "group", "attributes": attributes})
        else:
            array = _array(groups, node["path"], i, request["out_dir"])
            if array is not None:
                nodes.append(array)
    return {"nodes": nodes}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read})
