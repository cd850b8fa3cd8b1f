"""Which boxes of an array too large to read whole `check` asks every reader for (region reads,
docs/protocol.md), reproducibly: the same store gives the same boxes on every run and machine.

Three boxes of about a third of the budget each: the array's first corner (the first chunks), its
last corner (the edge chunks, where a partial chunk is cut), and one more placed by a hash of the
array's path and shape (and `--sample-seed`), so a store's interior is sampled too. A box's extent
is the array's, halved along its longest side until the box fits; boxes cut chunks wherever they
fall, which is what region reads get wrong."""

from __future__ import annotations

import hashlib
import math

Box = list[list[int]]  # [start, stop] per dimension
BOXES = 3


def sample_boxes(shape: list[int], item_bytes: int, budget_bytes: float, label: str, seed: int = 0) -> list[Box]:
    """Up to BOXES distinct boxes inside `shape`, each of at most budget_bytes / BOXES bytes."""
    extent = box_extent(shape, max(1, int(budget_bytes / BOXES / max(item_bytes, 1))))
    last = [n - e for n, e in zip(shape, extent, strict=True)]
    digest = hashlib.sha256(f"{label}|{shape}|{seed}".encode()).digest()
    inner = [int.from_bytes(digest[4 * d % 32:4 * d % 32 + 4], "big") % (room + 1) for d, room in enumerate(last)]
    boxes: list[Box] = []
    for start in ([0] * len(shape), last, inner):
        box = [[s, s + e] for s, e in zip(start, extent, strict=True)]
        if box not in boxes:
            boxes.append(box)
    return boxes


def box_extent(shape: list[int], max_elements: int) -> list[int]:
    """The array's extent, its longest side halved (rounding up) until it holds at most max_elements."""
    extent = list(shape)
    while math.prod(extent) > max_elements and max(extent) > 1:
        longest = extent.index(max(extent))
        extent[longest] = -(-extent[longest] // 2)
    return extent


def box_bytes(box: Box, item_bytes: int) -> int:
    return math.prod(b - a for a, b in box) * item_bytes
