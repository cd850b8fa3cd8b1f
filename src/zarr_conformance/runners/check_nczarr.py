"""NCZarr's own metadata in a v2 store, named so that a difference in the attribute vote is explained.

netCDF-C's NCZarr (docs/nczarr.md in Unidata/netcdf-c) records netCDF-4 facts beside the Zarr ones:
- NCZarr version 1 (netCDF-C 4.8.x, "Appendix F. NCZarr Version 1 Meta-Data Representation"): objects of
  their own, `.nczarr` at the root, `.nczgroup`, `.nczarray`, `.nczattr` (`.nczattrs`, `.nczvar`) beside
  `.zgroup`, `.zarray`, `.zattrs`. They are not nodes; no other reader looks at them.
- later versions ("Zarr vs NCZarr"): keys `_nczarr_superblock`, `_nczarr_group`, `_nczarr_array`,
  `_nczarr_attr` (upper case in 4.9.0 and before) inside `.zgroup`, `.zarray` and `.zattrs`.
  In `.zattrs` they are attributes to every reader but netCDF-C, which hides them: the attribute vote
  then splits along that line, and the node's note says which attributes are NCZarr's.
`mode=zarr` ("pure zarr") writes none of these."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LEGACY_OBJECTS = (".nczarr", ".nczgroup", ".nczarray", ".nczattr", ".nczattrs", ".nczvar")
PREFIX = "_nczarr"
PROVENANCE = "_NCProperties"  # netCDF-4's reserved provenance attribute: netCDF-C hides it too


def _own_keys(doc: Any) -> list[str]:
    return sorted(k for k in doc if str(k).lower().startswith(PREFIX)) if isinstance(doc, dict) else []


def notes(store: Path, nodes: list[tuple[str, str, dict[str, Any]]]) -> dict[str, list[str]]:
    """Per node path, what NCZarr metadata it carries (v2 stores; nothing for others)."""
    found: dict[str, list[str]] = {}
    for path, _kind, doc in nodes:
        folder = store / path
        said = []
        legacy = [name for name in LEGACY_OBJECTS if (folder / name).is_file()]
        if legacy:
            said.append(f"NCZarr metadata present (legacy objects {', '.join(legacy)}, NCZarr version 1 as "
                        f"netCDF-C 4.8 wrote it): not nodes; only netCDF-C reads them")
        in_document = _own_keys(doc)
        if in_document:
            said.append(f"NCZarr metadata present (keys {', '.join(in_document)} in the node's document): "
                        f"only netCDF-C reads them")
        said.extend(_attribute_notes(_attributes(folder / ".zattrs"), pure=not (legacy or in_document)))
        if said:
            found[path] = said
    return found


def _attribute_notes(attributes: Any, pure: bool) -> list[str]:
    """Which attributes netCDF-C hides and the others show: the reason the attribute vote splits."""
    own = _own_keys(attributes)
    provenance = isinstance(attributes, dict) and PROVENANCE in attributes
    hidden = "netCDF-C hides {0}, every other reader shows {0} as {1}, so the attribute vote differs on {0}"
    if own:
        also = f", and {PROVENANCE} is netCDF-4's provenance" if provenance else ""
        why = hidden.format("them", "ordinary attributes")
        return [f"attributes {', '.join(own)} are NCZarr's own metadata{also}: {why}"]
    if provenance:
        how = " (netCDF-C wrote this node, in its pure Zarr mode=zarr as it carries no NCZarr keys)" if pure else ""
        return [f"attribute {PROVENANCE} is netCDF-4's provenance{how}: {hidden.format('it', 'an ordinary attribute')}"]
    return []


def _attributes(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes()) if path.is_file() else None
    except (OSError, ValueError):
        return None  # a broken .zattrs is every reader's business, said in their answers
