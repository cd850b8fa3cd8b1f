"""Known results: `expectations/<impl>.toml`, one [[expect]] table per known deviation.

    [[expect]]
    fixture = "v2/dtype/*-be"     # glob on the fixture id
    exclude = ["v2/dtype/int8*"]  # optional: fixture globs this entry does not cover
    kind = "roundtrip"            # read | write | roundtrip | reject | * (default *), or a list of them
    role = "reader"               # which side of the cell this implementation is (default reader;
                                  # write cells are always the writer's)
    peer = "zarr-python-2"        # roundtrip: the other side, a glob or a list of globs (default *)
    status = "fail"
    message = "values differ"     # optional: the cell's message must contain this, else it failed
                                  # differently and is `unexpected` (use it with broad globs)
    reason = "why, in a sentence"
    issue = "https://github.com/.../issues/123"   # upstream link, where one exists
    defect = "values"             # optional: a `fail` must have this defect class, else it is unexpected
    documented = "https://..."    # optional: the library's own documentation of this limit (the
                                  # report shows "documented" beside the observed status)

Strict: a cell matching an entry but ending in another status is `unexpected`, so a fixed bug or a
new way of failing is seen."""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zarr_conformance.errors import ExpectationFileError
from zarr_conformance.runners.model import Cell, CellResult, Defect, Kind, Outcome, Status

FIELDS = {"fixture", "exclude", "kind", "role", "peer", "status", "message", "reason", "issue", "documented",
          "defect"}


@dataclass(frozen=True)
class Expectation:
    impl: str
    fixture: str
    status: Status
    reason: str
    kind: tuple[str, ...] = ("*",)
    role: str = "reader"
    peer: tuple[str, ...] = ("*",)
    issue: str = ""
    message: str = ""
    exclude: tuple[str, ...] = ()
    documented: str = ""  # the library documents this limit: the citation
    defect: str = ""  # a fail must carry this defect class

    def holds_for(self, result: CellResult) -> bool:
        """The cell ended as this entry says: same status, and the message named, if one is."""
        if self.defect and (result.defect is None or result.defect.value != self.defect):
            return False
        return result.status is self.status and self.message in result.message

    def matches(self, cell: Cell) -> bool:
        return self.covers(cell.fixture, cell.kind) and self.sides(cell)

    def covers(self, fixture: str, kind: Kind) -> bool:
        """The fixture and kind globs (the same answer for every cell of that fixture and kind)."""
        if not fnmatch.fnmatchcase(fixture, self.fixture) or \
                not any(fnmatch.fnmatchcase(kind.value, k) for k in self.kind):
            return False
        return not any(fnmatch.fnmatchcase(fixture, x) for x in self.exclude)

    def sides(self, cell: Cell) -> bool:
        """This implementation is the cell's writer or reader, as the entry's role says."""
        if cell.kind is Kind.WRITE:
            return cell.writer == self.impl
        if self.role == "writer":
            return cell.kind is Kind.ROUNDTRIP and cell.writer == self.impl and self._peer(str(cell.reader))
        return cell.reader == self.impl and self._peer(cell.writer)

    def _peer(self, impl: str) -> bool:
        return any(fnmatch.fnmatchcase(impl, p) for p in self.peer)


def load(directory: Path, impl_ids: list[str]) -> list[Expectation]:
    out: list[Expectation] = []
    for impl in impl_ids:
        path = directory / f"{impl}.toml"
        if path.exists():
            out += parse(path, impl)
    return out


def parse(path: Path, impl: str) -> list[Expectation]:
    try:
        doc = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise ExpectationFileError(f"{path}: not valid TOML: {e}") from None
    entries = doc.get("expect", [])
    if not isinstance(entries, list):
        raise ExpectationFileError(f"{path}: expected [[expect]] tables")
    return [_entry(path, impl, i, e) for i, e in enumerate(entries, 1)]


