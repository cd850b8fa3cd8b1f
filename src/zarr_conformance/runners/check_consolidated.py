"""Consolidated metadata for `check`: the nodes it records, and where it disagrees with the store.

Two forms exist: zarr-python 2's `.zmetadata` beside the root's v2 documents
(`{"zarr_consolidated_format": 1, "metadata": {".zgroup": ..., "a/.zarray": ..., "a/.zattrs": ...}}`)
and zarr-python 3's inline `consolidated_metadata` in the root `zarr.json`
(`{"kind": "inline", "must_understand": false, "metadata": {"a": {...}, "a/b": {...}}}`). A reader
that opens consolidated metadata sees those documents; one that does not sees the node documents. When
they differ (a stale consolidation) the two kinds of readers see different stores: each node says so."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zarr_conformance.errors import StoreEscapeError, StoreFormatError

V2_NAME = ".zmetadata"
V3_KEY = "consolidated_metadata"


@dataclass
class Consolidated:
    where: str  # how the output names it: ".zmetadata" or "zarr.json's consolidated_metadata"
    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # path: (kind, document)
    attributes: dict[str, Any] = field(default_factory=dict)  # v2 only: path: its .zattrs


def read_v2(store: Path, load: Any) -> Consolidated | None:
    """`.zmetadata` at the root, or None. `load` reads a JSON document or raises StoreFormatError."""
    if not (store / V2_NAME).is_file():
        return None
    doc = load(store / V2_NAME)
    metadata = doc.get("metadata")
    if not isinstance(metadata, dict):
        raise StoreFormatError(f"{store / V2_NAME}: no \"metadata\" object, not zarr-python's consolidated metadata")
    found = Consolidated(V2_NAME)
    for key, value in metadata.items():
        folder, _, name = _inside(store / V2_NAME, str(key)).rpartition("/")
        if not isinstance(value, dict):
            continue  # said in the comparison: this node's document is then not what the store holds
        if name in (".zgroup", ".zarray"):
            found.nodes[folder] = ("group" if name == ".zgroup" else "array", value)
        elif name == ".zattrs":
            found.attributes[folder] = value
    return found


def _inside(where: Any, key: str) -> str:
    """A key of the consolidated metadata, refused when it names a place outside the store: readers are
    asked about these paths."""
    parts = key.split("/")
    if key.startswith(("/", "\\")) or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise StoreEscapeError(f"{where}: refused, its consolidated metadata names {key!r}, not a path in the store")
    return key


def read_v3(store: Path, root_doc: dict[str, Any] | None) -> Consolidated | None:
    """The root zarr.json's inline consolidated metadata, or None."""
    inline = (root_doc or {}).get(V3_KEY)
    if not isinstance(inline, dict) or not isinstance(inline.get("metadata"), dict):
        return None
    found = Consolidated(f"zarr.json's {V3_KEY}")
    for path, doc in inline["metadata"].items():
        if isinstance(doc, dict) and doc.get("node_type") in ("group", "array"):
            found.nodes[_inside(store / "zarr.json", str(path))] = (str(doc["node_type"]), doc)
    return found


def compare(consolidated: Consolidated, on_disk: dict[str, tuple[str, dict[str, Any]]],
            attributes: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Per node path, how the consolidated metadata and the node documents differ (empty when they agree).
    `attributes` (v2) is each node's .zattrs found in the store, None where it has none."""
    where, notes = consolidated.where, {}
    for path in sorted(set(consolidated.nodes) | set(on_disk)):
        said = []
        if path not in consolidated.nodes and path != "":
            said.append(f"not in the consolidated metadata ({where}): a reader that opens consolidated metadata "
                        f"does not see this node")
        elif path not in on_disk:
            said.append(f"no node document in the store: known only from the consolidated metadata ({where}); a "
                        f"reader that does not open consolidated metadata does not see this node")
        elif path in consolidated.nodes:
            difference = _difference(consolidated.nodes[path][1], on_disk[path][1])
            if difference:
                said.append(f"the consolidated metadata ({where}) differs from the node document: {difference}; "
                            f"readers that open consolidated metadata see the former, the others the latter")
        if attributes is not None and path in on_disk and path in consolidated.nodes:
            difference = _difference(consolidated.attributes.get(path) or {}, attributes.get(path) or {})
            if difference:
                said.append(f"the consolidated metadata ({where}) holds other attributes than .zattrs: {difference}")
        if said:
            notes[path] = said
    return notes


def _difference(consolidated: dict[str, Any], document: dict[str, Any]) -> str:
    """The top-level keys whose values differ, with both values (short); '' when the same.
    zarr-python 3 gives each group in the consolidated metadata its own (empty) consolidated_metadata:
    that key is the consolidation's own business, never a difference."""
    keys = sorted(k for k in set(consolidated) | set(document) if k != V3_KEY
                  and _canonical(consolidated.get(k)) != _canonical(document.get(k)))
    return "; ".join(f"{k!r} is {_short(consolidated, k)} there, {_short(document, k)} in the document"
                     for k in keys[:5]) + (f" (and {len(keys) - 5} more keys)" if len(keys) > 5 else "")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _short(doc: dict[str, Any], key: str) -> str:
    if key not in doc:
        return "absent"
    text = _canonical(doc[key])
    return text if len(text) <= 60 else text[:57] + "..."
