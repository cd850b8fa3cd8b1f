"""The HTML report: one self-contained file (inline CSS and JS, no CDN) that works from disk and from
GitHub Pages. Rendered with Jinja2 (autoescaping on) from a results document alone."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

from zarr_conformance.reports import diff
from zarr_conformance.reports.summary import COLUMNS, counts

# Colour is never the only signal: every status has its own symbol.
SYMBOLS = {"pass": "✓", "fail": "✗", "error": "!", "unsupported": "–", "crash": "☠", "timeout": "◔",
           "skip": "·"}


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _owner(r: dict[str, Any]) -> str:
    return r["writer"] if r["kind"] == "write" else r["reader"]


def view_model(document: dict[str, Any], baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    impls = [i["id"] for i in document["implementations"]]
    cell: dict[tuple[str, str, str], dict[str, Any]] = {}  # (kind, fixture, owner) for read/write/reject
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)  # roundtrip (writer, reader)
    for r in document["results"]:
        if r["kind"] == "roundtrip":
            pairs[(r["writer"], r["reader"])].append(r)
        else:
            cell[(r["kind"], r["fixture"], _owner(r))] = r
    features: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in document["fixtures"]:
        features[f["tags"]["feature"]].append(f)
    feature_of = {f["id"]: f["tags"]["feature"] for f in document["fixtures"]}
    feature_pairs: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for (w, r), results in pairs.items():
        for result in results:
            feature_pairs[feature_of.get(result["fixture"], "?")][(w, r)].append(result)
    writers = sorted({w for w, _ in pairs})
    return {
        "doc": document, "impls": impls, "cell": cell, "features": dict(sorted(features.items())),
        "writers": writers, "pairs": pairs, "symbols": SYMBOLS, "columns": COLUMNS, "counts": counts(document),
        "pair_summary": {k: _pair_summary(v) for k, v in pairs.items()},
        "feature_pair_summary": {feature: {k: _pair_summary(v) for k, v in by_pair.items()}
                                 for feature, by_pair in sorted(feature_pairs.items())},
        "disagree": _disagreements(document),
        "changes": diff.diff(baseline, document) if baseline else None,
        "baseline_run": baseline["run"] if baseline else None,
    }


def _pair_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_status: dict[str, int] = defaultdict(int)
    for r in results:
        by_status[r["status"]] += 1
    worst = next((s for s in ("fail", "crash", "timeout", "error", "pass", "unsupported", "skip") if by_status[s]),
                 "skip")
    tried = len(results) - by_status["unsupported"] - by_status["skip"]
    return {"counts": dict(by_status), "worst": worst, "total": len(results), "tried": tried,
            "bad": [r for r in results if r["status"] not in ("pass", "unsupported", "skip")]}


def _disagreements(document: dict[str, Any]) -> set[str]:
    """Fixtures on which the readers that tried did not all end the same way."""
    seen: dict[str, set[str]] = defaultdict(set)
    for r in document["results"]:
        if r["kind"] in ("read", "reject", "roundtrip") and r["status"] not in ("unsupported", "skip"):
            seen[r["fixture"]].add(r["status"])
    return {f for f, statuses in seen.items() if len(statuses) > 1}


def render(document: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    return _env().get_template("report.html.j2").render(**view_model(document, baseline))


def write(document: dict[str, Any], path: Path, baseline: dict[str, Any] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(document, baseline), encoding="utf-8")
