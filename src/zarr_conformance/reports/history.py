"""The runs an output folder has seen: before a run writes its results.json, the previous one moves to
`history/` (the newest few are kept) and becomes the report's baseline, so the report shows what
changed since the last run without being asked."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

from zarr_conformance.errors import HarnessError
from zarr_conformance.reports import results_json

log = logging.getLogger(__name__)
KEEP = 10
FOLDER = "history"


def archive(out: Path, keep: int = KEEP) -> dict[str, Any] | None:
    """Move `out/results.json` into `out/history/` and return it (None when there is none or it can't
    be read: a folder written by another version is no baseline, and says so in the log)."""
    current = out / "results.json"
    if not current.is_file():
        return None
    try:
        document = results_json.read(current)
    except (HarnessError, ValueError, OSError) as e:
        log.warning("the previous %s is not a usable baseline: %s", current, e)
        return None
    stamp = re.sub(r"[^0-9A-Za-z]+", "-", str(document["run"]["started_at"])).strip("-") or "run"
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)
    shutil.copy2(current, folder / f"results-{stamp}.json")
    for old in sorted(folder.glob("results-*.json"))[:-keep]:
        old.unlink()
    return document


def runs(out: Path) -> list[Path]:
    """The archived results files, oldest first."""
    return sorted((out / FOLDER).glob("results-*.json"))
