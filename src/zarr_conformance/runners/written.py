"""Judging a write: the reference decoder reads the store back (it must follow the spec and hold the
case's values), and the metadata must say what the writer was asked to write."""

from __future__ import annotations

import json
from pathlib import Path

from zarr_conformance.errors import StoreFormatError
from zarr_conformance.fixtures import decoder
from zarr_conformance.fixtures.cases import ArrayNode, Case
from zarr_conformance.fixtures.metadata import node_from_metadata
from zarr_conformance.fixtures.tags import codec_ids, stored_dtype
from zarr_conformance.runners.compare import Mismatch, check_read


def check_written(case: Case, store: Path) -> None:
    """Raise Mismatch when the store is not a faithful, spec-conforming encoding of `case`."""
    if not store.is_dir():
        raise Mismatch(f"the writer reported success but {store} does not exist")
    _shapes_as_asked(case, store)
    try:
        nodes = decoder.read_nodes(store, case.zarr_format, [(n.path, n.kind) for n in case.nodes])
    except (StoreFormatError, ValueError, KeyError, TypeError) as e:
        raise Mismatch(f"the reference decoder rejects the store: {type(e).__name__}: {e}") from None
    check_read(case, nodes)
    for node in case.arrays:
        _check_fidelity(case, node, store)


MAX_METADATA_BYTES = 16 * 2**20


def _shapes_as_asked(case: Case, store: Path) -> None:
    """Before the in-process reference decoder allocates anything: each array's metadata is of a sane
    size and has the shape asked for, so a writer's claim (a shape of 2**40) never sizes the harness's
    memory. Anything else wrong is left to the decoder and the fidelity check."""
    for node in case.arrays:
        try:
            meta = decoder.node_dir(store, node.path) / (".zarray" if case.zarr_format == 2 else "zarr.json")
        except StoreFormatError as e:
            raise Mismatch(f"{node.path or '/'}: {e}") from None
        if not meta.is_file():
            continue  # the decoder reports the missing document
        if meta.stat().st_size > MAX_METADATA_BYTES:
            raise Mismatch(f"{node.path or '/'}: wrote a {meta.name} of {meta.stat().st_size} bytes; not read")
        try:
            shape = json.loads(meta.read_bytes()).get("shape")
        except (ValueError, AttributeError):
            continue  # not JSON or not an object: the decoder says so in its own words
        if shape != list(node.shape):
            raise Mismatch(f"{node.path or '/'}: wrote shape {str(shape)[:100]} (asked {list(node.shape)}); "
                           f"the store was not decoded")


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
    if written.sharding or node.sharding:
        asked["inner_chunks"] = list(node.read_chunks)
        got["inner_chunks"] = list(written.read_chunks)
        asked["index_location"] = (node.sharding or {}).get("index_location", "end")
        got["index_location"] = (written.sharding or {}).get("index_location", "end")
    diffs = [f"{k} {got[k]!r} (asked {asked[k]!r})" for k in asked if got[k] != asked[k]]
    if diffs:
        raise Mismatch(f"{label}: wrote other metadata than asked: " + "; ".join(diffs))
