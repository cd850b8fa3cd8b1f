"""Opening a store for `check` as it comes: which nodes it has, and what about it is worth saying.

A store reaches `check` as a folder or a zip (runners/check_zip.py), with its nodes recorded in node
documents, in consolidated metadata (runners/check_consolidated.py) or both, maybe without the
documents of its groups (implicit groups, from the v3 drafts), maybe with NCZarr's own metadata
(runners/check_nczarr.py). Whatever way a node is recorded, it is found and every reader is asked
about it; what a reader may see differently from another is a note on the node. A pre-release v3
draft store is refused with a one-line message: no reader of the final spec reads it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zarr_conformance.errors import StoreEscapeError, StoreFormatError
from zarr_conformance.fixtures.confine import escapes
from zarr_conformance.runners import check_consolidated, check_nczarr, check_zip

Node = tuple[str, str, dict[str, Any]]  # (path, "group" | "array", metadata document)
DOCUMENTS = {3: {"zarr.json": ""}, 2: {".zgroup": "group", ".zarray": "array"}}
DRAFT_PROTOCOL = "https://purl.org/zarr/spec/protocol/core/3.0"


@dataclass
class OpenedStore:
    folder: Path  # what the readers read: the store, or the zip's unpacked copy
    zarr_format: int
    nodes: list[Node]  # groups first, then arrays, each by path
    notes: dict[str, list[str]] = field(default_factory=dict)  # node path: what is worth saying about it


def open_store(store: Path, unpack_into: Path) -> OpenedStore:
    """The store's nodes, from a folder or a zip (unpacked into the new folder `unpack_into`)."""
    store_notes: list[str] = []
    folder = store
    if check_zip.is_zip(store):
        folder, store_notes = check_zip.unpack(store, unpack_into)
    elif not store.is_dir():
        raise StoreFormatError(f"{store} is not a folder or a zip: check takes a Zarr store (a folder, or a "
                               f"zip of one) on the local filesystem")
    refuse_escapes(folder)
    opened = open_folder(folder)
    if store_notes:
        opened.notes[""] = store_notes + opened.notes.get("", [])
    return opened


def refuse_escapes(store: Path) -> None:
    """A store that leads out of itself is refused before anything reads it: no reader is asked."""
    found = escapes(store)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise StoreEscapeError(f"{store}: refused, it leads out of itself: {'; '.join(found[:3])}{more}")


def open_folder(store: Path) -> OpenedStore:
    refuse_draft(store)
    fmt = _format(store)
    documents = _documents(store, fmt)
    opened = OpenedStore(store, fmt, [])
    consolidated = (check_consolidated.read_v2(store, metadata) if fmt == 2 else
                    check_consolidated.read_v3(store, documents.get("", ("", {}))[1]))
    nodes = dict(documents)
    if consolidated is not None:
        attributes = {path: _zattrs(store / path) for path in documents} if fmt == 2 else None
        _add_notes(opened, check_consolidated.compare(consolidated, documents, attributes))
        for path, found in consolidated.nodes.items():
            nodes.setdefault(path, found)  # a node known only from the consolidated metadata
    _add_implicit_groups(opened, nodes, fmt)
    opened.nodes = sorted(((p, k, d) for p, (k, d) in nodes.items()), key=lambda n: (n[1] != "group", n[0]))
    if fmt == 2:
        _add_notes(opened, check_nczarr.notes(store, opened.nodes))
    return opened


def refuse_draft(store: Path) -> None:
    """zarr-python 2's experimental v3 (ZARR_V3_EXPERIMENTAL_API=1) wrote a pre-release draft layout."""
    root = store / "zarr.json"
    said = metadata(root).get("zarr_format") if root.is_file() else None
    drafted = [f"zarr.json names the protocol {said}"] if isinstance(said, str) else []
    meta = store / "meta"
    if meta.is_dir() and ((meta / "root.group.json").is_file() or (meta / "root.array.json").is_file()
                          or (meta / "root").is_dir() and next((meta / "root").rglob("*.*.json"), None)):
        drafted.append("its node documents are meta/root/**.group.json and .array.json")
    if drafted:
        raise StoreFormatError(
            f"{store}: a pre-release Zarr v3 draft store ({'; '.join(drafted)}; chunks under data/root/), as "
            f"zarr-python 2's experimental v3 API wrote it: the final Zarr v3 spec and its readers do not read it; "
            f"re-write it with a current implementation (e.g. read it with zarr-python 2.x and write it with "
            f"zarr-python 3)")


def _format(store: Path) -> int:
    """3 or 2 by the root's documents, else by the documents below the root (a store of implicit groups)."""
    if (store / "zarr.json").is_file():
        return 3
    if any((store / name).is_file() for name in (".zgroup", ".zarray", check_consolidated.V2_NAME)):
        return 2
    for fmt in (3, 2):
        if any(next(store.rglob(name), None) for name in DOCUMENTS[fmt]):
            return fmt
    raise StoreFormatError(f"{store} is not a Zarr store: no zarr.json, .zgroup, .zarray or .zmetadata in it")


def _documents(store: Path, fmt: int) -> dict[str, tuple[str, dict[str, Any]]]:
    """The node documents in the store: path: (kind, document)."""
    found = {}
    for name, kind in DOCUMENTS[fmt].items():
        for meta in sorted(store.rglob(name)):
            doc = metadata(meta)
            node_type = kind or doc.get("node_type")
            if node_type not in ("group", "array"):
                continue
            rel = meta.parent.relative_to(store).as_posix()
            found["" if rel == "." else rel] = (str(node_type), doc)
    return found


def _add_implicit_groups(opened: OpenedStore, nodes: dict[str, tuple[str, dict[str, Any]]], fmt: int) -> None:
    """Every folder above a node that has no document of its own: an implicit group, asked about too."""
    name = "zarr.json" if fmt == 3 else ".zgroup"
    for path in sorted(nodes):
        parts = path.split("/") if path else []
        for depth in range(len(parts)):
            parent = "/".join(parts[:depth])
            if parent not in nodes:
                nodes[parent] = ("group", {})
                _add_notes(opened, {parent: [
                    f"implicit group: no {name} here, only nodes below it (the v3 drafts had implicit groups; the "
                    f"final v3 spec, like v2, wants a document for every group): each reader's answer says whether "
                    f"it opens it"]})


def _add_notes(opened: OpenedStore, notes: dict[str, list[str]]) -> None:
    for path, said in notes.items():
        opened.notes.setdefault(path, []).extend(said)


def _zattrs(folder: Path) -> Any:
    try:
        return metadata(folder / ".zattrs") if (folder / ".zattrs").is_file() else None
    except StoreFormatError:
        return None  # a broken .zattrs is the readers' business: each answer says what it made of it


def metadata(path: Path) -> dict[str, Any]:
    """A metadata document of the store, or a one-line StoreFormatError saying what is wrong with it."""
    try:
        doc = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise StoreFormatError(f"{path}: not valid JSON ({e})") from None
    except OSError as e:
        raise StoreFormatError(f"{path}: cannot read it: {e.strerror or e}") from None
    if not isinstance(doc, dict):
        raise StoreFormatError(f"{path}: a JSON {type(doc).__name__}, not a metadata object")
    return doc
