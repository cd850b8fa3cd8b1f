from __future__ import annotations

from pathlib import Path

import pytest

from zarr_conformance.errors import ExpectationFileError
from zarr_conformance.runners import expectations as ex
from zarr_conformance.runners.model import Cell, CellResult, Defect, Kind, Outcome, Status


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "impl.toml"
    path.write_text(text)
    return path


def test_entry_without_reason_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/*"\nstatus = "fail"\n')
    with pytest.raises(ExpectationFileError, match="'reason' is required"):
        ex.parse(path, "impl")


def test_unknown_status_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/*"\nstatus = "broken"\nreason = "x"\n')
    with pytest.raises(ExpectationFileError, match="Expected a status"):
        ex.parse(path, "impl")


def _result(status: Status, kind: Kind = Kind.READ, writer: str = "reference") -> CellResult:
    return CellResult(Cell(kind, "v2/dtype/int32-be", writer, "impl"), status)


def test_outcomes(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/dtype/*-be"\nkind = "read"\nstatus = "fail"\n'
                            'reason = "big-endian ignored"\nissue = "https://example.org/1"\n')
    entries = ex.parse(path, "impl")
    assert ex.apply(_result(Status.FAIL), entries).outcome is Outcome.EXPECTED
    fixed = ex.apply(_result(Status.PASS), entries)
    assert (fixed.outcome, fixed.expected_status) == (Outcome.UNEXPECTED, Status.FAIL)
    assert ex.apply(_result(Status.ERROR, Kind.ROUNDTRIP, "zarr-python"), entries).outcome is Outcome.NEW
    declared = CellResult(Cell(Kind.WRITE, "v2/dtype/int32-be", "impl", None), Status.UNSUPPORTED, declared=True)
    assert ex.apply(declared, entries).outcome is Outcome.EXPECTED
    # A worker's own decline (or a codec its hello disabled) is behaviour: it needs an expectation.
    assert ex.apply(_result(Status.UNSUPPORTED, Kind.ROUNDTRIP, "x"), entries).outcome is Outcome.NEW
    assert ex.apply(_result(Status.SKIP, Kind.ROUNDTRIP, "x"), entries).outcome is Outcome.EXPECTED


def test_defect_must_match(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/*"\nstatus = "fail"\ndefect = "attributes"\n'
                            'reason = "adds _NCProperties"\ndocumented = "https://example.org/doc"\n')
    entries = ex.parse(path, "impl")
    attrs = CellResult(Cell(Kind.READ, "v2/x", "reference", "impl"), Status.FAIL, "x", defect=Defect.ATTRIBUTES)
    values = CellResult(Cell(Kind.READ, "v2/x", "reference", "impl"), Status.FAIL, "x", defect=Defect.VALUES)
    assert ex.apply(attrs, entries).outcome is Outcome.EXPECTED
    assert attrs.expectation_documented == "https://example.org/doc"
    assert ex.apply(values, entries).outcome is Outcome.UNEXPECTED


def test_unknown_defect_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/*"\nstatus = "fail"\ndefect = "oops"\nreason = "x"\n')
    with pytest.raises(ExpectationFileError, match="defect must be one of"):
        ex.parse(path, "impl")


def test_writer_role_matches_roundtrips_of_that_writer(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "*"\nkind = "roundtrip"\nrole = "writer"\npeer = "r*"\n'
                            'status = "fail"\nreason = "writes wrong fill"\n')
    entry = ex.parse(path, "w")[0]
    assert entry.matches(Cell(Kind.ROUNDTRIP, "f", "w", "reader"))
    assert not entry.matches(Cell(Kind.ROUNDTRIP, "f", "w", "other"))
    assert not entry.matches(Cell(Kind.ROUNDTRIP, "f", "x", "reader"))


def test_failing_differently_is_unexpected(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[expect]]\nfixture = "v2/*"\nstatus = "fail"\nmessage = "attributes differ"\n'
                            'reason = "adds _NCProperties"\n')
    entries = ex.parse(path, "impl")
    same = CellResult(Cell(Kind.READ, "v2/x", "reference", "impl"), Status.FAIL, "/: attributes differ: ...")
    other = CellResult(Cell(Kind.READ, "v2/x", "reference", "impl"), Status.FAIL, "data: 3 of 300 values differ")
    assert ex.apply(same, entries).outcome is Outcome.EXPECTED
    assert ex.apply(other, entries).outcome is Outcome.UNEXPECTED


def test_every_shipped_expectation_file_loads() -> None:
    # A merge leftover or a typo in one file would otherwise surface only when that implementation runs.
    from zarr_conformance.adapters import registry
    from zarr_conformance.paths import default_expectations

    folder = default_expectations()
    assert folder is not None
    known = set(registry.discover())
    for path in sorted(folder.glob("*.toml")):
        assert path.stem in known, f"{path.name}: no implementation {path.stem!r}"
        assert ex.parse(path, path.stem), f"{path.name} has no entries"
