"""What a store leaves undefined, so `check` does not vote on it: in Zarr v2 an array whose
`fill_value` is null has no value where its chunk is absent (the v2 spec, "Metadata": null when "no
fill_value is to be used" for uninitialized portions); each library returns whatever it chooses.
Which chunks are absent comes from the store's keys."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np


def defined_region(store: Path, path: str, zarr_format: int, doc: dict[str, Any],
                   box: list[list[int]] | None = None) -> tuple[np.ndarray | None, str]:
    """(mask of the defined elements, a sentence), or (None, "") when every element is defined. With
    `box` (a region read), the mask covers that box only."""
    if zarr_format != 2 or "fill_value" not in doc or doc["fill_value"] is not None:
        return None, ""
    shape: list[int] = doc.get("shape")  # type: ignore[assignment]  # checked just below
    chunks: list[int] = doc.get("chunks")  # type: ignore[assignment]
    if not (_counts(shape) and _counts(chunks) and len(chunks) == len(shape) and all(chunks)):
        return None, (f"fill_value is null, but chunks {chunks} do not tile shape {shape}: no region is left "
                      f"out of the vote")
    grid = [math.ceil(s / c) for s, c in zip(shape, chunks, strict=True)]
    total = math.prod(grid)
    separator = doc.get("dimension_separator") or "."
    present = _present_chunks(store / path if path else store, len(shape), separator, grid)
    if len(present) == total:
        return None, ""
    box = box if box is not None else [[0, n] for n in shape]
    mask = np.zeros([b - a for a, b in box], dtype=np.bool_)
    for index in present:
        lo = [max(i * c, a) for i, c, (a, _) in zip(index, chunks, box, strict=True)]
        hi = [min((i + 1) * c, b) for i, c, (_, b) in zip(index, chunks, box, strict=True)]
        if all(x < y for x, y in zip(lo, hi, strict=True)):
            mask[tuple(slice(x - a, y - a) for x, y, (a, _) in zip(lo, hi, box, strict=True))] = True
    undefined = mask.size - int(mask.sum())
    if not undefined:
        return None, ""
    return mask, (f"fill_value is null and {total - len(present)} of {total} chunks are absent: their "
                  f"{undefined} values{' in the box read' if len(box) and box != [[0, n] for n in shape] else ''} "
                  f"are undefined by the v2 spec and left out of the vote")


def _present_chunks(folder: Path, ndim: int, separator: str, grid: list[int]) -> set[tuple[int, ...]]:
    """The chunk indices whose key is a file of the array's folder (within the grid)."""
    if not folder.is_dir():
        return set()
    if ndim == 0:
        return {()} if (folder / "0").is_file() else set()
    if separator == "/":
        keys = [list(p.relative_to(folder).parts) for p in folder.rglob("*") if p.is_file()]
    else:
        keys = [p.name.split(separator) for p in folder.iterdir() if p.is_file()]
    out = set()
    for parts in keys:
        if len(parts) == ndim and all(p.isdigit() for p in parts):
            index = tuple(int(p) for p in parts)
            if all(i < n for i, n in zip(index, grid, strict=True)):
                out.add(index)
    return out


def _counts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value)
