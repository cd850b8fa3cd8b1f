from __future__ import annotations

import fcntl
from pathlib import Path

from zarr_conformance.adapters.launchers.commands import content_hash, mark_in_use, prune_older


def test_prune_keeps_the_current_build_and_other_adapters(tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    for name in ("zarr-python-aaaa", "zarr-python-bbbb", "zarr-python-2-cccc", "tensorstore-dddd"):
        (envs / name).mkdir(parents=True)
    (envs / "zarr-python-aaaa.log").write_text("old build log")
    prune_older(envs / "zarr-python-bbbb")
    assert sorted(p.name for p in envs.iterdir()) == ["tensorstore-dddd", "zarr-python-2-cccc", "zarr-python-bbbb"]


def test_prune_keeps_a_build_another_run_is_using(tmp_path: Path) -> None:
    """Two checkouts side by side: a build another process holds is left alone; an unheld one goes."""
    envs = tmp_path / "envs"
    for name in ("zarrita-js-aaaa", "zarrita-js-bbbb", "zarrita-js-cccc"):
        (envs / name).mkdir(parents=True)
    (envs / "zarrita-js-cccc.in-use").write_text("")  # used by a run that has ended: no lock held
    holder = open(envs / "zarrita-js-aaaa.in-use", "a")  # another run, still going
    fcntl.flock(holder, fcntl.LOCK_SH)
    try:
        prune_older(envs / "zarrita-js-bbbb")
    finally:
        holder.close()
    assert sorted(p.name for p in envs.iterdir()) == ["zarrita-js-aaaa", "zarrita-js-aaaa.in-use", "zarrita-js-bbbb"]
    prune_older(envs / "zarrita-js-bbbb")  # that run has ended too
    assert sorted(p.name for p in envs.iterdir()) == ["zarrita-js-bbbb"]


def test_a_prepared_build_is_held_by_its_process(tmp_path: Path) -> None:
    build = tmp_path / "envs" / "zarr-python-aaaa"
    build.mkdir(parents=True)
    mark_in_use(build)
    prune_older(tmp_path / "envs" / "zarr-python-bbbb")
    assert build.exists()


def test_content_hash_follows_the_bytes(tmp_path: Path) -> None:
    f = tmp_path / "requirements.txt"
    f.write_text("zarr==3.4.2\n")
    first = content_hash([f], "3.13.0")
    assert content_hash([f], "3.13.0") == first
    assert content_hash([f], "3.12.1") != first
    f.write_text("zarr==3.4.3\n")
    assert content_hash([f], "3.13.0") != first
