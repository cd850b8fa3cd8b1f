"""Who reads and who writes each convention: per feature group of the conventions (sparse/...,
grid/...) and implementation, the passing read cells (golden stores, broken ones included) and write
cells out of those asked."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

GROUPS = ("sparse/", "grid/", "string/", "ragged/")


def support(document: dict[str, Any]) -> dict[str, dict[str, dict[str, tuple[int, int]]]]:
    """feature -> impl -> {"read": (passed, asked), "write": (passed, asked)}; unsupported cells are
    not counted as asked, so (0, 0) means the implementation was never asked."""
    feature = {f["id"]: f["tags"]["feature"] for f in document["fixtures"]}
    table: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: {"read": [0, 0], "write": [0, 0]}))
    for r in document["results"]:
        group = feature.get(r["fixture"], "")
        if not group.startswith(GROUPS) or r["kind"] == "roundtrip" or r["status"] == "unsupported":
            continue
        side, impl = ("write", r["writer"]) if r["kind"] == "write" else ("read", r["reader"])
        cell = table[group][impl][side]
        cell[1] += 1
        cell[0] += r["status"] == "pass"
    return {g: {i: {k: (v[0], v[1]) for k, v in sides.items()} for i, sides in impls.items()}
            for g, impls in sorted(table.items())}


def markdown(document: dict[str, Any]) -> list[str]:
    """The support table as Markdown lines (empty when the run had no convention cases)."""
    table = support(document)
    if not table:
        return []
    impls = [i["id"] for i in document["implementations"]]
    lines = ["", "| convention | " + " | ".join(impls) + " |", "|---|" + "---|" * len(impls)]
    for group, by_impl in table.items():
        cells = []
        for impl in impls:
            sides = by_impl.get(impl, {"read": (0, 0), "write": (0, 0)})
            cells.append(" ".join(f"{k[0]} {p}/{n}" if n else f"{k[0]} -" for k, (p, n) in sides.items()))
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("r/w: passing read (reject included) / write cells out of those asked; - : not asked.")
    return lines
