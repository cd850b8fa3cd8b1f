"""`zarr-conformance report results.json`: re-render the HTML, JUnit XML and Markdown from a results file."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.reports import results_json
from zarr_conformance.reports.outputs import render


def report_command(results: Path, out: Path | None, baseline: Path | None = None,
                   report_url: str | None = None) -> int:
    document = results_json.read(results)
    folder = out or results.parent
    print(render(document, folder, results_json.read(baseline) if baseline else None, report_url))
    print(f"wrote {folder / 'index.html'}, {folder / 'junit.xml'} and {folder / 'summary.md'}")
    return 0
