"""`zarr-conformance report results.json`: re-render the HTML and Markdown from a results file."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.commands.inputs import read_results, writable_folder
from zarr_conformance.reports import html, summary


def report_command(results: Path, out: Path | None, baseline: Path | None = None) -> int:
    document = read_results(results, "RESULTS")
    earlier = read_results(baseline, "--baseline") if baseline else None
    folder = writable_folder(out or results.parent, "--out" if out else "the folder of RESULTS")
    html.write(document, folder / "index.html", earlier)
    (folder / "summary.md").write_text(summary.markdown(document) + "\n")
    print(summary.markdown(document))
    print(f"wrote {folder / 'index.html'}")
    return 0
