"""Everything a run leaves in its output folder: results.json, index.html, summary.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zarr_conformance.reports import html, results_json, summary
from zarr_conformance.runners.run import RunResults


def write_all(run: RunResults, out: Path) -> dict[str, Any]:
    document = results_json.to_document(run)
    results_json.write(document, out / "results.json")  # validates against the schema first
    html.write(document, out / "index.html")
    (out / "summary.md").write_text(summary.markdown(document) + "\n")
    return document
