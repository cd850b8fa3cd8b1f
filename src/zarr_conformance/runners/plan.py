"""Which cells a run has: the read, reject, write and writer x reader roundtrip matrix, narrowed."""

from __future__ import annotations

import fnmatch

from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import HarnessError
from zarr_conformance.fixtures.cases import Case
from zarr_conformance.runners.model import REFERENCE, Cell, Kind


def plan(cases: tuple[Case, ...], specs: list[AdapterSpec], kinds: set[Kind] | None = None,
         pattern: str | None = None) -> list[Cell]:
    kinds = kinds or set(Kind)
    api_gaps = {s.id: s.writes for s in specs if s.writes is not None}
    cells: list[Cell] = []
    for case in cases:
        # Convention-only implementations (binsparse, anndata) get only their convention's cases.
        readers = [s.id for s in specs if s.reads is not None and s.covers(case)]
        writers = [s.id for s in specs if s.writes is not None and s.covers(case, writing=True)]
        if case.must_reject:
            cells += [Cell(Kind.REJECT, case.id, REFERENCE, r) for r in readers]
            continue
        cells += [Cell(Kind.READ, case.id, REFERENCE, r) for r in readers]
        cells += [Cell(Kind.WRITE, case.id, w, None) for w in writers]
        # The reference writer's store is the golden store itself: read cells already cover it. A write
        # the writer's API cannot express (its write cell says so, with the citation) leaves nothing to read.
        cells += [Cell(Kind.ROUNDTRIP, case.id, w, r) for w in writers if w != REFERENCE
                  and not api_gaps[w].refuses(case) for r in readers]
    return [c for c in cells if c.kind in kinds and matches(c, pattern)]


def check_pattern(pattern: str | None) -> None:
    """Refuse a -k that can only be a typo: empty, or a glob with an unclosed '['."""
    if pattern is None:
        return
    if not pattern.strip():
        raise HarnessError("-k '': an empty pattern (leave -k out to run every cell)")
    opened = pattern.rfind("[")
    if opened >= 0 and "]" not in pattern[opened + 2:]:  # '[]...]' and '[!]...]' hold a literal ']'
        raise HarnessError(f"-k {pattern!r}: an unclosed '[' in the glob (write [[] for a literal '[')")


def matches(cell: Cell, pattern: str | None) -> bool:
    """-k: a glob when it has glob characters, else a substring, of '<kind> <test id>'."""
    if not pattern:
        return True
    text = f"{cell.kind.value} {cell.test_id}"
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(text, pattern) or fnmatch.fnmatchcase(cell.fixture, pattern)
    return pattern in text
