"""Everything a run leaves in its output folder: results.json, index.html, summary.md, junit.xml, and
history/ (the previous runs' results, the newest of which is the report's baseline by default)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from zarr_conformance.reports import history, html, junit, results_json, summary, surprises
from zarr_conformance.runners.run import RunResults


def summary_markdown(document: dict[str, Any], url: str | None = None) -> str:
    return summary.markdown(document) + "\n\n" + surprises.markdown(document, surprises.report_url(url)) + "\n"


def write_all(run: RunResults, out: Path, baseline: dict[str, Any] | None = None,
              report_url: str | None = None, auto_baseline: bool = True) -> dict[str, Any]:
    document = results_json.to_document(run)
    results_json.validate(document)  # before anything in the folder changes
    previous = history.archive(out)
    if baseline is None and auto_baseline:
        baseline = previous
    results_json.write(document, out / "results.json")
    render(document, out, baseline, report_url)
    return document


def render(document: dict[str, Any], out: Path, baseline: dict[str, Any] | None = None,
           report_url: str | None = None) -> str:
    """index.html, junit.xml and summary.md from a results document; returns the Markdown."""
    html.write(document, out / "index.html", baseline)
    junit.write(document, out / "junit.xml")
    markdown = summary_markdown(document, report_url)
    (out / "summary.md").write_text(markdown)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:  # GitHub Actions shows this file on the job's page
        with open(step_summary, "a", encoding="utf-8") as f:
            f.write("## Zarr conformance\n\n" + markdown)
    return markdown
