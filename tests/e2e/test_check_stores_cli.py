"""`zarr-conformance check` as a user runs it on stores as they come: a zip, a v3 draft, the progress lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parents[1] / "data" / "check_stores"


def _check(store: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zarr_conformance.cli", "check", str(store), "--impl", "reference"],
                          cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, "CI": "1"})


def test_a_zip_store_with_a_progress_line_per_node_on_stderr(tmp_path: Path) -> None:
    zipped = tmp_path / "v3-store.zip"
    shutil.copy(DATA / "v3-store.zip", zipped)
    os.chmod(zipped, 0o644)
    done = _check(zipped, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["[1/2] / (v3, group)", "[2/2] /a (v3, [6] int32)"]
    assert "[1/2]" not in done.stdout
    assert "every reader read a copy unpacked by the harness" in " ".join(done.stdout.split())


def test_a_v3_draft_is_one_line_and_exit_2(tmp_path: Path) -> None:
    store = tmp_path / "v3-draft.zarr"
    shutil.copytree(DATA / "v3-draft.zarr", store)
    done = _check(store, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "a pre-release Zarr v3 draft store" in line and "zarr-python 3" in line
    assert done.stdout == ""
