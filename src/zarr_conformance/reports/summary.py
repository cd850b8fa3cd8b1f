"""Per-implementation counts of a results document: the one-screen summary and CI job summaries."""

from __future__ import annotations

from collections import Counter
from typing import Any

from zarr_conformance.reports import conventions
from zarr_conformance.runners.model import Status

COLUMNS = [s.value for s in Status]


def counts(document: dict[str, Any]) -> dict[str, Counter[str]]:
    """impl id -> status -> cells; a cell counts for its reader (its writer for write cells)."""
    table: dict[str, Counter[str]] = {i["id"]: Counter() for i in document["implementations"]}
    for r in document["results"]:
        impl = r["writer"] if r["kind"] == "write" else r["reader"]
        table.setdefault(impl, Counter())[r["status"]] += 1
    return table


def by_kind(document: dict[str, Any], impl: str) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = {}
    for r in document["results"]:
        owner = r["writer"] if r["kind"] == "write" else r["reader"]
        if owner == impl:
            table.setdefault(r["kind"], Counter())[r["status"]] += 1
    return table


def outcomes(document: dict[str, Any]) -> Counter[str]:
    return Counter(r["outcome"] for r in document["results"])


def markdown(document: dict[str, Any]) -> str:
    """The summary as a Markdown table (GitHub Actions job summary)."""
    impls = {i["id"]: i for i in document["implementations"]}
    lines = ["| implementation | version | launcher | " + " | ".join(COLUMNS) + " |",
             "|---|---|---|" + "---:|" * len(COLUMNS)]
    for impl, c in counts(document).items():
        info = impls.get(impl, {})
        version = info.get("version", "") if info.get("available", True) else "unavailable"
        lines.append(f"| {impl} | {version} | {info.get('launcher', '')} | "
                     + " | ".join(str(c.get(s, 0)) for s in COLUMNS) + " |")
    o = outcomes(document)
    lines.append("")
    lines.append(f"{len(document['results'])} cells: {o.get('expected', 0)} as expected, "
                 f"{o.get('new', 0)} new, {o.get('unexpected', 0)} unexpected.")
    lines += conventions.markdown(document)  # who reads and writes each convention
    return "\n".join(lines)
