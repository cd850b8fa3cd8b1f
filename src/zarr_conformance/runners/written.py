"""Judging a write: the reference decoder reads the store back (it must follow the spec and hold the
case's values), and the metadata must say what the writer was asked to write."""

from __future__ import annotations

import json
from pathlib import Path

from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode, Case
from zarr_conformance.fixtures.grid import node_edges
from zarr_conformance.fixtures.metadata import node_from_metadata
from zarr_conformance.fixtures.tags import codec_ids, stored_dtype
from zarr_conformance.runners.compare import Mismatch, check_read


def check_written(case: Case, store: Path) -> None:
    """Raise Mismatch when the store is not a faithful, spec-conforming encoding of `case`."""
    if not store.is_dir():
        raise Mismatch(f"the writer reported success but {store} does not exist")
    try:
        nodes = decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])
    except (StoreFormatError, ValueError, KeyError, TypeError) as e:
        raise Mismatch(f"the reference decoder rejects the store: {type(e).__name__}: {e}") from None
    check_read(case, nodes)
    for node in case.arrays:
        _check_fidelity(case, node, store)


def _check_fidelity(case: Case, node: ArrayNode, store: Path) -> None:
    where = decoder.node_dir(store, node.path)
    doc = json.loads((where / (".zarray" if case.zarr_format == 2 else "zarr.json")).read_text())
    label = node.path or "/"
    written = node_from_metadata(case.zarr_format, node.path, doc)
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
        raise Mismatch(f"{label}: wrote other metadata than asked: " + "; ".join(diffs))
