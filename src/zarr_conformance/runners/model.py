"""The closed vocabularies (status, kind, outcome) and the cell, shared by runner, reports and pytest."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"  # wrong values or metadata: silent corruption, the worst kind
    ERROR = "error"  # the implementation raised
    UNSUPPORTED = "unsupported"  # declared by the adapter before trying
    CRASH = "crash"  # the worker died
    TIMEOUT = "timeout"  # the worker did not answer in time
    SKIP = "skip"  # nothing to do: e.g. the writer produced no store to read

    @classmethod
    def parse(cls, text: str) -> Status:
        try:
            return cls(text)
        except ValueError:
            raise ValueError(f"Expected a status among {[s.value for s in cls]}. Got {text!r} instead.") from None


class Kind(StrEnum):
    READ = "read"  # golden fixture x reader
    WRITE = "write"  # writer writes a case; the reference decoder checks the store
    ROUNDTRIP = "roundtrip"  # what writer W wrote, read by reader R
    REJECT = "reject"  # negative fixture: the right answer is an error


class Defect(StrEnum):
    """What a `fail` got wrong, most harmful first: the first one found names the cell."""

    ESCAPE = "escape"  # read through a link or key out of the store
    VALUES = "values"  # silent data corruption
    MISSING = "missing"  # an empty answer: a node asked for is absent from the reply
    ACCEPTED = "accepted"  # returned values for a store that must be refused
    SHAPE = "shape"
    DTYPE = "dtype"
    FILL_VALUE = "fill_value"
    INVALID_STORE = "invalid_store"  # a writer's store the reference decoder rejects
    METADATA = "metadata"  # a writer wrote other metadata than asked
    ATTRIBUTES = "attributes"
    DIMENSION_NAMES = "dimension_names"

    @property
    def rank(self) -> int:
        return list(Defect).index(self)


class Outcome(StrEnum):
    EXPECTED = "expected"
    UNEXPECTED = "unexpected"  # an expectation exists and the cell differs from it
    NEW = "new"  # no expectation, and the cell is not a pass


REFERENCE = "reference"


@dataclass(frozen=True)
class Cell:
    kind: Kind
    fixture: str
    writer: str
    reader: str | None  # None for write cells

    @property
    def worker(self) -> str:
        """The implementation whose worker runs this cell."""
        return self.writer if self.kind is Kind.WRITE else str(self.reader)

    @property
    def test_id(self) -> str:
        if self.kind is Kind.WRITE:
            return f"{self.writer}-{self.fixture}"
        if self.kind is Kind.ROUNDTRIP:
            return f"{self.writer}->{self.reader}-{self.fixture}"
        return f"{self.reader}-{self.fixture}"


@dataclass
class CellResult:
    cell: Cell
    status: Status
    message: str = ""
    duration_s: float = 0.0
    expected_status: Status = Status.PASS
    outcome: Outcome = Outcome.EXPECTED
    expectation_reason: str = ""
    expectation_issue: str = ""
    expectation_documented: str = ""
    reproduce: str = ""
    worker_s: float = 0.0  # time spent waiting on the worker (benchmarks: the rest is the harness's)
    # A `fail`'s worst defect, and every difference found (the judge never stops at the first).
    defect: Defect | None = None
    differences: tuple[str, ...] = ()
    # `unsupported` declared in spec.py before asking (write gaps with a citation); any other
    # `unsupported` (a worker's decline, a codec its hello disabled) is matched by expectations.
    declared: bool = False
    harness_fault: bool = False  # the judge itself failed on this cell: the run exits 2

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "kind": self.cell.kind.value, "fixture": self.cell.fixture, "writer": self.cell.writer,
            "reader": self.cell.reader, "status": self.status.value,
            "expected_status": self.expected_status.value, "outcome": self.outcome.value,
            "message": self.message, "duration_s": round(self.duration_s, 6),
            "defect": self.defect.value if self.defect else None, "differences": list(self.differences)}
        if self.expectation_reason:
            out["expectation"] = {"reason": self.expectation_reason, "issue": self.expectation_issue,
                                  "documented": self.expectation_documented}
        return out
