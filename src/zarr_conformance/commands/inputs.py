"""What the user hands the CLI, checked before any work: files to read, folders to write, numbers.
Every refusal is a HarnessError with one line that names the argument and what is wrong with it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zarr_conformance.errors import HarnessError, ResultsSchemaError


def read_results(path: Path, what: str) -> dict[str, Any]:
    """A results.json given on the command line (`what` names the argument), validated."""
    from zarr_conformance.reports import results_json

    return _validated(path, what, results_json.validate)


def read_check(path: Path, what: str) -> dict[str, Any]:
    """A check.json (`kind: "check"`) given on the command line, validated against check.schema.json."""
    from zarr_conformance.reports import check_json

    return _validated(path, what, check_json.validate)


def _validated(path: Path, what: str, validate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = read_document(path, what)
    try:
        validate(document)
    except ResultsSchemaError as e:
        raise HarnessError(f"{what} {path}: {e}") from None
    return document


def read_document(path: Path, what: str) -> dict[str, Any]:
    """A JSON object from a file the user named, not yet validated."""
    text = read_text(path, what)
    if not text.strip():
        raise HarnessError(f"{what} {path}: the file is empty, not a results.json")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise HarnessError(f"{what} {path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(document, dict):
        raise HarnessError(f"{what} {path}: a JSON {type(document).__name__}, not a results.json object")
    return document


def read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HarnessError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise HarnessError(f"{what} {path}: a folder, not a file") from None
    except UnicodeDecodeError:
        raise HarnessError(f"{what} {path}: not a text file (not UTF-8)") from None
    except OSError as e:
        raise HarnessError(f"{what} {path}: cannot read it: {e.strerror or e}") from None


def writable_folder(path: Path, what: str) -> Path:
    """Create `path` if needed and prove it can be written, so a long run never fails at its end."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".zc-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        raise HarnessError(f"{what} {path}: cannot write there: {e.strerror or e}") from None
    return path


def writable_file(path: Path, what: str) -> Path:
    """`path` can be created or replaced (its folder is made if needed); nothing is left behind."""
    if path.is_dir():
        raise HarnessError(f"{what} {path}: a folder, not a file")
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a"):
            pass
        if not existed:
            path.unlink()
    except OSError as e:
        raise HarnessError(f"{what} {path}: cannot write it: {e.strerror or e}") from None
    return path


def positive_number(kind: type) -> Any:
    """An argparse `type` accepting numbers above zero only (a timeout, a repeat count)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a{'n integer' if kind is int else ' number'}, "
                                             f"got {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be above zero, got {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse
