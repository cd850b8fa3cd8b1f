"""Per-implementation counts of a results document: the one-screen summary and CI job summaries."""

from __future__ import annotations

from collections import Counter
from typing import Any

from zarr_conformance.reports import conventions
from zarr_conformance.runners.model import Status

COLUMNS = [s.value for s in Status]
# A `fail` whose worst defect is one of these handed a user wrong or no data without an error.
SILENT = ("escape", "values", "missing", "accepted")


def silently_wrong(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """impl id -> its fails that returned wrong values (or nothing) with no error: what users need first."""
    table: dict[str, list[dict[str, Any]]] = {i["id"]: [] for i in document["implementations"]}
    for r in document["results"]:
        if r["status"] == "fail" and r.get("defect") in SILENT:
            impl = r["writer"] if r["kind"] == "write" else r["reader"]
            table.setdefault(impl, []).append(r)
    return table


READ_SIDE_COLUMNS = ("pass", "clean refusal", "silently wrong", "empty", "other fail", "crash", "timeout",
                     "not judged")


def read_side(document: dict[str, Any]) -> dict[str, Counter[str]]:
    """impl id -> what happened when it was asked to read (read, reject and roundtrip cells): the
    answer to "when it can't handle a store, does it say so or hand back wrong numbers?"."""
    table: dict[str, Counter[str]] = {}
    for r in document["results"]:
        if r["kind"] == "write":
            continue
        table.setdefault(r["reader"], Counter())[_what_happened(r)] += 1
    return table


def _what_happened(r: dict[str, Any]) -> str:
    status, defect = r["status"], r.get("defect")
    if status == "fail":
        if defect == "missing":
            return "empty"
        return "silently wrong" if defect in SILENT else "other fail"
    if status == "error" or (status == "pass" and r["kind"] == "reject"):
        return "clean refusal" if status == "error" else "pass"
    return {"skip": "not judged", "unsupported": "not judged"}.get(status, status)


def by_defect(document: dict[str, Any]) -> dict[str, Counter[str]]:
    """impl id -> defect -> fails."""
    table: dict[str, Counter[str]] = {}
    for r in document["results"]:
        if r["status"] == "fail":
            impl = r["writer"] if r["kind"] == "write" else r["reader"]
            table.setdefault(impl, Counter())[r.get("defect") or "unknown"] += 1
    return table


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
    wrong = silently_wrong(document)
    lines = ["| implementation | version | launcher | silently wrong | " + " | ".join(COLUMNS) + " |",
             "|---|---|---|---:|" + "---:|" * len(COLUMNS)]
    for impl, c in counts(document).items():
        info = impls.get(impl, {})
        version = info.get("version", "") if info.get("available", True) else "unavailable"
        lines.append(f"| {impl} | {version} | {info.get('launcher', '')} | {len(wrong.get(impl, []))} | "
                     + " | ".join(str(c.get(s, 0)) for s in COLUMNS) + " |")
    lines += ["", *read_side_markdown(document)]
    o = outcomes(document)
    lines.append("")
    lines.append(f"{len(document['results'])} cells: {o.get('expected', 0)} as expected, "
                 f"{o.get('new', 0)} new, {o.get('unexpected', 0)} unexpected.")
    lines += conventions.markdown(document)  # who reads and writes each convention
    return "\n".join(lines)


def read_side_markdown(document: dict[str, Any]) -> list[str]:
    lines = ["Asked to read (read, reject and roundtrip cells), what each implementation did:", "",
             "| reader | " + " | ".join(READ_SIDE_COLUMNS) + " |", "|---|" + "---:|" * len(READ_SIDE_COLUMNS)]
    for impl, c in read_side(document).items():
        lines.append(f"| {impl} | " + " | ".join(str(c.get(k, 0)) for k in READ_SIDE_COLUMNS) + " |")
    return lines