def _entry(path: Path, impl: str, number: int, raw: dict[str, Any]) -> Expectation:
    where = f"{path} entry {number}"
    unknown = set(raw) - FIELDS
    if unknown:
        raise ExpectationFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(FIELDS)}")
    for key in ("fixture", "status", "reason"):
        if not str(raw.get(key, "")).strip():
            raise ExpectationFileError(f"{where}: '{key}' is required (every known result needs a reason)")
    try:
        status = Status.parse(raw["status"])
    except ValueError as e:
        raise ExpectationFileError(f"{where}: {e}") from None
    if raw.get("defect", "") and raw["defect"] not in {d.value for d in Defect}:
        raise ExpectationFileError(f"{where}: defect must be one of {[d.value for d in Defect]}, got {raw['defect']!r}")
    if raw.get("role", "reader") not in ("reader", "writer"):
        raise ExpectationFileError(f"{where}: role must be 'reader' or 'writer', got {raw['role']!r}")
    peer = raw.get("peer", "*")
    return Expectation(impl=impl, fixture=raw["fixture"], status=status, reason=raw["reason"],
                       kind=_globs(raw.get("kind", "*")), role=raw.get("role", "reader"),
                       peer=_globs(peer), issue=raw.get("issue", ""),
                       message=raw.get("message", ""), exclude=tuple(raw.get("exclude", ())),
                       documented=raw.get("documented", ""), defect=raw.get("defect", ""))


def _globs(value: str | list[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


class Index:
    """The entries that can match a cell, found without testing them all: an entry matches only cells
    its implementation is the writer or the reader of (`Expectation.matches`), and its globs give the
    same answer for every cell of one fixture and kind. Testing every entry's globs against every
    cell was a third of the harness's own time per cell."""

    def __init__(self, entries: Sequence[Expectation]) -> None:
        self.entries = list(entries)
        self._by_impl: dict[str, list[tuple[int, Expectation]]] = {}
        for position, entry in enumerate(self.entries):
            self._by_impl.setdefault(entry.impl, []).append((position, entry))
        self._covering: dict[tuple[str, str, Kind], list[tuple[int, Expectation]]] = {}

    def _of(self, impl: str, cell: Cell) -> list[tuple[int, Expectation]]:
        """(position, entry) of `impl`'s entries whose globs cover the cell's fixture and kind."""
        key = (impl, cell.fixture, cell.kind)
        found = self._covering.get(key)
        if found is None:
            found = self._covering[key] = [(p, e) for p, e in self._by_impl.get(impl, ())
                                           if e.covers(cell.fixture, cell.kind)]
        return found

    def matching_positions(self, cell: Cell) -> list[tuple[int, Expectation]]:
        """(position, entry) of every entry matching `cell`, in file order."""
        found = self._of(cell.writer, cell)
        if cell.reader is not None and cell.reader != cell.writer:
            other = self._of(cell.reader, cell)
            if other:
                found = sorted(found + other, key=lambda pe: pe[0]) if found else other
        return [(p, e) for p, e in found if e.sides(cell)]

    def matching(self, cell: Cell) -> list[Expectation]:
        return [e for _, e in self.matching_positions(cell)]


def apply(result: CellResult, expectations: Sequence[Expectation] | Index) -> CellResult:
    """Fill expected_status and outcome of `result` (in place, and returned).

    A roundtrip cell may match entries of both sides (a writer's quirk and a reader's bug): it is
    expected when any matching entry holds for it. A write declared unsupported in spec.py (an API
    gap, cited there) and a skipped cell are never unexpected; every other status, a worker's own
    decline included, must be matched like any result."""
    index = expectations if isinstance(expectations, Index) else Index(expectations)
    matching = index.matching(result.cell)
    entry = next((e for e in matching if e.holds_for(result)), matching[0] if matching else None)
    if result.status is Status.SKIP or (result.status is Status.UNSUPPORTED and result.declared):
        result.expected_status, result.outcome = result.status, Outcome.EXPECTED
    elif entry is not None:
        result.expected_status = entry.status
        result.expectation_reason, result.expectation_issue = entry.reason, entry.issue
        result.expectation_documented = entry.documented
        result.outcome = Outcome.EXPECTED if entry.holds_for(result) else Outcome.UNEXPECTED
    else:
        result.expected_status = Status.PASS
        result.outcome = Outcome.EXPECTED if result.status is Status.PASS else Outcome.NEW
    return result


def unused(expectations: Sequence[Expectation] | Index, results: list[CellResult]) -> list[Expectation]:
    """Entries that matched no cell of the run: stale, or for cells the run did not select."""
    index = expectations if isinstance(expectations, Index) else Index(expectations)
    used: set[int] = set()
    for r in results:
        used.update(p for p, _ in index.matching_positions(r.cell))
    return [e for p, e in enumerate(index.entries) if p not in used]
