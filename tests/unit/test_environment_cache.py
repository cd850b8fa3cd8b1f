from __future__ import annotations

import os
import time
from pathlib import Path

from zarr_conformance.adapters.launchers.commands import content_hash, prune_older


def test_prune_keeps_the_current_build_and_other_adapters(tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    for name in ("zarr-python-aaaa", "zarr-python-bbbb", "zarr-python-2-cccc", "tensorstore-dddd"):
        (envs / name).mkdir(parents=True)
    (envs / "zarr-python-aaaa.log").write_text("old build log")
    prune_older(envs / "zarr-python-bbbb")
    assert sorted(p.name for p in envs.iterdir()) == ["tensorstore-dddd", "zarr-python-2-cccc", "zarr-python-bbbb"]


def test_prune_keeps_a_build_another_run_prepared_today(tmp_path: Path) -> None:
    """Two checkouts side by side: each one's build is left alone while the other is used."""
    envs = tmp_path / "envs"
    for name in ("zarrita-js-aaaa", "zarrita-js-bbbb", "zarrita-js-cccc"):
        (envs / name).mkdir(parents=True)
    (envs / "zarrita-js-aaaa.lock").write_text("")  # prepared just now by another run
    (envs / "zarrita-js-cccc.lock").write_text("")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(envs / "zarrita-js-cccc.lock", (two_days_ago, two_days_ago))
    prune_older(envs / "zarrita-js-bbbb")
    assert sorted(p.name for p in envs.iterdir()) == ["zarrita-js-aaaa", "zarrita-js-aaaa.lock", "zarrita-js-bbbb"]


def test_content_hash_follows_the_bytes(tmp_path: Path) -> None:
    f = tmp_path / "requirements.txt"
    f.write_text("zarr==3.4.2\n")
    first = content_hash([f], "3.13.0")
    assert content_hash([f], "3.13.0") == first
    assert content_hash([f], "3.12.1") != first
    f.write_text("zarr==3.4.3\n")
    assert content_hash([f], "3.13.0") != first
