"""A reader with an opinion, for `check`'s vote: it reads every store with the reference decoder,
then, by its first argument, answers honestly (`honest`), adds one to every value (`off`), adds an
attribute (`attributes`), writes 99 where the spec defines nothing (`undefined`: the absent chunks of
a v2 array whose fill_value is null), raises (`refuse`), or answers zeros of the shape and dtype of
a v2 array's .zarray without reading a chunk (`blind`: values where every other reader fails).
Region reads (docs/protocol.md) are honoured, except by `whole` (it returns the whole array, as a worker
ignoring `region` would) and `edge` (it adds one in a box that reaches the array's far end, as a library
miscounting the cut edge chunk would)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import zc_worker

from zarr_conformance.fixtures import decoder
from zarr_conformance.runners.undefined import defined_region

MODE = sys.argv[1]


def hello() -> dict[str, Any]:
    return {"name": f"voter-{MODE}", "version": "0"}


def read(request: dict[str, Any]) -> dict[str, Any]:
    if MODE == "refuse":
        raise ValueError("this reader refuses every store")
    root, fmt = Path(request["store"]), request["zarr_format"]
    nodes = []
    for i, node in enumerate(request["nodes"]):
        if node["kind"] == "group":
            meta = decoder.read_group(root, node["path"], fmt)
        elif MODE == "blind":
            doc = json.loads((root / node["path"] / ".zarray").read_text())
            values = np.zeros(doc["shape"], dtype=doc["dtype"])
            meta = {"path": node["path"], "kind": "array", "shape": doc["shape"], "dtype": values.dtype.str,
                    "attributes": {}, "values": zc_worker.save_values(request["out_dir"], i, values)}
        else:
            region = None if MODE == "whole" else node.get("region")
            meta, values = decoder.read_array(root, node["path"], fmt, region)
            if region is not None:
                meta = {**meta, "region": region}
            if MODE == "edge" and region and all(b == n for (_, b), n in zip(region, meta["shape"], strict=True)):
                values = values + 1
            if MODE == "off":
                values = values + 1
            if MODE == "undefined":
                doc = json.loads((root / node["path"] / ".zarray").read_text()) if fmt == 2 else {}
                defined, _ = defined_region(root, node["path"], fmt, doc)
                if defined is not None:
                    values = values.copy()
                    values[~defined] = 99
            meta = {**meta, "values": zc_worker.save_values(request["out_dir"], i, values)}
        if MODE == "attributes":
            meta = {**meta, "attributes": {**(meta.get("attributes") or {}), "added": "by voter"}}
        nodes.append(meta)
    return {"nodes": nodes}


if __name__ == "__main__":
    zc_worker.serve({"hello": hello, "read": read})
