"""check.json: what a `check` run found (schema check.schema.json, `kind: "check"`), written and read back."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from zarr_conformance import __version__
from zarr_conformance.reports.results_json import validate_against
from zarr_conformance.runners.check_run import CheckRun

SCHEMA_VERSION = 1
KIND = "check"
SCHEMA_PATH = Path(__file__).with_name("check.schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def to_document(run: CheckRun) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "run": {"started_at": run.started_at, "finished_at": run.finished_at, "harness_version": __version__,
                "platform": run.platform, "seconds": round(run.seconds, 3),
                "ready_seconds": round(run.ready_seconds, 3), "inputs": run.inputs, "found": run.found,
                **run.options, "harness_peak_rss_bytes": run.harness_peak_rss_bytes, "failed": run.failed},
        "implementations": run.implementations,
        "stores": [s.to_dict() for s in run.stores],
    }


def is_check(document: Any) -> bool:
    return isinstance(document, dict) and document.get("kind") == KIND


def validate(document: dict[str, Any]) -> None:
    validate_against(document, schema(), "check.json")


def write(document: dict[str, Any], path: Path) -> None:
    validate(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    # allow_nan: a hostile store's metadata may put NaN in a shape, and the node says what it found
    path.write_text(json.dumps(document, indent=1) + "\n")
