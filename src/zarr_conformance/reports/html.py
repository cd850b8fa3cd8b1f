"""The HTML report: one self-contained file (inline CSS and JS, no CDN) that works from disk and from
GitHub Pages. Rendered with Jinja2 (autoescaping on) from a results document alone."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

from zarr_conformance.reports import cellinfo, diff, views
from zarr_conformance.reports.summary import COLUMNS, counts

# Colour is never the only signal: every status has its own symbol.
SYMBOLS = {"pass": "✓", "fail": "✗", "error": "!", "unsupported": "–", "crash": "☠", "timeout": "◔",
           "skip": "·"}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["trim_message"] = cellinfo.trim
    env.globals.update(reproduce=cellinfo.reproduce, expectation=cellinfo.expectation, test_id=cellinfo.test_id)
    return env


def _owner(r: dict[str, Any]) -> str:
    return r["writer"] if r["kind"] == "write" else r["reader"]


def view_model(document: dict[str, Any], baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    impls = [i["id"] for i in document["implementations"]]
    blamed = views.blamed_on_writer(document)
    disagree, disagree_rt = views.disagreements(document)
    cell: dict[tuple[str, str, str], dict[str, Any]] = {}  # (kind, fixture, owner) for read/write/reject
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)  # roundtrip (writer, reader)
    rows: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)  # (fixture, writer) -> reader -> r
    for r in document["results"]:
        if r["kind"] == "roundtrip":
            pairs[(r["writer"], r["reader"])].append(r)
            rows[(r["fixture"], r["writer"])][r["reader"]] = r
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

    def blame_key(r: dict[str, Any]) -> bool:
        return (r["kind"], r["fixture"], r["writer"], r["reader"]) in blamed

    return {
        "doc": document, "impls": impls, "cell": cell, "features": dict(sorted(features.items())),
        "writers": writers, "pairs": pairs, "symbols": SYMBOLS, "columns": COLUMNS, "counts": counts(document),
        "pair_summary": {k: _pair_summary(v, blame_key, disagree_rt) for k, v in pairs.items()},
        "feature_pair_summary": {feature: {k: _pair_summary(v, blame_key, disagree_rt) for k, v in by_pair.items()}
                                 for feature, by_pair in sorted(feature_pairs.items())},
        "roundtrip_rows": _roundtrip_rows(rows, disagree_rt, feature_of),
        "disagree": disagree, "blamed": blamed, "is_blamed": blame_key,
        "impl_views": views.implementation_views(document, blamed, disagree, disagree_rt),
        "sources": {i["id"]: i["source"] for i in document["implementations"] if i.get("source")},
        "changes": diff.diff(baseline, document) if baseline else None,
        "baseline_run": baseline["run"] if baseline else None,
    }


def _pair_summary(results: list[dict[str, Any]], blamed: Any, disagree_rt: set[tuple[str, str]]) -> dict[str, Any]:
    """One writer x reader cell: passes out of the cells tried, the writer's failures set apart."""
    charged = [r for r in results if blamed(r)]
    own = [r for r in results if not blamed(r)]
    by_status: dict[str, int] = defaultdict(int)
    for r in own:
        by_status[r["status"]] += 1
    worst = next((s for s in ("fail", "crash", "timeout", "error", "pass", "unsupported", "skip") if by_status[s]),
                 "skip")
    tried = len(own) - by_status["unsupported"] - by_status["skip"]
    return {"counts": dict(by_status), "worst": worst, "total": len(results), "tried": tried,
            "rate": views.rate_class(by_status["pass"], tried), "charged": charged,
            "statuses": sorted({r["status"] for r in results}),
            "disagree": any((r["fixture"], r["writer"]) in disagree_rt for r in results),
            "bad": [r for r in own if r["status"] not in ("pass", "unsupported", "skip")]}


def _roundtrip_rows(rows: dict[tuple[str, str], dict[str, dict[str, Any]]], disagree_rt: set[tuple[str, str]],
                    feature_of: dict[str, str]) -> list[dict[str, Any]]:
    """One row per (fixture, writer) where some reader did not pass (all-pass rows would only repeat
    the writer x reader table), sorted by feature."""
    out = []
    for (fixture, writer), by_reader in rows.items():
        statuses = {r["status"] for r in by_reader.values()}
        if statuses <= {"pass", "unsupported", "skip"}:
            continue
        out.append({"fixture": fixture, "writer": writer, "feature": feature_of.get(fixture, "?"),
                    "cells": by_reader, "disagree": (fixture, writer) in disagree_rt})
    return sorted(out, key=lambda row: (row["feature"], row["fixture"], row["writer"]))


def render(document: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    return _env().get_template("report.html.j2").render(**view_model(document, baseline))


def write(document: dict[str, Any], path: Path, baseline: dict[str, Any] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(document, baseline), encoding="utf-8")
