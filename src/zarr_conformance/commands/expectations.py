"""`zarr-conformance expectations update results.json`: record the run's non-passing cells.

Existing entries keep their reason and issue link; new ones get a reason to fill in ("TODO: ..."),
which the loader accepts but which is plainly visible in review."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import tomli_w

from zarr_conformance.commands.inputs import read_results, read_text, writable_folder
from zarr_conformance.errors import HarnessError

KEEP = ("pass", "unsupported", "skip")


def update_command(results: Path, directory: Path) -> int:
    document = read_results(results, "RESULTS")
    writable_folder(directory, "--dir")
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
    for impl, entries in sorted(wanted.items()):
        path = directory / f"{impl}.toml"
        old = _existing(path)
        known = {_key(e): e for e in old}
        merged = []
        for e in entries:
            prior = known.get(_key(e), {})
            merged.append({**e, "reason": prior.get("reason", f"TODO: explain ({e['status']})"),
                           **({"issue": prior["issue"]} if prior.get("issue") else {})})
        path.write_text(tomli_w.dumps({"expect": merged}))
        print(f"{path}: {len(merged)} entries")
    return 0


def _existing(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        entries = tomllib.loads(read_text(path, "expectations file")).get("expect", [])
    except tomllib.TOMLDecodeError as e:
        raise HarnessError(f"expectations file {path}: not valid TOML ({e})") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "fixture" in e for e in entries):
        raise HarnessError(f"expectations file {path}: 'expect' must be a list of tables with a 'fixture'")
    return entries


def _key(e: dict[str, Any]) -> tuple[str, str, str]:
    return (e["fixture"], e.get("kind", "*"), e.get("peer", "*"))
