"""`zarr-conformance report results.json`: re-render the HTML, JUnit XML and Markdown from a results file."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.commands.inputs import read_results, writable_folder
from zarr_conformance.reports.outputs import render


def report_command(results: Path, out: Path | None, baseline: Path | None = None,
                   report_url: str | None = None) -> int:
    document = read_results(results, "RESULTS")
    earlier = read_results(baseline, "--baseline") if baseline else None
    folder = writable_folder(out or results.parent, "--out" if out else "the folder of RESULTS")
    print(render(document, folder, earlier, report_url))
    print(f"wrote {folder / 'index.html'}, {folder / 'junit.xml'} and {folder / 'summary.md'}")
    return 0
