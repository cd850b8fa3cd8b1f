"""`zarr-conformance report results.json`: re-render the HTML, JUnit XML and Markdown from a results file
(or `report check.json`: re-render check.html from what a `check` run wrote)."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.commands.inputs import read_check, read_document, read_results, writable_folder
from zarr_conformance.errors import HarnessError
from zarr_conformance.reports import check_html, check_json
from zarr_conformance.reports.outputs import render


def report_command(results: Path, out: Path | None, baseline: Path | None = None,
                   report_url: str | None = None) -> int:
    if check_json.is_check(read_document(results, "RESULTS")):
        if baseline is not None:
            raise HarnessError("--baseline compares results.json files; a check.json has none")
        document = read_check(results, "RESULTS")
        folder = writable_folder(out or results.parent, "--out" if out else "the folder of RESULTS")
        page = folder / (results.with_suffix(".html").name)
        check_html.write(document, page)
        print(f"wrote {page}")
        return 0
    document = read_results(results, "RESULTS")
    earlier = read_results(baseline, "--baseline") if baseline else None
    folder = writable_folder(out or results.parent, "--out" if out else "the folder of RESULTS")
    print(render(document, folder, earlier, report_url))
    print(f"wrote {folder / 'index.html'}, {folder / 'junit.xml'} and {folder / 'summary.md'}")
    return 0
