"""Attributes are JSON as Zarr writes it, NaN included: they reach the judge intact through a worker."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from zarr_conformance.adapters import registry
from zarr_conformance.adapters.launchers import get_launcher
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.fixtures.cases import ArrayNode, GroupNode
from zarr_conformance.fixtures.encoder import write_store
from zarr_conformance.runners.worker import WorkerHandle


def test_a_nan_attribute_travels_through_the_reference_worker(tmp_path: Path) -> None:
    store = tmp_path / "s.zarr"
    write_store(store, 2, (GroupNode(""), ArrayNode(path="a", shape=(2,), chunks=(2,), dtype="<i4", fill_value=0,
                                                    chunk_key_separator=".")), {"a": np.arange(2, dtype="<i4")})
    (store / ".zattrs").write_text('{"missing": NaN, "big": Infinity}')  # as json.dumps writes them
    spec = registry.discover()["reference"]
    launcher = get_launcher("python")
    out = writable_dir(tmp_path / "out", tmp_path / "out")
    mounts = Mounts(read_only=(store,), read_write=(out,))  # the worker is sandboxed: it sees only these
    handle = WorkerHandle("reference", launcher, launcher.prepare(spec, tmp_path), mounts)
    handle.start()
    try:
        reply = handle.request({"op": "read", "store": str(store), "zarr_format": 2, "out_dir": str(out),
                                "nodes": [{"path": "", "kind": "group"}]}, 30)
    finally:
        handle.stop()
    assert reply["ok"], reply
    attributes = reply["nodes"][0]["attributes"]
    assert math.isnan(attributes["missing"]) and attributes["big"] == math.inf
    assert json.dumps(attributes) == '{"missing": NaN, "big": Infinity}'
