"""The part of summary.md a maintainer reads first: every cell that is new or unexpected, with its
message and the command that reruns it, and a link to the full report when its address is known."""

from __future__ import annotations

import os
from typing import Any

from zarr_conformance.reports.cellinfo import expectation, headline, reproduce

MAX_LISTED = 50


def report_url(given: str | None = None) -> str | None:
    """--report-url, else $ZARR_CONFORMANCE_REPORT_URL, else (GitHub Actions) the run's page, which
    holds the uploaded report."""
    if given:
        return given
    if os.environ.get("ZARR_CONFORMANCE_REPORT_URL"):
        return os.environ["ZARR_CONFORMANCE_REPORT_URL"]
    server, repo, run_id = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    if server and repo and run_id:
        return f"{server}/{repo}/actions/runs/{run_id}"
    return None


def _cell(r: dict[str, Any]) -> str:
    who = f"{r['writer']} → {r['reader']}" if r["kind"] == "roundtrip" else (
        r["writer"] if r["kind"] == "write" else r["reader"])
    reason = expectation(r)["reason"]
    expected = f" (expected {r['expected_status']}: {reason})" if reason else (
        f" (expected {r['expected_status']})" if r["outcome"] == "unexpected" else "")
    message = headline(r).replace("`", "'") or "(no message)"
    return (f"- **{r['outcome']}** `{r['status']}` {r['kind']} {who} `{r['fixture']}`{expected}: {message}\n"
            f"  `{reproduce(r)}`")


def markdown(document: dict[str, Any], url: str | None = None) -> str:
    surprising = [r for r in document["results"] if r["outcome"] != "expected"]
    lines = []
    if url:
        lines.append(f"Full report: {url}")
        lines.append("")
    if not surprising:
        lines.append("Every cell is as expected (passing, unsupported, or listed in expectations/).")
        return "\n".join(lines)
    lines.append(f"### New or unexpected cells ({len(surprising)})")
    lines.append("")
    lines.append("*new*: a cell that does not pass and no expectation lists; *unexpected*: an expectation "
                 "lists it, but it ended otherwise (a fix or a different failure).")
    lines.append("")
    lines += [_cell(r) for r in surprising[:MAX_LISTED]]
    if len(surprising) > MAX_LISTED:
        lines.append(f"- … and {len(surprising) - MAX_LISTED} more in results.json")
    return "\n".join(lines)
