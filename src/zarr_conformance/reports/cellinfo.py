"""What every report says about one cell of results.json: whose it is, how to rerun it, why it is
expected, and its message made readable (results.json keeps the full text)."""

from __future__ import annotations

import re
import shlex
from typing import Any

# A written store's place in the run's scratch folder says nothing to a reader of the report.
_SCRATCH = re.compile(r"(?:/[^\s'\"(){}\[\],:]+)*/scratch/run-[^/\s'\"]+/?")
MAX_LINE = 300
MAX_LINES = 12


def owner(r: dict[str, Any]) -> str:
    """The implementation a cell counts for: the writer of a write cell, else the reader."""
    return r["writer"] if r["kind"] == "write" else r["reader"]


def test_id(r: dict[str, Any]) -> str:
    if r["kind"] == "write":
        return f"{r['writer']}-{r['fixture']}"
    if r["kind"] == "roundtrip":
        return f"{r['writer']}->{r['reader']}-{r['fixture']}"
    return f"{r['reader']}-{r['fixture']}"


def reproduce(r: dict[str, Any]) -> str:
    """The command that runs this one cell again."""
    impls = [owner(r)] + ([r["writer"]] if r["kind"] == "roundtrip" and r["writer"] != r["reader"] else [])
    args = ["zarr-conformance", "run"]
    for impl in impls:
        args += ["--impl", impl]
    args += ["--kind", r["kind"], "-k", f"{r['kind']} {test_id(r)}"]
    return shlex.join(args)


def expectation(r: dict[str, Any]) -> dict[str, str]:
    """The expectation's reason, upstream issue and documentation citation (empty strings when absent:
    results.json before these fields, or a cell no expectation covers)."""
    e = r.get("expectation") or {}
    return {k: str(e.get(k) or "") for k in ("reason", "issue", "documented")}


def trim(message: str) -> str:
    """Scratch paths become `<scratch>/`; long lines (spec and metadata dumps) and long messages are cut."""
    text = _SCRATCH.sub("<scratch>/", message or "")
    lines = []
    for line in text.splitlines():
        cut = len(line) - MAX_LINE
        lines.append(line if cut <= 0 else line[:MAX_LINE] + f" … ({cut} more characters)")
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"… ({len(lines) - MAX_LINES} more lines in results.json)"]
    return "\n".join(lines)


def headline(r: dict[str, Any]) -> str:
    """One line: the first line of the trimmed message."""
    return (trim(r.get("message", "")).splitlines() or [""])[0]
