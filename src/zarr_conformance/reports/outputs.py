"""Everything a run leaves in its output folder: results.json, index.html, summary.md."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from zarr_conformance.reports import html, results_json, summary
from zarr_conformance.runners.run import RunResults


def write_all(run: RunResults, out: Path, baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    document = results_json.to_document(run)
    results_json.write(document, out / "results.json")  # validates against the schema first
    html.write(document, out / "index.html", baseline)
    markdown = summary.markdown(document) + "\n"
    (out / "summary.md").write_text(markdown)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:  # GitHub Actions shows this file on the job's page
        with open(step_summary, "a", encoding="utf-8") as f:
            f.write("## Zarr conformance\n\n" + markdown)
    return document
