from __future__ import annotations

from pathlib import Path

from zarr_conformance.adapters.launchers.commands import content_hash, prune_older


def test_prune_keeps_the_current_build_and_other_adapters(tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    for name in ("zarr-python-aaaa", "zarr-python-bbbb", "zarr-python-2-cccc", "tensorstore-dddd"):
        (envs / name).mkdir(parents=True)
    (envs / "zarr-python-aaaa.log").write_text("old build log")
    prune_older(envs / "zarr-python-bbbb")
    assert sorted(p.name for p in envs.iterdir()) == ["tensorstore-dddd", "zarr-python-2-cccc", "zarr-python-bbbb"]


def test_content_hash_follows_the_bytes(tmp_path: Path) -> None:
    f = tmp_path / "requirements.txt"
    f.write_text("zarr==3.4.2\n")
    first = content_hash([f], "3.13.0")
    assert content_hash([f], "3.13.0") == first
    assert content_hash([f], "3.12.1") != first
    f.write_text("zarr==3.4.3\n")
    assert content_hash([f], "3.13.0") != first
