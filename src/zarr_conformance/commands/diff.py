"""`zarr-conformance diff OLD NEW`: what changed between two results files."""

from __future__ import annotations

from pathlib import Path

from zarr_conformance.commands.inputs import read_results
from zarr_conformance.reports import diff


def diff_command(old: Path, new: Path, fail_on_new_failures: bool) -> int:
    changes = diff.diff(read_results(old, "OLD"), read_results(new, "NEW"))
    print(diff.markdown(changes))
    return 1 if fail_on_new_failures and changes.new_failures else 0
