"""A values file must lie in the cell's output folder, however the worker spells its path."""

from __future__ import annotations

import os
from pathlib import Path

from zarr_conformance.runners.escape import foreign_values


def _answer(where: str) -> list[dict]:
    return [{"path": "data", "values": {"npy": where}}]


def test_files_in_the_output_folder_are_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "a.npy").write_bytes(b"")
    assert foreign_values(_answer(str(out / "sub" / "a.npy")), out) is None
    assert foreign_values(_answer(str(out / "not-yet-there.npy")), out) is None
    assert foreign_values(_answer(os.path.realpath(out) + "/sub/a.npy"), out) is None
    assert foreign_values(_answer(str(out / "sub" / ".." / "sub" / "a.npy")), out) is None


def test_a_link_or_a_climb_out_of_the_output_folder_is_not_read(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "secret.npy").write_bytes(b"")
    (out / "link.npy").symlink_to(elsewhere / "secret.npy")
    (out / "folder").symlink_to(elsewhere)
    for where in (out / "link.npy", out / "folder" / "secret.npy", out / ".." / "elsewhere" / "secret.npy",
                  elsewhere / "secret.npy"):
        assert "lies outside the cell's output folder" in (foreign_values(_answer(str(where)), out) or "")


def test_an_output_folder_reached_through_a_link_is_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "a.npy").write_bytes(b"")
    assert foreign_values(_answer(str(tmp_path / "real" / "a.npy")), tmp_path / "alias") is None
    assert foreign_values(_answer(str(tmp_path / "alias" / "a.npy")), tmp_path / "alias") is None
