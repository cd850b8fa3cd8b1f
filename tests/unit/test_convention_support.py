"""The per-convention support table: passing read/write cells out of those asked, per implementation."""

from __future__ import annotations

from zarr_conformance.reports.conventions import markdown, support


def _doc() -> dict:
    fixtures = [{"id": "v3/grid/a", "tags": {"feature": "grid/rectilinear"}},
                {"id": "v3/grid/reject-x", "tags": {"feature": "grid/rectilinear"}},
                {"id": "v3/dtype/int8", "tags": {"feature": "dtype"}}]
    res = [("read", "v3/grid/a", "reference", "x", "pass"), ("reject", "v3/grid/reject-x", "reference", "x", "pass"),
           ("write", "v3/grid/a", "x", None, "unsupported"), ("read", "v3/grid/a", "reference", "y", "error"),
           ("write", "v3/grid/a", "y", None, "pass"), ("roundtrip", "v3/grid/a", "y", "x", "fail"),
           ("read", "v3/dtype/int8", "reference", "x", "fail")]
    return {"implementations": [{"id": "x"}, {"id": "y"}], "fixtures": fixtures,
            "results": [{"kind": k, "fixture": f, "writer": w, "reader": r, "status": s} for k, f, w, r, s in res]}


def test_support_counts_reads_and_writes_per_convention() -> None:
    table = support(_doc())
    assert list(table) == ["grid/rectilinear"]
    assert table["grid/rectilinear"]["x"] == {"read": (2, 2), "write": (0, 0)}
    assert table["grid/rectilinear"]["y"] == {"read": (0, 1), "write": (1, 1)}


def test_markdown_marks_what_was_not_asked() -> None:
    text = "\n".join(markdown(_doc()))
    assert "| grid/rectilinear | r 2/2 w - | r 0/1 w 1/1 |" in text
