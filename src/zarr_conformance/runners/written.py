"""Judging a write: the reference decoder reads the store back (it must follow the spec and hold the
case's values), and the metadata must say what the writer was asked to write. The decoder's reading
is also kept: it is the oracle of every roundtrip that reads this store."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode, Case
from zarr_conformance.fixtures.confine import remembering_folders
from zarr_conformance.fixtures.grid import node_edges
from zarr_conformance.fixtures.metadata import node_from_metadata
from zarr_conformance.fixtures.tags import codec_ids, stored_dtype
from zarr_conformance.runners.compare import Difference, expected_from_case, judge
from zarr_conformance.runners.model import Defect


@dataclass
class WrittenStore:
    """What the reference decoder made of a written store."""

    decoded: list[dict[str, Any]] | None = None  # None: the decoder rejects the store
    rejection: str = ""
    differences: list[Difference] = field(default_factory=list)  # against what was asked


def judge_written(case: Case, store: Path) -> WrittenStore:
    if not store.is_dir():
        return WrittenStore(rejection="the writer reported success but wrote no store",
                            differences=[Difference(Defect.INVALID_STORE, "the writer reported success but "
                                                                          "wrote no store")])
    oversized = _oversized(case, store)
    if oversized:
        return WrittenStore(rejection=oversized, differences=[Difference(Defect.SHAPE, oversized)])
    try:
        with remembering_folders():
            decoded = decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])
    except Exception as e:  # noqa: BLE001 - whatever the store does to the decoder is the writer's fault
        why = f"the reference decoder rejects the store: {type(e).__name__}: {e}"
        return WrittenStore(rejection=why, differences=[Difference(Defect.INVALID_STORE, why)])
    found = judge(expected_from_case(case), decoded)
    for node in case.arrays:
        found += _fidelity(case, node, store)
    return WrittenStore(decoded, "", found)


MAX_METADATA_BYTES = 16 * 2**20
# How much larger than asked a written array may claim to be before the in-process decoder would
# allocate for it: a wrong shape is still decoded and judged, an absurd one (2**40 rows) is not.
MAX_ELEMENTS_RATIO, MAX_ELEMENTS_SLACK = 16, 2**20


def _oversized(case: Case, store: Path) -> str:
    """Why the store must not be decoded in the harness's process (empty when it may)."""
    for node in case.arrays:
        label = node.path or "/"
        try:
            meta = decoder.node_dir(store, node.path) / (".zarray" if case.zarr_format == 2 else "zarr.json")
            if not meta.is_file():
                continue  # the decoder reports the missing document
            if meta.stat().st_size > MAX_METADATA_BYTES:
                return f"{label}: wrote a {meta.name} of {meta.stat().st_size} bytes; the store was not decoded"
            shape = json.loads(meta.read_bytes()).get("shape")
        except Exception:  # noqa: BLE001 - unreadable metadata: the decoder says so in its own words
            continue
        if isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape):
            claimed, asked = math.prod(shape), math.prod(node.shape)
            if claimed > asked * MAX_ELEMENTS_RATIO + MAX_ELEMENTS_SLACK:
                return (f"{label}: wrote shape {str(shape)[:100]} (asked {list(node.shape)}); the store was "
                        f"not decoded")
    return ""


def _fidelity(case: Case, node: ArrayNode, store: Path) -> list[Difference]:
    label = node.path or "/"
    try:
        where = decoder.node_dir(store, node.path)
        doc = json.loads((where / (".zarray" if case.zarr_format == 2 else "zarr.json")).read_text())
        written = node_from_metadata(case.zarr_format, node.path, doc)
    except Exception as e:  # noqa: BLE001 - already judged by the decoder; this only compares
        return [Difference(Defect.METADATA, f"{label}: metadata unreadable as the catalogue's terms: {e}")]
    asked = {"chunks": list(node.chunks), "dtype": stored_dtype(node), "codecs": codec_ids(node),
             "chunk_key_encoding": node.chunk_key_encoding, "chunk_key_separator": node.chunk_key_separator,
             "order": node.order}
    got = {"chunks": list(written.chunks), "dtype": stored_dtype(written), "codecs": codec_ids(written),
           "chunk_key_encoding": written.chunk_key_encoding, "chunk_key_separator": written.chunk_key_separator,
           "order": written.order}
    # The grid: its kind and every chunk's edges, however the writer spelled them (an integer step,
    # run-length pairs and explicit lists are the same grid when they expand alike).
    asked["chunk_grid"] = ((node.chunk_grid or {}).get("name", "regular"), node_edges(node))
    got["chunk_grid"] = ((written.chunk_grid or {}).get("name", "regular"), node_edges(written))
    if written.sharding or node.sharding:
        asked["inner_chunks"] = list(node.read_chunks)
        got["inner_chunks"] = list(written.read_chunks)
        asked["index_location"] = (node.sharding or {}).get("index_location", "end")
        got["index_location"] = (written.sharding or {}).get("index_location", "end")
    diffs = [f"{k} {got[k]!r} (asked {asked[k]!r})" for k in asked if got[k] != asked[k]]
    if diffs:
        return [Difference(Defect.METADATA, f"{label}: wrote other metadata than asked: " + "; ".join(diffs))]
    return []
