"""Did a reader follow a hostile store out of itself? The files beside such a store carry a marker
(fixtures/edits.py), so what the reader returned says whether it read them."""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from zarr_conformance.fixtures.cases import Case
from zarr_conformance.fixtures.edits import ESCAPES, MARKER
from zarr_conformance.runners.compare import Mismatch, load_values
from zarr_conformance.runners.npy import UnusableValues

# Edits after which the array's metadata exists only outside the store: any answer read it there.
ONLY_OUTSIDE = {"escape-metadata-link"}


def escape_evidence(case: Case, nodes: list[dict[str, Any]]) -> str | None:
    """How a reader's answer shows it read outside the store, or None (also for every other case)."""
    if case.store_edit not in ESCAPES:
        return None
    if case.store_edit in ONLY_OUTSIDE and any(n.get("kind") == "array" for n in nodes):
        return f"followed a link out of the store: its array metadata exists only there ({case.description})"
    for node in nodes:
        if node.get("fill_value") == MARKER:
            return (f"followed a link out of the store: its fill value {MARKER} is the outside file's "
                    f"({case.description})")
        try:
            values = load_values(node.get("values"), node.get("path") or "/")
        except (Mismatch, UnusableValues):
            continue
        if _holds_marker(values):
            return (f"followed a link out of the store: returned the outside file's bytes as values "
                    f"({MARKER} = {MARKER:#x}; {case.description})")
    return None


def _holds_marker(values: np.ndarray) -> bool:
    """The marker as a value, in whatever integer type the reader chose."""
    try:
        return values.dtype.kind in "iu" and bool(np.any(values == MARKER))
    except (TypeError, ValueError):
        return False


def foreign_values(nodes: list[dict[str, Any]], out_dir: Path) -> str | None:
    """A reply whose values file lies outside the cell's output folder (or is a link leading out of it):
    the harness would read a file of the worker's choosing, anywhere on the host. None when all is well."""
    home = _real(str(out_dir)) + os.sep
    for node in nodes:
        ref = node.get("values") if isinstance(node, dict) else None
        where = ref.get("npy") if isinstance(ref, dict) else None
        if isinstance(where, str) and not _within(where, str(out_dir) + os.sep, home):
            return (f"values file {where!r} of {node.get('path') or '/'!r} lies outside the cell's output folder: "
                    f"not read (a worker may only answer with files it wrote there)")
    return None


@lru_cache(maxsize=256)
def _real(folder: str) -> str:
    """The real path of an output folder: the harness made it and it stays put for the run (a worker
    can only write inside it), so it is resolved once, not once per cell."""
    return os.path.realpath(folder)


def _within(where: str, given: str, home: str) -> bool:
    """`where` resolves inside `home` (the real output folder + os.sep; `given` is its spelling in the
    request). The usual answer, a plain file under the folder, costs one lstat per component below it;
    anything else (a link, '..', another spelling) is resolved in full."""
    rest = where[len(given):] if where.startswith(given) else where[len(home):] if where.startswith(home) else None
    parts = rest.split("/") if rest is not None else []
    if rest is None or any(p in ("", ".", "..") for p in parts):
        return os.path.realpath(where).startswith(home)
    path = home.rstrip(os.sep)
    for part in parts:
        path = f"{path}{os.sep}{part}"
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return True  # nothing there to follow: what is left resolves by name, inside
        except OSError:
            return os.path.realpath(where).startswith(home)
        if stat.S_ISLNK(mode):
            return os.path.realpath(where).startswith(home)
    return True
