"""check.html: one self-contained page of a `check` run (per store, per node, each reader's verdict),
rendered from check.json alone with the matrix report's Jinja2 environment, symbols and styles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zarr_conformance.reports.html import SYMBOLS, _env
from zarr_conformance.runners.check_vote import AGREES_MEANS

# Each verdict wears the matrix status it is closest to, so its symbol and colour mean the same there.
LOOKS_LIKE = {"agrees": "pass", "differs": "fail", "no-consensus": "error", "error": "error", "crash": "crash",
              "timeout": "timeout", "unsupported": "unsupported", "unavailable": "unsupported", "skipped": "skip",
              "read": "error"}


def _mib(value: int | None) -> str:
    return "–" if value is None else f"{value / 2**20:.0f} MiB"


def view_model(document: dict[str, Any]) -> dict[str, Any]:
    impls = [i["id"] for i in document["implementations"]]
    stores = document["stores"]
    nodes = [n for s in stores for n in s["nodes"]]
    return {"doc": document, "impls": impls, "symbols": SYMBOLS, "looks_like": LOOKS_LIKE, "mib": _mib,
            "agrees_means": AGREES_MEANS, "errors": [s for s in stores if s["error"]],
            "found": document["run"]["found"], "node_count": len(nodes),
            "failed_nodes": sum(n["failed"] for n in nodes), "tally": _tally(nodes),
            "legend": {status: SYMBOLS[look] for status, look in LOOKS_LIKE.items() if status != "read"}}


def _tally(nodes: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per reader: nodes it read the consensus of, out of the nodes it was asked (and answered or failed)."""
    out: dict[str, dict[str, int]] = {}
    for node in nodes:
        for v in node["verdicts"]:
            counts = out.setdefault(v["impl"], {"agrees": 0, "asked": 0})
            counts["agrees"] += v["status"] == "agrees"
            counts["asked"] += v["status"] not in ("unsupported", "unavailable", "skipped")
    return out


def render(document: dict[str, Any]) -> str:
    return _env().get_template("check.html.j2").render(**view_model(document))


def write(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(document), encoding="utf-8")
