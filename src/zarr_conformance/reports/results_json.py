"""results.json: written (schema_version 2), validated against results.schema.json, read back (1 or 2)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from zarr_conformance import __version__
from zarr_conformance.errors import ResultsSchemaError
from zarr_conformance.runners.run import RunResults

SCHEMA_VERSION = 2
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def to_document(run: RunResults) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {"started_at": run.started_at, "finished_at": run.finished_at, "harness_version": __version__,
                "fixtures_digest": run.fixtures_digest, "platform": run.platform},
        "implementations": [i.to_dict() for i in run.implementations],
        "fixtures": [{"id": c.id, "zarr_format": c.zarr_format, "tags": c.tags(), "must_reject": c.must_reject}
                     for c in run.cases],
        "results": [r.to_dict() for r in run.results],
        "golden_changes": {"at_start": run.golden_changes_at_start, "at_end": run.golden_changes},
        **({"incomplete": run.interruption.to_dict()} if run.interruption else {}),
    }


def validate(document: dict[str, Any]) -> None:
    validate_against(document, schema(), "results.json")


def validate_against(document: dict[str, Any], against: dict[str, Any], name: str) -> None:
    """One line naming where `document` breaks its schema (results.json, check.json)."""
    try:
        jsonschema.validate(document, against)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        raise ResultsSchemaError(f"{name} does not match its schema at {where or '(root)'}: {e.message}") from None


def write(document: dict[str, Any], path: Path) -> None:
    validate(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n")


def read(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text())
    validate(document)
    return document
