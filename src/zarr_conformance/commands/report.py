"""`zarr-conformance report results.json`: re-render the HTML and Markdown from a results file."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.reports import html, results_json, summary


def report_command(results: Path, out: Path | None, baseline: Path | None = None) -> int:
    document = results_json.read(results)
    folder = out or results.parent
    html.write(document, folder / "index.html", results_json.read(baseline) if baseline else None)
    (folder / "summary.md").write_text(summary.markdown(document) + "\n")
    print(summary.markdown(document))
    print(f"wrote {folder / 'index.html'}")
    return 0
