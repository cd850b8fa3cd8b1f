from __future__ import annotations

from zarr_conformance.reports import diff


def _doc(*cells: tuple[str, str, str]) -> dict:
    return {"results": [{"kind": "read", "fixture": f, "writer": "reference", "reader": r, "status": s, "message": ""}
                        for f, r, s in cells]}


def test_regressions_fixes_and_new_cells_are_told_apart() -> None:
    before = _doc(("a", "x", "pass"), ("b", "x", "fail"), ("c", "x", "error"), ("d", "x", "pass"))
    after = _doc(("a", "x", "fail"), ("b", "x", "pass"), ("c", "x", "crash"), ("d", "x", "pass"), ("e", "x", "fail"))
    d = diff.diff(before, after)
    assert [c.fixture for c in d.new_failures] == ["a"]
    assert [c.fixture for c in d.new_passes] == ["b"]
    assert [(c.fixture, c.before, c.after) for c in d.changed] == [("c", "error", "crash")]
    assert [c.fixture for c in d.failing_new_cells] == ["e"]
    assert (d.added, d.removed) == (1, 0)
    assert "1 new failures, 1 new passes" in diff.markdown(d)


def test_identical_runs_have_no_changes() -> None:
    doc = _doc(("a", "x", "pass"), ("b", "x", "fail"))
    assert diff.diff(doc, doc).empty
