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
    reproduce: str = ""
    worker_s: float = 0.0  # time spent waiting on the worker (benchmarks: the rest is the harness's)
    defect: str = ""  # what kind of wrong a fail is ("escape": the reader read outside the store)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.cell.kind.value, "fixture": self.cell.fixture, "writer": self.cell.writer,
                "reader": self.cell.reader, "status": self.status.value,
                "expected_status": self.expected_status.value, "outcome": self.outcome.value,
                "message": self.message, "duration_s": round(self.duration_s, 6),
                **({"defect": self.defect} if self.defect else {})}
