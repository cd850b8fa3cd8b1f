"""`zarr-conformance expectations update results.json`: record the run's non-passing cells.

Existing entries keep their reason and issue link; new ones get a reason to fill in ("TODO: ..."),
which the loader accepts but which is plainly visible in review."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import tomli_w

from zarr_conformance.reports import results_json

KEEP = ("pass", "unsupported", "skip")


def update_command(results: Path, directory: Path) -> int:
    document = results_json.read(results)
    wanted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in document["results"]:
        if r["status"] in KEEP:
            continue
        if r["kind"] == "write":
            wanted[r["writer"]].append({"fixture": r["fixture"], "kind": "write", "status": r["status"]})
        else:
            entry = {"fixture": r["fixture"], "kind": r["kind"], "status": r["status"]}
            if r["kind"] == "roundtrip":
                entry["peer"] = r["writer"]
            wanted[r["reader"]].append(entry)
    directory.mkdir(parents=True, exist_ok=True)
    for impl, entries in sorted(wanted.items()):
        path = directory / f"{impl}.toml"
        old = tomllib.loads(path.read_text()).get("expect", []) if path.exists() else []
        known = {_key(e): e for e in old}
        merged = []
        for e in entries:
            prior = known.get(_key(e), {})
            merged.append({**e, "reason": prior.get("reason", f"TODO: explain ({e['status']})"),
                           **({"issue": prior["issue"]} if prior.get("issue") else {})})
        path.write_text(tomli_w.dumps({"expect": merged}))
        print(f"{path}: {len(merged)} entries")
    return 0


def _key(e: dict[str, Any]) -> tuple[str, str, str]:
    return (e["fixture"], e.get("kind", "*"), e.get("peer", "*"))
